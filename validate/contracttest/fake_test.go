package contracttest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// post sends the form to the server as if to Twilio, and returns the status
// and body of the answer.
func post(t testing.TB, srv *contracttest.Server, u string, form url.Values) (int, http.Header, []byte) {
	t.Helper()
	return do(t, srv, newRequest(t, u, form))
}

func do(t testing.TB, srv *contracttest.Server, req *http.Request) (int, http.Header, []byte) {
	t.Helper()
	resp, err := (&http.Client{Transport: srv.Transport()}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, body
}

// TestFakeKeepsTheContract: for every Target (and a conversation named by its
// unique name), the fake's 201 passes Plan.Check with the request it
// answers, against the embedded contract and against Twilio's full spec.
func TestFakeKeepsTheContract(t *testing.T) {
	plans := []struct {
		name string
		plan func(testing.TB) *validate.Plan
	}{
		{"embedded", embedded},
		{"twilio", twilioPlan},
	}
	for _, p := range plans {
		t.Run(p.name, func(t *testing.T) {
			plan := p.plan(t)
			srv := contracttest.NewServer(t, contracttest.WithPlan(plan), contracttest.FailOn(validate.SeverityWarning))
			for _, target := range []string{"webhook", "trigger", "studio"} {
				for _, conversation := range []string{conv, "support-desk"} {
					status, _, body := post(t, srv, webhooksURL(conversation), validForms[target])
					require.Equal(t, http.StatusCreated, status, "%s", body)
				}
			}
			calls := srv.Calls()
			require.Len(t, calls, 6)
			for _, c := range calls {
				assert.Empty(t, c.Findings)
				res := plan.Check(c.Exchange)
				assert.Equal(t, contracttest.OperationID, res.Operation)
				assert.Empty(t, res.Findings, "the fake's answer to %s breaks the contract:\n%v", c.Exchange.Request.Body, res.Findings)
			}
		})
	}
}

// TestFakeAnswer: the 201 body agrees with the request, field by field, and
// is deterministic under a fixed clock and SID source.
func TestFakeAnswer(t *testing.T) {
	srv := contracttest.NewServer(t, contracttest.Clock(fixedClock), contracttest.SIDSource(fixedSIDs()),
		contracttest.Credentials(account, authToken))
	status, h, body := post(t, srv, webhooksURL(conv), validForms["webhook"])
	require.Equal(t, http.StatusCreated, status)
	assert.Equal(t, "application/json; charset=utf-8", h.Get("Content-Type"))
	assert.Equal(t, "*", h.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "POST, OPTIONS", h.Get("Access-Control-Allow-Methods"))
	assert.Equal(t, "Content-Type, Authorization", h.Get("Access-Control-Allow-Headers"))

	var got map[string]any
	require.NoError(t, json.Unmarshal(body, &got))
	sid, _ := got["sid"].(string)
	assert.Regexp(t, `^WH[0-9a-f]{32}$`, sid)
	assert.Equal(t, map[string]any{
		"account_sid":      account,
		"conversation_sid": conv,
		"sid":              sid,
		"target":           "webhook",
		"configuration": map[string]any{
			"url": "https://hooks.example.com/twilio?tenant=acme", "method": "post",
			"filters": []any{"onMessageAdded", "onConversationRemoved"}, "replay_after": 3.0,
		},
		"date_created": "2024-05-20T10:00:00Z",
		"date_updated": "2024-05-20T10:00:00Z",
		"url":          webhooksURL(conv) + "/" + sid,
	}, got)

	// The same clock and source give the same answer.
	again := contracttest.NewServer(t, contracttest.Clock(fixedClock), contracttest.SIDSource(fixedSIDs()),
		contracttest.Credentials(account, authToken))
	_, _, body2 := post(t, again, webhooksURL(conv), validForms["webhook"])
	assert.Equal(t, string(body), string(body2))

	// Each webhook gets a fresh SID.
	_, _, body3 := post(t, again, webhooksURL(conv), validForms["webhook"])
	assert.NotEqual(t, string(body2), string(body3))

	// The calls hold what was sent.
	calls := srv.Calls()
	require.Len(t, calls, 1)
	assert.Equal(t, validForms["webhook"], calls[0].Form())
	assert.Equal(t, "conversations.twilio.com", calls[0].Exchange.Request.Header.Get("Host"))
	assert.Equal(t, contracttest.OperationID, calls[0].Operation)
}

// TestFakeRefuses: a request that breaks the contract gets Twilio's 400
// naming the field, and fails the test with the finding, unless the test
// expects the violation.
func TestFakeRefuses(t *testing.T) {
	tests := []struct {
		name    string
		form    url.Values
		ctype   string
		rule    string
		message string
	}{
		{"a FlowSid of the wrong form", url.Values{"Target": {"studio"}, "Configuration.FlowSid": {"FN1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a"}},
			"", validate.RuleSIDFormat, "Invalid parameter: Configuration.FlowSid"},
		{"an unknown Target", url.Values{"Target": {"sms"}, "Configuration.Url": {"https://hooks.example.com/sms"}},
			"", validate.RuleEnum, "Invalid parameter: Target"},
		{"no Target", url.Values{"Configuration.Url": {"https://hooks.example.com"}},
			"", validate.RuleRequired, "Missing required parameter Target in the post body"},
		{"a relative Url", url.Values{"Target": {"webhook"}, "Configuration.Url": {"/hooks"}},
			"", validate.RuleConfigURL, "Invalid parameter: Configuration.Url"},
		{"a JSON body", url.Values{"Target": {"webhook"}},
			"application/json", validate.RuleRequestContentType, "Invalid parameter: Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var status int
			var body []byte
			rt := runT(func(rt *recT) {
				srv := contracttest.NewServer(rt)
				req := newRequest(t, webhooksURL(conv), tt.form)
				if tt.ctype != "" {
					req.Header.Set("Content-Type", tt.ctype)
				}
				status, _, body = do(t, srv, req)
				require.Len(t, srv.Calls(), 1)
				assert.Equal(t, tt.rule, srv.Calls()[0].Findings[0].Rule)
			})
			defer logFailure(t, rt)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.JSONEq(t, fmt.Sprintf(`{"code":20001,"message":%q,"more_info":"https://www.twilio.com/docs/errors/20001","status":400}`, tt.message), string(body))
			require.True(t, rt.Failed(), "the test passes a request that breaks the contract")
			assert.Contains(t, rt.Errors(), "error "+tt.rule+" request.")
			assert.NotContains(t, rt.Errors(), authToken)

			// Expected, the same violation does not fail the test.
			rt = runT(func(rt *recT) {
				srv := contracttest.NewServer(rt, contracttest.ExpectViolation(tt.rule))
				req := newRequest(t, webhooksURL(conv), tt.form)
				if tt.ctype != "" {
					req.Header.Set("Content-Type", tt.ctype)
				}
				status, _, _ = do(t, srv, req)
			})
			assert.Equal(t, http.StatusBadRequest, status)
			assert.False(t, rt.Failed(), "%s", rt.Errors())
		})
	}
}

