package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/baseline"
	"github.com/contractcheck/contractcheck/validate/report"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// checkOptions are the parsed command line of contractcheck check.
type checkOptions struct {
	spec            string
	format          report.Format
	failOn          validate.Severity
	failOnUnmatched bool
	allowEmpty      bool // a run that checks no pair passes
	quiet           bool
	color           string
	progress        string
	files           []string
	rules           *ruleset.Set
	servers         []serverSetting // added to the contract's (--server, servers:)
	reports         []reportFile
	summary         string  // the file of --summary
	baseline        string  // the file of --baseline
	writeBaseline   string  // the file of --write-baseline
	htmlMaxPairs    int     // --html-max-pairs
	coverage        string  // the file of --coverage
	minCoverage     float64 // --min-coverage (0: none)
}

// checkFlags are the flags of contractcheck check.
type checkFlags struct {
	fs              *flag.FlagSet
	spec            string
	format          *choice
	failOn          *choice
	color           *choice
	progress        *choice
	failOnUnmatched bool
	allowEmpty      bool
	quiet           bool
	settings        settingsFlags
	reports         listFlag
	summary         string
	baseline        string
	writeBaseline   string
	htmlMaxPairs    int
	coverage        string
	minCoverage     float64
}

// newCheckFlags defines the flags of check, with their defaults, in a flag
// set named for command: probe takes them too.
func newCheckFlags(command string) *checkFlags {
	formats := make([]string, 0, len(report.Formats()))
	for _, f := range report.Formats() {
		formats = append(formats, string(f))
	}
	f := &checkFlags{
		fs:       newFlagSet(command),
		format:   newChoice(string(report.FormatText), formats...),
		failOn:   newChoice(validate.SeverityError.String(), validate.SeverityError.String(), validate.SeverityWarning.String()),
		color:    newChoice(colorAuto, colorAuto, colorAlways, colorNever),
		progress: newChoice(progressAuto, progressAuto, progressAlways, progressNever),
	}
	f.fs.StringVar(&f.spec, "spec", "", "")
	f.fs.Var(f.format, "format", "")
	f.fs.Var(f.failOn, "fail-on", "")
	f.fs.BoolVar(&f.failOnUnmatched, "fail-on-unmatched", false, "")
	if command == "check" { // a probe always sends requests of the operation
		f.fs.BoolVar(&f.allowEmpty, "allow-empty", false, "")
	}
	f.fs.StringVar(&f.coverage, "coverage", "", "")
	f.fs.Float64Var(&f.minCoverage, "min-coverage", 0, "")
	f.fs.BoolVar(&f.quiet, "quiet", false, "")
	f.fs.Var(f.color, "color", "")
	f.fs.Var(f.progress, "progress", "")
	f.settings.define(f.fs)
	f.fs.Var(&f.settings.servers, "server", "")
	f.fs.Var(&f.reports, "report", "")
	f.fs.StringVar(&f.summary, "summary", "", "")
	f.fs.StringVar(&f.baseline, "baseline", "", "")
	f.fs.StringVar(&f.writeBaseline, "write-baseline", "", "")
	f.fs.IntVar(&f.htmlMaxPairs, "html-max-pairs", report.DefaultHTMLMaxPairs, "")
	return f
}

// parseCheck parses the command line of check. When done, the command must
// return code (help was printed, or a usage error).
func parseCheck(args []string, stdout, stderr io.Writer) (opts checkOptions, code int, done bool) {
	f := newCheckFlags("check")
	files, code, done := parseCommand(f.fs, args, stdout, stderr)
	if done {
		return opts, code, true
	}
	switch {
	case len(files) == 0:
		return opts, usageError(stderr, "check", errors.New("no recording given (use - to read standard input)")), true
	case countOf(files, stdinName) > 1:
		return opts, usageError(stderr, "check", errors.New("standard input (-) can be read only once")), true
	}
	return f.options(files, nil, stderr)
}

