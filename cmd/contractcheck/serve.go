package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
	"github.com/contractcheck/contractcheck/validate/report"
)

// serveFlags are the flags of contractcheck serve.
type serveFlags struct {
	fs             *flag.FlagSet
	addr           string
	record         string
	spec           string
	account, token string
	origin         string
	quiet          bool
	readTimeout    time.Duration
}

// newServeFlags defines the flags of serve, with their defaults.
func newServeFlags() *serveFlags {
	f := &serveFlags{fs: newFlagSet("serve")}
	f.fs.StringVar(&f.addr, "addr", "127.0.0.1:4010", "")
	f.fs.StringVar(&f.record, "record", "", "")
	f.fs.StringVar(&f.spec, "spec", "", "")
	f.fs.StringVar(&f.account, "account-sid", "", "")
	f.fs.StringVar(&f.token, "auth-token", "", "")
	f.fs.StringVar(&f.origin, "allow-origin", "*", "")
	f.fs.BoolVar(&f.quiet, "quiet", false, "")
	f.fs.DurationVar(&f.readTimeout, "read-timeout", defaultReadTimeout, "")
	return f
}

// runServe runs contractcheck serve: the fake endpoint of contracttest as a
// process, until interrupted.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newServeFlags()
	rest, code, done := parseCommand(f.fs, args, stdout, stderr)
	if done {
		return code
	}
	switch {
	case len(rest) > 0:
		return usageError(stderr, "serve", fmt.Errorf("serve takes no arguments, got %q", rest[0]))
	case (f.account == "") != (f.token == ""):
		return usageError(stderr, "serve", errors.New("--account-sid and --auth-token go together"))
	}
	if err := checkAccountSID("--account-sid", f.account); err != nil {
		return usageError(stderr, "serve", err)
	}
	if err := checkTimeout("--read-timeout", f.readTimeout); err != nil {
		return usageError(stderr, "serve", err)
	}
	if err := overlap(liveOutputs("--record", f.record), settingsInputs(f.spec, "")); err != nil {
		return usageError(stderr, "serve", err)
	}
	plan := loadPlan(ctx, f.spec, stderr)
	if plan == nil {
		return exitError
	}
	rec, err := newHARRecorder(f.record)
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck serve: %v\n", err)
		return exitError
	}
	lg := &exchangeLog{w: stdout, quiet: f.quiet, rec: rec, stderr: stderr}
	opts := []contracttest.Option{contracttest.WithPlan(plan), contracttest.AllowOrigin(f.origin), contracttest.Observe(lg.call)}
	if f.account != "" {
		opts = append(opts, contracttest.Credentials(f.account, f.token))
	}
	fake, err := contracttest.NewFake(opts...)
	if err != nil {
		rec.close()
		return usageError(stderr, "serve", err)
	}
	ln, err := listen(f.addr)
	if err != nil {
		rec.close()
		fmt.Fprintf(stderr, "contractcheck serve: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stderr, "contractcheck serve: faking POST /v1/Conversations/{ConversationSid}/Webhooks of %s on http://%s (Ctrl-C stops)\n", plan.File(), ln.Addr())
	err = serveUntilDone(ctx, newServer(fake, f.readTimeout), ln)
	if cerr := rec.close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = lg.err()
	}
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck serve: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stderr, "contractcheck serve: stopped after %s\n", count(lg.count(), "exchange"))
	return exitOK
}

// exchangeLog writes a line per exchange the fake answers, and records it.
type exchangeLog struct {
	w      io.Writer
	stderr io.Writer
	quiet  bool
	rec    *harRecorder

	mu       sync.Mutex
	n        int
	firstErr error
}

// call logs and records one call of the fake.
func (l *exchangeLog) call(c contracttest.Call) {
	now := time.Now()
	line := exchangeLine(now, report.NewPair(c.Exchange, validate.Result{Operation: c.Operation, Findings: c.Findings, Omitted: c.Omitted}, validate.SeverityError), c.Exchange.Response.Body)
	err := l.rec.record(c.Exchange, now, 0)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	if err != nil && l.firstErr == nil {
		l.firstErr = err
		fmt.Fprintf(l.stderr, "contractcheck serve: %v\n", err)
	}
	if !l.quiet {
		fmt.Fprintln(l.w, line)
	}
}

func (l *exchangeLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

func (l *exchangeLog) err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.firstErr
}

// exchangeLine is the log line of an exchange: its time, request line and
// status, then the webhook created (from the response body), or what the
// request breaks. The values from the exchange are redacted and escaped
// ([escape.Line]), so that an exchange is one line of the log.
func exchangeLine(now time.Time, p report.Pair, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s -> %d", now.UTC().Format(time.RFC3339), escape.Line(p.Request()), p.Status)
	findings := p.Findings
	if p.Status == 201 {
		var created struct {
			Sid    string `json:"sid"`
			Target string `json:"target"`
		}
		if json.Unmarshal(body, &created) == nil && created.Sid != "" {
			fmt.Fprintf(&b, " created %s (target %s)", shown(created.Sid), shown(created.Target))
		}
	}
	more := p.OmittedCount() // left out by the caps
	for i, f := range findings {
		if i == 2 {
			more += len(findings) - i
			break
		}
		sep := ";"
		if i == 0 {
			sep = ":"
		}
		fmt.Fprintf(&b, "%s %s %s %s", sep, f.Severity, escape.Line(f.Rule), escape.Line(f.Location.String()))
	}
	if more > 0 {
		fmt.Fprintf(&b, "; and %d more", more)
	}
	return b.String()
}

// shown is a value of an exchange as a log line shows it: redacted, then
// escaped.
func shown(s string) string { return escape.Line(redact.Text(s, nil)) }