// TestFakeExpectedViolationMustOccur: a test that expects a violation and
// sends none fails at its cleanup.
func TestFakeExpectedViolationMustOccur(t *testing.T) {
	rt := runT(func(rt *recT) {
		srv := contracttest.NewServer(rt, contracttest.ExpectViolation(validate.RuleSIDFormat))
		status, _, _ := post(t, srv, webhooksURL(conv), validForms["studio"])
		assert.Equal(t, http.StatusCreated, status)
	})
	assert.True(t, rt.Failed())
	assert.Contains(t, rt.Errors(), "expected a violation of sid.format in the exchanges of contracttest.Server, but none occurred")
}

// TestFakeCredentials: with Credentials, a request without them, or with
// others, gets Twilio's 401.
func TestFakeCredentials(t *testing.T) {
	srv := contracttest.NewServer(t, contracttest.Credentials(account, authToken))
	tests := []struct {
		name       string
		user, pass string
		want       int
	}{
		{"the account's", account, authToken, http.StatusCreated},
		{"none", "", "", http.StatusUnauthorized},
		{"another token", account, "0000000000000000000000000000000f", http.StatusUnauthorized},
		{"another account", "AC00000000000000000000000000000001", authToken, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(t, webhooksURL(conv), validForms["studio"])
			req.Header.Del("Authorization")
			if tt.user != "" {
				req.SetBasicAuth(tt.user, tt.pass)
			}
			status, h, body := do(t, srv, req)
			assert.Equal(t, tt.want, status)
			if tt.want == http.StatusUnauthorized {
				assert.JSONEq(t, `{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}`, string(body))
				assert.NotEmpty(t, h.Get("WWW-Authenticate"))
			}
		})
	}
}

