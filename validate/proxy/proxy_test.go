package proxy_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/internal/badserver"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
	"github.com/contractcheck/contractcheck/validate/proxy"
)

const (
	token     = "f00dfacef00dfacef00dfacef00dface"
	path      = "/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks"
	validForm = "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhook&Configuration.Method=post&Configuration.Filters=onMessageAdded"
	badForm   = "Target=studio&Configuration.FlowSid=FW123"
)

// recorder collects what OnExchange is told.
type recorder struct {
	mu  sync.Mutex
	exs []proxy.Exchange
}

func (r *recorder) add(e proxy.Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exs = append(r.exs, e)
}

// wait returns the exchanges once there are n: OnExchange runs after the
// client has its answer, so it may be a moment behind the client.
func (r *recorder) wait(t *testing.T, n int) []proxy.Exchange {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		exs := r.all()
		if len(exs) >= n || time.Now().After(deadline) {
			require.Len(t, exs, n)
			return exs
		}
		time.Sleep(time.Millisecond)
	}
}

func (r *recorder) all() []proxy.Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]proxy.Exchange(nil), r.exs...)
}

// setup starts upstream (the fake when nil) behind a proxy, both on
// loopback, and returns the proxy's URL, the recorder and a count of the
// requests upstream got.
func setup(t *testing.T, upstream http.Handler, enforce bool, maxBody int64) (string, *recorder, *atomic.Int64) {
	t.Helper()
	if upstream == nil {
		fake, err := contracttest.NewFake()
		require.NoError(t, err)
		upstream = fake
	}
	var calls atomic.Int64
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		upstream.ServeHTTP(w, r)
	}))
	t.Cleanup(up.Close)
	plan, err := validate.Embedded()
	require.NoError(t, err)
	u, _ := url.Parse(up.URL)
	rec := &recorder{}
	p, err := proxy.New(proxy.Options{Plan: plan, Upstream: u, Enforce: enforce, MaxBody: maxBody, OnExchange: rec.add})
	require.NoError(t, err)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL, rec, &calls
}