// options turns the parsed flags into the options of a run, reading the rule
// settings, and refuses outputs that would overwrite an input or each other
// (extra are the command's other outputs). When done, the command must return
// code.
func (f *checkFlags) options(files []string, extra []runFile, stderr io.Writer) (opts checkOptions, code int, done bool) {
	command := f.fs.Name()
	reports, err := parseReportFlags(f.reports)
	opts = checkOptions{
		spec:            f.spec,
		format:          report.Format(f.format.value),
		failOnUnmatched: f.failOnUnmatched,
		allowEmpty:      f.allowEmpty,
		quiet:           f.quiet,
		color:           f.color.value,
		progress:        f.progress.value,
		files:           files,
		reports:         reports,
		summary:         f.summary,
		baseline:        f.baseline,
		writeBaseline:   f.writeBaseline,
		htmlMaxPairs:    f.htmlMaxPairs,
		coverage:        f.coverage,
		minCoverage:     f.minCoverage,
	}
	switch {
	case err != nil:
		return opts, usageError(stderr, command, err), true
	case opts.minCoverage < 0 || opts.minCoverage > 100:
		return opts, usageError(stderr, command, fmt.Errorf("--min-coverage %g: want a percentage from 0 to 100", opts.minCoverage)), true
	case opts.htmlMaxPairs < 1:
		return opts, usageError(stderr, command, fmt.Errorf("--html-max-pairs %d: want at least 1 failing pair per rule", opts.htmlMaxPairs)), true
	case opts.quiet && opts.format != report.FormatText && command == "check": // probe's also silences its lines per request
		return opts, usageError(stderr, command, fmt.Errorf("--quiet applies to the text format only, not %s", opts.format)), true
	}
	failOn := ""
	if flagGiven(f.fs, "fail-on") {
		failOn = f.failOn.value
	}
	if opts.rules, opts.servers, err = loadSettings(command, f.settings, failOn, stderr); err != nil {
		return opts, exitError, true
	}
	opts.failOn, _ = opts.rules.FailOn()
	if err := overlap(append(opts.outputs(), extra...), opts.inputs(f.settings)); err != nil {
		return opts, usageError(stderr, command, err), true
	}
	return opts, exitOK, false
}

// writesHTML reports whether the run writes an HTML report, which shows the
// request and response of each failing pair.
func (opts checkOptions) writesHTML() bool {
	if opts.format == report.FormatHTML {
		return true
	}
	for _, r := range opts.reports {
		if r.format == report.FormatHTML {
			return true
		}
	}
	return false
}

// outputs lists the files a run writes.
func (opts checkOptions) outputs() []runFile {
	var out []runFile
	for _, r := range opts.reports {
		out = append(out, runFile{what: fmt.Sprintf("--report %s=%s", r.format, r.file), name: r.file})
	}
	if opts.summary != "" {
		out = append(out, runFile{what: "--summary " + opts.summary, name: opts.summary})
	}
	if opts.writeBaseline != "" {
		out = append(out, runFile{what: "--write-baseline " + opts.writeBaseline, name: opts.writeBaseline, baseline: true})
	}
	if opts.coverage != "" {
		out = append(out, runFile{what: "--coverage " + opts.coverage, name: opts.coverage})
	}
	return out
}

// inputs lists the files a run reads.
func (opts checkOptions) inputs(s settingsFlags) []runFile {
	var in []runFile
	for _, name := range opts.files {
		if name != stdinName {
			in = append(in, runFile{what: "the recording " + name, name: name})
		}
	}
	in = append(in, settingsInputs(opts.spec, configFile(s))...)
	if opts.baseline != "" {
		in = append(in, runFile{what: "the baseline (--baseline) " + opts.baseline, name: opts.baseline, baseline: true})
	}
	return in
}

// runCheck runs contractcheck check: it reads each recording, checks every
// exchange and writes the report.
func runCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, code, done := parseCheck(args, stdout, stderr)
	if done {
		return code
	}
	tuneGC()
	plan := withRulesOff(withServers("check", loadPlan(ctx, opts.spec, stderr), opts.servers, stderr), opts.rules)
	if plan == nil {
		return exitError
	}
	tuneGCForPlan()
	var prog *progress
	if useProgress(opts.progress, stderr) {
		prog = newProgress(stderr, time.Now)
	}
	rec, ok := coverageRecorder(opts, plan, stderr)
	if !ok {
		return exitError
	}
	rr, code := openReports(opts, plan, stdout, prog.writer(stderr))
	if rr == nil {
		return code
	}
	rr.c.cover = rec
	err := rr.c.checkAll(ctx, recordings(ctx, opts.files, stdin, prog.bytesRead()), rr.out, prog)
	prog.finish()
	return rr.finish(ctx, err, opts, stderr)
}

