package contracttest_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// printT stands in for a test's *testing.T in the examples: it prints the
// failures a test would show (testify's message, without its trace of
// lines) and runs its cleanups when the example calls done.
type printT struct{ cleanups []func() }

func (*printT) Helper() {}

func (*printT) Errorf(format string, args ...any) {
	fmt.Println("FAIL:", testifyMessage(fmt.Sprintf(format, args...)))
}

func (*printT) FailNow() { fmt.Println("FAIL NOW") }

func (p *printT) Cleanup(f func()) { p.cleanups = append(p.cleanups, f) }

func (p *printT) done() {
	for i := len(p.cleanups) - 1; i >= 0; i-- {
		p.cleanups[i]()
	}
}

// testifyMessage returns the Error part of a testify failure, whose lines
// testify prefixes with a tab, a label column and a tab; other messages are
// returned as they are.
func testifyMessage(s string) string {
	_, after, ok := strings.Cut(s, "\tError:")
	if !ok {
		return s
	}
	var out []string
	for line := range strings.SplitSeq(after, "\n") {
		if strings.HasPrefix(line, "\tTest:") || strings.HasPrefix(line, "\tMessages:") {
			break
		}
		if i := strings.Index(line, "\t"); i >= 0 {
			if j := strings.Index(line[i+1:], "\t"); j >= 0 && i == 0 {
				line = line[i+j+2:]
			} else {
				line = line[i+1:]
			}
		}
		out = append(out, line)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n")
}

// twilioAPI is where the code under test sends its requests.
const twilioAPI = "https://conversations.twilio.com"

// addStudioWebhook is the code under test of the examples: it sends a
// conversation's events to a Studio flow, through the API at base.
func addStudioWebhook(client *http.Client, base, conversation, flow string) error {
	form := url.Values{"Target": {"studio"}, "Configuration.FlowSid": {flow}}
	resp, err := client.PostForm(base+"/v1/Conversations/"+conversation+"/Webhooks", form)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("adding a webhook: %s", resp.Status)
	}
	return nil
}

// A test of code that calls the operation, against the fake endpoint, with
// a Transport in front of it: the Transport reports each broken exchange,
// once, and the server records it.
func Example() {
	t := &printT{} // in a test: the test's *testing.T
	defer t.done()

	srv := contracttest.NewServer(t) // fakes POST /v1/Conversations/{ConversationSid}/Webhooks
	client := &http.Client{Transport: contracttest.Transport(t, srv.Transport())}

	err := addStudioWebhook(client, "https://conversations.twilio.com", "CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b", "FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a")
	require.NoError(t, err)

	require.Len(t, srv.Calls(), 1)
	assert.Equal(t, "studio", srv.Calls()[0].Form().Get("Target"))
	// Output:
}

