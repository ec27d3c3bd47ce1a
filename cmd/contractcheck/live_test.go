package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	twclient "github.com/twilio/twilio-go/client"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/contractcheck/contractcheck/internal/badserver"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/coverage"
	"github.com/contractcheck/contractcheck/validate/probe"
	"github.com/contractcheck/contractcheck/validate/recording"
)

// lockedBuffer is a bytes.Buffer safe for a command writing while a test
// reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// background is a long-running command (serve, proxy) started by a test.
type background struct {
	stdout, stderr *lockedBuffer
	addr           string // the address it listens on
	stop           context.CancelFunc
	done           chan int // its exit status
}

var listening = regexp.MustCompile(`on http://(127\.0\.0\.1:\d+)`)

// start runs contractcheck with args until the test stops it, and waits
// until it listens.
func start(t *testing.T, args ...string) *background {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b := &background{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, stop: cancel, done: make(chan int, 1)}
	go func() { b.done <- run(ctx, args, strings.NewReader(""), b.stdout, b.stderr) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := listening.FindStringSubmatch(b.stderr.String()); m != nil {
			b.addr = m[1]
			break
		}
		select {
		case code := <-b.done:
			t.Fatalf("contractcheck %s exited with %d before listening:\n%s", strings.Join(args, " "), code, b.stderr)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("contractcheck %s did not listen within 10s:\n%s", strings.Join(args, " "), b.stderr)
		}
	}
	t.Cleanup(func() { b.wait(t) })
	return b
}

// wait stops the command, as SIGINT does, and returns its exit status.
func (b *background) wait(t *testing.T) int {
	t.Helper()
	b.stop()
	select {
	case code, ok := <-b.done:
		if !ok {
			return -1
		}
		close(b.done)
		b.done = make(chan int)
		close(b.done)
		return code
	case <-time.After(30 * time.Second):
		t.Fatal("the command did not stop within 30s of its interrupt")
	}
	return -1
}

// readHAR reads every exchange of a HAR file and fails on any input error.
func readHAR(t *testing.T, name string) []*validate.Exchange {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	var out []*validate.Exchange
	for ex, err := range recording.Read(name, f) {
		require.NoError(t, err)
		out = append(out, ex)
	}
	return out
}

const (
	testAccount = "AC0123456789abcdef0123456789abcdef"
	testToken   = "f00dfacef00dfacef00dfacef00dface"
)

