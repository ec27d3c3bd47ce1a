package contracttest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// answer sends req to h and returns the response the client gets.
func answer(t testing.TB, h http.Handler, req *http.Request) *http.Response {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	req.URL.Scheme, req.URL.Host = u.Scheme, u.Host
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestAssertExchange: a passing exchange passes, and a failing one fails
// with every finding, in the checker's order; both bodies stay readable.
func TestAssertExchange(t *testing.T) {
	fake, err := contracttest.NewFake()
	require.NoError(t, err)
	req := newRequest(t, webhooksURL(conv), validForms["webhook"])
	resp := answer(t, fake, req)
	assert.True(t, contracttest.AssertExchange(t, req, resp))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(body), `"target":"webhook"`, "the caller reads the body after the assertion")

	req = newRequest(t, webhooksURL(conv), validForms["studio"])
	resp = answer(t, brokenHandler, req)
	var ok bool
	rt := runT(func(rt *recT) { ok = contracttest.AssertExchange(rt, req, resp) })
	defer logFailure(t, rt)
	assert.False(t, ok)
	require.True(t, rt.Failed())
	assert.Contains(t, rt.Errors(), "Error Trace:", "testify's failure")
	assertInOrder(t, rt.Errors(), brokenWant)
	assert.NotContains(t, rt.Errors(), authToken)
	body, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, brokenBody, string(body))

	// A request not sent yet keeps its body for the caller.
	req = newRequest(t, webhooksURL(conv), validForms["studio"])
	req.GetBody = nil
	assert.True(t, contracttest.AssertExchange(t, req, nil))
	sent, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	assert.Equal(t, validForms["studio"].Encode(), string(sent))
}

// TestRequireExchange: a failing exchange stops the test.
func TestRequireExchange(t *testing.T) {
	req := newRequest(t, webhooksURL(conv), validForms["studio"])
	resp := answer(t, brokenHandler, req)
	after := false
	rt := runT(func(rt *recT) {
		contracttest.RequireExchange(rt, req, resp)
		after = true
	})
	assert.True(t, rt.failedNow)
	assert.False(t, after, "RequireExchange returned after a failure")
	assert.Contains(t, rt.Errors(), "pair.conversation")

	fake, err := contracttest.NewFake()
	require.NoError(t, err)
	req = newRequest(t, webhooksURL(conv), validForms["trigger"])
	contracttest.RequireExchange(t, req, answer(t, fake, req))
}

// TestAssertExchangeOptions: the request alone, unmatched exchanges,
// expected violations and the threshold.
func TestAssertExchangeOptions(t *testing.T) {
	badFlow := url.Values{"Target": {"studio"}, "Configuration.FlowSid": {"FW123"}}
	noFlow := url.Values{"Target": {"studio"}}
	other, err := http.NewRequest(http.MethodGet, "https://api.example.com/v1/Other", nil)
	require.NoError(t, err)
	tests := []struct {
		name string
		req  *http.Request
		opts []contracttest.Option
		pass bool
		want string // in the failure message, or in the log when it passes
	}{
		{"a request alone", newRequest(t, webhooksURL(conv), validForms["studio"]), nil, true, ""},
		{"a bad request alone", newRequest(t, webhooksURL(conv), badFlow), nil, false, "error sid.format request.body#/Configuration.FlowSid"},
		{"an expected violation", newRequest(t, webhooksURL(conv), badFlow),
			[]contracttest.Option{contracttest.ExpectViolation(validate.RuleSIDFormat)}, true, ""},
		{"an expected violation missing", newRequest(t, webhooksURL(conv), validForms["studio"]),
			[]contracttest.Option{contracttest.ExpectViolation(validate.RuleSIDFormat)}, false, "expected a violation of sid.format in this exchange, but none occurred"},
		{"another violation than expected", newRequest(t, webhooksURL(conv), badFlow),
			[]contracttest.Option{contracttest.ExpectViolation(validate.RuleEnum)}, false, "expected a violation of value.enum"},
		{"a warning", newRequest(t, webhooksURL(conv), noFlow), nil, true, "warning config.target-fit request.body#/Configuration.FlowSid"},
		{"a warning that fails", newRequest(t, webhooksURL(conv), noFlow),
			[]contracttest.Option{contracttest.FailOn(validate.SeverityWarning)}, false, "warning config.target-fit"},
		{"another operation", other, nil, false, "error operation.unmatched request"},
		{"a bad option", newRequest(t, webhooksURL(conv), validForms["studio"]),
			[]contracttest.Option{contracttest.ExpectViolation("nope")}, false, `"nope" is not a rule`},
		{"no request", nil, nil, false, "the request is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ok bool
			rt := runT(func(rt *recT) { ok = contracttest.AssertExchange(rt, tt.req, nil, tt.opts...) })
			defer logFailure(t, rt)
			assert.Equal(t, tt.pass, ok)
			assert.Equal(t, !tt.pass, rt.Failed())
			if tt.pass {
				assert.Contains(t, rt.Logs(), tt.want)
			} else {
				assert.Contains(t, rt.Errors(), tt.want)
			}
		})
	}
}

