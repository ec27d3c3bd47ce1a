package report

import (
	"errors"
	"testing"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

func TestNewPairVerdict(t *testing.T) {
	url := "https://conversations.twilio.com/v1/Conversations/" + testConv + "/Webhooks"
	tests := []struct {
		name   string
		res    validate.Result
		failOn validate.Severity
		want   Verdict
	}{
		{"no finding passes", validate.Result{Operation: testOp}, validate.SeverityError, VerdictPass},
		{"an error fails", validate.Result{Operation: testOp, Findings: []validate.Finding{findingUnknownKey}}, validate.SeverityError, VerdictFail},
		{"a warning passes with fail-on error", validate.Result{Operation: testOp, Findings: []validate.Finding{findingTargetFit}}, validate.SeverityError, VerdictPass},
		{"a warning fails with fail-on warning", validate.Result{Operation: testOp, Findings: []validate.Finding{findingTargetFit}}, validate.SeverityWarning, VerdictFail},
		{"an error fails with fail-on warning", validate.Result{Operation: testOp, Findings: []validate.Finding{findingUnknownKey}}, validate.SeverityWarning, VerdictFail},
		{"zero fail-on means error", validate.Result{Operation: testOp, Findings: []validate.Finding{findingTargetFit}}, 0, VerdictPass},
		{"unmatched is skipped", validate.Result{Skip: "no operation"}, validate.SeverityError, VerdictSkip},
		{"unmatched with a finding fails", validate.Result{Skip: "no operation", Findings: []validate.Finding{{Rule: validate.RuleUnmatched, Severity: validate.SeverityError}}}, validate.SeverityError, VerdictFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPair(exchange(7, url, 201), tt.res, tt.failOn)
			assert.Equal(t, tt.want, p.Verdict)
			assert.Equal(t, "traffic.har", p.Source)
			assert.Equal(t, 7, p.Entry)
			assert.Equal(t, url, p.URL)
			assert.Equal(t, 201, p.Status)
			assert.NotNil(t, p.Findings)
		})
	}
}

func TestNewPairRedacts(t *testing.T) {
	ex := exchange(0, "https://"+testAccount+":"+testSecret+"@conversations.twilio.com/v1/Conversations/"+testConv+"/Webhooks?Token=abc123def", 201)
	ex.Request.Header.Set("Authorization", testBasicAuth)
	p := NewPair(ex, validate.Result{Skip: "nothing matches " + ex.Request.URL}, validate.SeverityError)
	for _, s := range []string{p.URL, p.Reason} {
		assert.NotContains(t, s, testSecret)
		assert.NotContains(t, s, "abc123def")
		assert.Contains(t, s, redact.Redacted)
	}
	assert.Contains(t, p.URL, testAccount, "the user name is not a secret")
}

func TestNewPairNormalizesSeverity(t *testing.T) {
	findings := []validate.Finding{findingUnknownKey, {Rule: validate.RuleConfigTarget}, {Rule: "no.such-rule"}}
	p := NewPair(exchange(0, "/x", 201), validate.Result{Operation: testOp, Findings: findings}, validate.SeverityError)
	require.Len(t, p.Findings, 3)
	assert.Equal(t, validate.SeverityError, p.Findings[0].Severity)
	assert.Equal(t, validate.SeverityWarning, p.Findings[1].Severity, "the rule's default")
	assert.Equal(t, validate.SeverityError, p.Findings[2].Severity, "unknown rules are errors")
	assert.Equal(t, validate.Severity(0), findings[1].Severity, "the checker's findings are not modified")
}

func TestNewInputError(t *testing.T) {
	tests := []struct {
		name             string
		entry, line      int
		field            string
		err              error
		wantError, where string
	}{
		{"entry with field", 3, 4, "request.url", errors.New("missing"), "request.url: missing", "traffic.ndjson#3 (line 4)"},
		{"entry without line", 3, 0, "", errors.New("bad JSON"), "bad JSON", "traffic.ndjson#3"},
		{"whole file", -1, 0, "", errors.New("open: denied"), "open: denied", "traffic.ndjson"},
		{"nil error", 0, 1, "", nil, "unknown error", "traffic.ndjson#0 (line 1)"},
		{"secret in the error", 0, 1, "request.url", errors.New("bad URL https://u:hunter22@host/"), "request.url: bad URL https://u:[REDACTED]@host/", "traffic.ndjson#0 (line 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewInputError("traffic.ndjson", tt.entry, tt.line, tt.field, tt.err)
			assert.Equal(t, VerdictInputError, p.Verdict)
			assert.Equal(t, tt.wantError, p.Error)
			assert.Equal(t, tt.where, p.RefLine())
			assert.NotNil(t, p.Findings)
		})
	}
}

func TestSummary(t *testing.T) {
	var s Summary
	for _, p := range testPairs() {
		s.Add(p)
	}
	assert.Equal(t, Summary{Pairs: 8, Passed: 2, Failed: 3, Skipped: 1, Errors: 3, Warnings: 2, Infos: 1, InputErrors: 2}, s)

	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{}, "0 pairs: 0 passed, 0 failed, 0 skipped, 0 input errors; 0 errors, 0 warnings"},
		{Summary{Pairs: 1, Passed: 1}, "1 pair: 1 passed, 0 failed, 0 skipped, 0 input errors; 0 errors, 0 warnings"},
		{Summary{Pairs: 12, Passed: 9, Failed: 2, Skipped: 1, Errors: 3, Warnings: 1}, "12 pairs: 9 passed, 2 failed, 1 skipped, 0 input errors; 3 errors, 1 warning"},
		{Summary{Pairs: 2, Failed: 1, InputErrors: 1, Errors: 1, Warnings: 2}, "2 pairs: 0 passed, 1 failed, 0 skipped, 1 input error; 1 error, 2 warnings"},
		{Summary{Pairs: 1, Failed: 1, Errors: 1, Infos: 1}, "1 pair: 0 passed, 1 failed, 0 skipped, 0 input errors; 1 error, 0 warnings, 1 info"},
		{Summary{Pairs: 2, Passed: 2, Infos: 2}, "2 pairs: 2 passed, 0 failed, 0 skipped, 0 input errors; 0 errors, 0 warnings, 2 infos"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.s.String())
	}
}

func TestInputErrorLine(t *testing.T) {
	tests := []struct {
		p    Pair
		want string
	}{
		{NewInputError("t.ndjson", 3, 4, "request.url", errors.New("missing")), "t.ndjson#3 (line 4): request.url: missing"},
		{NewInputError("t.har", -1, 0, "", errors.New("not HAR")), "t.har: not HAR"},
		{NewInputError("t.har", 0, 0, "", errors.New("bad \x1b[2J byte")), `t.har#0: bad \x1b[2J byte`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.p.InputErrorLine())
	}
}
