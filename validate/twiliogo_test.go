package validate_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	twclient "github.com/twilio/twilio-go/client"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
)

// The account the SDK authenticates as in the capture, and its auth token.
const (
	sdkAccount   = "AC6e2b9d4f1a7c3e5b8d0f2a4c6e8b1d3f"
	sdkAuthToken = "4b9f1c7e2a8d6035e1f7c9a2b4d6e8f0"
	twilioHost   = "conversations.twilio.com"
)

// sdkCaptureStart is when the first captured exchange starts; each next one
// starts a second later and every one takes sdkCaptureElapsed.
var (
	sdkCaptureStart   = time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC)
	sdkCaptureElapsed = 87 * time.Millisecond
)

// sdkUserAgent is the User-Agent twilio-go sends: its version, the OS and
// architecture, and the Go version. The last three vary by machine, so the
// recording holds them normalised.
var sdkUserAgent = regexp.MustCompile(`^(twilio-go/\d+\.\d+\.\d+) \([a-z0-9]+ [a-z0-9]+\) go/go[0-9.]+\S*$`)

const sdkUserAgentPlatform = " (os arch) go/go1.x"

// fakeTwilio answers POST /v1/Conversations/{ConversationSid}/Webhooks as
// Twilio does: 201 with the created webhook (a SID derived from the request,
// the path's conversation, the Basic-auth account, the configuration echoed,
// fixed dates) and Twilio's CORS headers; 400 with a Twilio error body for a
// Target or FlowSid Twilio refuses; 401 without credentials.
type fakeTwilio struct{}

var (
	fakeWebhooksPath = regexp.MustCompile(`^/v1/Conversations/([^/]+)/Webhooks$`)
	fakeFlowSid      = regexp.MustCompile(`^FW[0-9a-fA-F]{32}$`)
)

const fakeDate = "2024-05-20T10:00:00Z"

