package validate

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadReportsSchemasInWalkOrder checks that Load still reports every
// schema that does not compile, now that jsonschema compiles them beside the
// rest of the plan: at Load, with the problems of the walk in the order of
// the walk, even where they share a line (a JSON document on one line).
func TestLoadReportsSchemasInWalkOrder(t *testing.T) {
	doc := `{"openapi": "3.0.1", "info": {"title": "x", "version": "1"}, "paths": {` +
		`"/a": {"get": {"parameters": [{"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/nope1"}}],` +
		` "responses": {"200": {"$ref": "#/components/responses/missing"}}}},` +
		` "/b": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"$ref": "#/components/schemas/nope2"}}],` +
		` "responses": {"200": {"description": "ok", "headers": {"X-H": {"schema": {"$ref": "#/components/schemas/nope3"}}}}}}}}}`
	_, err := Load("one-line.json", []byte(doc))
	var le *LoadError
	require.True(t, errors.As(err, &le), "%v", err)
	var got []string
	for _, p := range le.Problems {
		assert.Equal(t, 1, p.Line, p.Message)
		got = append(got, p.Message)
	}
	want := []string{
		"compiling the schema of parameter p: ",
		`following $ref at /paths/~1a/get/responses/200: "#/components/responses/missing" points to nothing`,
		"compiling the schema of parameter q: ",
		"compiling the schema of header X-H: ",
	}
	require.Len(t, got, len(want), "%q", got)
	for i, w := range want {
		assert.True(t, strings.HasPrefix(got[i], w), "problem %d: got %q, want it to start with %q", i, got[i], w)
	}
	for i, nope := range map[int]string{0: "nope1", 2: "nope2", 3: "nope3"} {
		assert.Contains(t, got[i], "#/components/schemas/"+nope+" not found")
	}
}