// TestFailingTestFails runs a real test that asserts a broken exchange, as
// a subprocess, and sees it fail with the findings in its output.
func TestFailingTestFails(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenExchangeFails$", "-test.v")
	cmd.Env = append(os.Environ(), "CONTRACTTEST_RUN_FAILING=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the failing test passed:\n%s", out)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Contains(t, string(out), "--- FAIL: TestBrokenExchangeFails")
	assert.Contains(t, string(out), "assert_test.go:", "the failure points at the test's line")
	for _, w := range brokenWant {
		assert.Contains(t, string(out), w)
	}
	assert.Contains(t, string(out), "error sid.format request.body#/Configuration.FlowSid", "the server's report")
	assert.NotContains(t, string(out), "reached the end")
}

// TestBrokenExchangeFails fails on purpose; TestFailingTestFails runs it.
func TestBrokenExchangeFails(t *testing.T) {
	if os.Getenv("CONTRACTTEST_RUN_FAILING") == "" {
		t.Skip("fails on purpose: TestFailingTestFails runs it in a subprocess")
	}
	req := newRequest(t, webhooksURL(conv), validForms["studio"])
	contracttest.AssertExchange(t, req, answer(t, brokenHandler, req))

	srv := contracttest.NewServer(t)
	client := &http.Client{Transport: srv.Transport()}
	resp, err := client.Do(newRequest(t, webhooksURL(conv), url.Values{"Target": {"studio"}, "Configuration.FlowSid": {"FW123"}}))
	require.NoError(t, err)
	resp.Body.Close()

	req = newRequest(t, webhooksURL(conv), validForms["studio"])
	contracttest.RequireExchange(t, req, answer(t, brokenHandler, req))
	t.Log("reached the end")
}

// TestNoGoroutineOutlivesTheTest: after a test with a server, a transport
// and a handler, their goroutines are gone.
func TestNoGoroutineOutlivesTheTest(t *testing.T) {
	rt := runT(func(rt *recT) {
		srv := contracttest.NewServer(rt)
		h := httptest.NewServer(contracttest.Handler(rt, brokenHandler, contracttest.ExpectViolation(
			validate.RulePairConversation, validate.RulePairURL, validate.RuleCORSCredentials, validate.RulePairTarget)))
		rt.Cleanup(h.Close)
		for _, next := range []http.RoundTripper{srv.Transport(), h.Client().Transport} {
			client := &http.Client{Transport: contracttest.Transport(rt, next)}
			resp, err := client.Do(newRequest(t, h.URL+"/v1/Conversations/"+conv+"/Webhooks", validForms["studio"]))
			if assert.NoError(t, err) {
				resp.Body.Close()
			}
		}
	})
	// The handler's exchange fails the client side, which expects nothing.
	assert.Contains(t, rt.Errors(), "contracttest.Transport#0 POST /v1/Conversations/"+conv+"/Webhooks -> 201")
	assert.Equal(t, 1, strings.Count(rt.Errors(), "contracttest."), "%s", rt.Errors())
	deadline := time.Now().Add(5 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		leaked := strings.Contains(stacks, "net/http/httptest.(*Server)") || strings.Contains(stacks, "contracttest.(*")
		if !leaked {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines outlive the test:\n%s", stacks)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
