package validate

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twilioSpec is Twilio's own OpenAPI description of Conversations v1, the
// bench module's test data. The bench module is not part of the main module's
// zip, so a test run from the module cache does not have it.
var twilioSpec = filepath.Join("..", "bench", "testdata", "twilio_conversations_v1.json")

func loadTwilio(t testing.TB) *Plan {
	t.Helper()
	if _, err := os.Stat(twilioSpec); err != nil {
		t.Skipf("Twilio's Conversations spec is not at %s (it is in the repository, not in the main module's zip): %v", twilioSpec, err)
	}
	p, err := LoadFile(twilioSpec)
	require.NoError(t, err)
	return p
}

func TestEmbeddedContractIsValidOpenAPI(t *testing.T) {
	// Embedded skips the specification check at run time; this test is it.
	p, err := Load(contracts.ScopedWebhookFile, contracts.ScopedWebhook)
	require.NoError(t, err)
	assert.Equal(t, []string{webhookOperationID}, p.Operations())
	assert.Equal(t, "3.0.1", p.Version())
	assert.NotEmpty(t, p.Title())
}

func TestRuleSpecLines(t *testing.T) {
	p := embeddedPlan(t)
	for _, r := range Rules() {
		pos := p.RuleSpec(r.ID)
		assert.Equal(t, contracts.ScopedWebhookFile, pos.File, r.ID)
		assert.Positive(t, pos.Line, r.ID)
	}
	assert.Equal(t, SpecPos{}, p.RuleSpec("no.such-rule"))
}

// The embedded contract must agree with Twilio's own description of the
// operation: the same parameters, request schema, response headers and
// response schema once references are resolved, descriptions and examples
// aside.
func TestEmbeddedAgreesWithTwilio(t *testing.T) {
	twilio := loadTwilio(t)
	ours := embeddedPlan(t)
	pick := func(p *Plan) map[string]any {
		op := p.opByID(webhookOperationID)
		require.NotNil(t, op)
		form := compiled.FormMedia(op.Body.Media)
		resp := op.Success()
		require.NotNil(t, resp)
		return map[string]any{
			"params":  stripDocs(p.chk.Doc, mustGet(t, p.chk.Doc, op.Ptr+"/parameters")),
			"request": stripDocs(p.chk.Doc, mustGet(t, p.chk.Doc, form.Ptr)),
			"headers": stripDocs(p.chk.Doc, mustGet(t, p.chk.Doc, resp.Ptr+"/headers")),
			"body":    stripDocs(p.chk.Doc, mustGet(t, p.chk.Doc, resp.Media[0].Ptr)),
			"code":    resp.Code,
		}
	}
	assert.Equal(t, pick(twilio), pick(ours))
}

func mustGet(t testing.TB, d *contract.Document, ptr string) any {
	t.Helper()
	v, ok := d.Get(ptr)
	require.True(t, ok, ptr)
	return v
}