func post(t *testing.T, base, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("AC0123456789abcdef0123456789abcdef", token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func rulesOf(fs []validate.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

func TestProxy(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		enforce bool
		status  int
		action  proxy.Action
		rules   []string
		calls   int64
	}{
		{"valid", validForm, false, 201, proxy.Forwarded, nil, 1},
		{"valid, enforcing", validForm, true, 201, proxy.Forwarded, nil, 1},
		// The fake's 400, and the proxy's own, rightly refuse the request:
		// a note of response.refused, not a response.status error.
		{"bad FlowSid", badForm, false, 400, proxy.Forwarded, []string{validate.RuleSIDFormat, validate.RuleResponseRefused}, 1},
		{"bad FlowSid, enforcing", badForm, true, 400, proxy.RefusedRequest, []string{validate.RuleSIDFormat, validate.RuleResponseRefused}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, rec, calls := setup(t, nil, tt.enforce, 0)
			resp, body := post(t, base, tt.body)
			assert.Equal(t, tt.status, resp.StatusCode, string(body))
			assert.Equal(t, tt.calls, calls.Load(), "requests upstream")
			exs := rec.wait(t, 1)
			e := exs[0]
			assert.Equal(t, tt.action, e.Action)
			assert.Empty(t, e.NotChecked)
			assert.Equal(t, "CreateConversationScopedWebhook", e.Result.Operation)
			assert.Equal(t, tt.rules, rulesOf(e.Result.Findings))
			plan, err := validate.Embedded()
			require.NoError(t, err)
			assert.Equal(t, plan.Check(e.Exchange).Findings, e.Result.Findings, "the findings of the exchange recorded, as check finds them")
			assert.Equal(t, body, e.Exchange.Response.Body, "the exchange holds what the client got")
			assert.Equal(t, []byte(tt.body), e.Exchange.Request.Body)
			assert.Equal(t, base+path, e.Exchange.Request.URL)
			if tt.action == proxy.RefusedRequest {
				assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
				var pd proxy.Problem
				require.NoError(t, json.Unmarshal(body, &pd))
				assert.Equal(t, proxy.ProblemType, pd.Type)
				assert.Equal(t, "The request breaks the contract", pd.Title)
				assert.Equal(t, 400, pd.Status)
				assert.Equal(t, path, pd.Instance)
				assert.Contains(t, pd.Detail, "request.body#/Configuration.FlowSid: Configuration.FlowSid is not an FW SID")
				assert.Equal(t, []string{validate.RuleSIDFormat}, rulesOf(pd.Findings))
				assert.NotContains(t, string(body), token, "no token")
			}
		})
	}
}

func TestProxyRefusesResponse(t *testing.T) {
	for _, enforce := range []bool{false, true} {
		base, rec, _ := setup(t, http.HandlerFunc(badserver.AcceptAll), enforce, 0)
		resp, body := post(t, base, validForm)
		e := rec.wait(t, 1)[0]
		assert.Equal(t, []string{validate.RuleCORSCredentials}, rulesOf(e.Result.Findings))
		if !enforce {
			assert.Equal(t, 201, resp.StatusCode)
			assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
			assert.Equal(t, proxy.Forwarded, e.Action)
			continue
		}
		assert.Equal(t, 502, resp.StatusCode)
		assert.Equal(t, proxy.RefusedResponse, e.Action)
		var pd proxy.Problem
		require.NoError(t, json.Unmarshal(body, &pd))
		assert.Equal(t, "The upstream's response breaks the contract", pd.Title)
		assert.Equal(t, []string{validate.RuleCORSCredentials}, rulesOf(pd.Findings))
		assert.Equal(t, body, e.Exchange.Response.Body)
	}
}

func TestProxyByteForByte(t *testing.T) {
	odd := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Repeated"] = []string{"one", "two"}
		h.Set("Access-Control-Allow-Origin", "https://app.example.com")
		h.Set("Access-Control-Expose-Headers", "X-Repeated")
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Date", "Mon, 02 Jan 2006 15:04:05 GMT")
		w.WriteHeader(207)
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(append([]byte{0xff, 0xfe, 0x00}, b...))
	})
	direct := httptest.NewServer(odd)
	defer direct.Close()
	base, rec, _ := setup(t, odd, false, 0)
	for _, target := range []string{"/other/path?b=2&a=1&a=%zz", path + "?x=%2F"} {
		get := func(base string) (*http.Response, []byte) {
			req, _ := http.NewRequest(http.MethodPut, base+target, strings.NewReader("\xc3\x28 raw"))
			req.Header["X-Client"] = []string{"a", "b"}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, b
		}
		want, wantBody := get(direct.URL)
		got, gotBody := get(base)
		assert.Equal(t, want.StatusCode, got.StatusCode)
		assert.Equal(t, want.Header, got.Header)
		assert.Equal(t, wantBody, gotBody)
	}
	for _, e := range rec.wait(t, 2) {
		assert.Equal(t, []string{"a", "b"}, e.Exchange.Request.Header["X-Client"])
		assert.True(t, e.Result.Skipped(), "another operation is not checked")
	}
}

func TestProxyLargeBodies(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789"), 20000) // 200 kB
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, _ := io.Copy(h, r.Body)
		w.Header().Set("X-Sum", hex.EncodeToString(h.Sum(nil)))
		w.Header().Set("X-Len", strconv.FormatInt(n, 10))
		_, _ = w.Write(big)
	})
	base, rec, _ := setup(t, echo, false, 1024)
	resp, body := post(t, base, validForm+"&Target="+string(big))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, sha256.Sum256(big), sha256.Sum256(body), "the response streams through intact")
	sent := sha256.Sum256([]byte(validForm + "&Target=" + string(big)))
	assert.Equal(t, hex.EncodeToString(sent[:]), resp.Header.Get("X-Sum"), "the request streams through intact")
	e := rec.wait(t, 1)[0]
	assert.Contains(t, e.NotChecked, "request body is longer than the most checked (1024 bytes)")
	assert.Contains(t, e.NotChecked, "response body is longer than the most checked (1024 bytes)")
	assert.Nil(t, e.Exchange.Request.Body)
	assert.Equal(t, proxy.Forwarded, e.Action)
	// What could be checked without the bodies was: the status, the headers.
	assert.Equal(t, "CreateConversationScopedWebhook", e.Result.Operation)
	assert.Equal(t, []string{"response.status"}, rulesOf(e.Result.Findings))

	resp, body = post(t, base, validForm)
	assert.Equal(t, len(big), len(body))
	e = rec.wait(t, 2)[1]
	assert.Contains(t, e.NotChecked, "response body is longer")
	assert.Equal(t, 200, resp.StatusCode)
}

