package probe_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/internal/badserver"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
	"github.com/contractcheck/contractcheck/validate/probe"
)

const op = "CreateConversationScopedWebhook"

func embedded(t *testing.T) *validate.Plan {
	t.Helper()
	p, err := validate.Embedded()
	require.NoError(t, err)
	return p
}

func TestCases(t *testing.T) {
	plan := embedded(t)
	cases, err := probe.Cases(plan, op, "")
	require.NoError(t, err)
	want := []struct {
		name  string
		kind  probe.Kind
		rule  string
		field string
	}{
		{"example.create", probe.Example, "", ""},
		{"valid.webhook", probe.Valid, "", ""},
		{"valid.trigger", probe.Valid, "", ""},
		{"valid.studio", probe.Valid, "", ""},
		{"negative.missing.Target", probe.Negative, validate.RuleRequired, "request.body#/Target"},
		{"negative.enum.Configuration.Method", probe.Negative, validate.RuleEnum, "request.body#/Configuration.Method"},
		{"negative.enum.Target", probe.Negative, validate.RuleEnum, "request.body#/Target"},
		{"negative.sid.Configuration.FlowSid", probe.Negative, validate.RuleSIDFormat, "request.body#/Configuration.FlowSid"},
		{"negative.integer.Configuration.ReplayAfter", probe.Negative, validate.RuleType, "request.body#/Configuration.ReplayAfter"},
		{"negative.json-body", probe.Negative, validate.RuleRequestContentType, "request.header/Content-Type"},
	}
	require.Len(t, cases, len(want))
	for i, w := range want {
		c := cases[i]
		t.Run(w.name, func(t *testing.T) {
			assert.Equal(t, w.name, c.Name)
			assert.Equal(t, w.kind, c.Kind)
			assert.Equal(t, "POST", c.Method)
			assert.Equal(t, "/v1/Conversations/"+probe.DefaultConversation+"/Webhooks", c.Path)
			assert.Equal(t, w.rule, c.Breaks.Rule)
			assert.Equal(t, w.field, c.Breaks.Location.String())
			// What the case's request breaks, checked independently of the
			// probe's own bookkeeping.
			ex := &validate.Exchange{Request: validate.Request{Method: c.Method, URL: c.Path,
				Header: http.Header{"Content-Type": {c.ContentType}}, Body: c.Body}}
			res := plan.CheckRequest(ex)
			if c.Kind != probe.Negative {
				assert.Empty(t, res.Findings, "a valid case keeps the contract")
				return
			}
			var rules []string
			for _, f := range res.Findings {
				if f.Severity == validate.SeverityError {
					rules = append(rules, f.Rule)
				}
			}
			assert.Equal(t, []string{w.rule}, rules, "a negative case breaks exactly one rule")
		})
	}
	form := cases[3].Form()
	assert.Equal(t, "studio", form.Get("Target"))
	assert.Regexp(t, `^FW[0-9a-f]{32}$`, form.Get("Configuration.FlowSid"))
	assert.Equal(t, []string{"contractcheck-probe"}, cases[2].Form()["Configuration.Triggers"])

	again, err := probe.Cases(plan, op, "")
	require.NoError(t, err)
	assert.Equal(t, cases, again, "the cases are the same on every run")

	named, err := probe.Cases(plan, op, "my conversation")
	require.NoError(t, err)
	assert.Equal(t, "/v1/Conversations/my%20conversation/Webhooks", named[0].Path)

	_, err = probe.Cases(plan, "NoSuchOperation", "")
	assert.ErrorContains(t, err, "takes no form body")
}

// run sends every case to base and judges it; it returns the findings' rules
// by case.
func run(t *testing.T, base string, cl probe.Client) map[string][]string {
	t.Helper()
	plan := embedded(t)
	cases, err := probe.Cases(plan, op, "")
	require.NoError(t, err)
	u, err := url.Parse(base)
	require.NoError(t, err)
	cl.Base = u
	got := map[string][]string{}
	for _, c := range cases {
		out, err := cl.Send(context.Background(), c)
		require.NoError(t, err, c.Name)
		res := probe.Judge(plan, c, out.Exchange)
		require.Equal(t, op, res.Operation, c.Name)
		for _, f := range res.Findings {
			got[c.Name] = append(got[c.Name], f.Rule)
			assert.NotContains(t, f.String(), "s3cret-token-value", "no finding holds the token")
		}
	}
	return got
}

func TestProbeFake(t *testing.T) {
	srv := contracttest.NewServer(t, contracttest.Credentials("AC0123456789abcdef0123456789abcdef", "s3cret-token-value"),
		contracttest.ExpectViolation(validate.RuleRequired, validate.RuleEnum, validate.RuleSIDFormat, validate.RuleType, validate.RuleRequestContentType))
	got := run(t, srv.URL, probe.Client{AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "s3cret-token-value"})
	assert.Empty(t, got, "the fake keeps the contract and refuses every negative case")
	assert.Len(t, srv.Calls(), 10)
}

func TestProbeBroken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(badserver.AcceptAll))
	defer srv.Close()
	got := run(t, srv.URL, probe.Client{})
	for _, name := range []string{"example.create", "valid.webhook", "valid.trigger", "valid.studio"} {
		assert.Equal(t, []string{validate.RuleCORSCredentials}, got[name], name)
	}
	for _, name := range []string{"negative.missing.Target", "negative.enum.Target", "negative.sid.Configuration.FlowSid",
		"negative.integer.Configuration.ReplayAfter", "negative.json-body", "negative.enum.Configuration.Method"} {
		assert.Contains(t, got[name], probe.RuleRefusal, name)
	}
}

