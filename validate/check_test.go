package validate

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/internal/route"
)

const (
	testConv    = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testAccount = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testToken   = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	testURL     = "https://conversations.twilio.com/v1/Conversations/" + testConv + "/Webhooks"
	docsBody    = "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=get&Configuration.Filters=onMessageSent&Configuration.Filters=onConversationDestroyed&Configuration.ReplayAfter=7"
	docsResp    = `{
  "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "conversation_sid": "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "sid": "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "target": "webhook",
  "configuration": {"url": "https://example.com", "method": "get", "filters": ["onMessageSent", "onConversationDestroyed"]},
  "date_created": "2016-03-24T21:05:50Z",
  "date_updated": "2016-03-24T21:05:50Z",
  "url": "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
}`
)

// docsExchange is the documentation's own example pair, with Basic auth.
func docsExchange() *Exchange {
	return &Exchange{
		Request: Request{
			Method: "POST",
			URL:    testURL,
			Header: http.Header{
				"Content-Type":  {"application/x-www-form-urlencoded"},
				"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(testAccount+":"+testToken))},
			},
			Body: []byte(docsBody),
		},
		Response: Response{
			Status: 201,
			Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
			Body:   []byte(docsResp),
		},
	}
}

func embeddedPlan(t testing.TB) *Plan {
	t.Helper()
	p, err := Embedded()
	require.NoError(t, err)
	return p
}

// withBody replaces the request body.
func withBody(body string) func(*Exchange) {
	return func(ex *Exchange) { ex.Request.Body = []byte(body) }
}

// withResp replaces fields of the documented response body.
func withResp(old, new string) func(*Exchange) {
	return func(ex *Exchange) {
		ex.Response.Body = []byte(strings.Replace(string(ex.Response.Body), old, new, 1))
	}
}

func withRespHeader(kv ...string) func(*Exchange) {
	return func(ex *Exchange) {
		for i := 0; i+1 < len(kv); i += 2 {
			ex.Response.Header.Add(kv[i], kv[i+1])
		}
	}
}

func withReqHeader(kv ...string) func(*Exchange) {
	return func(ex *Exchange) {
		for i := 0; i+1 < len(kv); i += 2 {
			ex.Request.Header.Set(kv[i], kv[i+1])
		}
	}
}

func rulesOf(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule + " " + f.Location.String()
	}
	sort.Strings(out)
	return out
}

// ruleCase is an exchange made from the documentation's example by some
// changes, and the findings it must give ("rule location", sorted).
type ruleCase struct {
	name   string
	change []func(*Exchange)
	want   []string
}

func (rc ruleCase) exchange() *Exchange {
	ex := docsExchange()
	for _, ch := range rc.change {
		ch(ex)
	}
	return ex
}

