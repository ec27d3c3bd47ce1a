package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/proxy"
	"github.com/contractcheck/contractcheck/validate/report"
)

// proxyFlags are the flags of contractcheck proxy.
type proxyFlags struct {
	fs              *flag.FlagSet
	listen          string
	upstream        string
	record          string
	ndjson          string
	maxBody         string
	enforce         bool
	readTimeout     time.Duration
	upstreamTimeout time.Duration
	quiet           bool
	spec            string
	failOn          *choice
	settings        settingsFlags
	coverage        string
}

// newProxyFlags defines the flags of proxy, with their defaults.
func newProxyFlags() *proxyFlags {
	f := &proxyFlags{fs: newFlagSet("proxy"),
		failOn: newChoice(validate.SeverityError.String(), validate.SeverityError.String(), validate.SeverityWarning.String())}
	f.fs.StringVar(&f.listen, "listen", "127.0.0.1:4011", "")
	f.fs.StringVar(&f.upstream, "upstream", "", "")
	f.fs.StringVar(&f.record, "record", "", "")
	f.fs.StringVar(&f.ndjson, "ndjson", "", "")
	f.fs.StringVar(&f.maxBody, "max-body", "1MiB", "")
	f.fs.BoolVar(&f.enforce, "enforce", false, "")
	f.fs.DurationVar(&f.readTimeout, "read-timeout", defaultReadTimeout, "")
	f.fs.DurationVar(&f.upstreamTimeout, "upstream-timeout", defaultUpstreamTimeout, "")
	f.fs.BoolVar(&f.quiet, "quiet", false, "")
	f.fs.StringVar(&f.spec, "spec", "", "")
	f.fs.Var(f.failOn, "fail-on", "")
	f.settings.define(f.fs)
	f.fs.StringVar(&f.coverage, "coverage", "", "")
	return f
}

// parseSize parses a byte count: digits, optionally followed by KiB, MiB or
// GiB (or KB, MB, GB, also powers of 1024 here) or B.
func parseSize(s string) (int64, error) {
	num := strings.TrimRight(s, "KMGiBkmgb")
	unit := strings.ToLower(s[len(num):])
	mult := map[string]int64{"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
		"g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}[unit]
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || mult == 0 || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a size such as 1048576, 512KiB or 1MiB", s)
	}
	return n * mult, nil
}

// runProxy runs contractcheck proxy: a reverse proxy to the upstream that
// checks every exchange as it passes and streams the findings.
func runProxy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newProxyFlags()
	rest, code, done := parseCommand(f.fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(rest) > 0 {
		return usageError(stderr, "proxy", fmt.Errorf("proxy takes no arguments, got %q", rest[0]))
	}
	upstream, err := parseBaseURL("--upstream", f.upstream)
	if err != nil {
		return usageError(stderr, "proxy", err)
	}
	maxBody, err := parseSize(f.maxBody)
	if err != nil {
		return usageError(stderr, "proxy", fmt.Errorf("--max-body: %w", err))
	}
	if err := errors.Join(checkTimeout("--read-timeout", f.readTimeout), checkTimeout("--upstream-timeout", f.upstreamTimeout)); err != nil {
		return usageError(stderr, "proxy", err)
	}
	upstreamTimeout := f.upstreamTimeout
	if upstreamTimeout == 0 {
		upstreamTimeout = -1 // none
	}
	failOn := ""
	if flagGiven(f.fs, "fail-on") {
		failOn = f.failOn.value
	}
	rules, _, err := loadSettings("proxy", f.settings, failOn, stderr)
	if err != nil {
		return exitError
	}
	if err := overlap(liveOutputs("--record", f.record, "--ndjson", f.ndjson, "--coverage", f.coverage), settingsInputs(f.spec, configFile(f.settings))); err != nil {
		return usageError(stderr, "proxy", err)
	}
	plan := withRulesOff(loadPlan(ctx, f.spec, stderr), rules)
	if plan == nil {
		return exitError
	}
	sev, _ := rules.FailOn()
	covOpts := checkOptions{spec: f.spec, coverage: f.coverage}
	cover, ok := coverageRecorder(covOpts, plan, stderr)
	if !ok {
		return exitError
	}
	st, err := newProxyStream(plan, checker{plan: plan, failOn: sev, rules: rules, cover: cover}, f, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck proxy: %v\n", err)
		return exitError
	}
	p, err := proxy.New(proxy.Options{Plan: plan, Upstream: upstream, MaxBody: maxBody, Enforce: f.enforce,
		UpstreamTimeout: upstreamTimeout, OnExchange: st.exchange})
	if err != nil {
		st.close()
		return usageError(stderr, "proxy", err)
	}
	ln, err := listen(f.listen)
	if err != nil {
		st.close()
		fmt.Fprintf(stderr, "contractcheck proxy: %v\n", err)
		return exitError
	}
	mode := "checking"
	if f.enforce {
		mode = "enforcing"
	}
	fmt.Fprintf(stderr, "contractcheck proxy: listening on http://%s, forwarding to %s, %s %s (Ctrl-C stops)\n", ln.Addr(), upstream.Redacted(), mode, plan.File())
	err = serveUntilDone(ctx, newServer(p, f.readTimeout), ln)
	if cerr := st.close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck proxy: %v\n", err)
		return exitError
	}
	code = exitOK
	if st.out.summary.Failed > 0 {
		code = exitFail
	}
	// Stopped by a signal, as a proxy always is: the coverage is complete.
	return finishCoverage(context.Background(), st.out.summary.Coverage, covOpts, stderr, code)
}

