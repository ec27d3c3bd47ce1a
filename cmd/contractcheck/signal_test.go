package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	srv := startProcess(t, "serve", "--addr", "127.0.0.1:0", "--record", serveHAR)
	px := startProcess(t, "proxy", "--listen", "127.0.0.1:0", "--upstream", "http://"+srv.addr, "--record", proxyHAR)

	res := runArgs(t, "", "probe", "--base-url", "http://"+px.addr, "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)

	require.NoError(t, px.cmd.Process.Signal(syscall.SIGTERM))
	// The proxy judges the probe's negative requests as plain pairs: they
	// fail, so it exits 1.
	code, pxErr := px.wait(t)
	assert.Equal(t, exitFail, code, pxErr)
	require.NoError(t, srv.cmd.Process.Signal(os.Interrupt))
	code, srvErr := srv.wait(t)
	assert.Equal(t, exitOK, code, "serve exits 0 after SIGINT:\n%s", srvErr)
	assert.Contains(t, srvErr, "stopped after 10 exchanges")
	assert.Contains(t, pxErr, "10 pairs: 4 passed, 6 failed")
	assert.Len(t, readHAR(t, serveHAR), 10)
	assert.Len(t, readHAR(t, proxyHAR), 10)
}

// process is this test binary run as contractcheck by a test.
type process struct {
	cmd     *exec.Cmd
	addr    string        // the address it listens on, for serve and proxy
	stderr  lockedBuffer  // its standard error so far
	drained chan struct{} // closed once its standard error is read to the end
}

// startProcess runs contractcheck with args and waits until it listens.
func startProcess(t *testing.T, args ...string) *process {
	t.Helper()
	p := runProcess(t, args...)
	deadline := time.After(20 * time.Second)
	for {
		if m := listening.FindStringSubmatch(p.stderr.String()); m != nil {
			p.addr = m[1]
			return p
		}
		select {
		case <-deadline:
			t.Fatalf("contractcheck %s did not listen within 20s:\n%s", strings.Join(args, " "), p.stderr.String())
		case <-p.drained:
			t.Fatalf("contractcheck %s ended without listening:\n%s", strings.Join(args, " "), p.stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// runProcess runs contractcheck with args, its standard output discarded.
func runProcess(t *testing.T, args ...string) *process {
	t.Helper()
	return runProcessStdin(t, nil, args...)
}

// runProcessStdin is runProcess with stdin as the standard input.
func runProcessStdin(t *testing.T, stdin io.Reader, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(os.Args[0], args...), drained: make(chan struct{})}
	p.cmd.Stdin = stdin
	p.cmd.Env = append(os.Environ(), "CONTRACTCHECK_MAIN=1")
	pipe, err := p.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			<-p.drained
			_ = p.cmd.Wait()
		}
	})
	go func() {
		defer close(p.drained)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			p.stderr.Write([]byte(sc.Text() + "\n"))
		}
	}()
	return p
}

// wait waits, at most 30 seconds, for the process to end, and returns its
// exit status and its standard error. Its standard error is read to the end
// first: Wait closes the pipe.
func (p *process) wait(t *testing.T) (int, string) {
	t.Helper()
	select {
	case <-p.drained:
	case <-time.After(30 * time.Second):
		t.Fatalf("contractcheck %s did not end within 30s:\n%s", strings.Join(p.cmd.Args[1:], " "), p.stderr.String())
	}
	err := p.cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("waiting for contractcheck: %v", err)
	}
	return p.cmd.ProcessState.ExitCode(), p.stderr.String()
}

// TestSignalsStopBlockedReads checks that SIGTERM and SIGINT stop check
// while it waits on a FIFO that nobody writes to: as a recording, and as the
// contract of --spec.
func TestSignalsStopBlockedReads(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	har := filepath.Join("..", "..", "testdata", "recordings", "valid.har")
	// A pipe nobody writes to, as standard input.
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	defer pw.Close()
	defer pr.Close()
	for _, tt := range []struct {
		name  string
		stdin io.Reader
		args  []string
		want  string
	}{
		{"a recording", nil, []string{"check", fifo}, "contractcheck: interrupted: the report is incomplete"},
		{"standard input", pr, []string{"check", har, "-"}, "contractcheck: interrupted: the report is incomplete"},
		{"the contract", nil, []string{"check", "--spec", fifo, har}, "contractcheck: interrupted while loading the contract"},
	} {
		for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
			t.Run(tt.name+"/"+sig.String(), func(t *testing.T) {
				p := runProcessStdin(t, tt.stdin, tt.args...)
				waitBlocked(p.cmd.Process.Pid)
				require.NoError(t, p.cmd.Process.Signal(sig))
				code, stderr := p.wait(t)
				assert.Equal(t, exitError, code, stderr)
				assert.Contains(t, stderr, tt.want)
			})
		}
	}
}

// waitBlocked waits until a thread of process pid waits for the other end
// of a FIFO or for data in a pipe, as /proc tells, or 5 seconds where /proc
// does not tell: by then the process has long set up its signal handling.
func waitBlocked(pid int) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/wchan", pid))
		for _, task := range tasks {
			if b, err := os.ReadFile(task); err == nil && slices.Contains([]string{"wait_for_partner", "pipe_read", "anon_pipe_read", "pipe_wait"}, string(b)) {
				time.Sleep(50 * time.Millisecond) // the other goroutines' setup
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}
