package proxy_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
	"github.com/contractcheck/contractcheck/validate/proxy"
)

// faultSetup starts upstream behind a proxy whose options and server edit
// may change, and returns the proxy's URL and the recorder.
func faultSetup(t *testing.T, upstream http.Handler, opts func(*proxy.Options), srv func(*httptest.Server)) (string, *recorder) {
	t.Helper()
	up := httptest.NewServer(upstream)
	t.Cleanup(up.Close)
	plan, err := validate.Embedded()
	require.NoError(t, err)
	u, _ := url.Parse(up.URL)
	rec := &recorder{}
	o := proxy.Options{Plan: plan, Upstream: u, OnExchange: rec.add}
	if opts != nil {
		opts(&o)
	}
	p, err := proxy.New(o)
	require.NoError(t, err)
	s := httptest.NewUnstartedServer(p)
	if srv != nil {
		srv(s)
	}
	s.Start()
	t.Cleanup(s.Close)
	return s.URL, rec
}

// fakeAfter answers as the fake does, after a pause.
func fakeAfter(t *testing.T, d time.Duration) http.Handler {
	fake, err := contracttest.NewFake()
	require.NoError(t, err)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: then the server notices a client that goes
		// away, and the pause ends with it.
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
		fake.ServeHTTP(w, r)
	})
}

// TestProxyUpstreamTimeout checks that a slow upstream is answered 504 and
// recorded: one slow to send its headers, one slow to send its body.
func TestProxyUpstreamTimeout(t *testing.T) {
	slowBody := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		w.(http.Flusher).Flush()
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	for name, upstream := range map[string]http.Handler{"headers": fakeAfter(t, 5*time.Second), "body": slowBody} {
		t.Run(name, func(t *testing.T) {
			base, rec := faultSetup(t, upstream, func(o *proxy.Options) { o.UpstreamTimeout = 200 * time.Millisecond }, nil)
			start := time.Now()
			resp, body := post(t, base, validForm)
			assert.Less(t, time.Since(start), 4*time.Second)
			assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
			assert.Contains(t, string(body), "The upstream did not answer in time")
			e := rec.wait(t, 1)[0]
			assert.Equal(t, proxy.UpstreamTimedOut, e.Action)
			assert.Equal(t, "the upstream did not answer within 200ms", e.NotChecked)
			assert.Equal(t, http.StatusGatewayTimeout, e.Exchange.Response.Status, "recorded as answered")
		})
	}
}

// TestProxyClientFaults checks that a client that goes away or is too slow
// is told as what happened, in the proxy's words.
func TestProxyClientFaults(t *testing.T) {
	t.Run("gives up waiting", func(t *testing.T) {
		base, rec := faultSetup(t, fakeAfter(t, 3*time.Second), nil, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(validForm))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		_, err := http.DefaultClient.Do(req)
		require.Error(t, err)
		e := rec.wait(t, 1)[0]
		assert.Equal(t, proxy.ClientFailed, e.Action)
		assert.Equal(t, "the client went away before the upstream answered", e.NotChecked)
		assert.NotContains(t, e.NotChecked, "upstream failed")
	})
	t.Run("goes away mid-body", func(t *testing.T) {
		base, rec := faultSetup(t, fakeAfter(t, 0), nil, nil)
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		require.NoError(t, err)
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nTarget=web", path)
		time.Sleep(50 * time.Millisecond)
		conn.Close()
		e := rec.wait(t, 1)[0]
		assert.Equal(t, proxy.ClientFailed, e.Action)
		assert.Contains(t, e.NotChecked, "the client went away while sending its request body")
		assert.NotContains(t, e.NotChecked, "breaks the contract")
	})
	t.Run("trickles its body", func(t *testing.T) {
		base, rec := faultSetup(t, fakeAfter(t, 0), nil, func(s *httptest.Server) { s.Config.ReadTimeout = 500 * time.Millisecond })
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		require.NoError(t, err)
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n", path)
		go func() { // a byte every 200ms, until cut off
			for range 100 {
				if _, err := conn.Write([]byte("x")); err != nil {
					return
				}
				time.Sleep(200 * time.Millisecond)
			}
		}()
		start := time.Now()
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err == nil { // the answer may or may not reach a client that is cut off
			assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
		}
		assert.Less(t, time.Since(start), 5*time.Second, "cut off")
		e := rec.wait(t, 1)[0]
		assert.Equal(t, proxy.ClientFailed, e.Action)
		assert.Contains(t, e.NotChecked, "the client sent its request body too slowly")
	})
}

// TestProxyStopping checks that an exchange cut short by the server
// stopping is answered 503 and recorded.
func TestProxyStopping(t *testing.T) {
	stopping := errors.New("the proxy is stopping")
	base, cancel := context.WithCancelCause(context.Background())
	url, rec := faultSetup(t, fakeAfter(t, 5*time.Second), nil, func(s *httptest.Server) {
		s.Config.BaseContext = func(net.Listener) context.Context { return base }
	})
	time.AfterFunc(200*time.Millisecond, func() { cancel(stopping) })
	resp, body := post(t, url, validForm)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Contains(t, string(body), "The proxy is stopping")
	e := rec.wait(t, 1)[0]
	assert.Equal(t, proxy.Stopped, e.Action)
	assert.Contains(t, e.NotChecked, "the proxy is stopping")
}

// TestProxyBrokenStream checks that an answer that breaks off while it
// streams through is told in the exchange, and that ReverseProxy logs
// nothing of its own.
func TestProxyBrokenStream(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(defaultLog) })
	broken := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(201)
		_, _ = w.Write(bytes.Repeat([]byte(" "), 5000))
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	base, rec := faultSetup(t, broken, func(o *proxy.Options) { o.MaxBody = 1024 }, nil)
	req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(validForm))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		_, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	e := rec.wait(t, 1)[0]
	assert.Contains(t, e.NotChecked, "the upstream's answer broke off")
	assert.NotContains(t, logged.String(), "httputil")
}

// defaultLog is where the standard logger wrote before a test took it.
var defaultLog = log.Writer()
