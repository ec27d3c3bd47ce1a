package spec_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/spec"
)

var twilioSpec = filepath.Join("..", "..", "..", "bench", "testdata", "twilio_conversations_v1.json")

// TestDecodeWholeJSON checks that the tree Load decodes from a JSON
// document's bytes is the one libopenapi's JSON form of it gives, and that
// anything but one JSON value is left to libopenapi.
func TestDecodeWholeJSON(t *testing.T) {
	data, err := os.ReadFile(twilioSpec)
	require.NoError(t, err)
	d, err := spec.Read(data)
	require.NoError(t, err)
	want, err := d.JSONTree(nil)
	require.NoError(t, err)
	assert.Equal(t, want, contract.DecodeWholeJSON(data))
	got, err := d.JSONTree(contract.DecodeWholeJSON(data))
	require.NoError(t, err)
	assert.Equal(t, want, got, "a JSON document's own decoding is its JSON form")
	for _, bad := range []string{`{"a": 1} {"b": 2}`, `{"a": 1}}`, `{"a": `, `null`, `openapi: 3.0.1`} {
		assert.Nil(t, contract.DecodeWholeJSON([]byte(bad)), bad)
	}
	assert.Equal(t, map[string]any{"a": json.Number("1")}, contract.DecodeWholeJSON([]byte(" {\"a\": 1}\n")))
}

// TestRead checks the version and format libopenapi finds, and that a YAML
// document's JSON form is the one its JSON twin decodes to.
func TestRead(t *testing.T) {
	for _, tt := range []struct {
		doc     string
		version string
		format  spec.Format
	}{
		{"openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths: {}\n", "3.0.1", spec.OpenAPI30},
		{"openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "3.1.0", spec.OpenAPI31},
		{`{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}`, "2.0", spec.Swagger2},
	} {
		d, err := spec.Read([]byte(tt.doc))
		require.NoError(t, err, tt.doc)
		assert.Equal(t, tt.version, d.Version, tt.doc)
		assert.Equal(t, tt.format, d.Format, tt.doc)
		assert.NotNil(t, d.Root, tt.doc)
	}
	d, err := spec.Read([]byte("openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths: {}\n"))
	require.NoError(t, err)
	tree, err := d.JSONTree(nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"openapi": "3.0.1", "info": map[string]any{"title": "x", "version": "1"}, "paths": map[string]any{}}, tree)
	_, err = spec.Read([]byte("openapi: [unclosed"))
	assert.Error(t, err)
}

// TestCheck checks what a document breaks of the specification: nothing for
// a good document in JSON or YAML, and each problem with its line, without
// the noise of the schema's oneOf of a reference and an inline object.
func TestCheck(t *testing.T) {
	good := `{"openapi": "3.0.1", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}`
	d, err := spec.Read([]byte(good))
	require.NoError(t, err)
	tree, err := d.JSONTree(contract.DecodeWholeJSON([]byte(good)))
	require.NoError(t, err)
	assert.Nil(t, d.Check(tree, nil))

	bad := "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {descripton: ok}\n"
	d, err = spec.Read([]byte(bad))
	require.NoError(t, err)
	tree, err = d.JSONTree(nil)
	require.NoError(t, err)
	problems := d.Check(tree, nil)
	require.NotEmpty(t, problems)
	for _, p := range problems {
		assert.NotContains(t, p.Message, "missing property '$ref'", "the oneOf's noise is dropped when a real problem is there")
		assert.Positive(t, p.Line, p.Message)
	}
	assert.True(t, strings.Contains(problems[0].Message, "description") || strings.Contains(problems[0].Message, "descripton"), problems[0].Message)
}

// TestHugeExponents checks that a schema keyword holding a number math/big
// cannot read (jsonschema panics on it) is a problem at its place, and that
// the text test before the walk lets every other number through.
func TestHugeExponents(t *testing.T) {
	for _, tt := range []struct {
		number string
		bad    bool
	}{
		{"1E1000000", false}, {"1e-1000000", false}, {"1.5E+999999", false}, {"12", false},
		{"1E1000001", true}, {"-1e-1000001", true}, {"2.5E+10000000", true},
	} {
		doc := `{"openapi": "3.0.1", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": {"parameters": [{"name": "p", "in": "query", "schema": {"type": "number", "minimum": ` + tt.number + `}}], "responses": {"200": {"description": "ok"}}}}}}`
		d, err := spec.Read([]byte(doc))
		require.NoError(t, err, tt.number)
		tree, err := d.JSONTree(contract.DecodeWholeJSON([]byte(doc)))
		require.NoError(t, err, tt.number)
		var problems []spec.Problem
		require.NotPanics(t, func() { problems = d.Check(tree, nil) }, tt.number)
		if !tt.bad {
			assert.Nil(t, problems, tt.number)
			continue
		}
		require.Len(t, problems, 1, tt.number)
		assert.Equal(t, spec.Problem{Line: 1, Message: "/paths/~1a/get/parameters/0/schema/minimum: the number " + tt.number + " has an exponent too large to read"}, problems[0])
	}
}
