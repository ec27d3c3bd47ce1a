package baseline

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/fingerprint"
	"github.com/contractcheck/contractcheck/validate/report"
)

const (
	op     = "CreateConversationScopedWebhook"
	secret = "0123456789abcdef0123456789abcdef"
)

var (
	flowSid = validate.Finding{Rule: validate.RuleSIDFormat, Severity: validate.SeverityError, Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.FlowSid"}, Message: "FW1 is not a Studio flow SID."}
	url     = validate.Finding{Rule: validate.RuleConfigURL, Severity: validate.SeverityError, Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.Url"}, Message: "not absolute."}
)

// pair checks nothing: it makes the pair of an exchange of conversation conv
// with the findings given, as the CLI does.
func pair(conv, body string, findings ...validate.Finding) report.Pair {
	ex := &validate.Exchange{Source: "t.har", Request: validate.Request{
		Method: http.MethodPost,
		URL:    "https://ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:" + secret + "@conversations.twilio.com/v1/Conversations/" + conv + "/Webhooks",
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:   []byte(body),
	}, Response: validate.Response{Status: 201}}
	p := report.NewPair(ex, validate.Result{Operation: op, Findings: findings}, validate.SeverityError)
	p.Shape = fingerprint.Shape(ex)
	return p
}

func write(t *testing.T, pairs ...report.Pair) []byte {
	t.Helper()
	r := NewRecorder()
	for _, p := range pairs {
		r.Add(p)
	}
	var buf bytes.Buffer
	_, err := r.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	const convA, convB = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "CHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	data := write(t,
		pair(convA, "Target=studio&Configuration.FlowSid=FW1", flowSid),
		pair(convB, "Configuration.FlowSid=FW2&Target=studio", flowSid), // the same finding again
		pair(convA, "Target=webhook&Configuration.Url=x", url),
	)
	assert.NotContains(t, string(data), secret)
	assert.NotContains(t, string(data), convA, "SIDs must not reach the baseline")
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	entries := doc["entries"].([]any)
	require.Len(t, entries, 2)
	first := entries[0].(map[string]any)
	assert.Equal(t, "config.url-absolute", first["rule"], "sorted by rule")
	second := entries[1].(map[string]any)
	assert.Equal(t, float64(2), second["count"])
	assert.Equal(t, "POST /v1/Conversations/{sid}/Webhooks Configuration.FlowSid,Target", second["request"])
	assert.Equal(t, flowSid.Message, second["message"])

	b, err := Parse("base.json", data)
	require.NoError(t, err)
	assert.Equal(t, 2, b.Len())

	// Re-recorded: another conversation, other values, keys in another order.
	p := pair("CHcccccccccccccccccccccccccccccccc", "Configuration.FlowSid=FW9&Target=studio", flowSid, url)
	kept, suppressed := b.Filter(p.Findings, p.Operation, p.Shape)
	assert.Equal(t, []validate.Finding{url}, kept, "url was baselined for another request shape")
	assert.Equal(t, []validate.Finding{flowSid}, suppressed)
	stale := b.Stale()
	require.Len(t, stale, 1)
	assert.Equal(t, validate.RuleConfigURL, stale[0].Rule)
}

func TestFilterDoesNotWriteIntoFindings(t *testing.T) {
	p := pair("CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Target=studio", url, flowSid, url)
	b, err := Parse("b.json", write(t, pair("CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Target=studio", flowSid)))
	require.NoError(t, err)
	in := append([]validate.Finding(nil), p.Findings...)
	kept, suppressed := b.Filter(in, p.Operation, p.Shape)
	assert.Equal(t, []validate.Finding{url, url}, kept)
	assert.Equal(t, []validate.Finding{flowSid}, suppressed)
	assert.Equal(t, p.Findings, in)
	none, sup := b.Filter([]validate.Finding{url}, p.Operation, p.Shape)
	assert.Equal(t, []validate.Finding{url}, none)
	assert.Nil(t, sup)
	assert.Empty(t, b.Stale())
}

func TestRecorderCountsSuppressed(t *testing.T) {
	p := pair("CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Target=studio", url)
	p.Suppressed = []validate.Finding{flowSid}
	r := NewRecorder()
	r.Add(p)
	assert.Equal(t, 2, r.Len())
}

func TestFilterConcurrently(t *testing.T) {
	p := pair("CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Target=studio", flowSid)
	b, err := Parse("b.json", write(t, p))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_, s := b.Filter(p.Findings, p.Operation, p.Shape)
				assert.Len(t, s, 1)
			}
		})
	}
	wg.Wait()
	assert.Empty(t, b.Stale())
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"not JSON", "{\n  \"version\": 1,\n  oops\n}", "b.json:3: the baseline is not JSON"},
		{"wrong type", "{\n  \"version\": \"one\"\n}", "b.json:2: the baseline is malformed"},
		{"unknown field", `{"version": 1, "fingerprints": "contractcheck/v1", "extra": 1}`, `b.json: the baseline is malformed: json: unknown field "extra"`},
		{"version", `{"version": 2, "fingerprints": "contractcheck/v1", "entries": []}`, "b.json: baseline version 2, want 1"},
		{"recipe", `{"version": 1, "fingerprints": "other/v9", "entries": []}`, `fingerprints are "other/v9"`},
		{"no fingerprint", `{"version": 1, "fingerprints": "contractcheck/v1", "entries": [{"rule": "x"}]}`, "b.json: entry 0 has no fingerprint"},
		{"empty", ``, "b.json: the baseline is malformed: EOF"},
		{"two documents", "{\"version\": 1, \"fingerprints\": \"contractcheck/v1\", \"entries\": []}\n{}", "b.json:2: the baseline is malformed: data after the JSON document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("b.json", []byte(tt.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestEmptyBaseline(t *testing.T) {
	data := write(t)
	assert.True(t, strings.Contains(string(data), `"entries": []`), string(data))
	b, err := Parse("b.json", data)
	require.NoError(t, err)
	assert.Zero(t, b.Len())
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version": 1, "fingerprints": "contractcheck/v1", "entries": [{"fingerprint": "ab", "rule": "x", "count": 1}]}`))
	f.Add([]byte(`{"version": 1,`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse("b.json", data)
		if err != nil {
			return
		}
		_, _ = b.Filter([]validate.Finding{flowSid}, op, "POST / ")
		_ = b.Stale()
	})
}