func TestJudgeNegative(t *testing.T) {
	plan := embedded(t)
	cases, err := probe.Cases(plan, op, "")
	require.NoError(t, err)
	var neg probe.Case
	for _, c := range cases {
		if c.Name == "negative.sid.Configuration.FlowSid" {
			neg = c
		}
	}
	ex := func(status int) *validate.Exchange {
		return &validate.Exchange{
			Request: validate.Request{Method: "POST", URL: "http://127.0.0.1" + neg.Path,
				Header: http.Header{"Content-Type": {neg.ContentType}}, Body: neg.Body},
			Response: validate.Response{Status: status, Header: http.Header{"Content-Type": {"application/json"}},
				Body: []byte(`{"code":20001,"message":"Invalid parameter: Configuration.FlowSid","more_info":"https://www.twilio.com/docs/errors/20001","status":400}`)},
		}
	}
	for _, tt := range []struct {
		status int
		want   []string
		got    string
	}{
		{400, nil, ""},
		{404, nil, ""},
		{422, nil, ""},
		{500, []string{probe.RuleRefusal}, "500 Internal Server Error"},
		{302, []string{probe.RuleRefusal}, "302 Found"},
	} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			res := probe.Judge(plan, neg, ex(tt.status))
			var rules []string
			for _, f := range res.Findings {
				rules = append(rules, f.Rule)
			}
			assert.Equal(t, tt.want, rules)
			if tt.want != nil {
				f := res.Findings[0]
				assert.Equal(t, tt.got, f.Got)
				assert.Contains(t, f.Message, "sid.format")
				assert.Contains(t, f.Want, "request.body#/Configuration.FlowSid")
				assert.NotZero(t, f.Spec.Line)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	plan := embedded(t)
	cases, err := probe.Cases(plan, op, "")
	require.NoError(t, err)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	cl := probe.Client{Base: &url.URL{Scheme: "http", Host: addr}, AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "s3cret-token-value"}
	_, err = cl.Send(context.Background(), cases[0])
	require.Error(t, err)
	assert.Contains(t, err.Error(), "probe example.create: sending POST http://"+addr+"/v1/Conversations/")
	assert.Contains(t, err.Error(), "refused")
	assert.NotContains(t, err.Error(), "s3cret")

	done := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	defer close(done)
	u, _ := url.Parse(slow.URL)
	cl = probe.Client{Base: u, HTTP: &http.Client{Timeout: 50 * time.Millisecond}}
	_, err = cl.Send(context.Background(), cases[0])
	assert.ErrorContains(t, err, "no answer in time")

	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(make([]byte, 2048))
	}))
	defer big.Close()
	u, _ = url.Parse(big.URL)
	cl = probe.Client{Base: u, MaxBody: 1024}
	_, err = cl.Send(context.Background(), cases[0])
	assert.ErrorContains(t, err, "longer than 1024 bytes")

	cl = probe.Client{Base: &url.URL{Path: "/relative"}}
	_, err = cl.Send(context.Background(), cases[0])
	assert.ErrorContains(t, err, "must be absolute")
}

func TestSendPrefix(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer srv.Close()
	plan := embedded(t)
	cases, err := probe.Cases(plan, op, "")
	require.NoError(t, err)
	u, _ := url.Parse(srv.URL + "/gateway/twilio/")
	cl := probe.Client{Base: u, UserAgent: "contractcheck-test"}
	out, err := cl.Send(context.Background(), cases[0])
	require.NoError(t, err)
	assert.Equal(t, []string{"/gateway/twilio" + cases[0].Path}, paths)
	assert.Equal(t, srv.URL+cases[0].Path, out.Exchange.Request.URL, "the prefix is not part of the path checked")
	assert.Equal(t, "contractcheck-test", out.Exchange.Request.Header.Get("User-Agent"))
	assert.Equal(t, 400, out.Exchange.Response.Status)
}

// TestRulesLiveWithProbe checks that probe.refusal is the probe's rule, not
// one of the checker's catalogue, and that it resolves to the contract's
// responses like response.status.
func TestRulesLiveWithProbe(t *testing.T) {
	rules := probe.Rules()
	require.Len(t, rules, 1)
	r := rules[0]
	assert.Equal(t, probe.RuleRefusal, r.ID)
	assert.Equal(t, validate.SeverityError, r.Severity)
	assert.NotEmpty(t, r.Summary)
	assert.NotEmpty(t, r.Help)
	_, ok := validate.LookupRule(probe.RuleRefusal)
	assert.False(t, ok, "probe.refusal is not in the checker's catalogue")
	got, ok := validate.LookupRule(probe.RuleRefusal, rules...)
	require.True(t, ok, "probe.refusal is found among the probe's rules")
	assert.Equal(t, r, got)
	plan, err := validate.Embedded()
	require.NoError(t, err)
	assert.Equal(t, plan.RuleSpec(validate.RuleResponseStatus), plan.SpecOf(r))
	assert.Positive(t, plan.SpecOf(r).Line)
	rules[0].ID = "changed"
	assert.Equal(t, probe.RuleRefusal, probe.Rules()[0].ID, "Rules returns a copy")
}
