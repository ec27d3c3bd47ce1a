package contracttest_test

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// recT is a recording TestingT: it keeps what a test would print, so that
// tests can prove a failing exchange fails. It is safe for concurrent use,
// as testing.T is.
type recT struct {
	mu        sync.Mutex
	errors    []string
	logs      []string
	failed    bool
	failedNow bool
	cleanups  []func()
}

// Fail marks the test failed, as testing.T's does.
func (r *recT) Fail() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
}

func (r *recT) Helper() {}

func (r *recT) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recT) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// FailNow stops the goroutine, as testing.T's does; runT runs bodies on a
// goroutine of their own for it.
func (r *recT) FailNow() {
	r.mu.Lock()
	r.failedNow = true
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recT) Cleanup(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleanups = append(r.cleanups, f)
}

// Failed reports whether Errorf or FailNow was called.
func (r *recT) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errors) > 0 || r.failed || r.failedNow
}

// Errors returns the failure messages, joined.
func (r *recT) Errors() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errors, "\n---\n")
}

// Logs returns the log lines, joined.
func (r *recT) Logs() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.logs, "\n---\n")
}

// outT is a recording TestingT with testing.TB's Output: what a failure
// writes there (the line go test prints, "file_test.go:12: message") is
// kept as one of its errors.
type outT struct{ *recT }

func (o outT) Output() io.Writer { return o }

func (o outT) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.errors = append(o.errors, string(p))
	return len(p), nil
}

// runOutT is runT with an outT.
func runOutT(body func(ot outT)) *recT {
	rt := &recT{}
	return runWith(rt, func() { body(outT{rt}) })
}

// runT runs body as a test of its own on rt: on a goroutine of its own
// (so that FailNow ends it), then rt's cleanups, last first.
func runT(body func(rt *recT)) *recT {
	rt := &recT{}
	return runWith(rt, func() { body(rt) })
}

func runWith(rt *recT, body func()) *recT {
	done := make(chan struct{})
	go func() {
		defer close(done)
		body()
	}()
	<-done
	rt.mu.Lock()
	cleanups := rt.cleanups
	rt.cleanups = nil
	rt.mu.Unlock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	return rt
}

// logFailure shows what a recording T got, for the test's own failures.
func logFailure(t *testing.T, rt *recT) {
	t.Helper()
	if t.Failed() {
		t.Logf("the recording T got:\n%s\nlogs:\n%s", rt.Errors(), rt.Logs())
	}
}

// The test values the entry points take.
var (
	_ contracttest.TestingT = (*testing.T)(nil)
	_ contracttest.TestingT = testing.TB(nil)
	_ contracttest.TestingT = (*recT)(nil)
	_ contracttest.TestingT = outT{}
)
