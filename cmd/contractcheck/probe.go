package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"time"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
	"github.com/contractcheck/contractcheck/validate/probe"
)

// probeFlags are the flags of contractcheck probe: those of check's reports
// and settings, and the probe's own.
type probeFlags struct {
	*checkFlags
	baseURL        string
	conversation   string
	account, token string
	timeout        time.Duration
	record         string
	dryRun         bool
}

// newProbeFlags defines the flags of probe, with their defaults.
func newProbeFlags() *probeFlags {
	f := &probeFlags{checkFlags: newCheckFlags("probe")}
	f.fs.StringVar(&f.baseURL, "base-url", "", "")
	f.fs.StringVar(&f.conversation, "conversation", "", "")
	f.fs.StringVar(&f.account, "account-sid", "", "")
	f.fs.StringVar(&f.token, "auth-token", "", "")
	f.fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "")
	f.fs.StringVar(&f.record, "record", "", "")
	f.fs.BoolVar(&f.dryRun, "dry-run", false, "")
	return f
}

// probeOptions are the parsed command line of probe.
type probeOptions struct {
	checkOptions
	base           *url.URL
	conversation   string
	account, token string
	timeout        time.Duration
	record         string
	dryRun         bool
}

// parseProbe parses the command line of probe. When done, the command must
// return code.
func parseProbe(args []string, stdout, stderr io.Writer) (opts probeOptions, code int, done bool) {
	f := newProbeFlags()
	rest, code, done := parseCommand(f.fs, args, stdout, stderr)
	if done {
		return opts, code, true
	}
	if len(rest) > 0 {
		return opts, usageError(stderr, "probe", fmt.Errorf("probe takes no arguments, got %q", rest[0])), true
	}
	base, err := parseBaseURL("--base-url", f.baseURL)
	if err != nil {
		return opts, usageError(stderr, "probe", err), true
	}
	if f.timeout <= 0 {
		return opts, usageError(stderr, "probe", fmt.Errorf("--timeout %s: want a positive duration, such as 10s", f.timeout)), true
	}
	opts = probeOptions{base: base, conversation: f.conversation, timeout: f.timeout, record: f.record, dryRun: f.dryRun,
		account: cmp.Or(f.account, os.Getenv("TWILIO_ACCOUNT_SID")), token: cmp.Or(f.token, os.Getenv("TWILIO_AUTH_TOKEN"))}
	accountFrom := "--account-sid"
	if f.account == "" {
		accountFrom = "TWILIO_ACCOUNT_SID"
	}
	if err := checkAccountSID(accountFrom, opts.account); err != nil {
		return opts, usageError(stderr, "probe", err), true
	}
	if (opts.account == "") != (opts.token == "") {
		return opts, usageError(stderr, "probe", errors.New("give both the account SID and the auth token (--account-sid and --auth-token, or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN), or neither")), true
	}
	var extra []runFile
	if opts.record != "" {
		extra = append(extra, runFile{what: "--record " + opts.record, name: opts.record})
	}
	opts.checkOptions, code, done = f.options(nil, extra, stderr)
	return opts, code, done
}

// parseBaseURL parses an absolute http or https URL given to flag.
func parseBaseURL(flag, s string) (*url.URL, error) {
	if s == "" {
		return nil, fmt.Errorf("%s is required, such as %s http://127.0.0.1:4010", flag, flag)
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s %q: %w", flag, s, err)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return nil, fmt.Errorf("%s %q: want an absolute http or https URL, such as http://127.0.0.1:4010", flag, s)
	case u.User != nil:
		return nil, fmt.Errorf("%s: give credentials with --account-sid and --auth-token, not in the URL", flag)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%s %q: a base URL has no query or fragment", flag, s)
	}
	return u, nil
}