// TestFakeAccount: without Credentials the answer names the Basic-auth user
// when it is an account SID, and DefaultAccountSID otherwise.
func TestFakeAccount(t *testing.T) {
	srv := contracttest.NewServer(t)
	for user, want := range map[string]string{account: account, "SK0123456789abcdef0123456789abcdef": contracttest.DefaultAccountSID, "": contracttest.DefaultAccountSID} {
		req := newRequest(t, webhooksURL(conv), validForms["studio"])
		req.Header.Del("Authorization")
		if user != "" {
			req.SetBasicAuth(user, "secret")
		}
		status, _, body := do(t, srv, req)
		require.Equal(t, http.StatusCreated, status)
		var got struct {
			AccountSid string `json:"account_sid"`
		}
		require.NoError(t, json.Unmarshal(body, &got))
		assert.Equal(t, want, got.AccountSid, "user %q", user)
	}
}

// TestFakeCORS: the allowed origin is echoed to requests from it, with
// credentials and Vary: Origin, and not allowed to others; a preflight gets
// 204.
func TestFakeCORS(t *testing.T) {
	const app = "https://app.example.com"
	srv := contracttest.NewServer(t, contracttest.AllowOrigin(app))
	for origin, want := range map[string]string{app: app, "https://evil.example.com": "", "": ""} {
		req := newRequest(t, webhooksURL(conv), validForms["webhook"])
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		status, h, _ := do(t, srv, req)
		assert.Equal(t, http.StatusCreated, status)
		assert.Equal(t, want, h.Get("Access-Control-Allow-Origin"), "origin %q", origin)
		assert.Equal(t, "Origin", h.Get("Vary"))
		if want != "" {
			assert.Equal(t, "true", h.Get("Access-Control-Allow-Credentials"))
		}
	}
	pre, err := http.NewRequest(http.MethodOptions, webhooksURL(conv), nil)
	require.NoError(t, err)
	pre.Header.Set("Origin", app)
	pre.Header.Set("Access-Control-Request-Method", "POST")
	status, h, _ := do(t, srv, pre)
	assert.Equal(t, http.StatusNoContent, status)
	assert.Equal(t, app, h.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "POST, OPTIONS", h.Get("Access-Control-Allow-Methods"))
	for _, c := range srv.Calls() {
		res := embedded(t).Check(c.Exchange)
		if res.Operation != "" {
			assert.Empty(t, res.Findings, "%s", c.Exchange.Request.Header.Get("Origin"))
		}
	}
}

// TestFakeNotServed: another path or method gets Twilio's 404 and fails the
// test with the finding of operation.unmatched.
func TestFakeNotServed(t *testing.T) {
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/v1/Conversations/" + conv + "/Webhooks"},
		{http.MethodPost, "/v1/Services"},
	} {
		var status int
		var body []byte
		rt := runT(func(rt *recT) {
			srv := contracttest.NewServer(rt)
			req, err := http.NewRequest(tt.method, twilioURL+tt.path, nil)
			require.NoError(t, err)
			status, _, body = do(t, srv, req)
		})
		assert.Equal(t, http.StatusNotFound, status)
		assert.JSONEq(t, `{"code":20404,"message":"The requested resource `+tt.path+` was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}`, string(body))
		assert.Contains(t, rt.Errors(), "error operation.unmatched request")
	}
}