func TestServeAndProbe(t *testing.T) {
	dir := t.TempDir()
	served := filepath.Join(dir, "served.har")
	srv := start(t, "serve", "--addr", "127.0.0.1:0", "--record", served, "--account-sid", testAccount, "--auth-token", testToken)

	probed := filepath.Join(dir, "probe.har")
	t.Setenv("TWILIO_ACCOUNT_SID", testAccount)
	t.Setenv("TWILIO_AUTH_TOKEN", testToken)
	covered := filepath.Join(dir, "coverage.json")
	res := runArgs(t, "", "probe", "--base-url", "http://"+srv.addr, "--record", probed, "--format", "json", "--coverage", covered)
	require.Equal(t, exitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	var doc struct {
		Summary struct {
			Pairs, Passed, Failed int
			Coverage              coverage.Report
		} `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &doc))
	assert.Equal(t, 10, doc.Summary.Pairs)
	assert.Equal(t, 10, doc.Summary.Passed)
	// The probe's requests cover every Target, and its coverage file is the
	// report's.
	cov, err := coverage.ReadFile(covered)
	require.NoError(t, err)
	assert.Equal(t, doc.Summary.Coverage, cov)
	require.Len(t, cov.Operations, 1)
	assert.Equal(t, 10, cov.Operations[0].Pairs)
	for _, it := range cov.Operations[0].Items {
		if it.Kind == coverage.KindEnum && strings.HasPrefix(it.Name, "Target=") {
			assert.True(t, it.Covered(), it.Name)
		}
	}
	assert.Contains(t, res.stderr, "contractcheck: coverage ")
	assert.Contains(t, res.stderr, "negative.sid.Configuration.FlowSid")
	assert.Contains(t, res.stderr, "refused, as it must be: it breaks sid.format")
	assert.NotContains(t, res.stdout+res.stderr, testToken)

	assert.Equal(t, exitOK, srv.wait(t))
	log := srv.stdout.String()
	assert.Equal(t, 10, strings.Count(log, "\n"), log)
	assert.Regexp(t, `POST /v1/Conversations/CH0{32}/Webhooks -> 201 created WH[0-9a-f]{32} \(target studio\)`, log)
	assert.Contains(t, log, "-> 400: error sid.format request.body#/Configuration.FlowSid")
	assert.Contains(t, srv.stderr.String(), "stopped after 10 exchanges")

	for _, name := range []string{served, probed} {
		raw, err := os.ReadFile(name)
		require.NoError(t, err)
		assert.NotContains(t, string(raw), testToken, "%s holds no token", name)
		exs := readHAR(t, name)
		require.Len(t, exs, 10, name)
		// Checked again, the recordings give the probe's verdicts.
		checked := runArgs(t, "", "check", "--quiet", name)
		assert.Contains(t, checked.stdout, "10 pairs: 4 passed, 6 failed", name)
	}
}

func TestProbeBrokenServer(t *testing.T) {
	broken := httptest.NewServer(http.HandlerFunc(badserver.AcceptAll))
	defer broken.Close()
	res := runArgs(t, "", "probe", "--base-url", broken.URL, "--format", "ndjson")
	require.Equal(t, exitFail, res.code, res.stderr)
	rules := map[string]int{}
	for line := range strings.Lines(res.stdout) {
		var p struct {
			Source   string `json:"source"`
			Findings []validate.Finding
		}
		require.NoError(t, json.Unmarshal([]byte(line), &p), line)
		for _, f := range p.Findings {
			rules[f.Rule]++
		}
	}
	assert.Equal(t, 10, rules[validate.RuleCORSCredentials], "every answer allows * with credentials, and is checked")
	assert.Equal(t, 6, rules[probe.RuleRefusal], "each negative request is accepted")
	assert.Contains(t, res.stderr, "NOT refused: it breaks sid.format")
}

func TestProbeErrors(t *testing.T) {
	t.Setenv("TWILIO_ACCOUNT_SID", "")
	t.Setenv("TWILIO_AUTH_TOKEN", "")
	slowDone := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-slowDone:
		case <-time.After(10 * time.Second):
		}
	}))
	defer slow.Close()
	defer close(slowDone)
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unreachable", []string{"--base-url", closedURL}, exitError, "probe example.create: sending POST " + closedURL + "/v1/Conversations/CH00000000000000000000000000000000/Webhooks: dial tcp"},
		{"timeout", []string{"--base-url", slow.URL, "--timeout", "100ms"}, exitError, "no answer in time"},
		{"no base URL", nil, exitError, "--base-url is required"},
		{"relative base URL", []string{"--base-url", "/v1"}, exitError, "want an absolute http or https URL"},
		{"credentials in the URL", []string{"--base-url", "http://AC1:tok@127.0.0.1:1"}, exitError, "not in the URL"},
		{"half the credentials", []string{"--base-url", "http://127.0.0.1:1", "--account-sid", testAccount}, exitError, "give both"},
		{"bad timeout", []string{"--base-url", "http://127.0.0.1:1", "--timeout", "0s"}, exitError, "positive duration"},
		{"arguments", []string{"--base-url", "http://127.0.0.1:1", "x.har"}, exitError, "probe takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runArgs(t, "", append([]string{"probe"}, tt.args...)...)
			assert.Equal(t, tt.code, res.code, res.stderr)
			assert.Contains(t, res.stderr, tt.want)
		})
	}
}

func TestProbeDryRun(t *testing.T) {
	res := runArgs(t, "", "probe", "--dry-run", "--base-url", "https://conversations.twilio.com", "--conversation", "CH0123456789abcdef0123456789abcdef",
		"--account-sid", testAccount, "--auth-token", testToken)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.NotContains(t, res.stdout, testToken)
	assert.Contains(t, res.stdout, "# 0 example.create (example)\nPOST https://conversations.twilio.com/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks\n")
	assert.Contains(t, res.stdout, "# 7 negative.sid.Configuration.FlowSid (negative: breaks sid.format at request.body#/Configuration.FlowSid; must be refused with a 4xx)")
	assert.Contains(t, res.stdout, "Configuration.FlowSid=FW123&Target=studio")
	assert.Contains(t, res.stdout, "Authorization: Basic ")
	assert.Equal(t, 10, strings.Count(res.stdout, "\n# ")+1)
	assert.Contains(t, res.stderr, "dry run: 10 requests not sent")
}

func TestServeErrors(t *testing.T) {
	busy := start(t, "serve", "--addr", "127.0.0.1:0", "--quiet")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"address in use", []string{"--addr", busy.addr}, "listening on " + busy.addr},
		{"half the credentials", []string{"--account-sid", testAccount}, "go together"},
		{"bad account", []string{"--addr", "127.0.0.1:0", "--account-sid", "nope", "--auth-token", "x"}, "--account-sid must be an account SID"},
		{"bad origin", []string{"--addr", "127.0.0.1:0", "--allow-origin", "a, b"}, "AllowOrigin"},
		{"unwritable recording", []string{"--addr", "127.0.0.1:0", "--record", filepath.Join(t.TempDir(), "f", "x.har") + "\x00"}, "recording"},
		{"arguments", []string{"x"}, "serve takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runArgs(t, "", append([]string{"serve"}, tt.args...)...)
			assert.Equal(t, exitError, res.code, res.stderr)
			assert.Contains(t, res.stderr, tt.want)
		})
	}
}

// rewrite sends every request to addr, as an SDK with a fixed host needs.
type rewrite struct{ addr string }

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = "http", r.addr, ""
	return http.DefaultTransport.RoundTrip(req)
}

func TestProxyTwilioGo(t *testing.T) {
	dir := t.TempDir()
	srv := start(t, "serve", "--addr", "127.0.0.1:0", "--quiet", "--account-sid", testAccount, "--auth-token", testToken)
	har, nd := filepath.Join(dir, "proxy.har"), filepath.Join(dir, "proxy.ndjson")
	covered := filepath.Join(dir, "coverage.json")
	px := start(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", "http://"+srv.addr, "--record", har, "--ndjson", nd, "--coverage", covered)

	base := &twclient.Client{Credentials: twclient.NewCredentials(testAccount, testToken),
		HTTPClient: &http.Client{Transport: rewrite{px.addr}, Timeout: 10 * time.Second}}
	base.SetAccountSid(testAccount)
	// The Conversations service alone, as twilio.NewRestClientWithParams
	// makes it: the root package would compile every Twilio API's client.
	handler := twclient.NewRequestHandler(base)
	handler.Edge, handler.Region = "", "" // TWILIO_EDGE and TWILIO_REGION would change the host
	rc := conversations.NewApiService(handler)
	calls := []*conversations.CreateConversationScopedWebhookParams{
		new(conversations.CreateConversationScopedWebhookParams).SetTarget("webhook").
			SetConfigurationUrl("https://hooks.example.com/t?a=1&b=2").SetConfigurationMethod("post").
			SetConfigurationFilters([]string{"onMessageAdded", "onConversationRemoved"}).SetConfigurationReplayAfter(3),
		new(conversations.CreateConversationScopedWebhookParams).SetTarget("trigger").
			SetConfigurationUrl("https://bots.example.com/keywords").SetConfigurationTriggers([]string{"order status", "help"}),
		new(conversations.CreateConversationScopedWebhookParams).SetTarget("studio").
			SetConfigurationFlowSid("FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a"),
	}
	for _, p := range calls {
		hook, err := rc.CreateConversationScopedWebhook("CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b", p)
		require.NoError(t, err)
		assert.Equal(t, *p.Target, *hook.Target)
	}
	// The SDK lets a bad FlowSid through; the proxy reports it.
	_, err := rc.CreateConversationScopedWebhook("CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b",
		new(conversations.CreateConversationScopedWebhookParams).SetTarget("studio").SetConfigurationFlowSid("FW123"))
	require.Error(t, err, "the fake refuses a bad FlowSid with Twilio's 400")

	assert.Equal(t, exitFail, px.wait(t), px.stderr.String())
	exs := readHAR(t, har)
	require.Len(t, exs, 4)
	raw, _ := os.ReadFile(har)
	assert.NotContains(t, string(raw), testToken)
	lines := strings.Split(strings.TrimSpace(fileText(t, nd)), "\n")
	require.Len(t, lines, 4)
	for i, line := range lines {
		var p struct {
			Verdict  string             `json:"verdict"`
			Findings []validate.Finding `json:"findings"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &p))
		if i < 3 {
			assert.Equal(t, "pass", p.Verdict, line)
			continue
		}
		assert.Equal(t, "fail", p.Verdict)
		assert.Equal(t, validate.RuleSIDFormat, p.Findings[0].Rule)
	}
	assert.Contains(t, px.stderr.String(), "error sid.format request.body#/Configuration.FlowSid")
	assert.Contains(t, px.stderr.String(), "4 pairs: 3 passed, 1 failed")
	// The SDK's calls covered every Target, and the proxy's coverage is that
	// of check on its recording.
	cov, err := coverage.ReadFile(covered)
	require.NoError(t, err)
	require.Len(t, cov.Operations, 1)
	assert.Equal(t, 4, cov.Operations[0].Pairs)
	for _, it := range cov.Operations[0].Items {
		if it.Kind == coverage.KindEnum && strings.HasPrefix(it.Name, "Target=") {
			assert.True(t, it.Covered(), it.Name)
		}
	}
	assert.Contains(t, px.stderr.String(), "contractcheck: coverage ")
	again := filepath.Join(dir, "again.json")
	runArgs(t, "", "check", "--quiet", "--coverage", again, har)
	recheck, err := coverage.ReadFile(again)
	require.NoError(t, err)
	assert.Equal(t, recheck.Operations, cov.Operations)
	checked := runArgs(t, "", "check", "--quiet", har)
	assert.Contains(t, checked.stdout, "4 pairs: 3 passed, 1 failed", "the recording checks as the proxy did")
}