// runProbe runs contractcheck probe: it sends each case to the server,
// checks the answers and writes the report, as check does for a recording.
func runProbe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, code, done := parseProbe(args, stdout, stderr)
	if done {
		return code
	}
	// The server probed is one of the operation's, whatever its host.
	servers := append(opts.servers, serverSetting{url: opts.base.Scheme + "://" + opts.base.Host, origin: "--base-url"})
	plan := withRulesOff(withServers("probe", loadPlan(ctx, opts.spec, stderr), servers, stderr), opts.rules)
	if plan == nil {
		return exitError
	}
	cases, err := probe.Cases(plan, contracttest.OperationID, opts.conversation)
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck probe: %v\n", err)
		return exitError
	}
	client := &probe.Client{
		HTTP: &http.Client{Timeout: opts.timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		Base: opts.base, AccountSID: opts.account, AuthToken: opts.token, UserAgent: "contractcheck-probe/" + versionString(),
	}
	if opts.dryRun {
		return dryRun(ctx, client, cases, stdout, stderr)
	}
	rec, err := newHARRecorder(opts.record)
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck probe: %v\n", err)
		return exitError
	}
	cover, ok := coverageRecorder(opts.checkOptions, plan, stderr)
	if !ok {
		rec.close()
		return exitError
	}
	rr, code := openReports(opts.checkOptions, plan, stdout, stderr)
	if rr == nil {
		rec.close()
		return code
	}
	rr.c.cover = cover
	err = probeAll(ctx, client, plan, cases, rr, rec, opts.quiet, stderr)
	if rerr := rec.close(); err == nil {
		err = rerr
	}
	return rr.finish(ctx, err, opts.checkOptions, stderr)
}

// probeAll sends each case in turn, checks and records the exchange, and
// stops at the first that cannot be sent.
func probeAll(ctx context.Context, client *probe.Client, plan *validate.Plan, cases []probe.Case, rr *reportRun, rec *harRecorder, quiet bool, stderr io.Writer) error {
	for i, c := range cases {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		out, err := client.Send(ctx, c)
		if err != nil {
			return err
		}
		ex := out.Exchange
		ex.Source, ex.Entry = c.Name, i
		if err := rec.record(ex, out.Started, out.Elapsed); err != nil {
			return err
		}
		res := probe.Judge(plan, c, ex)
		if rr.c.cover != nil {
			rr.c.cover.Add(ex, res)
		}
		if !quiet {
			fmt.Fprintf(stderr, "contractcheck probe: %-42s %s %s -> %d (%s)\n", c.Name, c.Method, shown(ex.Request.URL), ex.Response.Status, probeVerdict(c, ex.Response.Status, res))
		}
		if err := rr.out.put(rr.c.result(ex, res)); err != nil {
			return err
		}
	}
	return nil
}

// probeVerdict says in a few words how a case went.
func probeVerdict(c probe.Case, status int, res validate.Result) string {
	n := len(res.Findings)
	switch {
	case c.Kind == probe.Negative && n == 0:
		return "refused, as it must be: it breaks " + c.Breaks.Rule
	case c.Kind == probe.Negative && slices.ContainsFunc(res.Findings, func(f validate.Finding) bool { return f.Rule == probe.RuleRefusal }):
		return "NOT refused: it breaks " + c.Breaks.Rule
	case n == 0:
		return "keeps the contract"
	}
	return count(n, "finding")
}

// dryRun prints the requests of the cases without sending them, the
// credentials redacted.
func dryRun(ctx context.Context, client *probe.Client, cases []probe.Case, stdout, stderr io.Writer) int {
	for i, c := range cases {
		req, err := client.Request(ctx, c)
		if err != nil {
			fmt.Fprintf(stderr, "contractcheck probe: %v\n", err)
			return exitError
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "# %d %s (%s", i, c.Name, c.Kind)
		if c.Kind == probe.Negative {
			fmt.Fprintf(stdout, ": breaks %s at %s; must be refused with a 4xx", c.Breaks.Rule, c.Breaks.Location)
		}
		fmt.Fprintf(stdout, ")\n%s %s\n", req.Method, req.URL)
		ex := &validate.Exchange{Request: validate.Request{Header: req.Header}}
		h := ex.WithoutSecrets().Request.Header
		for _, name := range slices.Sorted(maps.Keys(h)) {
			for _, v := range h[name] {
				fmt.Fprintf(stdout, "%s: %s\n", name, v)
			}
		}
		fmt.Fprintf(stdout, "\n%s\n", c.Body)
	}
	fmt.Fprintf(stderr, "contractcheck probe: dry run: %s not sent\n", count(len(cases), "request"))
	return exitOK
}
