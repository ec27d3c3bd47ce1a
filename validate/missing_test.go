package validate

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listedSpec's response lists properties through allOf and $ref, nests
// them in an object and in array items, and has a writeOnly property and a
// oneOf.
const listedSpec = `openapi: 3.0.1
info: {title: listed, version: "1"}
paths:
  /things:
    post:
      operationId: CreateThing
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Base:
      type: object
      properties:
        id: {type: string}
    Thing:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            secret: {type: string, writeOnly: true}
            owner:
              type: object
              nullable: true
              properties:
                name: {type: string}
            tags:
              type: array
              items:
                type: object
                properties:
                  k: {type: string}
            either:
              oneOf:
                - {type: object, properties: {a: {type: string}}}
                - {type: object, properties: {b: {type: string}}}
`

func TestMissingProperty(t *testing.T) {
	p, err := Load("listed.yaml", []byte(listedSpec))
	require.NoError(t, err)
	tests := []struct {
		name   string
		status int
		body   string
		want   []string // locations of response.missing-property findings
	}{
		{"everything", 201, `{"id":"1","owner":{"name":"a"},"tags":[{"k":"x"}],"either":{"a":"1"}}`, nil},
		{"nulls are present", 201, `{"id":null,"owner":null,"tags":null,"either":null}`, nil},
		{"an allOf branch's property", 201, `{"owner":null,"tags":[],"either":{}}`, []string{"response.body#/id"}},
		{"writeOnly is never expected", 201, `{"id":"1","owner":null,"tags":[],"either":{}}`, nil},
		{"inside a nested object", 201, `{"id":"1","owner":{},"tags":[],"either":{}}`, []string{"response.body#/owner/name"}},
		{"inside array items", 201, `{"id":"1","owner":null,"tags":[{"k":"x"},{}],"either":{}}`, []string{"response.body#/tags/1/k"}},
		{"oneOf lists nothing", 201, `{"id":"1","owner":null,"tags":[],"either":{"c":1}}`, nil},
		{"empty body", 201, `{}`, []string{"response.body#/either", "response.body#/id", "response.body#/owner", "response.body#/tags"}},
		{"not a 2xx", 404, `{}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := &Exchange{
				Request:  Request{Method: "POST", URL: "/things", Header: http.Header{}},
				Response: Response{Status: tt.status, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(tt.body)},
			}
			res := p.Check(ex)
			var got []string
			for _, f := range res.Findings {
				if f.Rule == RuleResponseMissing {
					got = append(got, f.Location.String())
					assert.Equal(t, SeverityWarning, f.Severity)
					assert.Positive(t, f.Spec.Line, "the finding cites the property's line")
				}
			}
			assert.Equal(t, tt.want, got)
			fast, full := p.FastAndFull(ex)
			if fast {
				assert.Empty(t, full.Findings, "the fast path called it clean")
			}
		})
	}
}

// TestMissingPropertyDocsExample: the documentation's own example response
// leaves out configuration.replay_after (and its request sets it): no
// finding, on the fast path or the full one.
func TestMissingPropertyDocsExample(t *testing.T) {
	p := embeddedPlan(t)
	fast, full := p.FastAndFull(docsExchange())
	assert.True(t, fast, "the fast path calls the documentation's pair clean")
	assert.Empty(t, full.Findings)
}