// TestProxyEnforceRefusesWhatItCannotCheck checks that under Enforce a
// request body longer than MaxBody is answered 413 and never forwarded.
func TestProxyEnforceRefusesWhatItCannotCheck(t *testing.T) {
	base, rec, calls := setup(t, nil, true, 1024)
	resp, body := post(t, base, validForm+"&Configuration.Filters="+strings.Repeat("x", 2000))
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	var pd proxy.Problem
	require.NoError(t, json.Unmarshal(body, &pd))
	assert.Equal(t, "The request body is too large to check", pd.Title)
	assert.Contains(t, pd.Detail, "longer than the most checked (1024 bytes)")
	e := rec.wait(t, 1)[0]
	assert.Equal(t, proxy.RefusedTooLarge, e.Action)
	assert.Equal(t, "refused-too-large", e.Action.String())
	assert.Zero(t, calls.Load(), "never forwarded")
	assert.Equal(t, http.StatusRequestEntityTooLarge, e.Exchange.Response.Status)
}

// TestProxyChecksHeadersOfUnreadAnswers checks that an answer whose body is
// too large to hold, or encoded in a way the proxy does not decode, still
// has its headers checked: a CORS problem is found, refused under Enforce,
// and the exchange is never reported clean.
func TestProxyChecksHeadersOfUnreadAnswers(t *testing.T) {
	fake, err := contracttest.NewFake()
	require.NoError(t, err)
	badCORS := func(encoding string, pad int) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			fake.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			if encoding != "" {
				w.Header().Set("Content-Encoding", encoding)
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			_, _ = w.Write(bytes.Repeat([]byte(" "), pad))
		})
	}
	for _, tt := range []struct {
		name     string
		upstream http.Handler
		why      string
	}{
		{"a body over MaxBody", badCORS("", 4096), "the response body is longer than the most checked (2048 bytes)"},
		{"a br body", badCORS("br", 0), `the response body is encoded as "br", which the proxy does not decode`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base, rec, _ := setup(t, tt.upstream, false, 2048)
			resp, _ := post(t, base, validForm)
			assert.Equal(t, 201, resp.StatusCode, "watching: passed on")
			e := rec.wait(t, 1)[0]
			assert.Equal(t, proxy.Forwarded, e.Action)
			assert.Contains(t, e.NotChecked, tt.why)
			assert.Equal(t, []string{"cors.credentials-wildcard"}, rulesOf(e.Result.Findings))

			base, rec, _ = setup(t, tt.upstream, true, 2048)
			resp, body := post(t, base, validForm)
			assert.Equal(t, http.StatusBadGateway, resp.StatusCode, "enforcing: refused")
			assert.Contains(t, string(body), "cors.credentials-wildcard")
			assert.Equal(t, proxy.RefusedResponse, rec.wait(t, 1)[0].Action)
		})
	}
	// A clean answer that was not read whole is not called clean.
	base, rec, _ := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		fake.ServeHTTP(w, r)
	}), false, 0)
	post(t, base, validForm)
	e := rec.wait(t, 1)[0]
	assert.Empty(t, e.Result.Findings)
	assert.Contains(t, e.NotChecked, `encoded as "br"`)
}

func TestProxyUpstreamDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	u := &url.URL{Scheme: "http", Host: ln.Addr().String()}
	require.NoError(t, ln.Close())
	plan, _ := validate.Embedded()
	rec := &recorder{}
	p, err := proxy.New(proxy.Options{Plan: plan, Upstream: u, OnExchange: rec.add})
	require.NoError(t, err)
	srv := httptest.NewServer(p)
	defer srv.Close()
	resp, body := post(t, srv.URL, validForm)
	assert.Equal(t, 502, resp.StatusCode)
	var pd proxy.Problem
	require.NoError(t, json.Unmarshal(body, &pd))
	assert.Equal(t, "The upstream could not be reached", pd.Title)
	e := rec.wait(t, 1)[0]
	assert.Equal(t, proxy.UpstreamFailed, e.Action)
	assert.Contains(t, e.NotChecked, "connection refused")
	assert.NotContains(t, string(body), token)
	assert.NotContains(t, e.NotChecked, token)
}

