package contracttest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// otherHostURL is the operation's path at a host that is neither a server
// of the contract nor loopback.
const otherHostURL = "https://api.example.com/v1/Conversations/" + conv + "/Webhooks"

// TestTransportAgreesWithCheckOnHosts: the client side checks the exchanges
// that contractcheck check checks, and leaves alone those it skips: a host
// that is neither the contract's server nor loopback.
func TestTransportAgreesWithCheckOnHosts(t *testing.T) {
	plan := embedded(t)
	for _, tt := range []struct {
		name    string
		url     string
		checked bool
	}{
		{"the contract's server", webhooksURL(conv), true},
		{"loopback", "http://127.0.0.1:4010/v1/Conversations/" + conv + "/Webhooks", true},
		{"another host", otherHostURL, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				rec := httptest.NewRecorder()
				brokenHandler.ServeHTTP(rec, r)
				return rec.Result(), nil
			})
			rt := runT(func(rt *recT) {
				client := &http.Client{Transport: contracttest.Transport(rt, next)}
				resp, err := client.Do(newRequest(t, tt.url, validForms["studio"]))
				if assert.NoError(t, err) {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
			assert.Equal(t, tt.checked, rt.Failed(), "the broken answer fails the test only when checked: %s", rt.Errors())

			op, reason := plan.Match(http.MethodPost, tt.url)
			assert.Equal(t, tt.checked, op != "", "Plan.Match: %s", reason)
			res := plan.Check(&validate.Exchange{Request: validate.Request{Method: http.MethodPost, URL: tt.url}})
			assert.Equal(t, tt.checked, !res.Skipped(), "Plan.Check, as contractcheck check: %s", res.Skip)
		})
	}
}

// TestServerSideAnyHost: a server is addressed by whatever name its clients
// use, so the Handler, the fake and an assertion of a request a server
// received check it whatever its Host.
func TestServerSideAnyHost(t *testing.T) {
	serverRequest := func() *http.Request {
		req := httptest.NewRequest(http.MethodPost, "/v1/Conversations/"+conv+"/Webhooks", strings.NewReader(validForms["studio"].Encode()))
		req.Host = "api.example.com"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(account, authToken)
		return req
	}

	rt := runT(func(rt *recT) {
		h := contracttest.Handler(rt, brokenHandler)
		h.ServeHTTP(httptest.NewRecorder(), serverRequest())
	})
	require.True(t, rt.Failed(), "the Handler checks a request whatever its host")
	assertInOrder(t, rt.Errors(), brokenWant)

	fake, err := contracttest.NewFake()
	require.NoError(t, err)
	w := httptest.NewRecorder()
	fake.ServeHTTP(w, serverRequest())
	assert.Equal(t, http.StatusCreated, w.Code, "the fake answers whatever name it is called by: %s", w.Body)

	w = httptest.NewRecorder()
	req := serverRequest()
	brokenHandler.ServeHTTP(w, req)
	req = serverRequest()
	var ok bool
	rt = runT(func(rt *recT) { ok = contracttest.AssertExchange(rt, req, w.Result()) })
	assert.False(t, ok)
	assertInOrder(t, rt.Errors(), brokenWant)
}
