package validate

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/contractcheck/contractcheck/validate/internal/gate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFastPathRuleCases runs every rule case through both paths: the fast
// path may call a pair clean only when the full path finds nothing, and it
// does take the clean cases it is built for.
func TestFastPathRuleCases(t *testing.T) {
	p := embeddedPlan(t)
	fastOnes := map[string]bool{}
	for _, rc := range ruleCases() {
		fast, full := p.FastAndFull(rc.exchange())
		if fast {
			fastOnes[rc.name] = true
			assert.Empty(t, full.Findings, "%s: the fast path called it clean", rc.name)
		}
		if len(rc.want) > 0 {
			assert.False(t, fast, "%s: has findings, but the fast path called it clean", rc.name)
		}
	}
	for _, name := range []string{"documentation example", "charset parameter", "one-element array",
		"filters in another order", "method echoed in upper case", "nulls where nullable",
		"configuration null", "extra response field", "studio"} {
		assert.True(t, fastOnes[name], "%s: a clean pair the fast path should take", name)
	}
}

// thingSpec is a contract of another API, with a schema for each keyword the
// fast path compiles.
const thingSpec = `openapi: 3.0.1
info: {title: things, version: '1'}
paths:
  /things/{id}:
    post:
      operationId: CreateThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: '^TH[0-9a-fA-F]{32}$'}}
        - {name: X-Mode, in: header, schema: {type: string, enum: [a, b]}}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              additionalProperties: true
              required: [Name]
              properties:
                Name: {type: string, minLength: 1, maxLength: 5}
                Count: {type: integer, minimum: 1, maximum: 10}
                Tags: {type: array, items: {type: string, enum: [x, y]}, maxItems: 3}
                On: {type: boolean}
      responses:
        '200':
          description: ok
          headers:
            X-Count: {schema: {type: integer, maximum: 9}}
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [id]
                properties:
                  id: {type: string, pattern: '^TH[0-9a-fA-F]{32}$'}
                  n: {type: integer, minimum: -5, maximum: 100, nullable: true}
                  x: {type: number}
                  when: {type: string, format: date-time}
                  link: {type: string, format: uri}
                  kind: {type: string, enum: [a, b], nullable: true}
                  list: {type: array, items: {type: integer}, minItems: 1}
                  nested: {type: object, properties: {deep: {type: boolean}}, additionalProperties: {type: string}}
                  re: {type: string, pattern: '^[a-z]+$'}
`

const thingID = "TH0123456789abcdef0123456789ABCDEF"

func thingExchange(form, resp string) *Exchange {
	return &Exchange{
		Request: Request{Method: "POST", URL: "/things/" + thingID,
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: []byte(form)},
		Response: Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(resp)},
	}
}