// stripDocs resolves $refs and drops what only documents: descriptions,
// titles, examples and extensions.
func stripDocs(d *contract.Document, v any) any {
	switch t := v.(type) {
	case map[string]any:
		if ref, ok := t["$ref"].(string); ok {
			if ptr, err := contract.LocalRef(ref); err == nil {
				target, _ := d.Get(ptr)
				return stripDocs(d, target)
			}
		}
		m := map[string]any{}
		for k, e := range t {
			switch {
			case k == "description", k == "title", k == "example", k == "examples", len(k) > 2 && k[:2] == "x-":
				continue
			}
			m[k] = stripDocs(d, e)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, e := range t {
			s[i] = stripDocs(d, e)
		}
		return s
	}
	return v
}

func TestLoadTwilioSpec(t *testing.T) {
	p := loadTwilio(t)
	assert.Len(t, p.Operations(), 103)
	assert.Equal(t, webhookOperationID, p.chk.Main.ID)
	assert.Equal(t, twilioSpec, p.RuleSpec(RuleSIDFormat).File)
	assert.Greater(t, p.RuleSpec(RuleSIDFormat).Line, 1000, "the rule is cited from the operation deep in the file")
}

// Twilio's full spec gives the same verdicts as the embedded contract for the
// conversation-scoped webhook: the same rules at the same places.
func TestTwilioSpecSameVerdicts(t *testing.T) {
	twilio := loadTwilio(t)
	ours := embeddedPlan(t)
	for _, tt := range ruleCases() {
		ex := tt.exchange()
		a, b := ours.Check(ex), twilio.Check(ex)
		assert.Equal(t, a.Operation, b.Operation, tt.name)
		assert.Equal(t, rulesOf(a.Findings), rulesOf(b.Findings), tt.name)
		for _, f := range b.Findings {
			assert.Equal(t, twilioSpec, f.Spec.File, tt.name)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // messages, in order; each with its line when > 0
		lines     []int
	}{
		{"empty", "", []string{"the file is empty"}, []int{0}},
		{"not OpenAPI", "hello: world\n", []string{"not an OpenAPI document"}, []int{1}},
		{"binary", "\x00\x01\x02{{", []string{"not an OpenAPI document: the file is neither well-formed YAML nor JSON: control characters are not allowed"}, []int{0}},
		{"Markdown", "# Title\n\nSome text: with a colon: here\n", []string{"not an OpenAPI document: the file is neither well-formed YAML nor JSON: mapping values are not allowed in this context"}, []int{3}},
		{"text", "hello world\n", []string{"not an OpenAPI document: the file holds text, not a mapping of fields such as openapi, info and paths"}, []int{1}},
		{"a list", "- a\n- b\n", []string{"the file holds a list, not a mapping"}, []int{1}},
		{"broken JSON", "{\"openapi\": \"3.0.1\",\n \"info\": {]}", []string{"not an OpenAPI document: the file is not well-formed JSON: invalid character ']' looking for beginning of object key string"}, []int{2}},
		{"JSON cut short", "{\"openapi\": ", []string{"the file is not well-formed JSON: unexpected end of JSON input"}, []int{1}},
		{"broken YAML", "openapi: 3.0.1\npaths: [\n", []string{"the file is neither well-formed YAML nor JSON: did not find expected node content"}, []int{2}}, // the last line, not the empty one past it
		{"swagger", "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", []string{"Swagger 2.0 is not supported"}, []int{1}},
		{"3.2", "openapi: 3.2.0\ninfo: {title: x, version: '1'}\npaths: {}\n", []string{"OpenAPI 3.2.0 is not supported"}, []int{1}},
		{"breaks the specification", "openapi: 3.0.1\ninfo:\n  version: '1'\npaths:\n  /x:\n    get:\n      responses: {}\n",
			[]string{"missing property 'title'", "responses"}, []int{2, 6}},
		{"JSON breaks the specification", "{\"openapi\": \"3.0.1\",\n \"info\": {\"version\": \"1\"},\n \"paths\": {\"/x\": {\"get\": {\n  \"responses\": {}}}}}\n",
			[]string{"missing property 'title'", "responses"}, []int{1, 3}}, // libopenapi-validator's lines for JSON
		{"bad pattern", "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    get:\n      parameters:\n        - name: a\n          in: query\n          schema:\n            type: string\n            pattern: '(['\n      responses:\n        '200': {description: ok}\n",
			[]string{"is not valid regex"}, []int{11}},
		{"bad body and header", "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {a: {$ref: '#/components/schemas/Nope'}}}\n      responses:\n        '200':\n          description: ok\n          headers:\n            X-A: {schema: {items: {$ref: '#/components/schemas/Gone'}}}\n",
			[]string{"compiling the schema of application/json", "compiling the schema of header X-A"}, []int{9, 14}},
		{"external ref", "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          $ref: 'other.yaml#/r'\n",
			[]string{"external references are not supported"}, []int{7}},
		{"no operations", "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths: {}\n", []string{"describes no operation"}, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("c.yaml", []byte(tt.doc))
			var le *LoadError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, "c.yaml", le.File)
			require.Len(t, le.Problems, len(tt.want), "%v", le.Problems)
			for i, w := range tt.want {
				assert.Contains(t, le.Problems[i].Message, w)
				assert.Equal(t, tt.lines[i], le.Problems[i].Line, "line of %q", le.Problems[i].Message)
				for _, internal := range []string{"go-yaml", "yaml:", "map[string]interface", "unknown position", "!!", "construct"} {
					assert.NotContains(t, le.Problems[i].Message, internal, "the parser's internals")
				}
			}
			assert.Contains(t, err.Error(), "c.yaml")
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile(filepath.Join(t.TempDir(), "nope.yaml"))
	assert.True(t, errors.Is(err, fs.ErrNotExist))
}

func TestLoadGenericFeatures(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: t, version: '1'}
servers:
  - url: https://api.example.com/base
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
    put:
      operationId: PutItem
      parameters:
        - {name: dry, in: query, schema: {type: boolean}}
        - {name: X-Req, in: header, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, maxLength: 3}
                tags: {type: [array, 'null'], items: {type: string}}
      responses:
        2XX:
          description: ok
          headers:
            X-Count: {schema: {type: integer}}
          content:
            application/problem+json:
              schema: {type: object}
        default:
          description: error
`
	p, err := Load("g.yaml", []byte(doc))
	require.NoError(t, err)
	ex := &Exchange{
		Request: Request{Method: "PUT", URL: "https://api.example.com/base/items/0?dry=yes", Header: map[string][]string{"Content-Type": {"application/json"}},
			Body: []byte(`{"name": "long", "tags": null}`)},
		Response: Response{Status: 204, Header: map[string][]string{"X-Count": {"x"}}},
	}
	res := p.Check(ex)
	assert.Equal(t, "PutItem", res.Operation)
	assert.Equal(t, []string{
		"value.constraint request.path#/id",
		"value.type request.query#/dry",
		"value.required request.header/X-Req",
		"value.length request.body#/name",
		"header.type response.header/X-Count",
	}, locsOf(res.Findings))
	ex.Request.URL = "/base/items/5?dry=true"
	ex.Request.Header.Set("X-Req", "1")
	ex.Request.Body = []byte(`{"name": "abc"}`)
	ex.Response = Response{Status: 500, Header: map[string][]string{"Content-Type": {"text/plain"}}, Body: []byte("boom")}
	assert.Empty(t, p.Check(ex).Findings, "default covers 500 and documents no content")
}

func locsOf(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule + " " + f.Location.String()
	}
	return out
}

func contractBytes() []byte { return contracts.ScopedWebhook }

func TestLoadYAMLSyntaxErrorHasLine(t *testing.T) {
	_, err := Load("b.yaml", []byte("openapi: 3.0.1\ninfo:\n  title: [x\n"))
	var le *LoadError
	require.ErrorAs(t, err, &le)
	require.Len(t, le.Problems, 1)
	assert.Equal(t, 3, le.Problems[0].Line)
	assert.Equal(t, 10, le.Problems[0].Column)
	assert.Contains(t, le.Problems[0].Message, "not an OpenAPI document")
}
