package validate

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
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

// withProcs runs f with GOMAXPROCS at n: Load compiles the schemas in as
// many parts as there are cores.
func withProcs(n int, f func()) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(n))
	f()
}

// TestLoadPartsReportOnce checks that a broken component shared by
// operations compiled in different parts is reported as one Compiler
// reports it (jsonschema reports a broken schema the first time a Compiler
// meets it only, and each part's Compiler meets it anew), and that Load does
// not panic where jsonschema does, meeting the broken pattern again.
func TestLoadPartsReportOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"openapi": "3.0.1", "info": {"title": "x", "version": "1"}, "paths": {`)
	for i := range 4 {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `"/p%d": {"get": {"parameters": [{"name": "a", "in": "query", "schema": {"$ref": "#/components/schemas/Bad"}}], "responses": {"200": {"description": "ok"}}}}`, i)
	}
	b.WriteString("},\n" + `"components": {"schemas": {"Bad": {"type": "string", "pattern": "(["}}}}`)
	// The specification check finds the pattern first.
	_, err := Load("c.json", []byte(b.String()))
	var le *LoadError
	require.ErrorAs(t, err, &le)
	require.Len(t, le.Problems, 1)
	assert.Contains(t, le.Problems[0].Message, "Bad.pattern: '([' is not valid regex")
	// Without it (as for the embedded contract), the compilation does.
	problems := func(procs int) []Problem {
		var le *LoadError
		withProcs(procs, func() {
			_, err := load("c.json", []byte(b.String()), false)
			require.ErrorAs(t, err, &le)
		})
		return le.Problems
	}
	one := problems(1)
	require.Len(t, one, 2, "%v", one)
	assert.Equal(t, 1, one[0].Line)
	assert.Contains(t, one[0].Message, "compiling the schema of parameter a: ")
	assert.Contains(t, one[0].Message, "'/components/schemas/Bad/pattern' does not validate")
	assert.Equal(t, 2, one[1].Line)
	assert.Contains(t, one[1].Message, "jsonschema failed on a schema it met broken before: regexp: Compile(`([`)")
	assert.Equal(t, one, problems(4), "four parts report what one does")
}

// TestLoadPartsSamePlan checks that the full spec compiled in parts is the
// plan compiled by one Compiler: every schema compiled, at the same place,
// and the same verdicts.
func TestLoadPartsSamePlan(t *testing.T) {
	var one, four *Plan
	withProcs(1, func() { one = loadTwilio(t) })
	withProcs(4, func() { four = loadTwilio(t) })
	locations := func(p *Plan) []string {
		var locs []string
		add := func(s *jsonschema.Schema) {
			if s == nil {
				locs = append(locs, "nil")
				return
			}
			locs = append(locs, s.Location)
		}
		for _, op := range p.chk.Ops {
			for _, pr := range op.Params {
				add(pr.Schema)
			}
			if op.Body != nil {
				for _, m := range op.Body.Media {
					add(m.Schema)
				}
			}
			for _, r := range op.Responses {
				for _, h := range r.Headers {
					add(h.Schema)
				}
				for _, m := range r.Media {
					add(m.Schema)
				}
			}
		}
		return locs
	}
	want := locations(one)
	assert.Greater(t, len(want), 300)
	assert.NotContains(t, want, "nil")
	assert.Equal(t, want, locations(four))
	for _, tt := range ruleCases() {
		ex := tt.exchange()
		assert.Equal(t, one.Check(ex).Findings, four.Check(ex).Findings, tt.name)
	}
}
