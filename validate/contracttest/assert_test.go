package contracttest_test

import (
	"bytes"
	"fmt"
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
			[]contracttest.Option{contracttest.ExpectViolation("nope")}, false, `ExpectViolation: unknown rule "nope" (contractcheck rules lists them)`},
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

	// Each broken exchange is reported once, at the line of the test that
	// made the request, though the check ran in a server's goroutine or
	// under net/http.
	for marker, source := range map[string]string{"server": "contracttest.Server#0", "transport in front of a server": "contracttest.Transport#0"} {
		at := markedLine(t, "assert_test.go", "// line: "+marker)
		assert.Contains(t, string(out), "\n    "+at+": the exchange breaks the contract contracts/conversations_scoped_webhook.yaml:\n        "+source+" POST ", marker)
	}
	assert.Equal(t, 1, strings.Count(string(out), "contracttest.Server#0 "), "the server in front of which a Transport stands does not report too")
	assert.Equal(t, 1, strings.Count(string(out), "contracttest.Transport#0 "))
}

// markedLine is "file:N" of the line of file (in this directory) that ends
// with marker.
func markedLine(t *testing.T, file, marker string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasSuffix(line, marker) {
			return fmt.Sprintf("%s:%d", file, i+1)
		}
	}
	t.Fatalf("no line of %s ends with %q", file, marker)
	return ""
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
	resp, err := client.Do(newRequest(t, webhooksURL(conv), badFlow)) // line: server
	require.NoError(t, err)
	resp.Body.Close()

	client = &http.Client{Transport: contracttest.Transport(t, contracttest.NewServer(t).Transport())}
	resp, err = client.Do(newRequest(t, webhooksURL(conv), badFlow)) // line: transport in front of a server
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

// TestAssertRecorded: the usual handler test, httptest.NewRequest and a
// ResponseRecorder, is checked with one call after the handler has read the
// request body; both bodies stay readable.
func TestAssertRecorded(t *testing.T) {
	fake, err := contracttest.NewFake()
	require.NoError(t, err)
	// h reads the request body to its end, as handlers do, and answers as
	// the fake does.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(b))
		fake.ServeHTTP(w, r)
	})
	newReq := func(body io.Reader) *http.Request {
		req := httptest.NewRequest(http.MethodPost, webhooksURL(conv), body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}
	for name, body := range map[string]func() io.Reader{
		"a strings.Reader": func() io.Reader { return strings.NewReader(validForms["studio"].Encode()) },
		"a bytes.Reader":   func() io.Reader { return bytes.NewReader([]byte(validForms["studio"].Encode())) },
	} {
		t.Run(name, func(t *testing.T) {
			req, rec := newReq(body()), httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, http.StatusCreated, rec.Code)
			assert.True(t, contracttest.AssertRecorded(t, req, rec))
			b, err := io.ReadAll(rec.Result().Body)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"target":"studio"`, "the recorder's body stays readable")
			rest, err := io.ReadAll(req.Body)
			require.NoError(t, err)
			assert.Empty(t, rest, "the request body is left where the handler left it")
		})
	}

	// A handler that breaks the contract fails, with every finding.
	req, rec := newReq(strings.NewReader(validForms["studio"].Encode())), httptest.NewRecorder()
	brokenHandler.ServeHTTP(rec, req)
	rt := runT(func(rt *recT) { contracttest.RequireRecorded(rt, req, rec) })
	assert.True(t, rt.failedNow)
	assertInOrder(t, rt.Errors(), brokenWant)

	// A request the fake refuses: the request's finding fails, unless
	// expected, and the 400 is a note.
	req, rec = newReq(strings.NewReader(badFlow.Encode())), httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	rt = runT(func(rt *recT) { contracttest.AssertRecorded(rt, req, rec) })
	assert.Contains(t, rt.Errors(), "error sid.format request.body#/Configuration.FlowSid")
	assert.True(t, contracttest.AssertRecorded(t, req, rec, contracttest.ExpectViolation(validate.RuleSIDFormat)))

	// A body that cannot be read again says so.
	req, rec = newReq(io.MultiReader(strings.NewReader(validForms["studio"].Encode()))), httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	rt = runT(func(rt *recT) { contracttest.AssertRecorded(rt, req, rec) })
	assert.Contains(t, rt.Errors(), "the request body of POST "+webhooksURL(conv)+" cannot be read again")
	assert.Contains(t, rt.Errors(), "make the request with http.NewRequest")

	// http.NewRequest's GetBody, and a request without a body.
	req, rec = newRequest(t, webhooksURL(conv), validForms["webhook"]), httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.True(t, contracttest.AssertRecorded(t, req, rec))
	req, rec = httptest.NewRequest(http.MethodPost, webhooksURL(conv), nil), httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	rt = runT(func(rt *recT) { contracttest.AssertRecorded(rt, req, rec) })
	assert.Contains(t, rt.Errors(), "error value.required request.body#/Target")
}

// TestExpectViolationAlone: a test that sends Target=Webhook and expects
// value.enum passes with that one option, wherever it is given: the fake's
// 400 is the right answer (a note of response.refused), not an error.
func TestExpectViolationAlone(t *testing.T) {
	form := url.Values{"Target": {"Webhook"}, "Configuration.Url": {"https://hooks.example.com"}}
	expect := contracttest.ExpectViolation(validate.RuleEnum)
	tests := map[string]func(rt *recT) *http.Client{
		"on the server": func(rt *recT) *http.Client {
			return &http.Client{Transport: contracttest.NewServer(rt, expect).Transport()}
		},
		"on the server, a Transport in front": func(rt *recT) *http.Client {
			return &http.Client{Transport: contracttest.Transport(rt, contracttest.NewServer(rt, expect).Transport())}
		},
		"on the server, a Transport in front of another RoundTripper": func(rt *recT) *http.Client {
			next := contracttest.NewServer(rt, expect).Transport()
			logging := roundTripFunc(func(r *http.Request) (*http.Response, error) { return next.RoundTrip(r) })
			return &http.Client{Transport: contracttest.Transport(rt, logging)}
		},
		"on the Transport in front of the server": func(rt *recT) *http.Client {
			return &http.Client{Transport: contracttest.Transport(rt, contracttest.NewServer(rt).Transport(), expect)}
		},
		"on a Transport to another server": func(rt *recT) *http.Client {
			fake, err := contracttest.NewFake()
			require.NoError(t, err)
			srv := httptest.NewServer(fake)
			rt.Cleanup(srv.Close)
			return &http.Client{Transport: contracttest.Transport(rt, rewriteTo(srv), expect)}
		},
	}
	for name, client := range tests {
		t.Run(name, func(t *testing.T) {
			var status int
			rt := runT(func(rt *recT) {
				resp, err := client(rt).Do(newRequest(t, webhooksURL(conv), form))
				require.NoError(t, err)
				resp.Body.Close()
				status = resp.StatusCode
			})
			assert.Equal(t, http.StatusBadRequest, status)
			assert.False(t, rt.Failed(), "%s", rt.Errors())
		})
	}
}

// rewriteTo sends every request to srv.
func rewriteTo(srv *httptest.Server) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		u, _ := url.Parse(srv.URL)
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = u.Scheme, u.Host
		return srv.Client().Transport.RoundTrip(r)
	})
}
