package validate_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// TestHugeNumbers checks that a number jsonschema/v5 cannot read (it panics
// on an exponent too large for math/big) is a finding of the pair, in a
// response body, a form field and a header, and never ends the check.
func TestHugeNumbers(t *testing.T) {
	const doc = `openapi: 3.0.1
info: {title: huge, version: "1"}
paths:
  /n:
    post:
      parameters:
        - {name: X-N, in: header, schema: {type: integer}}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {N: {type: integer}}}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {n: {type: integer}}}
`
	plan, err := validate.Load("huge.yaml", []byte(doc))
	require.NoError(t, err)
	for _, huge := range []string{"1E1000001", "1e-1000001", "-9E999999999"} {
		ex := &validate.Exchange{Source: "huge", Request: validate.Request{
			Method: "POST", URL: "https://example.com/n",
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-N": {huge}},
			Body:   []byte("N=" + huge),
		}, Response: validate.Response{
			Status: 201, Header: http.Header{"Content-Type": {"application/json"}},
			Body: []byte(`{"n":` + huge + `}`),
		}}
		var res validate.Result
		require.NotPanics(t, func() { res = plan.Check(ex) }, huge)
		var atMember bool
		for _, f := range res.Findings {
			atMember = atMember || f.Location == validate.Location{Part: validate.PartResponseBody, Pointer: "/n"} &&
				f.Rule == validate.RuleConstraint && strings.Contains(f.Message, "exponent too large to read")
		}
		assert.True(t, atMember, "%s in the response body is a finding at its member: %v", huge, res.Findings)
		assert.False(t, res.Skipped(), huge)
	}
}

// TestHugeNumbersInContract checks that a contract holding a number math/big
// cannot read, on which jsonschema panics, is refused with a problem naming
// the number and its place, and that YAML's reading of such a number is
// refused with its line.
func TestHugeNumbersInContract(t *testing.T) {
	for name, doc := range map[string]string{
		"huge.json": `{"openapi": "3.0.1", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": {"parameters": [{"name": "p", "in": "query", "schema": {"type": "number", "maximum": -1E1000001}}], "responses": {"200": {"description": "ok"}}}}}}`,
		"huge.yaml": "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: p, in: query, schema: {type: integer, minimum: 1E1000001}}\n      responses:\n        '200': {description: ok}\n",
	} {
		var err error
		require.NotPanics(t, func() { _, err = validate.Load(name, []byte(doc)) }, name)
		var le *validate.LoadError
		require.True(t, errors.As(err, &le), "%s: %v", name, err)
		require.NotEmpty(t, le.Problems, name)
		if strings.HasSuffix(name, ".yaml") {
			// YAML reads 1E1000001 as text, which the OpenAPI check refuses
			assert.Equal(t, 7, le.Problems[0].Line, "%s: the line of the number: %v", name, le.Problems)
			continue
		}
		assert.True(t, strings.Contains(le.Problems[0].Message, "/maximum: the number -1E1000001 has an exponent too large to read"), "%s: %v", name, le.Problems)
	}
}