func (fakeTwilio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Date", "Mon, 20 May 2024 10:00:00 GMT") // else net/http sets the time
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
	h.Set("Access-Control-Expose-Headers", "ETag, Twilio-Request-Id")
	body, _ := io.ReadAll(r.Body)
	h.Set("Twilio-Request-Id", "RQ"+digest(r.URL.Path, string(body)))
	fail := func(status, code int, message string) {
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": message,
			"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code), "status": status})
	}
	m := fakeWebhooksPath.FindStringSubmatch(r.URL.Path)
	if m == nil || r.Method != http.MethodPost {
		fail(http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	account, _, ok := r.BasicAuth()
	if !ok {
		fail(http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		fail(http.StatusBadRequest, 20001, "Invalid form body")
		return
	}
	target := form.Get("Target")
	cfg := map[string]any{}
	switch target {
	case "webhook", "trigger":
		cfg["url"] = form.Get("Configuration.Url")
		cfg["method"] = strings.ToUpper(form.Get("Configuration.Method"))
		if cfg["method"] == "" {
			cfg["method"] = "POST"
		}
		cfg["filters"] = append([]string{}, form["Configuration.Filters"]...)
		if target == "trigger" {
			cfg["triggers"] = append([]string{}, form["Configuration.Triggers"]...)
		}
	case "studio":
		flow := form.Get("Configuration.FlowSid")
		if !fakeFlowSid.MatchString(flow) {
			fail(http.StatusBadRequest, 20001, "Invalid parameter: Configuration.FlowSid")
			return
		}
		cfg["flow_sid"] = flow
	case "":
		fail(http.StatusBadRequest, 20001, "Missing required parameter Target in the post body")
		return
	default:
		fail(http.StatusBadRequest, 20001, "Invalid parameter: Target")
		return
	}
	if s := form.Get("Configuration.ReplayAfter"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			fail(http.StatusBadRequest, 20001, "Invalid parameter: Configuration.ReplayAfter")
			return
		}
		cfg["replay_after"] = n
	}
	conv := m[1]
	sid := "WH" + digest(conv, string(body))
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(struct {
		AccountSid      string         `json:"account_sid"`
		ConversationSid string         `json:"conversation_sid"`
		Sid             string         `json:"sid"`
		Target          string         `json:"target"`
		Configuration   map[string]any `json:"configuration"`
		DateCreated     string         `json:"date_created"`
		DateUpdated     string         `json:"date_updated"`
		URL             string         `json:"url"`
	}{account, conv, sid, target, cfg, fakeDate, fakeDate,
		"https://" + twilioHost + "/v1/Conversations/" + conv + "/Webhooks/" + sid})
}

// digest is 32 hex digits derived from parts: deterministic SIDs.
func digest(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return hex.EncodeToString(h[:16])
}

// captureTransport sends the SDK's requests for conversations.twilio.com to
// a test server instead, and keeps each exchange as the SDK sent and got it.
// It refuses every other host, so that nothing leaves the machine.
type captureTransport struct {
	server *url.URL
	base   http.RoundTripper

	mu        sync.Mutex
	exchanges []*validate.Exchange
}

func (c *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != twilioHost {
		return nil, fmt.Errorf("captureTransport: refusing to send a request to %s outside the test", req.URL.Host)
	}
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host = c.server.Scheme, c.server.Host // Host stays conversations.twilio.com
	out.Body, out.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	resp, err := c.base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	sent := req.Clone(req.Context())
	sent.Body = io.NopCloser(bytes.NewReader(body))
	ex, err := validate.NewExchange(sent, resp) // reads resp.Body and puts it back
	if err != nil {
		resp.Body.Close()
		return nil, err
	}
	ua := ex.Request.Header.Get("User-Agent")
	m := sdkUserAgent.FindStringSubmatch(ua)
	if m == nil {
		resp.Body.Close()
		return nil, fmt.Errorf("captureTransport: twilio-go sent the User-Agent %q, which sdkUserAgent does not describe", ua)
	}
	ex.Request.Header.Set("User-Agent", m[1]+sdkUserAgentPlatform)
	resp.Request = req
	c.mu.Lock()
	ex.Source, ex.Entry = twilioGoHAR, len(c.exchanges)
	c.exchanges = append(c.exchanges, ex)
	c.mu.Unlock()
	return resp, nil
}

// newSDK starts the fake Twilio and returns a twilio-go client that talks to
// it, and the transport that captures the exchanges.
func newSDK(t *testing.T) (*conversations.ApiService, *captureTransport) {
	t.Helper()
	srv := httptest.NewServer(fakeTwilio{})
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	capture := &captureTransport{server: u, base: srv.Client().Transport}
	base := &twclient.Client{
		Credentials: twclient.NewCredentials(sdkAccount, sdkAuthToken),
		HTTPClient:  &http.Client{Transport: capture, Timeout: 10 * time.Second},
	}
	base.SetAccountSid(sdkAccount)
	// The Conversations service alone, as twilio.NewRestClientWithParams
	// makes it: the root package would compile every Twilio API's client.
	handler := twclient.NewRequestHandler(base)
	handler.Edge, handler.Region = "", "" // TWILIO_EDGE and TWILIO_REGION would change the host
	return conversations.NewApiService(handler), capture
}

// TestTwilioGoCapture creates one webhook per Target with the real twilio-go
// SDK, captures the exchanges with recording.HARWriter and compares them with
// testdata/recordings/twilio-go.har (go test -run TestTwilioGoCapture -update
// rewrites it). Every exchange keeps the contract.
func TestTwilioGoCapture(t *testing.T) {
	rc, capture := newSDK(t)
	calls := []struct {
		target, conversation string
		params               *conversations.CreateConversationScopedWebhookParams
	}{
		{"webhook", "CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b", new(conversations.CreateConversationScopedWebhookParams).
			SetTarget("webhook").
			SetConfigurationUrl("https://hooks.example.com/twilio/conversations?tenant=acme&env=prod").
			SetConfigurationMethod("post").
			SetConfigurationFilters([]string{"onMessageAdded", "onConversationRemoved"}).
			SetConfigurationReplayAfter(3)},
		{"trigger", "CH7f1d3b5a9c2e4f6a8b0d2c4e6f8a1b3d", new(conversations.CreateConversationScopedWebhookParams).
			SetTarget("trigger").
			SetConfigurationUrl("https://bots.example.com/keywords").
			SetConfigurationMethod("get").
			SetConfigurationFilters([]string{"onMessageAdded"}).
			SetConfigurationTriggers([]string{"order status", "help"})},
		{"studio", "CHc4e6a8b0d2f4a6c8e1b3d5f7a9c2e4b6", new(conversations.CreateConversationScopedWebhookParams).
			SetTarget("studio").
			SetConfigurationFlowSid("FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a").
			SetConfigurationReplayAfter(0)},
	}
	for _, c := range calls {
		hook, err := rc.CreateConversationScopedWebhook(c.conversation, c.params)
		require.NoError(t, err, "creating a %s webhook", c.target)
		require.NotNil(t, hook.Sid)
		assert.Equal(t, c.target, *hook.Target)
		assert.Equal(t, c.conversation, *hook.ConversationSid)
		assert.Equal(t, sdkAccount, *hook.AccountSid)
	}
	require.Len(t, capture.exchanges, len(calls))

	var buf bytes.Buffer
	hw := recording.NewHARWriter(&buf, "contractcheck-tests/1")
	for i, ex := range capture.exchanges {
		require.NoError(t, hw.Write(ex, sdkCaptureStart.Add(time.Duration(i)*time.Second), sdkCaptureElapsed))
	}
	require.NoError(t, hw.Close())
	var pretty bytes.Buffer
	require.NoError(t, json.Indent(&pretty, buf.Bytes(), "", "  "), "HARWriter wrote no JSON:\n%s", buf.Bytes())
	got := pretty.Bytes()
	if !bytes.HasSuffix(got, []byte("\n")) {
		got = append(got, '\n')
	}
	path := filepath.Join(recordingsDir, twilioGoHAR)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s does not exist: run go test ./validate -run TestTwilioGoCapture -update", path)
	}
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "%s differs from the capture (go test ./validate -run TestTwilioGoCapture -update rewrites it)", path)

	// The recording reads back as the exchanges captured.
	items := readRecording(t, path)
	require.Len(t, items, len(capture.exchanges))
	plan := embeddedPlan(t)
	for i, it := range items {
		require.NoError(t, it.err)
		ex, live := it.ex, capture.exchanges[i]
		assert.Equal(t, live.Request.Method, ex.Request.Method)
		assert.Equal(t, live.Request.URL, ex.Request.URL)
		assert.Equal(t, live.Request.Header, ex.Request.Header)
		assert.Equal(t, string(live.Request.Body), string(ex.Request.Body))
		assert.Equal(t, live.Response.Status, ex.Response.Status)
		assert.Equal(t, live.Response.Header, ex.Response.Header)
		assert.Equal(t, string(live.Response.Body), string(ex.Response.Body))

		for _, e := range []*validate.Exchange{live, ex} {
			res := plan.Check(e)
			assert.Equal(t, webhookOp, res.Operation)
			assert.Empty(t, res.Findings, "the %s webhook twilio-go created:\n%s", calls[i].target, describe(readItem{ex: e}, "want: pass", res))
		}
	}
}