// TestFakeServesOneOperation: with Twilio's full spec, a request of another
// operation the spec describes is not served either.
func TestFakeServesOneOperation(t *testing.T) {
	plan := twilioPlan(t)
	rt := runT(func(rt *recT) {
		srv := contracttest.NewServer(rt, contracttest.WithPlan(plan))
		req, err := http.NewRequest(http.MethodGet, twilioURL+"/v1/Services", nil)
		require.NoError(t, err)
		status, _, _ := do(t, srv, req)
		assert.Equal(t, http.StatusNotFound, status)
	})
	assert.Contains(t, rt.Errors(), "the fake serves only CreateConversationScopedWebhook, not ListService")
}

// TestFakeBadBody: a body that cannot be read gets a 400 and no check.
func TestFakeBadBody(t *testing.T) {
	fake, err := contracttest.NewFake()
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, webhooksURL(conv), io.NopCloser(iotest.ErrReader(errors.New("connection reset"))))
	w := httptest.NewRecorder()
	fake.ServeHTTP(w, req)
	assert.Equal(t, http.StatusBadRequest, w.Code)

	req = httptest.NewRequest(http.MethodPost, webhooksURL(conv), strings.NewReader(strings.Repeat("a", 2<<20)))
	w = httptest.NewRecorder()
	fake.ServeHTTP(w, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
}

// TestFakeSIDSourceDry: a SID source that runs dry gets a 500, not a panic.
func TestFakeSIDSourceDry(t *testing.T) {
	fake, err := contracttest.NewFake(contracttest.SIDSource(strings.NewReader("short")))
	require.NoError(t, err)
	w := httptest.NewRecorder()
	fake.ServeHTTP(w, newRequest(t, webhooksURL(conv), validForms["studio"]))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, w.Body.String(), `"code":20500`)
}

// TestNewFakeRefusesBadOptions: options under which the fake could not keep
// the contract, or that say nothing, are errors.
func TestNewFakeRefusesBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  contracttest.Option
		want string
	}{
		{"an account that is no AC SID", contracttest.Credentials("alice", "secret"), "account_sid"},
		{"an unknown rule", contracttest.ExpectViolation("sid.fromat"), `ExpectViolation: unknown rule "sid.fromat" (did you mean sid.format? contractcheck rules lists them)`},
		{"a list of origins", contracttest.AllowOrigin("https://a.example, https://b.example"), "not one origin"},
		{"a nil plan", contracttest.WithPlan(nil), "plan is nil"},
		{"a bad severity", contracttest.FailOn(0), "neither error nor warning"},
		{"a nil clock", contracttest.Clock(nil), "clock is nil"},
		{"a nil SID source", contracttest.SIDSource(nil), "reader is nil"},
		{"no credentials", contracttest.Credentials("", ""), "must not be empty"},
		{"a nil observer", contracttest.Observe(nil), "function is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := contracttest.NewFake(tt.opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)

			rt := runT(func(rt *recT) {
				contracttest.NewServer(rt, tt.opt)
				t.Error("NewServer returned after FailNow")
			})
			assert.True(t, rt.failedNow)
			assert.Contains(t, rt.Errors(), tt.want)
		})
	}
}

// TestFakeConcurrent: many clients at once get distinct webhooks, and every
// call is recorded.
func TestFakeConcurrent(t *testing.T) {
	var observed sync.Map
	srv := contracttest.NewServer(t, contracttest.Observe(func(c contracttest.Call) {
		observed.Store(string(c.Exchange.Response.Body), true)
	}))
	const n = 24
	var wg sync.WaitGroup
	bodies := make([]string, n)
	for i := range n {
		wg.Go(func() {
			status, _, body := post(t, srv, webhooksURL(conv), validForms[[]string{"webhook", "trigger", "studio"}[i%3]])
			assert.Equal(t, http.StatusCreated, status)
			bodies[i] = string(body)
		})
	}
	wg.Wait()
	assert.Len(t, srv.Calls(), n)
	seen := map[string]bool{}
	for _, b := range bodies {
		assert.False(t, seen[b], "two webhooks alike: %s", b)
		seen[b] = true
		_, ok := observed.Load(b)
		assert.True(t, ok, "Observe did not see %s", b)
	}
}
