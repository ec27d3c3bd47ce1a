package report

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// renderHTML writes pairs to an HTML report of at most max pairs a rule.
func renderHTML(t *testing.T, max int, pairs ...Pair) string {
	t.Helper()
	var b bytes.Buffer
	w := NewHTML(&b, Options{Contract: testContract, HTMLMaxPairs: max})
	var s Summary
	for _, p := range pairs {
		require.NoError(t, w.WritePair(p))
		s.Add(p)
	}
	require.NoError(t, w.Finish(s))
	return b.String()
}

func failing(entry int, findings ...validate.Finding) Pair {
	return Pair{Source: "traffic.har", Entry: entry, Method: "POST", URL: "https://x/v1/Conversations/" + testConv + "/Webhooks",
		Status: 201, Operation: testOp, Verdict: VerdictFail, Findings: findings}
}

// TestHTMLListsFirstPairsOfEachRule: the report lists the first N failing
// pairs of each rule, says how many more, and lists a pair when it is among
// the first of any of its rules.
func TestHTMLListsFirstPairsOfEachRule(t *testing.T) {
	var pairs []Pair
	for i := range 5 {
		pairs = append(pairs, failing(i, findingUnknownKey))
	}
	pairs = append(pairs, failing(5, findingUnknownKey, findingStatus)) // first of response.status
	page := renderHTML(t, 2, pairs...)
	assert.Equal(t, 3, strings.Count(page, `<section class="pair"`), "entries 0, 1 and 5")
	assert.Contains(t, page, "traffic.har#0")
	assert.Contains(t, page, "traffic.har#1")
	assert.NotContains(t, page, "traffic.har#2")
	assert.Contains(t, page, "traffic.har#5")
	assert.Contains(t, page, "and 3 more failing pairs of rule form.unknown-key not listed (the report lists the first 2 of each rule: --html-max-pairs)")
	assert.Contains(t, page, `<td class="n" data-count="findings">6</td>`)
	assert.Contains(t, page, `<td class="n" data-count="failed">6</td>`)
	assert.Contains(t, page, `<g class="bar" data-rule="form.unknown-key" data-findings="6"`)
}

// TestHTMLEscapes: a value of the recording can neither open an element nor
// end an attribute, and its control characters are shown escaped.
func TestHTMLEscapes(t *testing.T) {
	f := findingUnknownKey
	f.Got = `<script>alert(1)</script>" onload="x`
	f.Message = "line\x1b[31m\nforged"
	p := failing(0, f)
	p.Replay = "curl '<img src=x onerror=alert(2)>'"
	p.Wire = &Wire{Request: "POST /</pre><script>alert(3)</script>", Response: "201 Created"}
	page := renderHTML(t, 0, p)
	assert.NotContains(t, page, "<script>alert")
	assert.NotContains(t, page, "<img")
	assert.NotContains(t, page, `" onload="`)
	assert.Contains(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, page, `line\x1b[31m\nforged`)
	assert.Equal(t, 1, strings.Count(page, "<script>"), "only the report's own script")
}

// TestHTMLInputErrors: a pair that could not be read is listed under
// input-error, with its error.
func TestHTMLInputErrors(t *testing.T) {
	p := NewInputError("broken.har", 3, 40, "response.status", errMissing)
	page := renderHTML(t, 0, p, failing(0, findingStatus))
	assert.Contains(t, page, `data-rules="input-error"`)
	assert.Contains(t, page, "response.status: missing")
	assert.Contains(t, page, `<option value="input-error">input-error</option>`)
}

var errMissing = errorString("missing")

type errorString string

func (e errorString) Error() string { return string(e) }

// TestHTMLEmpty: a run without pairs still makes a page, with its counts.
func TestHTMLEmpty(t *testing.T) {
	page := renderHTML(t, 0)
	assert.Contains(t, page, "no pair was checked (0 skipped)")
	assert.Contains(t, page, `<td class="n" data-count="pairs">0</td>`)
	assert.True(t, strings.HasSuffix(page, "</html>\n"))
}

// TestWireRedacts: the request and response shown hold no secret of the
// exchange, a body is redacted whole before it is cut, and control
// characters are escaped.
func TestWireRedacts(t *testing.T) {
	ex := curlExchange("https://conversations.twilio.com")
	pad := strings.Repeat("x", maxWireBody-20) // the token straddles the cut
	ex.Response = validate.Response{Status: 201, Header: http.Header{
		"Set-Cookie": {"sid=c00k1e-value"}, "Content-Type": {"application/json"},
	}, Body: []byte(`{"x":"` + pad + `","token":"` + curlToken + `"}`)}
	w := NewWire(ex)
	for _, secret := range []string{curlToken, curlToken[:16], "s3cr3t-query", "c00k1e-value", "k3y-value", "hunter2",
		base64.StdEncoding.EncodeToString([]byte(curlAccount + ":" + curlToken))} {
		assert.NotContains(t, w.Request, secret)
		assert.NotContains(t, w.Response, secret)
	}
	assert.True(t, strings.HasPrefix(w.Request, "POST https://conversations.twilio.com/v1/Conversations/"), w.Request)
	assert.Contains(t, w.Request, `X-Bell: ring\a\x1b[31mred`)
	assert.Contains(t, w.Request, "\n\nTarget=webhook&")
	assert.True(t, strings.HasPrefix(w.Response, "201 Created\nContent-Type: application/json\n"), w.Response)
	assert.Regexp(t, `… \d+ more bytes not shown$`, w.Response)
	assert.NotContains(t, w.Response, curlToken[:4], "redacted before it is cut")
	assert.Contains(t, w.Response, `"token":"[RE`)
}