// TestFastSchemaTricky judges tricky response bodies with the fast scanner
// and with jsonschema/v5: where the fast path decides, it agrees; where it
// should decide, it does.
func TestFastSchemaTricky(t *testing.T) {
	p, err := Load("things.yaml", []byte(thingSpec))
	require.NoError(t, err)
	id := `"id": "` + thingID + `"`
	deep := strings.Repeat("[", gate.MaxDepth+2) + strings.Repeat("]", gate.MaxDepth+2)
	tests := []struct {
		body string
		want string // the fast verdict
	}{
		{`{` + id + `}`, VerdictValid},
		{`{"id": "\u0054H0123456789abcdef0123456789ABCDEF"}`, VerdictValid},
		{`{"id": "TH0123456789abcdef0123456789ABCDEF\u0000"}`, VerdictInvalid},
		{`{"id": "TH0123456789abcdef0123456789ABCDEG"}`, VerdictInvalid},
		{`{"\u0069d": "` + thingID + `"}`, VerdictValid},
		{`{}`, VerdictInvalid},
		{`{"id": "bad", "id": "` + thingID + `"}`, VerdictUnsure},
		{`{` + id + `, "id": "bad"}`, VerdictUnsure},
		{`{` + id + `, "other": 1}`, VerdictInvalid},
		{`{` + id + `, "n": 7}`, VerdictValid},
		{`{` + id + `, "n": -0}`, VerdictValid},
		{`{` + id + `, "n": 1e2}`, VerdictUnsure},
		{`{` + id + `, "n": 1.0}`, VerdictUnsure},
		{`{` + id + `, "n": 1.5}`, VerdictUnsure},
		{`{` + id + `, "n": 101}`, VerdictInvalid},
		{`{` + id + `, "n": -6}`, VerdictInvalid},
		{`{` + id + `, "n": 123456789012345678901234567890}`, VerdictUnsure},
		{`{` + id + `, "n": null}`, VerdictValid},
		{`{` + id + `, "n": "7"}`, VerdictInvalid},
		{`{` + id + `, "x": 123456789012345678901234567890e-400}`, VerdictValid},
		{`{` + id + `, "x": null}`, VerdictInvalid},
		{`{` + id + `, "kind": null}`, VerdictValid},
		{`{` + id + `, "kind": "c"}`, VerdictInvalid},
		{`{` + id + `, "kind": "\u0061"}`, VerdictValid},
		{`{` + id + `, "when": "2016-03-24T21:05:50Z"}`, VerdictValid},
		{`{` + id + `, "when": "2016-02-29T21:05:50.123+01:00"}`, VerdictValid},
		{`{` + id + `, "when": "2016-02-30T21:05:50Z"}`, VerdictUnsure},
		{`{` + id + `, "when": "2016-03-24T23:59:60Z"}`, VerdictUnsure},
		{`{` + id + `, "when": "yesterday"}`, VerdictUnsure},
		{`{` + id + `, "link": "https://example.com/a/b?c=d"}`, VerdictValid},
		{`{` + id + `, "link": "example.com"}`, VerdictUnsure},
		{`{` + id + `, "list": [1, 2]}`, VerdictValid},
		{`{` + id + `, "list": []}`, VerdictInvalid},
		{`{` + id + `, "list": [1, "2"]}`, VerdictInvalid},
		{`{` + id + `, "nested": {"deep": true, "other": "s"}}`, VerdictValid},
		{`{` + id + `, "nested": {"deep": 1}}`, VerdictInvalid},
		{`{` + id + `, "nested": {"other": 1}}`, VerdictUnsure},
		{`{` + id + `, "re": "abc"}`, VerdictValid},
		{`{` + id + `, "re": "\ud83d\ude00"}`, VerdictInvalid},
		{`{` + id + `, "re": "\ud83d"}`, VerdictInvalid},
		{`[` + id + `]`, VerdictNotJSON},
		{`[1]`, VerdictInvalid},
		{`null`, VerdictInvalid},
		{"\xef\xbb\xbf{" + id + `}`, VerdictNotJSON},
		{`{` + id + `} x`, VerdictNotJSON},
		{`{` + id + `}{}`, VerdictNotJSON},
		{`{` + id + `, "re": "a` + "\xff" + `"}`, VerdictNotJSON},
		{`{` + id + `, "re": "a` + "\t" + `"}`, VerdictNotJSON},
		{`{` + id + `, "n": 01}`, VerdictNotJSON},
		{`{` + id + `, "n": 1.}`, VerdictNotJSON},
		{`{` + id + `, "n": -}`, VerdictNotJSON},
		{`{` + id + `,}`, VerdictNotJSON},
		{`{` + id, VerdictNotJSON},
		{`{"id": "\x"}`, VerdictNotJSON},
		{``, VerdictNotJSON},
		{`{` + id + `, "deep": ` + deep + `}`, VerdictNotJSON},
	}
	for _, tt := range tests {
		fast, authority := p.ResponseSchemaVerdicts("CreateThing", 200, []byte(tt.body))
		assert.Equal(t, tt.want, fast, "fast verdict on %q", tt.body)
		switch fast {
		case VerdictValid, VerdictInvalid:
			assert.Equal(t, authority, fast, "the fast path decided %q against jsonschema", tt.body)
		case VerdictNotJSON:
			if !strings.Contains(tt.body, deep) {
				assert.Equal(t, VerdictNotJSON, authority, "%q", tt.body)
			}
		}
	}
}

