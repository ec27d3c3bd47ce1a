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
	"github.com/contractcheck/contractcheck/validate/report"
)

// checkOptions are the parsed command line of contractcheck check.
type checkOptions struct {
	spec            string
	format          report.Format
	failOn          validate.Severity
	failOnUnmatched bool
	quiet           bool
	color           string
	progress        string
	files           []string
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
	quiet           bool
}

// newCheckFlags defines the flags of check, with their defaults.
func newCheckFlags() *checkFlags {
	formats := make([]string, 0, len(report.Formats()))
	for _, f := range report.Formats() {
		formats = append(formats, string(f))
	}
	f := &checkFlags{
		fs:       newFlagSet("check"),
		format:   newChoice(string(report.FormatText), formats...),
		failOn:   newChoice(validate.SeverityError.String(), validate.SeverityError.String(), validate.SeverityWarning.String()),
		color:    newChoice(colorAuto, colorAuto, colorAlways, colorNever),
		progress: newChoice(progressAuto, progressAuto, progressAlways, progressNever),
	}
	f.fs.StringVar(&f.spec, "spec", "", "")
	f.fs.Var(f.format, "format", "")
	f.fs.Var(f.failOn, "fail-on", "")
	f.fs.BoolVar(&f.failOnUnmatched, "fail-on-unmatched", false, "")
	f.fs.BoolVar(&f.quiet, "quiet", false, "")
	f.fs.Var(f.color, "color", "")
	f.fs.Var(f.progress, "progress", "")
	return f
}

// parseCheck parses the command line of check. When done, the command must
// return code (help was printed, or a usage error).
func parseCheck(args []string, stdout, stderr io.Writer) (opts checkOptions, code int, done bool) {
	f := newCheckFlags()
	files, code, done := parseCommand(f.fs, args, stdout, stderr)
	if done {
		return opts, code, true
	}
	failOn, err := validate.ParseSeverity(f.failOn.value)
	opts = checkOptions{
		spec:            f.spec,
		format:          report.Format(f.format.value),
		failOn:          failOn,
		failOnUnmatched: f.failOnUnmatched,
		quiet:           f.quiet,
		color:           f.color.value,
		progress:        f.progress.value,
		files:           files,
	}
	switch {
	case err != nil:
		return opts, usageError(stderr, "check", err), true
	case len(files) == 0:
		return opts, usageError(stderr, "check", errors.New("no recording given (use - to read standard input)")), true
	case countOf(files, stdinName) > 1:
		return opts, usageError(stderr, "check", errors.New("standard input (-) can be read only once")), true
	case opts.quiet && opts.format != report.FormatText:
		return opts, usageError(stderr, "check", fmt.Errorf("--quiet applies to the text format only, not %s", opts.format)), true
	}
	return opts, exitOK, false
}

// runCheck runs contractcheck check: it reads each recording, checks every
// exchange and writes the report.
func runCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, code, done := parseCheck(args, stdout, stderr)
	if done {
		return code
	}
	tuneGC()
	plan := loadPlan(opts.spec, stderr)
	if plan == nil {
		return exitError
	}
	w, err := report.New(stdout, opts.format, report.Options{
		Contract: plan.File(),
		Color:    useColor(opts.color, stdout, os.Getenv("NO_COLOR")),
		Quiet:    opts.quiet,
	})
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return exitError
	}

	c := checker{plan: plan, failOn: opts.failOn, failOnUnmatched: opts.failOnUnmatched}
	var prog *progress
	if useProgress(opts.progress, stderr) {
		prog = newProgress(stderr, time.Now)
	}
	out := &sink{w: w, stderr: prog.writer(stderr)}
	err = c.checkAll(ctx, recordings(opts.files, stdin, prog.bytesRead()), out, prog)
	prog.finish()
	if err == nil || ctx.Err() != nil {
		// Finish even when interrupted, so that the report stays well formed.
		if ferr := w.Finish(out.summary); err == nil {
			err = ferr
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
	case out.summary.Failed > 0:
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