// proxyStream reports and records the exchanges of a proxy as they pass:
// a text report on standard error, NDJSON to --ndjson, the HAR of --record.
type proxyStream struct {
	c      checker
	rec    *harRecorder
	ndjson *os.File
	stderr io.Writer
	quiet  bool

	mu   sync.Mutex // serialises the sink
	out  *sink
	werr error // the first error writing a report or the recording
}

// newProxyStream opens the reports and the recording of a proxy.
func newProxyStream(plan *validate.Plan, c checker, f *proxyFlags, stderr io.Writer) (*proxyStream, error) {
	st := &proxyStream{c: c, stderr: stderr, quiet: f.quiet}
	ropts := report.Options{Contract: plan.File(), Color: useColor(colorAuto, stderr, os.Getenv("NO_COLOR")), ToolVersion: versionString()}
	text, err := report.New(stderr, report.FormatText, ropts)
	if err != nil {
		return nil, err
	}
	writers := []report.Writer{text}
	if f.ndjson != "" {
		// Appended to, as the recording is: a restart loses nothing.
		if st.ndjson, err = os.OpenFile(f.ndjson, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err != nil {
			return nil, fmt.Errorf("creating the NDJSON report: %w", err)
		}
		ropts.Color = false
		w, err := report.New(st.ndjson, report.FormatNDJSON, ropts)
		if err != nil {
			st.ndjson.Close()
			return nil, err
		}
		writers = append(writers, w)
	}
	if st.rec, err = newHARRecorder(f.record); err != nil {
		if st.ndjson != nil {
			st.ndjson.Close()
		}
		return nil, err
	}
	st.out = &sink{w: report.Multi(writers...), stderr: stderr}
	return st, nil
}

// exchange reports and records one exchange; the proxy calls it from its
// handlers' goroutines.
func (st *proxyStream) exchange(e proxy.Exchange) {
	ex := e.Exchange
	p := st.c.result(ex, e.Result)
	if st.c.cover != nil && e.NotChecked == "" {
		st.c.cover.Add(ex, e.Result)
	}
	if e.NotChecked != "" && p.Verdict == report.VerdictPass {
		// What was checked is clean, but not everything was: not a pass.
		p.Verdict, p.Reason = report.VerdictSkip, "not fully checked: "+e.NotChecked
	} else if e.NotChecked != "" && p.Verdict == report.VerdictSkip && e.Result.Operation == "" && p.Reason == "" {
		p.Reason = "not checked: " + e.NotChecked
	}
	rerr := st.rec.record(ex, e.Started, e.Elapsed)
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.quiet && e.Action != proxy.Forwarded {
		fmt.Fprintf(st.stderr, "contractcheck proxy: #%d %s: %s\n", ex.Entry, escape.Line(p.Request()), shown(actionText(e)))
	} else if !st.quiet && e.NotChecked != "" {
		what := "not checked"
		if e.Result.Operation != "" {
			what = "not fully checked (headers checked)"
		}
		fmt.Fprintf(st.stderr, "contractcheck proxy: #%d %s: %s: %s\n", ex.Entry, escape.Line(p.Request()), what, shown(e.NotChecked))
	}
	if err := errors.Join(rerr, st.out.put(p)); err != nil && st.werr == nil {
		st.werr = err
		fmt.Fprintf(st.stderr, "contractcheck proxy: %v\n", err)
	}
}

// actionText says what the proxy did with an exchange it did not forward.
func actionText(e proxy.Exchange) string {
	switch e.Action {
	case proxy.RefusedRequest:
		return "refused with 400: the request breaks the contract"
	case proxy.RefusedResponse:
		return "answered 502: the upstream's response breaks the contract"
	case proxy.UpstreamFailed, proxy.UpstreamTimedOut, proxy.Stopped, proxy.RefusedTooLarge, proxy.ClientFailed:
		if status := e.Exchange.Response.Status; status != 0 {
			return fmt.Sprintf("answered %d: %s", status, e.NotChecked)
		}
		return e.NotChecked
	}
	return e.Action.String()
}

// close finishes the reports (the summary line on standard error) and the
// recording.
func (st *proxyStream) close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	err := st.werr
	if st.c.cover != nil {
		rep := st.c.cover.Report()
		st.out.summary.Coverage = &rep
	}
	if ferr := st.out.w.Finish(st.out.summary); err == nil {
		err = ferr
	}
	if rerr := st.rec.close(); err == nil {
		err = rerr
	}
	if st.ndjson != nil {
		if cerr := st.ndjson.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("closing the NDJSON report: %w", cerr)
		}
	}
	return err
}