// ruleCases has a valid and an invalid case for every rule.
func ruleCases() []ruleCase {
	studioResp := func(ex *Exchange) {
		ex.Response.Body = []byte(strings.NewReplacer(`"target": "webhook"`, `"target": "studio"`,
			`"configuration": {"url": "https://example.com", "method": "get", "filters": ["onMessageSent", "onConversationDestroyed"]}`,
			`"configuration": {"flow_sid": "FW0123456789abcdef0123456789abcdef"}`).Replace(docsResp))
	}
	return []ruleCase{
		{name: "documentation example", want: []string{}},
		{name: "charset parameter", change: []func(*Exchange){withReqHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")}, want: []string{}},
		{name: "one-element array", change: []func(*Exchange){withBody("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Filters=onMessageAdded"), withResp(`["onMessageSent", "onConversationDestroyed"]`, `["onMessageAdded"]`), withResp(`"method": "get", `, "")}, want: []string{}},
		{name: "filters in another order", change: []func(*Exchange){withResp(`["onMessageSent", "onConversationDestroyed"]`, `["onConversationDestroyed", "onMessageSent"]`)}, want: []string{}},
		{name: "method echoed in upper case", change: []func(*Exchange){withResp(`"method": "get"`, `"method": "GET"`)}, want: []string{}},
		{name: "nulls where nullable", change: []func(*Exchange){withResp(`"date_updated": "2016-03-24T21:05:50Z"`, `"date_updated": null`), withResp(`"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`, `"account_sid": null`)}, want: []string{}},
		{name: "configuration null", change: []func(*Exchange){withResp(`"configuration": {"url": "https://example.com", "method": "get", "filters": ["onMessageSent", "onConversationDestroyed"]}`, `"configuration": null`)}, want: []string{}},
		{name: "extra response field", change: []func(*Exchange){withResp(`"target"`, `"links": {"self": "x"}, "target"`)}, want: []string{}},
		{name: "studio", change: []func(*Exchange){withBody("Target=studio&Configuration.FlowSid=FW0123456789abcdef0123456789abcdef"), studioResp}, want: []string{}},

		{name: "json content type", change: []func(*Exchange){withReqHeader("Content-Type", "application/json"), withBody(`{"Target":"webhook"}`)},
			want: []string{"request.content-type request.header/Content-Type"}},
		{name: "missing content type on a form", change: []func(*Exchange){func(ex *Exchange) { ex.Request.Header.Del("Content-Type") }},
			want: []string{"request.content-type request.header/Content-Type"}},
		{name: "bad escape", change: []func(*Exchange){withBody(strings.Replace(docsBody, "https%3A", "https%3", 1))},
			want: []string{"config.url-absolute request.body#/Configuration.Url", "form.syntax request.body#/Configuration.Url", "pair.configuration response.body#/configuration/url"}},
		{name: "invalid UTF-8", change: []func(*Exchange){withBody(docsBody + "&Configuration.Triggers=%FF")},
			want: []string{"form.syntax request.body#/Configuration.Triggers"}},
		{name: "unknown keys", change: []func(*Exchange){withBody(docsBody + "&Configuration.Urls=x&configuration.url=y&Configuration.Filters[]=z&Friendly=1")},
			want: []string{"form.unknown-key request.body#/Configuration.Filters[]", "form.unknown-key request.body#/Configuration.Urls", "form.unknown-key request.body#/Friendly", "form.unknown-key request.body#/configuration.url"}},
		{name: "duplicate scalar", change: []func(*Exchange){withBody(docsBody + "&Target=webhook")},
			want: []string{"form.duplicate-key request.body#/Target"}},
		{name: "missing Target", change: []func(*Exchange){withBody(strings.TrimPrefix(docsBody, "Target=webhook&"))},
			want: []string{"value.required request.body#/Target"}},
		{name: "empty body", change: []func(*Exchange){withBody("")},
			want: []string{"value.required request.body#/Target"}},
		{name: "integer with a fraction", change: []func(*Exchange){withBody(strings.Replace(docsBody, "ReplayAfter=7", "ReplayAfter=7.0", 1))},
			want: []string{"value.type request.body#/Configuration.ReplayAfter"}},
		{name: "integer in words", change: []func(*Exchange){withBody(strings.Replace(docsBody, "ReplayAfter=7", "ReplayAfter=seven", 1))},
			want: []string{"value.type request.body#/Configuration.ReplayAfter"}},
		{name: "enum case", change: []func(*Exchange){withBody(strings.Replace(strings.Replace(docsBody, "Target=webhook", "Target=Webhook", 1), "Method=get", "Method=GET", 1))},
			want: []string{"pair.target response.body#/target", "value.enum request.body#/Configuration.Method", "value.enum request.body#/Target"}},
		{name: "flow sid wrong prefix", change: []func(*Exchange){withBody("Target=studio&Configuration.FlowSid=FX0123456789abcdef0123456789abcdef"), studioResp},
			want: []string{"pair.configuration response.body#/configuration/flow_sid", "sid.format request.body#/Configuration.FlowSid"}},
		{name: "path sid attempt", change: []func(*Exchange){func(ex *Exchange) { ex.Request.URL = strings.Replace(testURL, testConv, testConv[:33], 1) }},
			want: []string{"sid.format request.path#/ConversationSid"}},
		{name: "path unique name", change: []func(*Exchange){func(ex *Exchange) { ex.Request.URL = strings.Replace(testURL, testConv, "support-chat", 1) }},
			want: []string{}},
		{name: "relative url", change: []func(*Exchange){withBody("Target=webhook&Configuration.Url=%2Fhooks"), withResp(`"url": "https://example.com", "method": "get", "filters": ["onMessageSent", "onConversationDestroyed"]`, `"url": "/hooks"`)},
			want: []string{"config.url-absolute request.body#/Configuration.Url"}},
		{name: "studio without flow", change: []func(*Exchange){withBody("Target=studio"), studioResp},
			want: []string{"config.target-fit request.body#/Configuration.FlowSid"}},
		{name: "trigger without triggers", change: []func(*Exchange){withBody("Target=trigger&Configuration.Url=https%3A%2F%2Fexample.com"), withResp(`"target": "webhook"`, `"target": "trigger"`)},
			want: []string{"config.target-fit request.body#/Configuration.Triggers"}},
		{name: "status 400", change: []func(*Exchange){func(ex *Exchange) {
			ex.Response.Status = 400
			ex.Response.Body = []byte(`{"code": 20001, "message": "Invalid Target", "more_info": "https://www.twilio.com/docs/errors/20001", "status": 400}`)
		}}, want: []string{"response.status response.status"}},
		{name: "status 400 refusing a broken request", change: []func(*Exchange){withBody("Target=studio&Configuration.FlowSid=FW123"), func(ex *Exchange) {
			ex.Response.Status = 400
			ex.Response.Body = []byte(`{"code": 20001, "message": "Invalid parameter: Configuration.FlowSid", "status": 400}`)
		}}, want: []string{"response.refused response.status", "sid.format request.body#/Configuration.FlowSid"}},
		{name: "status 404 refusing a bad path SID", change: []func(*Exchange){func(ex *Exchange) {
			ex.Request.URL = strings.Replace(testURL, testConv, testConv[:33], 1)
			ex.Response.Status = 404
		}}, want: []string{"response.refused response.status", "sid.format request.path#/ConversationSid"}},
		{name: "status 400 to a request with a warning only", change: []func(*Exchange){withBody("Target=studio"), func(ex *Exchange) {
			ex.Response.Status = 400
		}}, want: []string{"config.target-fit request.body#/Configuration.FlowSid", "response.status response.status"}},
		{name: "status 500 to a broken request", change: []func(*Exchange){withBody("Target=studio&Configuration.FlowSid=FW123"), func(ex *Exchange) {
			ex.Response.Status = 500
		}}, want: []string{"response.status response.status", "sid.format request.body#/Configuration.FlowSid"}},
		{name: "html response", change: []func(*Exchange){withRespHeader("Content-Type", "text/html"), func(ex *Exchange) {
			ex.Response.Header.Del("Content-Type")
			ex.Response.Header.Set("Content-Type", "text/html")
			ex.Response.Body = []byte("<html>oops</html>")
		}}, want: []string{"response.content-type response.header/Content-Type"}},
		{name: "truncated json", change: []func(*Exchange){func(ex *Exchange) { ex.Response.Body = ex.Response.Body[:100] }},
			want: []string{"response.json response.body"}},
		{name: "response body is an array", change: []func(*Exchange){func(ex *Exchange) { ex.Response.Body = []byte(`[]`) }},
			want: []string{"value.type response.body"}},
		{name: "response sids", change: []func(*Exchange){withResp(`"sid": "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`, `"sid": "WHaaaa"`), withResp(`"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`, `"account_sid": 7`)},
			want: []string{"pair.url response.body#/url", "sid.format response.body#/sid", "value.type response.body#/account_sid"}},
		{name: "not nullable in the schema", change: []func(*Exchange){withResp(`"target": "webhook"`, `"target": ["webhook"]`)},
			want: []string{"value.type response.body#/target"}},
		{name: "formats", change: []func(*Exchange){withResp(`"date_created": "2016-03-24T21:05:50Z"`, `"date_created": "2016-03-24 21:05:50"`), withResp(`"url": "https://conversations`, `"url": "conversations`)},
			want: []string{"value.format response.body#/date_created", "value.format response.body#/url"}},
		{name: "credentials not boolean", change: []func(*Exchange){withRespHeader("access-control-allow-credentials", "yes")},
			want: []string{"header.type response.header/Access-Control-Allow-Credentials"}},
		{name: "origin list", change: []func(*Exchange){withRespHeader("Access-Control-Allow-Origin", "https://a.example, https://b.example")},
			want: []string{"cors.allow-origin response.header/Access-Control-Allow-Origin"}},
		{name: "origin twice", change: []func(*Exchange){withRespHeader("Access-Control-Allow-Origin", "https://a.example", "Access-Control-Allow-Origin", "https://b.example")},
			want: []string{"cors.allow-origin response.header/Access-Control-Allow-Origin"}},
		{name: "wildcard with credentials", change: []func(*Exchange){withRespHeader("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true")},
			want: []string{"cors.credentials-wildcard response.header/Access-Control-Allow-Origin"}},
		{name: "origin mismatch", change: []func(*Exchange){withReqHeader("Origin", "https://app.example.com"), withRespHeader("Access-Control-Allow-Origin", "https://other.example.com")},
			want: []string{"cors.origin-match response.header/Access-Control-Allow-Origin"}},
		{name: "echo without vary", change: []func(*Exchange){withReqHeader("Origin", "https://app.example.com"), withRespHeader("Access-Control-Allow-Origin", "https://app.example.com")},
			want: []string{"cors.vary-origin response.header/Vary"}},
		{name: "echo with vary", change: []func(*Exchange){withReqHeader("Origin", "https://app.example.com"), withRespHeader("Access-Control-Allow-Origin", "https://app.example.com", "Vary", "Accept-Encoding, origin", "Access-Control-Allow-Credentials", "true")},
			want: []string{}},
		{name: "token lists", change: []func(*Exchange){withRespHeader("Access-Control-Allow-Methods", "POST OPTIONS", "Access-Control-Allow-Headers", "Content-Type;Authorization", "Access-Control-Expose-Headers", "X-A, , X-B")},
			want: []string{"cors.token-list response.header/Access-Control-Allow-Headers", "cors.token-list response.header/Access-Control-Allow-Methods"}},
		{name: "conversation differs", change: []func(*Exchange){withResp(`"conversation_sid": "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`, `"conversation_sid": "CHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`)},
			want: []string{"pair.conversation response.body#/conversation_sid"}},
		{name: "configuration differs", change: []func(*Exchange){withResp(`"filters": ["onMessageSent", "onConversationDestroyed"]`, `"filters": ["onMessageSent"], "replay_after": 8`), withResp(`"url": "https://example.com"`, `"url": "https://example.org"`)},
			want: []string{"pair.configuration response.body#/configuration/filters", "pair.configuration response.body#/configuration/replay_after", "pair.configuration response.body#/configuration/url"}},
		{name: "url without sid", change: []func(*Exchange){withResp(`/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`, `/Webhooks"`)},
			want: []string{"pair.url response.body#/url"}},
		{name: "dates out of order", change: []func(*Exchange){withResp(`"date_updated": "2016-03-24T21:05:50Z"`, `"date_updated": "2016-03-24T21:05:49Z"`)},
			want: []string{"pair.dates response.body#/date_updated"}},
		{name: "empty 201", change: []func(*Exchange){func(ex *Exchange) { ex.Response.Body = []byte(`{}`) }},
			want: []string{"response.missing-property response.body#/account_sid", "response.missing-property response.body#/configuration",
				"response.missing-property response.body#/conversation_sid", "response.missing-property response.body#/date_created",
				"response.missing-property response.body#/date_updated", "response.missing-property response.body#/sid",
				"response.missing-property response.body#/target", "response.missing-property response.body#/url"}},
		{name: "a property left out", change: []func(*Exchange){withResp(`"date_updated": "2016-03-24T21:05:50Z",`, ``)},
			want: []string{"response.missing-property response.body#/date_updated"}},
		{name: "configuration lists nothing", change: []func(*Exchange){withResp(`"configuration": {"url": "https://example.com", "method": "get", "filters": ["onMessageSent", "onConversationDestroyed"]}`, `"configuration": {}`)},
			want: []string{}},
		{name: "another account", change: []func(*Exchange){withResp(`"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`, `"account_sid": "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`)},
			want: []string{"pair.account response.body#/account_sid"}},
	}
}

func TestCheckRules(t *testing.T) {
	p := embeddedPlan(t)
	seen := map[string]bool{}
	for _, tt := range ruleCases() {
		t.Run(tt.name, func(t *testing.T) {
			res := p.Check(tt.exchange())
			require.Equal(t, webhookOperationID, res.Operation)
			got := rulesOf(res.Findings)
			if !assert.Equal(t, tt.want, got) {
				for _, f := range res.Findings {
					t.Log(f)
				}
			}
			for _, f := range res.Findings {
				seen[f.Rule] = true
				assert.NotEmpty(t, f.Message, "message of %s", f.Rule)
				assert.True(t, f.Want != "" || f.Got != "", "want or got of %s", f.Rule)
				assert.Equal(t, "contracts/conversations_scoped_webhook.yaml", f.Spec.File)
				assert.Positive(t, f.Spec.Line, "line of %s", f.Rule)
				r, ok := LookupRule(f.Rule)
				require.True(t, ok, "rule %s is in the catalogue", f.Rule)
				assert.Equal(t, r.Severity, f.Severity, "severity of %s", f.Rule)
			}
		})
	}
	for _, r := range Rules() {
		if r.ID != RuleUnmatched && r.ID != RulePattern && r.ID != RuleLength && r.ID != RuleConstraint {
			assert.True(t, seen[r.ID], "no case here breaks rule %s", r.ID)
		}
	}
}

func TestCheckSkipsOtherOperations(t *testing.T) {
	p := embeddedPlan(t)
	for _, tt := range []struct{ method, url, reason string }{
		{"GET", testURL, "the contract describes POST " + route.RequestPath(testURL) + " but not GET"},
		{"OPTIONS", testURL, "but not OPTIONS"},
		{"POST", "https://conversations.twilio.com/v1/Conversations/" + testConv + "/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "no operation at"},
		{"GET", "https://cdn.example.com/app.js", "the host cdn.example.com is not a server of the contract (https://conversations.twilio.com) or loopback"},
		{"GET", "http://127.0.0.1:4010/app.js", "no operation at /app.js"},
		{"POST", "https://api.example.com" + route.RequestPath(testURL), "the host api.example.com is not a server"},
		{"POST", "/v1/Conversations//Webhooks", "no operation at"},
	} {
		ex := docsExchange()
		ex.Request.Method, ex.Request.URL = tt.method, tt.url
		res := p.Check(ex)
		assert.True(t, res.Skipped(), "%s %s", tt.method, tt.url)
		assert.Contains(t, res.Skip, tt.reason)
		assert.Empty(t, res.Findings)
	}
}

func TestCheckRedactsSecrets(t *testing.T) {
	p := embeddedPlan(t)
	ex := docsExchange()
	// The token appears in places findings echo: a form value, a URL, a header.
	ex.Request.Body = []byte("Target=" + testToken + "&Configuration.Url=https%3A%2F%2Fuser%3Ahunter22%40example.com&X=" + testToken)
	ex.Request.URL = strings.Replace(testURL, "https://", "https://"+testAccount+":"+testToken+"@", 1)
	ex.Response.Header.Set("Access-Control-Allow-Origin", "Bearer abcdef.ghijkl")
	res := p.Check(ex)
	require.NotEmpty(t, res.Findings)
	for _, f := range res.Findings {
		s := f.String()
		for _, secret := range []string{testToken, "hunter22", "abcdef.ghijkl"} {
			assert.NotContains(t, s, secret)
		}
	}
	u := p.Unmatched(ex, Result{Skip: "the contract describes no operation at /v1/" + testToken})
	assert.NotContains(t, u.String(), testToken)
	assert.NotContains(t, u.Hint, "--spec", "the library names no flag of the CLI")
}

func TestCheckRequestOnly(t *testing.T) {
	p := embeddedPlan(t)
	ex := docsExchange()
	ex.Response = Response{}
	assert.Empty(t, p.CheckRequest(ex).Findings)
	ex.Request.Body = []byte("Target=sms")
	assert.Equal(t, []string{"value.enum request.body#/Target"}, rulesOf(p.CheckRequest(ex).Findings))
}

func TestFindingsAreSorted(t *testing.T) {
	p := embeddedPlan(t)
	ex := docsExchange()
	ex.Request.Body = []byte("Target=Webhook&Zzz=1&Configuration.ReplayAfter=x")
	ex.Response.Header.Set("Access-Control-Allow-Credentials", "1")
	ex.Response.Body = []byte(`{"sid": 1}`)
	res := p.Check(ex)
	assert.True(t, slices.IsSortedFunc(res.Findings, func(a, b Finding) int { return a.Location.Compare(b.Location) }), "%v", res.Findings)
	again := p.Check(ex)
	assert.Equal(t, res, again, "the same exchange gives the same findings in the same order")
}

func TestUnknownKeyHints(t *testing.T) {
	p := embeddedPlan(t)
	for key, hint := range map[string]string{
		"Configuration.Filters[]": "arrays are repeated keys without brackets",
		"Target[]":                "did you mean Target?",
		"configuration.url":       "keys are case-sensitive",
		"Configuration.Urls":      "did you mean Configuration.Url?",
		"FriendlyName":            "remove it",
	} {
		ex := docsExchange()
		ex.Request.Body = []byte(docsBody + "&" + key + "=x")
		fs := p.Check(ex).Findings
		require.Len(t, fs, 1, key)
		assert.Equal(t, RuleFormUnknownKey, fs[0].Rule)
		assert.Contains(t, fs[0].Hint, hint, key)
		if key == "Target[]" {
			assert.NotContains(t, fs[0].Hint, "arrays", "Target is not an array")
		}
	}
}

// TestCheckRedactsBeforeShortening: a value is redacted whole before it is
// shortened or quoted, so that no part of a secret survives the eliding of a
// long value, nor the escaping of its quotes.
func TestCheckRedactsBeforeShortening(t *testing.T) {
	p := embeddedPlan(t)
	const password = `pa"ss\wo'rd<1>`
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(testAccount+":"+password))
	for name, change := range map[string]func(*Exchange){
		"a 401 echoing the token in a long message": func(ex *Exchange) {
			ex.Response.Status = 401
			ex.Response.Body = []byte(`{"code": 20003, "message": "Authenticate: the AuthToken ` + testToken + ` is not valid for this account, check the credentials", "status": 401}`)
		},
		"a 401 echoing the token at the cut": func(ex *Exchange) {
			ex.Response.Status = 401
			ex.Response.Body = []byte(`{"message": "` + strings.Repeat("x", 24) + " AuthTok: " + testToken + " " + strings.Repeat("y", 60) + `"}`)
		},
		"the password in a long form value": func(ex *Exchange) {
			ex.Request.Body = []byte("Target=webhook&Configuration.Url=" + strings.Repeat("a", 30) + url.QueryEscape(password) + strings.Repeat("b", 70))
		},
		"the password in a response body": func(ex *Exchange) {
			ex.Response.Status = 403
			ex.Response.Body = []byte(`{"message": "wrong password ` + strings.NewReplacer(`"`, `\"`, `\`, `\\`).Replace(password) + `"}`)
		},
		"the password in a JSON value": func(ex *Exchange) {
			ex.Response.Body = []byte(strings.Replace(docsResp, `"target": "webhook"`, `"target": {"p": "`+strings.NewReplacer(`"`, `\"`, `\`, `\\`).Replace(password)+`"}`, 1))
		},
		"a token in Configuration.Url": func(ex *Exchange) {
			ex.Request.Body = []byte("Target=webhook&Configuration.Url=%2Fhook%3Ftoken%3Dhooksecret99")
		},
		"a signature in the response's configuration.url": func(ex *Exchange) {
			ex.Response.Body = []byte(strings.Replace(docsResp, `"url": "https://example.com"`, `"url": "https://example.com/?signature=hooksecret99"`, 1))
		},
		"a token in a percent-encoded parameter": func(ex *Exchange) {
			ex.Request.Body = []byte("Target=webhook&Configuration.Url=" + url.QueryEscape("https://example.com/cb?state=https%3A%2F%2Fx%2F%3Ftoken%3D"+testToken))
		},
	} {
		ex := docsExchange()
		ex.Request.Header.Set("Authorization", auth)
		change(ex)
		res := p.Check(ex)
		require.NotEmpty(t, res.Findings, name)
		for _, f := range res.Findings {
			s := f.String() + f.Got + f.Hint + f.Want
			for _, secret := range []string{testToken[:8], testToken[12:20], testToken[24:], "hooksecret99", `pa"ss`, `pa\"ss`, `wo'rd`, "ss\\\\wo", "ss%5Cwo"} {
				assert.NotContains(t, s, secret, "%s: %s", name, f)
			}
		}
	}
}

// TestFindingStringIsOneLine: Finding.String escapes what the exchange put
// in a finding, so that a log line is the finding's alone.
func TestFindingStringIsOneLine(t *testing.T) {
	f := Finding{Rule: RuleFormUnknownKey, Severity: SeverityError, Location: Location{Part: PartRequestBody, Pointer: "/X\n::error::forged"},
		Message: "\x1b[2Jgone", Want: "a\u202eb", Got: "c\rd", Hint: "\u2066e\u2069", Spec: SpecPos{File: "c.yaml", Line: 1}}
	s := f.String()
	assert.Equal(t, `error form.unknown-key request.body#/X\n::error::forged: \x1b[2Jgone (want a\u202eb, got c\rd); hint: \u2066e\u2069 [c.yaml:1]`, s)
}

// TestCheckCapsFindings: a body of a thousand unknown keys and bad escapes
// gives MaxFindingsPerRule findings of each rule; the others are counted in
// Omitted, by rule, and never built.
func TestCheckCapsFindings(t *testing.T) {
	p := embeddedPlan(t)
	var b strings.Builder
	b.WriteString(docsBody)
	for i := range 1000 {
		fmt.Fprintf(&b, "&k%04d=1", i)
	}
	for i := range 300 {
		fmt.Fprintf(&b, "&Configuration.Filters=%%zz%d", i)
	}
	ex := docsExchange()
	ex.Request.Body = []byte(b.String())
	res := p.Check(ex)
	count := map[string]int{}
	for _, f := range res.Findings {
		count[f.Rule]++
	}
	assert.Equal(t, MaxFindingsPerRule, count[RuleFormUnknownKey])
	assert.Equal(t, 1000-MaxFindingsPerRule, res.Omitted[RuleFormUnknownKey])
	assert.Equal(t, MaxFindingsPerRule, count[RuleFormSyntax])
	assert.Equal(t, 300-MaxFindingsPerRule, res.Omitted[RuleFormSyntax])
	for rule := range res.Omitted {
		assert.Positive(t, count[rule], "%s: every rule left out has a finding shown", rule)
	}
	assert.Len(t, res.Omitted, 2)
	assert.Equal(t, 1000+300-2*MaxFindingsPerRule, res.OmittedCount())
	assert.Equal(t, res, p.Check(ex), "the same findings are kept every time")

	ex.Request.Body = []byte(docsBody)
	assert.Nil(t, p.Check(ex).Omitted, "nothing is left out of a clean pair")
}

// TestSeverities: info < warning < error, and each renders and parses back
// as its name.
func TestSeverities(t *testing.T) {
	assert.Less(t, SeverityInfo, SeverityWarning)
	assert.Less(t, SeverityWarning, SeverityError)
	for _, s := range []Severity{SeverityInfo, SeverityWarning, SeverityError} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back Severity
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	assert.Equal(t, "info", SeverityInfo.String())
	_, err := Severity(0).MarshalText()
	assert.Error(t, err)
	_, err = ParseSeverity("notice")
	assert.ErrorContains(t, err, `"notice" is not error, warning or info`)
}

// TestRefusalNamesTheRequestFindings: the note of response.refused names
// each rule the request breaks once, with its first location, and quotes
// the server.
func TestRefusalNamesTheRequestFindings(t *testing.T) {
	ex := docsExchange()
	withBody("Target=Studio&Configuration.FlowSid=FW1&Configuration.Filters[]=x&Friendly=1")(ex)
	ex.Response.Status = 400
	ex.Response.Body = []byte(`{"code": 20001, "message": "Invalid parameter: Target", "status": 400}`)
	res := embeddedPlan(t).Check(ex)
	i := slices.IndexFunc(res.Findings, func(f Finding) bool { return f.Rule == RuleResponseRefused })
	require.GreaterOrEqual(t, i, 0, "%v", res.Findings)
	f := res.Findings[i]
	assert.Equal(t, SeverityInfo, f.Severity)
	assert.Equal(t, "response.status", f.Location.String())
	assert.Equal(t, "the server rightly refused the request, which breaks form.unknown-key at request.body#/Configuration.Filters[], sid.format at request.body#/Configuration.FlowSid, value.enum at request.body#/Target", f.Message)
	assert.Equal(t, "400 Bad Request", f.Got)
	assert.Equal(t, `the server says: "Invalid parameter: Target" (code 20001); the request's findings are what to fix`, f.Hint)
	assert.False(t, slices.ContainsFunc(res.Findings, func(f Finding) bool { return f.Rule == RuleResponseStatus }))
}

// TestRefusalWithRulesOff: a rule turned off no longer explains a refusal.
// The note names only the request's other faults; with none left, the 4xx is
// judged as without the rules turned off: a response.status error.
func TestRefusalWithRulesOff(t *testing.T) {
	ex := docsExchange()
	withBody("Target=Studio&Configuration.FlowSid=FW1&Configuration.Filters[]=x&Friendly=1")(ex)
	ex.Response.Status = 400
	ex.Response.Body = []byte(`{"code": 20001, "message": "Invalid parameter: Target", "status": 400}`)
	p := embeddedPlan(t)
	status := func(res Result) []Finding {
		var out []Finding
		for _, f := range res.Findings {
			if f.Location.Part == PartResponseStatus {
				out = append(out, f)
			}
		}
		return out
	}

	got := status(p.WithRulesOff(RuleFormUnknownKey, RuleEnum).Check(ex))
	require.Len(t, got, 1)
	assert.Equal(t, RuleResponseRefused, got[0].Rule)
	assert.Equal(t, "the server rightly refused the request, which breaks sid.format at request.body#/Configuration.FlowSid", got[0].Message)

	got = status(p.WithRulesOff(RuleFormUnknownKey, RuleEnum, RuleSIDFormat).Check(ex))
	require.Len(t, got, 1)
	assert.Equal(t, RuleResponseStatus, got[0].Rule)
	assert.Equal(t, SeverityError, got[0].Severity)
	assert.Equal(t, "the status 400 is not one the contract documents for CreateConversationScopedWebhook", got[0].Message)
	assert.Equal(t, `the server says: "Invalid parameter: Target" (code 20001)`, got[0].Hint)

	got = status(p.Check(ex))
	require.Len(t, got, 1)
	assert.Equal(t, RuleResponseRefused, got[0].Rule, "the plan WithRulesOff was called on is unchanged")
	assert.Contains(t, got[0].Message, "form.unknown-key")
}