func fileText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}

// TestProxyEnforce: a request that breaks the contract gets the proxy's
// problem document and never reaches the server; the proxy's live summary
// counts the findings check counts on its recording, the refusal's note
// (rule response.refused) included.
func TestProxyEnforce(t *testing.T) {
	har := filepath.Join(t.TempDir(), "proxy.har")
	srv := start(t, "serve", "--addr", "127.0.0.1:0")
	px := start(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", "http://"+srv.addr, "--enforce", "--record", har)
	ok, err := http.Post("http://"+px.addr+"/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks",
		"application/x-www-form-urlencoded", strings.NewReader("Target=webhook&Configuration.Url=https%3A%2F%2Fhooks.example.com"))
	require.NoError(t, err)
	ok.Body.Close()
	assert.Equal(t, http.StatusCreated, ok.StatusCode)
	resp, err := http.Post("http://"+px.addr+"/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks",
		"application/x-www-form-urlencoded", strings.NewReader("Target=studio&Configuration.FlowSid=FW123&Configuration.Filters[]=x"))
	require.NoError(t, err)
	var pd struct {
		Type, Title, Detail, Instance string
		Status                        int
		Findings                      []validate.Finding
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&pd))
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	assert.Equal(t, "The request breaks the contract", pd.Title)
	assert.Equal(t, 400, pd.Status)
	assert.Equal(t, "/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks", pd.Instance)
	assert.Equal(t, []string{validate.RuleFormUnknownKey, validate.RuleSIDFormat}, []string{pd.Findings[0].Rule, pd.Findings[1].Rule})
	assert.Equal(t, exitFail, px.wait(t))
	assert.Contains(t, px.stderr.String(), "refused with 400: the request breaks the contract")
	assert.Contains(t, px.stderr.String(), "info response.refused response.status")
	srv.wait(t)
	assert.Equal(t, 1, strings.Count(srv.stdout.String(), "\n"), "the refused request never reached the server:\n%s", srv.stdout)

	live := strings.TrimSpace(px.stderr.String())
	live = live[strings.LastIndexByte(live, '\n')+1:]
	assert.Equal(t, "2 pairs: 1 passed, 1 failed, 0 skipped, 0 input errors; 2 errors, 0 warnings, 1 info", live)
	checked := runArgs(t, "", "check", "--quiet", har)
	assert.Equal(t, live, strings.TrimSpace(checked.stdout), "check counts on the recording what the proxy counted live")
}

func TestProxyErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no upstream", nil, "--upstream is required"},
		{"bad max-body", []string{"--upstream", "http://127.0.0.1:1", "--max-body", "lots"}, "not a size"},
		{"arguments", []string{"--upstream", "http://127.0.0.1:1", "x"}, "proxy takes no arguments"},
		{"bad listen", []string{"--upstream", "http://127.0.0.1:1", "--listen", "256.0.0.1:99999"}, "listening on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runArgs(t, "", append([]string{"proxy"}, tt.args...)...)
			assert.Equal(t, exitError, res.code, res.stderr)
			assert.Contains(t, res.stderr, tt.want)
		})
	}
	for in, want := range map[string]int64{"1": 1, "65536": 65536, "512KiB": 512 << 10, "4MiB": 4 << 20, "1GB": 1 << 30} {
		got, err := parseSize(in)
		assert.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "0", "-1", "1TiB", "MiB", "1.5MiB"} {
		_, err := parseSize(in)
		assert.Error(t, err, in)
	}
}

// TestProxyLoad sends 200 concurrent clients x 50 requests through proxy to
// serve on loopback, every tenth request breaking the contract, and checks
// that the proxy's recording holds every exchange, well formed, and that
// its findings count what was sent. It is bounded: 10,000 requests, then it
// stops both servers.
func TestProxyLoad(t *testing.T) {
	t.Parallel() // with the other long tests, while scripts wait on their processes
	const clients, perClient = 200, 50
	dir := t.TempDir()
	srv := start(t, "serve", "--addr", "127.0.0.1:0", "--quiet", "--record", filepath.Join(dir, "serve.har"))
	har, nd := filepath.Join(dir, "proxy.har"), filepath.Join(dir, "proxy.ndjson")
	px := start(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", "http://"+srv.addr, "--record", har, "--ndjson", nd, "--quiet")

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	url := "http://" + px.addr + "/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks"
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perClient {
				body := "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fh&Configuration.Filters=onMessageAdded"
				if i%10 == 0 {
					body = "Target=studio&Configuration.FlowSid=FW123"
				}
				resp, err := client.Post(url, "application/x-www-form-urlencoded", strings.NewReader(body))
				if !assert.NoError(t, err, "client %d request %d", c, i) {
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	client.CloseIdleConnections()
	assert.Equal(t, map[int]int{201: 9000, 400: 1000}, statuses)
	assert.Equal(t, exitFail, px.wait(t), px.stderr.String())
	assert.Equal(t, exitOK, srv.wait(t))

	exs := readHAR(t, har)
	assert.Len(t, exs, clients*perClient, "every exchange is in the proxy's recording")
	assert.Len(t, readHAR(t, filepath.Join(dir, "serve.har")), clients*perClient)
	rules, verdicts := map[string]int{}, map[string]int{}
	for line := range strings.Lines(fileText(t, nd)) {
		var p struct {
			Verdict  string             `json:"verdict"`
			Findings []validate.Finding `json:"findings"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &p))
		verdicts[p.Verdict]++
		for _, f := range p.Findings {
			rules[f.Rule]++
		}
	}
	assert.Equal(t, map[string]int{"pass": 9000, "fail": 1000}, verdicts)
	assert.Equal(t, map[string]int{validate.RuleSIDFormat: 1000, validate.RuleResponseRefused: 1000}, rules)
	assert.Contains(t, px.stderr.String(), "10000 pairs: 9000 passed, 1000 failed")
}

// TestLiveLogsForgeNoLines sends a request whose form key holds a line
// break, an ESC and a bidi control through proxy to serve: neither the
// proxy's standard error (its text report and its lines) nor serve's log
// gets a line of the request's making, and each exchange of serve's log is
// one line.
func TestLiveLogsForgeNoLines(t *testing.T) {
	srv := start(t, "serve", "--addr", "127.0.0.1:0")
	px := start(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", "http://"+srv.addr)
	forged := "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&X%0A%20%20%20%20::error%20file%3Dtraffic.har::forged%1B%5B2J%E2%80%AE=1"
	for range 2 {
		resp, err := http.Post("http://"+px.addr+"/v1/Conversations/CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b/Webhooks?x=%1B%5B31m%0A::error::q",
			"application/x-www-form-urlencoded", strings.NewReader(forged))
		require.NoError(t, err)
		resp.Body.Close()
	}
	px.wait(t)
	srv.wait(t)
	for name, out := range map[string]string{"proxy's stderr": px.stderr.String(), "serve's log": srv.stdout.String()} {
		assert.NotContains(t, out, "\x1b", name)
		assert.NotContains(t, out, "\u202e", name)
		for _, line := range strings.Split(out, "\n") {
			assert.False(t, strings.HasPrefix(strings.TrimLeft(line, " \t"), "::"), "%s: %q", name, line)
		}
	}
	assert.Contains(t, px.stderr.String(), `X\n    ::error file=traffic.har::forged\x1b[2J\u202e`)
	assert.Len(t, strings.Split(strings.TrimSuffix(srv.stdout.String(), "\n"), "\n"), 2, "serve logs one line per exchange:\n%s", srv.stdout)
}
