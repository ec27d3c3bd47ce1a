package contracttest

import (
	"fmt"
	"sync"
	"time"

	"github.com/contractcheck/contractcheck/validate"
)

// TestingT is what the wrappers and the server need of a test: *testing.T,
// *testing.B, *testing.F and any testing.TB have it, and so does a recording
// double that proves a failure fails. Errorf is called from other goroutines
// (a server's, a client's), as testing.T allows; FailNow only from the
// goroutine that called the constructor. Cleanup must run its functions
// after the test, last registered first, as testing.T does.
type TestingT interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
	Cleanup(func())
}

// logger is the optional Logf of a test value; findings below the
// threshold go there.
type logger interface {
	Logf(format string, args ...any)
}

// helper is the optional Helper of a testify TestingT.
type helper interface {
	Helper()
}

// drainTimeout bounds how long a wrapper's cleanup waits for exchanges in
// flight (a handler still running, a request not yet answered) before it
// gives up on them and says so.
const drainTimeout = 10 * time.Second

// monitor reports the exchanges of one wrapper or server to its test. It
// numbers them (the entry of "contracttest.Transport#3"), remembers which
// expected violations occurred, and at the test's cleanup waits for the
// exchanges still in flight, so that nothing reports after the test is over.
type monitor struct {
	t      TestingT
	cfg    *config
	source string
	origin stack // where the wrapper or server was made: the site of last resort

	mu       sync.Mutex
	entries  int
	seen     map[string]bool
	inflight int
	closed   bool
	done     bool          // the cleanup is over: nothing may reach the test
	idle     chan struct{} // closed when closed and nothing is in flight
}

// configFor applies the options of a wrapper or server; bad options fail
// the test at once, and then it returns nil (when FailNow returns, as a
// double's may).
func configFor(t TestingT, opts []Option) *config {
	t.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		t.Errorf("%v", err)
		t.FailNow()
		return nil
	}
	return cfg
}

// newMonitor registers the monitor's cleanup with t; origin is the stack
// of the constructor's call.
func newMonitor(t TestingT, cfg *config, source string, origin stack) *monitor {
	t.Helper()
	m := &monitor{t: t, cfg: cfg, source: source, origin: origin, seen: map[string]bool{}, idle: make(chan struct{})}
	t.Cleanup(m.finish)
	return m
}

// begin announces an exchange; it returns false once the test is over, and
// then the exchange must go unchecked. Each true must be followed by end.
func (m *monitor) begin() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return false
	}
	m.inflight++
	return true
}

// end says an exchange begun is reported.
func (m *monitor) end() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inflight--
	if m.closed && m.inflight == 0 {
		close(m.idle)
	}
}

// report judges an exchange's findings and tells the test: a failure when
// they fail it, reported at the line that made the request (found in from,
// the stack captured where the request was made; nil for the current
// goroutine's, which made it; else where the wrapper was made), and a log
// line when some are below the threshold. The rules of also are expected
// as well (see [config.judge]). A quiet report only counts the exchange and
// its expected violations: another wrapper reports it. It is called between
// begin and end.
func (m *monitor) report(ex *validate.Exchange, operation string, findings []validate.Finding, also []string, from stack, quiet bool) {
	m.t.Helper()
	v := m.cfg.judge(findings, also)
	m.mu.Lock()
	defer m.mu.Unlock() // held while telling the test, so that finish cannot end it meanwhile
	if m.done {
		return
	}
	ex.Source, ex.Entry = m.source, m.entries
	m.entries++
	for _, id := range v.expected {
		m.seen[id] = true
	}
	switch {
	case quiet:
	case len(v.failing) > 0:
		if from == nil {
			from = captureStack()
		}
		failAt(m.t, siteOf(from).or(siteOf(m.origin)), m.cfg.failureMessage(ex, operation, v))
	case len(v.shown) > 0:
		m.log("findings below the threshold:\n%s", render(ex, operation, v.shown))
	}
}

// log writes to the test's log when it has one.
func (m *monitor) log(format string, args ...any) {
	if l, ok := m.t.(logger); ok {
		l.Logf(format, args...)
	}
}

// finish runs at the test's cleanup: it stops checking, waits for the
// exchanges in flight, and fails the test for expected violations that did
// not occur.
func (m *monitor) finish() {
	m.t.Helper()
	m.mu.Lock()
	m.closed = true
	if m.inflight == 0 {
		close(m.idle)
	}
	m.mu.Unlock()
	timer := time.NewTimer(drainTimeout)
	defer timer.Stop()
	select {
	case <-m.idle:
	case <-timer.C:
		m.mu.Lock()
		n := m.inflight
		m.mu.Unlock()
		m.t.Errorf("%s: %d exchanges still in flight %v after the test; they are not checked", m.source, n, drainTimeout)
	}
	m.mu.Lock()
	m.done = true
	missing := m.cfg.missing(func(id string) bool { return m.seen[id] })
	m.mu.Unlock()
	if len(missing) > 0 {
		m.t.Errorf("%s", expectedMessage(missing, fmt.Sprintf("in the exchanges of %s", m.source)))
	}
}