// TestFastPathOtherContract checks exchanges of another contract's
// operation both ways: forms, headers and bodies the fast path judges.
func TestFastPathOtherContract(t *testing.T) {
	p, err := Load("things.yaml", []byte(thingSpec))
	require.NoError(t, err)
	// Every property the schema lists (response.missing-property).
	okResp := `{"id": "` + thingID + `", "n": 3, "x": 1.5, "when": "2024-05-20T10:00:00Z", "link": "https://example.com/a", "kind": null, "list": [1], "nested": {"deep": true}, "re": "abc"}`
	tests := []struct {
		form, resp string
		header     []string
		clean      bool // the fast path must take it
	}{
		{form: "Name=abc", resp: okResp, clean: true},
		{form: "Name=abc&Count=10&Tags=x&Tags=y&On=true", resp: okResp, clean: true},
		{form: "Name=%61bc+d", resp: okResp, clean: true},
		{form: "Name=abc&Unknown=1", resp: okResp, clean: true},
		{form: "Name=abc&Unknown=%zz", resp: okResp},
		{form: "Name=abc&Unknown=%ff", resp: okResp},
		{form: "Count=1", resp: okResp},
		{form: "Name=", resp: okResp},
		{form: "Name=abcdef", resp: okResp},
		{form: "Name=abc&Count=11", resp: okResp},
		{form: "Name=abc&Count=1.0", resp: okResp},
		{form: "Name=abc&Count=1&Count=2", resp: okResp},
		{form: "Name=abc&Tags=z", resp: okResp},
		{form: "Name=abc&Tags=x&Tags=x&Tags=x&Tags=x", resp: okResp},
		{form: "Name=abc&On=TRUE", resp: okResp},
		{form: "Name=%zz", resp: okResp},
		{form: "Name=%ff", resp: okResp},
		{form: "Name=abc", resp: okResp, header: []string{"X-Count", "9"}, clean: true},
		{form: "Name=abc", resp: okResp, header: []string{"X-Count", "10"}},
		{form: "Name=abc", resp: okResp, header: []string{"X-Count", "x"}},
		{form: "Name=abc", resp: `{"n": 3}`},
		{form: "Name=abc", resp: `{"id": "` + thingID + `", "n": 3}`},
		{form: "Name=abc", resp: strings.Replace(okResp, `{"deep": true}`, `{}`, 1)},
		{form: "Name=abc", resp: `{"id": "` + thingID + `", "n": 3.5}`},
	}
	for _, tt := range tests {
		ex := thingExchange(tt.form, tt.resp)
		if tt.header != nil {
			ex.Response.Header.Set(tt.header[0], tt.header[1])
		}
		fast, full := p.FastAndFull(ex)
		if fast {
			assert.Empty(t, full.Findings, "%s %s: called clean", tt.form, tt.resp)
		}
		assert.Equal(t, tt.clean, fast, "%s %s %v: fast path; the full path finds %v", tt.form, tt.resp, tt.header, rulesOf(full.Findings))
		if !tt.clean {
			assert.NotEmpty(t, full.Findings, "%s %s %v: the full path finds nothing", tt.form, tt.resp, tt.header)
		}
	}
	ex := thingExchange("Name=abc", okResp)
	ex.Request.URL = "/things/THnot-a-sid"
	fast, full := p.FastAndFull(ex)
	assert.False(t, fast)
	assert.NotEmpty(t, full.Findings)
	ex = thingExchange("Name=abc", okResp)
	ex.Request.Header.Set("X-Mode", "c")
	fast, _ = p.FastAndFull(ex)
	assert.False(t, fast)
	ex.Request.Header.Set("X-Mode", "a")
	fast, _ = p.FastAndFull(ex)
	assert.True(t, fast)
}

// BenchmarkCheckOther checks a clean pair of another contract.
func BenchmarkCheckOther(b *testing.B) {
	p, err := Load("things.yaml", []byte(thingSpec))
	require.NoError(b, err)
	ex := thingExchange("Name=abc&Count=10&Tags=x&Tags=y&On=true", `{"id": "`+thingID+`", "n": 3, "x": 1.5, "when": "2020-01-02T03:04:05Z",
		"link": "https://example.com/x", "kind": null, "list": [1], "nested": {"deep": true}, "re": "abc"}`)
	require.Empty(b, p.Check(ex).Findings)
	b.ReportAllocs()
	for b.Loop() {
		p.Check(ex)
	}
}

// TestFastPathSameResults compares Check and CheckRequest with the full path
// alone on every rule case: the results are identical, findings and all.
func TestFastPathSameResults(t *testing.T) {
	p := embeddedPlan(t)
	for _, rc := range ruleCases() {
		ex := rc.exchange()
		op, vals, _ := p.chk.Router.Match(strings.ToUpper(ex.Request.Method), ex.Request.URL)
		require.NotNil(t, op, rc.name)
		assert.Equal(t, p.fullCheck(op, vals, ex, true), p.Check(ex), "%s: Check", rc.name)
		assert.Equal(t, p.fullCheck(op, vals, ex, false), p.CheckRequest(ex), "%s: CheckRequest", rc.name)
	}
}

