package contracttest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// nextLine is "file_test.go:N" of the line after its call.
func nextLine() string {
	_, file, line, _ := runtime.Caller(1)
	return fmt.Sprintf("%s:%d", filepath.Base(file), line+1)
}

// badFlow is a studio request whose FlowSid is too short.
var badFlow = url.Values{"Target": {"studio"}, "Configuration.FlowSid": {"FW123"}}

// send posts form with client and closes the answer.
func send(t *testing.T, client *http.Client, u string, form url.Values) {
	t.Helper()
	resp, err := client.Do(newRequest(t, u, form))
	require.NoError(t, err)
	resp.Body.Close()
}

// TestFailureNamesTheCaller: every entry point reports a broken exchange
// once, at the line of the test that made the request, wherever the check
// runs (the test's goroutine under net/http, or a server's goroutine), or,
// when no line of the test made it, at the line that set the entry point
// up; a helper of the test file that made it is named with the test line
// it was called from.
func TestFailureNamesTheCaller(t *testing.T) {
	broken := httptest.NewServer(brokenHandler)
	defer broken.Close()
	tests := []struct {
		name   string
		run    func(ot outT) (at string)
		source string // the entry point that reports
	}{
		{"Transport, under net/http", func(ot outT) string {
			client := &http.Client{Transport: contracttest.Transport(ot, broken.Client().Transport)}
			at := nextLine()
			resp, err := client.Do(newRequest(t, broken.URL+"/v1/Conversations/"+conv+"/Webhooks", validForms["studio"]))
			if assert.NoError(t, err) {
				resp.Body.Close()
			}
			return at
		}, "contracttest.Transport#0"},
		{"Server, through its Transport", func(ot outT) string {
			srv := contracttest.NewServer(ot)
			client := &http.Client{Transport: srv.Transport()}
			at := nextLine()
			resp, err := client.Do(newRequest(t, webhooksURL(conv), badFlow))
			if assert.NoError(t, err) {
				resp.Body.Close()
			}
			return at
		}, "contracttest.Server#0"},
		{"Transport in front of a Server", func(ot outT) string {
			srv := contracttest.NewServer(ot)
			client := &http.Client{Transport: contracttest.Transport(ot, srv.Transport())}
			at := nextLine()
			resp, err := client.Do(newRequest(t, webhooksURL(conv), badFlow))
			if assert.NoError(t, err) {
				resp.Body.Close()
			}
			return at
		}, "contracttest.Transport#0"},
		{"Server, reached by its URL", func(ot outT) string {
			at := nextLine()
			srv := contracttest.NewServer(ot)
			send(t, srv.Client(), srv.URL+"/v1/Conversations/"+conv+"/Webhooks", badFlow)
			return at
		}, "contracttest.Server#0"},
		{"Handler, in a server", func(ot outT) string {
			at := nextLine()
			h := httptest.NewServer(contracttest.Handler(ot, brokenHandler))
			ot.Cleanup(h.Close)
			send(t, h.Client(), h.URL+"/v1/Conversations/"+conv+"/Webhooks", validForms["studio"])
			return at
		}, "contracttest.Handler#0"},
		{"Handler, served by the test", func(ot outT) string {
			h := contracttest.Handler(ot, brokenHandler)
			at := nextLine()
			h.ServeHTTP(httptest.NewRecorder(), newRequest(t, webhooksURL(conv), validForms["studio"]))
			return at
		}, "contracttest.Handler#0"},
		{"twilio-go, through a Transport", func(ot outT) string {
			srv := contracttest.NewServer(ot)
			rc := newSDK(contracttest.Transport(ot, srv.Transport()))
			params := new(conversations.CreateConversationScopedWebhookParams).SetTarget("studio").SetConfigurationFlowSid("FW123")
			at := nextLine()
			_, err := rc.CreateConversationScopedWebhook(conv, params)
			assert.Error(t, err, "Twilio's 400")
			return at
		}, "contracttest.Transport#0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var at string
			rt := runOutT(func(ot outT) { at = tt.run(ot) })
			defer logFailure(t, rt)
			require.Len(t, rt.errors, 1, "one report of the broken exchange")
			assert.True(t, rt.failed, "Fail was called")
			assert.True(t, strings.HasPrefix(rt.errors[0], at+": the exchange breaks the contract "), "reported at %s:\n%s", at, rt.errors[0])
			assert.Contains(t, rt.errors[0], "\n    "+tt.source+" POST ", "later lines are indented as go test indents them")
			assert.True(t, strings.HasSuffix(rt.errors[0], "\n"))
		})
	}

	// The code under test in a helper of a test file: its line, and the
	// test's.
	var at string
	rt := runOutT(func(ot outT) {
		client := &http.Client{Transport: contracttest.Transport(ot, contracttest.NewServer(ot).Transport())}
		at = nextLine()
		err := addStudioWebhook(client, twilioURL, conv, "FW123")
		assert.Error(t, err)
	})
	defer logFailure(t, rt)
	require.Len(t, rt.errors, 1)
	assert.Regexp(t, `^example_test\.go:\d+: the exchange breaks`, rt.errors[0], "the line in addStudioWebhook that posts")
	assert.Regexp(t, `\n    called from `+regexp.QuoteMeta(at)+` \(TestFailureNamesTheCaller\.func\d+\)\n`, rt.errors[0])
}