func TestNewErrors(t *testing.T) {
	plan, _ := validate.Embedded()
	up := &url.URL{Scheme: "http", Host: "127.0.0.1:1"}
	for name, opts := range map[string]proxy.Options{
		"no plan":     {Upstream: up},
		"no upstream": {Plan: plan},
		"relative":    {Plan: plan, Upstream: &url.URL{Path: "/x"}},
		"negative":    {Plan: plan, Upstream: up, MaxBody: -1},
	} {
		_, err := proxy.New(opts)
		assert.Error(t, err, name)
	}
}

func TestProxyConcurrent(t *testing.T) {
	base, rec, calls := setup(t, nil, false, 0)
	var wg sync.WaitGroup
	for g := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				body := validForm
				if (g+i)%5 == 0 {
					body = badForm
				}
				req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := http.DefaultClient.Do(req)
				if assert.NoError(t, err) {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	exs := rec.wait(t, 1000)
	assert.Equal(t, int64(1000), calls.Load())
	bad, entries := 0, map[int]bool{}
	for _, e := range exs {
		entries[e.Exchange.Entry] = true
		if len(e.Result.Findings) > 0 {
			bad++
		}
	}
	assert.Equal(t, 200, bad)
	assert.Len(t, entries, 1000, "every exchange has its own entry number")
}

func TestProxyPassesHeadersAsTheyAre(t *testing.T) {
	var got http.Header
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header()["Content-Type"] = nil
		_, _ = w.Write([]byte("<html>no content type</html>"))
	})
	base, rec, _ := setup(t, up, false, 0)
	req, _ := http.NewRequest(http.MethodGet, base+"/other", nil)
	req.Header.Set("X-Forwarded-For", "192.0.2.7")
	req.Header.Set("Forwarded", "for=192.0.2.7")
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	rec.wait(t, 1)
	_, has := resp.Header["Content-Type"]
	assert.False(t, has, "no Content-Type is added")
	assert.Equal(t, "192.0.2.7", got.Get("X-Forwarded-For"))
	assert.Equal(t, "for=192.0.2.7", got.Get("Forwarded"))
	assert.Empty(t, got.Get("Accept-Encoding"), "the proxy asks for no encoding the client did not")
}

func TestProxyChecksGzip(t *testing.T) {
	fake, err := contracttest.NewFake()
	require.NoError(t, err)
	gz := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(rec.Body.Bytes())
		_ = zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(buf.Bytes())
	})
	base, rec, _ := setup(t, gz, true, 0)
	req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(validForm))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"), "the client gets the bytes the upstream sent")
	e := rec.wait(t, 1)[0]
	assert.Empty(t, e.NotChecked)
	assert.Empty(t, e.Result.Findings)
	assert.Contains(t, string(e.Exchange.Response.Body), `"sid":"WH`, "the check saw the decoded body")
}

// TestProxyProblemCapsFindings: a request body of thousands of unknown keys
// is refused with a problem document of capped findings that says how many
// more there were, not with one finding per key.
func TestProxyProblemCapsFindings(t *testing.T) {
	base, rec, _ := setup(t, nil, true, 0)
	var b strings.Builder
	b.WriteString(validForm)
	for i := range 5000 {
		b.WriteString("&k" + strconv.Itoa(i) + "=1")
	}
	resp, body := post(t, base, b.String())
	assert.Equal(t, 400, resp.StatusCode)
	var pd proxy.Problem
	require.NoError(t, json.Unmarshal(body, &pd))
	assert.Len(t, pd.Findings, validate.MaxFindingsPerRule)
	assert.Equal(t, map[string]int{validate.RuleFormUnknownKey: 5000 - validate.MaxFindingsPerRule}, pd.Omitted)
	assert.Contains(t, pd.Detail, "(and 4999 more findings)")
	assert.Less(t, len(body), 16<<10, "the problem document is bounded")
	e := rec.wait(t, 1)[0]
	assert.Equal(t, 5000-validate.MaxFindingsPerRule, e.Result.Omitted[validate.RuleFormUnknownKey])
}