// TestGateJudgesWhatTheFullPathDoes runs pairs that the old second checker
// could only call unsure (more than 16 filters, credentials longer than its
// buffer, a url that is not plain) through the gate: the rules are the full
// path's own, so the gate takes the clean ones and sends the others on to
// the findings the full path builds.
func TestGateJudgesWhatTheFullPathDoes(t *testing.T) {
	p := embeddedPlan(t)
	events := []string{"onMessageSent", "onConversationDestroyed", "onMessageAdded"}
	var form, sent, reversed []string
	for i := range 20 {
		e := events[i%len(events)]
		form = append(form, "Configuration.Filters="+e)
		sent = append(sent, `"`+e+`"`)
	}
	for i := len(sent) - 1; i >= 0; i-- {
		reversed = append(reversed, sent[i])
	}
	manyFilters := func(resp []string) func(*Exchange) {
		return func(ex *Exchange) {
			ex.Request.Body = []byte("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&" + strings.Join(form, "&"))
			ex.Response.Body = []byte(strings.Replace(docsResp, `"method": "get", "filters": ["onMessageSent", "onConversationDestroyed"]`,
				`"filters": [`+strings.Join(resp, ", ")+`]`, 1))
		}
	}
	longAuth := func(user string) func(*Exchange) {
		return func(ex *Exchange) {
			ex.Request.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+strings.Repeat("t", 200))))
		}
	}
	for _, tt := range []struct {
		name   string
		change func(*Exchange)
		want   []string // rules and locations; none: the gate takes it
	}{
		{"20 filters in another order", manyFilters(reversed), nil},
		{"20 filters, one changed", manyFilters(append([]string{`"onMessageRemoved"`}, reversed[1:]...)), []string{"pair.configuration response.body#/configuration/filters"}},
		{"long credentials", longAuth(testAccount), nil},
		{"long credentials of another account", longAuth("ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), []string{"pair.account response.body#/account_sid"}},
	} {
		ex := docsExchange()
		tt.change(ex)
		fast, full := p.FastAndFull(ex)
		if tt.want == nil {
			tt.want = []string{}
		}
		assert.Equal(t, tt.want, rulesOf(full.Findings), tt.name)
		assert.Equal(t, len(tt.want) == 0, fast, "%s: the gate", tt.name)
		assert.Equal(t, full, p.Check(ex), "%s: Check", tt.name)
	}
}

// TestFullPathReadsWhatTheGateRead shows that a pair is decoded once: when
// the gate has read the whole form and response (the pair fails on its
// response's values alone), the full path builds its findings from the
// gate's scan instead of decoding the form and scanning the response again,
// so Check allocates less than the full path alone, with the same result.
func TestFullPathReadsWhatTheGateRead(t *testing.T) {
	p := embeddedPlan(t)
	ex := docsExchange()
	ex.Response.Body = []byte(strings.Replace(docsResp, `"target": "webhook"`, `"target": "trigger"`, 1))
	op, vals, _ := p.chk.Router.Match(ex.Request.Method, ex.Request.URL)
	full := p.fullCheck(op, vals, ex, true)
	assert.Equal(t, []string{"pair.target response.body#/target"}, rulesOf(full.Findings))
	assert.Equal(t, full, p.Check(ex))
	check := testing.AllocsPerRun(50, func() { p.Check(ex) })
	alone := testing.AllocsPerRun(50, func() { p.fullCheck(op, vals, ex, true) })
	assert.Less(t, check, alone, "Check allocates %v, the full path alone %v", check, alone)
}

// TestCleanCheckDoesNotAllocate: a clean pair costs no allocation (the
// router's path values and the checker live in the pooled scan), however an
// operation's own rules take the checker, with the embedded contract's one
// operation as with the full spec's 103.
func TestCleanCheckDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("-race makes sync.Pool drop the pooled scan at random")
	}
	ex := docsExchange()
	for name, p := range map[string]*Plan{"embedded": embeddedPlan(t), "full spec": loadTwilio(t)} {
		require.Empty(t, p.Check(ex).Findings, name)
		assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { p.Check(ex) }), 0.0, name)
	}
}