// AssertExchange checks one exchange. Here the code under test sends a
// FlowSid that is not one: the fake answers 400, and the assertion fails on
// the request's finding and notes that the 400 rightly refuses it.
func ExampleAssertExchange() {
	t := &printT{} // in a test: the test's *testing.T
	defer t.done()
	fake, err := contracttest.NewFake()
	require.NoError(t, err)

	form := url.Values{"Target": {"studio"}, "Configuration.FlowSid": {"FW-support-flow"}}
	req := httptest.NewRequest(http.MethodPost, "https://conversations.twilio.com/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks",
		strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	fake.ServeHTTP(w, req)

	ok := contracttest.AssertExchange(t, req, w.Result())
	fmt.Println("passed:", ok)
	// Output:
	// FAIL: the exchange breaks the contract contracts/conversations_scoped_webhook.yaml:
	// contracttest.AssertExchange#0 POST /v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks -> 400
	//   error sid.format request.body#/Configuration.FlowSid
	//     Configuration.FlowSid is not an FW SID
	//     want: FW followed by 32 hex digits, 34 characters (^FW[0-9a-fA-F]{32}$)
	//     got:  "FW-support-flow" (15 characters)
	//     hint: a SID has exactly 34 characters; this has 15 (copied in full?)
	//     contract: contracts/conversations_scoped_webhook.yaml:68
	//   info response.refused response.status
	//     the server rightly refused the request, which breaks sid.format at request.body#/Configuration.FlowSid
	//     want: a 4xx for a request that breaks the contract (201 for one that keeps it)
	//     got:  400 Bad Request
	//     hint: the server says: "Invalid parameter: Configuration.FlowSid" (code 20001); the request's findings are what to fix
	//     contract: contracts/conversations_scoped_webhook.yaml:85
	// passed: false
}

// RequireExchange stops the test at a failing exchange; this one passes.
// A nil response checks the request alone.
func ExampleRequireExchange() {
	t := &printT{} // in a test: the test's *testing.T
	defer t.done()

	form := url.Values{"Target": {"webhook"}, "Configuration.Url": {"https://hooks.example.com/events"}}
	req, err := http.NewRequest(http.MethodPost, "https://conversations.twilio.com/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks",
		strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	contracttest.RequireExchange(t, req, nil)
	fmt.Println("the request keeps the contract")
	// Output: the request keeps the contract
}

// Transport checks the exchanges of the code under test, whatever server
// answers. Here a server (a stand-in for Twilio) names another conversation
// than the one asked for.
func ExampleTransport() {
	t := &printT{} // in a test: the test's *testing.T
	defer t.done()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"sid":null,"account_sid":null,"conversation_sid":"CH00000000000000000000000000000000","target":"studio",`+
			`"configuration":null,"date_created":null,"date_updated":null,"url":null}`)
	}))
	defer srv.Close()

	client := &http.Client{Transport: contracttest.Transport(t, srv.Client().Transport)}
	err := addStudioWebhook(client, srv.URL, "CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b", "FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a")
	fmt.Println("error:", err)
	// Output:
	// FAIL: the exchange breaks the contract contracts/conversations_scoped_webhook.yaml:
	// contracttest.Transport#0 POST /v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks -> 201
	//   error pair.conversation response.body#/conversation_sid
	//     the webhook was created on another conversation than the request's path names
	//     want: "CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b" (the request's path)
	//     got:  "CH00000000000000000000000000000000"
	//     contract: contracts/conversations_scoped_webhook.yaml:168
	// error: <nil>
}

// Handler checks the server under test: every request it receives and
// every response it writes. Here the handler forgets the CORS origin's
// rules.
func ExampleHandler() {
	t := &printT{} // in a test: the test's *testing.T
	defer t.done()
	underTest := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"sid":null,"account_sid":null,"conversation_sid":null,"target":"studio",`+
			`"configuration":{"flow_sid":"`+r.PostFormValue("Configuration.FlowSid")+`"},"date_created":null,"date_updated":null,"url":null}`)
	})
	srv := httptest.NewServer(contracttest.Handler(t, underTest))
	defer srv.Close()

	err := addStudioWebhook(srv.Client(), srv.URL, "CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b", "FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a")
	fmt.Println("error:", err)
	// Output:
	// FAIL: the exchange breaks the contract contracts/conversations_scoped_webhook.yaml:
	// contracttest.Handler#0 POST /v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks -> 201
	//   error cors.credentials-wildcard response.header/Access-Control-Allow-Origin
	//     Access-Control-Allow-Origin is * while Access-Control-Allow-Credentials is true: browsers fail every credentialed request
	//     want: the request's origin, when credentials are allowed
	//     got:  "*" with Access-Control-Allow-Credentials: true
	//     hint: echo the request's Origin (and add Vary: Origin), or drop Access-Control-Allow-Credentials
	//     contract: contracts/conversations_scoped_webhook.yaml:104
	// error: <nil>
}

// NewServer fakes the endpoint. With a fixed clock and SID source its
// answers are the same on every run; Calls tells what was sent.
func ExampleNewServer() {
	t := &printT{} // in a test: the test's *testing.T
	defer t.done()
	srv := contracttest.NewServer(t,
		contracttest.Credentials("AC6e2b9d4f1a7c3e5b8d0f2a4c6e8b1d3f", "4b9f1c7e2a8d6035e1f7c9a2b4d6e8f0"),
		contracttest.Clock(func() time.Time { return time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC) }),
		contracttest.SIDSource(rand.NewChaCha8([32]byte{})))

	form := url.Values{"Target": {"webhook"}, "Configuration.Url": {"https://hooks.example.com/events"}, "Configuration.Method": {"post"}}
	req, err := http.NewRequest(http.MethodPost, twilioAPI+"/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("AC6e2b9d4f1a7c3e5b8d0f2a4c6e8b1d3f", "4b9f1c7e2a8d6035e1f7c9a2b4d6e8f0")
	resp, err := (&http.Client{Transport: srv.Transport()}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	fmt.Println(resp.Status)
	fmt.Println(string(body))
	fmt.Println(srv.Calls()[0].Form().Get("Configuration.Url"))
	// Output:
	// 201 Created
	// {"account_sid":"AC6e2b9d4f1a7c3e5b8d0f2a4c6e8b1d3f","conversation_sid":"CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b","sid":"WHd9877ece6d368aac1a6f419ec627c76b","target":"webhook","configuration":{"method":"post","url":"https://hooks.example.com/events"},"date_created":"2024-05-20T10:00:00Z","date_updated":"2024-05-20T10:00:00Z","url":"https://conversations.twilio.com/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks/WHd9877ece6d368aac1a6f419ec627c76b"}
	// https://hooks.example.com/events
}

// NewFake is the fake endpoint without a test: an http.Handler for a
// process that serves it. Observe sees each call and what it breaks.
func ExampleNewFake() {
	fake, err := contracttest.NewFake(contracttest.Observe(func(c contracttest.Call) {
		for _, f := range c.Findings {
			fmt.Println(f.Rule, f.Location)
		}
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	form := url.Values{"Target": {"Studio"}, "Configuration.FlowSid": {"FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a"}}
	req := httptest.NewRequest(http.MethodPost, twilioAPI+"/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	fake.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Body)
	// Output:
	// value.enum request.body#/Target
	// 400 {"code":20001,"message":"Invalid parameter: Target","more_info":"https://www.twilio.com/docs/errors/20001","status":400}
}
