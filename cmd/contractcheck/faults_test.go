package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	faultPath = "/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks"
	faultForm = "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhook&Configuration.Method=post"
)

// trickle sends a request's headers and then one byte of its body every
// interval, and returns the time until the server answered or hung up.
func trickle(t *testing.T, addr string, interval time.Duration) time.Duration {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", faultPath, addr, len(faultForm))
	go func() {
		for i := range len(faultForm) {
			if _, err := conn.Write([]byte{faultForm[i]}); err != nil {
				return
			}
			time.Sleep(interval)
		}
	}()
	start := time.Now()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, _ = http.ReadResponse(bufio.NewReader(conn), nil)
	return time.Since(start)
}

// TestLiveReadTimeout checks that serve and proxy cut off a client that
// trickles its body, a byte every 2s, after --read-timeout.
func TestLiveReadTimeout(t *testing.T) {
	srv := start(t, "serve", "--addr", "127.0.0.1:0", "--read-timeout", "1s")
	assert.Less(t, trickle(t, srv.addr, 2*time.Second), 5*time.Second, "serve cuts the client off")

	px := start(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", "http://"+srv.addr, "--read-timeout", "1s")
	assert.Less(t, trickle(t, px.addr, 2*time.Second), 5*time.Second, "proxy cuts the client off")
	require.Eventually(t, func() bool { return strings.Contains(px.stderr.String(), "#0") }, 5*time.Second, 10*time.Millisecond)
	assert.Contains(t, px.stderr.String(), "answered 408: the client sent its request body too slowly")
}

// slowUpstream answers after d, or when its client goes away. arrived
// gets a value for each request that arrives.
func slowUpstream(t *testing.T, d time.Duration) (url string, arrived <-chan struct{}) {
	in := make(chan struct{}, 16)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that a client going away is noticed
		in <- struct{}{}
		select {
		case <-time.After(d):
			w.WriteHeader(http.StatusCreated)
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(up.Close)
	return up.URL, in
}

// TestProxyFaults checks how the proxy tells a slow upstream and a client
// that gives up: in its own words, recorded, and nothing of ReverseProxy's.
func TestProxyFaults(t *testing.T) {
	har := filepath.Join(t.TempDir(), "proxy.har")
	up, _ := slowUpstream(t, 10*time.Second)
	px := start(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", up, "--upstream-timeout", "300ms", "--record", har)

	resp, err := http.Post("http://"+px.addr+faultPath, "application/x-www-form-urlencoded", strings.NewReader(faultForm))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)

	px.stop()
	code := px.wait(t)
	stderr := px.stderr.String()
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "#0 POST "+faultPath+": answered 504: the upstream did not answer within 300ms")
	assert.Contains(t, stderr, "1 pair: 0 passed, 0 failed, 1 skipped")
	exs := readHAR(t, har)
	require.Len(t, exs, 1)
	assert.Equal(t, http.StatusGatewayTimeout, exs[0].Response.Status)

	// A client that gives up waiting.
	up, _ = slowUpstream(t, 10*time.Second)
	px = start(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", up)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+px.addr+faultPath, strings.NewReader(faultForm))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err)
	require.Eventually(t, func() bool { return strings.Contains(px.stderr.String(), "#0") }, 5*time.Second, 10*time.Millisecond)
	stderr = px.stderr.String()
	assert.Contains(t, stderr, "#0 POST "+faultPath+": the client went away before the upstream answered")
	for _, wrong := range []string{"refused with 400", "the upstream failed", "httputil", "ReverseProxy"} {
		assert.NotContains(t, stderr, wrong)
	}
}

// TestProxyStopKeepsExchangesInFlight checks that on SIGINT or SIGTERM an
// exchange still waiting for its upstream is answered and recorded: in the
// HAR and in the summary.
func TestProxyStopKeepsExchangesInFlight(t *testing.T) {
	old := shutdownGrace
	shutdownGrace = 300 * time.Millisecond
	t.Cleanup(func() { shutdownGrace = old })
	har := filepath.Join(t.TempDir(), "proxy.har")
	up, arrived := slowUpstream(t, time.Minute)
	px := start(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", up, "--record", har)
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Post("http://"+px.addr+faultPath, "application/x-www-form-urlencoded", strings.NewReader(faultForm))
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-arrived // stop once the exchange is in flight
	code := px.wait(t)
	assert.Equal(t, http.StatusServiceUnavailable, <-answered, "the client got an answer")
	stderr := px.stderr.String()
	assert.NotEqual(t, exitError, code, stderr)
	assert.Contains(t, stderr, "answered 503: the exchange was cut short before the upstream answered: the server is stopping")
	exs := readHAR(t, har)
	require.Len(t, exs, 1, "recorded")
	assert.Equal(t, http.StatusServiceUnavailable, exs[0].Response.Status)
	assert.Contains(t, stderr, "\n1 pair: 0 passed, 0 failed, 1 skipped", "in the summary")
}

// TestServeStopKeepsExchangesInFlight checks that serve, stopped while a
// client is still sending its request, records that exchange too.
func TestServeStopKeepsExchangesInFlight(t *testing.T) {
	old := shutdownGrace
	shutdownGrace = 300 * time.Millisecond
	t.Cleanup(func() { shutdownGrace = old })
	har := filepath.Join(t.TempDir(), "served.har")
	srv := start(t, "serve", "--addr", "127.0.0.1:0", "--record", har, "--read-timeout", "0")
	conn, err := net.Dial("tcp", srv.addr)
	require.NoError(t, err)
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nTarget=web", faultPath)
	time.Sleep(100 * time.Millisecond) // the request is in flight, its body unfinished
	code := srv.wait(t)
	assert.Equal(t, exitOK, code, srv.stderr.String())
	assert.Contains(t, srv.stderr.String(), "stopped after 1 exchange")
	assert.Len(t, readHAR(t, har), 1, "recorded")
}