// TestTwilioGoLetsThrough: values twilio-go sends without a complaint but
// the contract forbids are found, at the field that holds them. (Twilio
// refuses them, so each exchange also has an undocumented status.)
func TestTwilioGoLetsThrough(t *testing.T) {
	tests := []struct {
		name     string
		params   *conversations.CreateConversationScopedWebhookParams
		location string
		rule     string
	}{
		{
			name: "a Studio execution SID as FlowSid",
			params: new(conversations.CreateConversationScopedWebhookParams).
				SetTarget("studio").SetConfigurationFlowSid("FN1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a"),
			location: "request.body#/Configuration.FlowSid",
			rule:     validate.RuleSIDFormat,
		},
		{
			name: "a FlowSid one digit short",
			params: new(conversations.CreateConversationScopedWebhookParams).
				SetTarget("studio").SetConfigurationFlowSid("FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1"),
			location: "request.body#/Configuration.FlowSid",
			rule:     validate.RuleSIDFormat,
		},
		{
			name: "an unknown Target",
			params: new(conversations.CreateConversationScopedWebhookParams).
				SetTarget("sms").SetConfigurationUrl("https://hooks.example.com/sms"),
			location: "request.body#/Target",
			rule:     validate.RuleEnum,
		},
	}
	plan := embeddedPlan(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, capture := newSDK(t)
			_, err := rc.CreateConversationScopedWebhook("CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b", tt.params)
			var twErr *twclient.TwilioRestError
			require.ErrorAs(t, err, &twErr, "the fake Twilio refuses it, as Twilio does")
			assert.Equal(t, http.StatusBadRequest, twErr.Status)
			require.Len(t, capture.exchanges, 1, "twilio-go sends the request: it does not check the values")

			res := plan.Check(capture.exchanges[0])
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Rule+" "+f.Location.String())
			}
			want := []string{tt.rule + " " + tt.location, validate.RuleResponseRefused + " response.status"}
			slices.Sort(want)
			slices.Sort(got)
			assert.Equal(t, want, got, "%s", describe(readItem{ex: capture.exchanges[0]}, "", res))
		})
	}
}
