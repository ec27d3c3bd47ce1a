package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignals runs serve and proxy as processes, sends a request through
// both, stops them with SIGTERM and SIGINT, and checks that each stopped
// cleanly with its recording complete.
func TestSignals(t *testing.T) {
	dir := t.TempDir()
	serveHAR, proxyHAR := filepath.Join(dir, "serve.har"), filepath.Join(dir, "proxy.har")
	srv, srvAddr, srvErr := startProcess(t, "serve", "--addr", "127.0.0.1:0", "--record", serveHAR)
	px, pxAddr, pxErr := startProcess(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", "http://"+srvAddr, "--record", proxyHAR)

	res := runArgs(t, "", "probe", "--base-url", "http://"+pxAddr, "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)

	require.NoError(t, px.Process.Signal(syscall.SIGTERM))
	// The proxy judges the probe's negative requests as plain pairs: they
	// fail, so it exits 1.
	err := px.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "proxy exits after SIGTERM:\n%s", pxErr())
	assert.Equal(t, exitFail, exit.ExitCode(), pxErr())
	require.NoError(t, srv.Process.Signal(os.Interrupt))
	require.NoError(t, srv.Wait(), "serve exits 0 after SIGINT:\n%s", srvErr())
	assert.Contains(t, srvErr(), "stopped after 10 exchanges")
	assert.Contains(t, pxErr(), "10 pairs: 4 passed, 6 failed")
	assert.Len(t, readHAR(t, serveHAR), 10)
	assert.Len(t, readHAR(t, proxyHAR), 10)
}

// startProcess runs this test binary as contractcheck with args and waits
// until it listens; the returned function gives its standard error so far.
func startProcess(t *testing.T, args ...string) (*exec.Cmd, string, func() string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "CONTRACTCHECK_MAIN=1")
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	var b lockedBuffer
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			b.Write([]byte(line + "\n"))
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case a := <-addr:
		return cmd, a, b.String
	case <-time.After(20 * time.Second):
		t.Fatalf("contractcheck %s did not listen within 20s:\n%s", strings.Join(args, " "), b.String())
	}
	return nil, "", nil
}
