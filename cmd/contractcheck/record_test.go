package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// postWebhook sends one valid request of the operation to addr.
func postWebhook(t *testing.T, addr string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks",
		strings.NewReader("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhook&Configuration.Method=post"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(testAccount, testToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
}

// TestRecordAppends: serve and proxy, run twice with one --record file (and
// proxy with one --ndjson file), keep every entry of both runs, after those
// of a recording that was there before; the HAR is complete while they run.
func TestRecordAppends(t *testing.T) {
	dir := t.TempDir()
	served, proxied, nd := filepath.Join(dir, "served.har"), filepath.Join(dir, "proxied.har"), filepath.Join(dir, "findings.ndjson")
	shipped, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "traffic.har"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(served, shipped, 0o644))
	before := len(readHAR(t, served))
	require.Equal(t, 8, before)

	for run := 1; run <= 2; run++ {
		srv := start(t, "serve", "--addr", "127.0.0.1:0", "--quiet", "--record", served)
		px := start(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", "http://"+srv.addr, "--quiet", "--record", proxied, "--ndjson", nd)
		postWebhook(t, px.addr)
		postWebhook(t, srv.addr)
		// While serve runs, its recording is a complete HAR.
		assert.Len(t, readHAR(t, served), before+2*run, "run %d, serving", run)
		assert.Equal(t, exitOK, px.wait(t), px.stderr.String())
		assert.Equal(t, exitOK, srv.wait(t), srv.stderr.String())
		assert.Len(t, readHAR(t, served), before+2*run, "run %d: the shipped entries and every exchange served", run)
		assert.Len(t, readHAR(t, proxied), run, "run %d: every exchange proxied", run)
		assert.Equal(t, run, strings.Count(fileText(t, nd), "\n"), "run %d: a report line per exchange proxied", run)
	}
	exs := readHAR(t, served)
	assert.Contains(t, exs[0].Request.URL, "CH4955f63b9fdc72ff492dccd43a5a9754", "the shipped entries come first, as they were")
	assert.Contains(t, exs[before].Request.URL, "CH0123456789abcdef0123456789abcdef")
	res := runArgs(t, "", "check", "--quiet", served)
	assert.Contains(t, res.stdout, "12 pairs: 7 passed, 3 failed, 2 skipped")
}

// TestRecordRefusesOtherFormats: a --record file that is not a HAR is
// refused before anything starts, exit 2, and left as it was.
func TestRecordRefusesOtherFormats(t *testing.T) {
	nd := filepath.Join(t.TempDir(), "mixed.ndjson")
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "mixed.ndjson"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(nd, data, 0o644))
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0", "--record", nd},
		{"proxy", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9", "--record", nd},
		{"probe", "--base-url", "http://127.0.0.1:9", "--record", nd},
	} {
		res := runArgs(t, "", args...)
		assert.Equal(t, exitError, res.code, "%s: %s", args[0], res.stderr)
		assert.Contains(t, res.stderr, "cannot append to recording "+nd+": it is an NDJSON recording; --record appends only to a HAR", args[0])
		after, err := os.ReadFile(nd)
		require.NoError(t, err)
		assert.Equal(t, data, after, "%s leaves the file as it was", args[0])
	}
}