// reportRun is the reporting side of a run of check or probe: the checker
// of the run's settings, and the sink that writes every report.
type reportRun struct {
	c     checker
	out   *sink
	files outputs
}

// openReports opens the reports of a run: the one on stdout, the --report
// files and the --summary; input errors are printed on stderr. When it
// returns nil, the command must return code.
func openReports(opts checkOptions, plan *validate.Plan, stdout, stderr io.Writer) (*reportRun, int) {
	rr := &reportRun{c: checker{plan: plan, failOn: opts.failOn, failOnUnmatched: opts.failOnUnmatched, rules: opts.rules, wire: opts.writesHTML()}}
	var err error
	if opts.baseline != "" {
		if rr.c.baseline, err = baseline.Read(opts.baseline); err != nil {
			fmt.Fprintf(stderr, "contractcheck: %v\n", err)
			return nil, exitError
		}
	}
	ropts := report.Options{
		Contract:     plan.File(),
		Color:        useColor(opts.color, stdout, os.Getenv("NO_COLOR")),
		Quiet:        opts.quiet,
		ToolVersion:  versionString(),
		HTMLMaxPairs: opts.htmlMaxPairs,
		ToolRules:    toolRules(),
	}
	w, err := report.New(stdout, opts.format, ropts)
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return nil, exitError
	}
	if err := rr.files.open(opts.reports, opts.summary, ropts); err != nil {
		rr.files.close()
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return nil, exitError
	}
	rr.out = &sink{w: rr.files.writer(w), stderr: stderr}
	if opts.writeBaseline != "" {
		rr.out.record = baseline.NewRecorder()
	}
	return rr, exitOK
}

// finish ends the reports after the pairs, err being what stopped them, and
// returns the exit status.
func (rr *reportRun) finish(ctx context.Context, err error, opts checkOptions, stderr io.Writer) int {
	if rr.c.cover != nil {
		rep := rr.c.cover.Report()
		rr.out.summary.Coverage = &rep
	}
	if err == nil || ctx.Err() != nil {
		// Finish even when interrupted, so that the report stays well formed.
		if ferr := rr.out.w.Finish(rr.out.summary); err == nil {
			err = ferr
		}
	}
	if cerr := rr.files.close(); err == nil {
		err = cerr
	}
	code := rr.c.exitStatus(ctx, err, opts, rr.out, stderr)
	return finishCoverage(ctx, rr.out.summary.Coverage, opts, stderr, code)
}

// exitStatus ends a run of check: it reports stale baseline entries, writes
// the baseline when asked, and returns the exit status. Writing a baseline
// accepts every finding of the run, so the run then passes unless it is
// incomplete. A run that checked no pair of the contract fails, saying why,
// unless --allow-empty: a gate must not go green on nothing.
func (c checker) exitStatus(ctx context.Context, err error, opts checkOptions, out *sink, stderr io.Writer) int {
	if err == nil && ctx.Err() == nil {
		if c.baseline != nil {
			reportStale(c.baseline, stderr)
		}
		if out.record != nil {
			if err = writeBaseline(out.record, opts.writeBaseline); err == nil {
				fmt.Fprintf(stderr, "contractcheck: wrote %s with %s (%s)\n", opts.writeBaseline, count(out.record.Len(), "accepted finding"),
					count(out.summary.Errors+out.summary.Warnings+out.summary.Suppressed, "occurrence"))
			}
		}
	}
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "contractcheck: interrupted: the report is incomplete")
		return exitError
	case err != nil:
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return exitError
	case out.summary.InputErrors > 0:
		return exitError
	case out.checked == 0 && !opts.allowEmpty:
		fmt.Fprint(stderr, emptyRun(&out.skips))
		return exitFail
	case out.summary.Failed > 0 && out.record == nil:
		return exitFail
	}
	return exitOK
}

// countOf counts the elements of s equal to v.
func countOf(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}
