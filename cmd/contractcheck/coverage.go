package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/coverage"
)

// coverageUsage is the usage of contractcheck coverage.
const coverageUsage = `Usage: contractcheck coverage [flags] FILE...

Merges the coverage files that contractcheck check --coverage wrote (of CI
shards, of several runs) into the coverage of all of them, and prints it: per
operation, each item (documented statuses, request fields and their enum
values, success response fields seen not null, CORS shapes, rules exercised)
covered or not, and the percentages.

Flags:
  --format FORMAT        text (default), json (a coverage file: merge it
                         again) or markdown
  -o FILE                write to FILE instead of standard output
  --min-coverage N       exit 1 when the coverage is below N percent
  -h, --help             print this help

Exit status: 0, 1 below --min-coverage, 2 when a file cannot be read or the
command line is wrong.
`

// runCoverage runs contractcheck coverage: it merges coverage files.
func runCoverage(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("coverage")
	format := newChoice(coverage.FormatText, coverage.Formats()...)
	var out string
	var min float64
	fs.Var(format, "format", "")
	fs.StringVar(&out, "o", "", "")
	fs.Float64Var(&min, "min-coverage", 0, "")
	files, code, done := parseCommand(fs, args, stdout, stderr)
	switch {
	case done:
		return code
	case len(files) == 0:
		return usageError(stderr, "coverage", errors.New("no coverage file given"))
	case min < 0 || min > 100:
		return usageError(stderr, "coverage", fmt.Errorf("--min-coverage %g: want a percentage from 0 to 100", min))
	}
	var reps []coverage.Report
	for _, f := range files {
		if out != "" && sameFile(out, f) {
			return usageError(stderr, "coverage", fmt.Errorf("-o %s would overwrite the coverage file %s, which this run reads", out, f))
		}
		rep, err := coverage.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "contractcheck: %v\n", err)
			return exitError
		}
		reps = append(reps, rep)
	}
	merged := coverage.Merge(reps...)
	w := stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			fmt.Fprintf(stderr, "contractcheck: %v\n", err)
			return exitError
		}
		defer f.Close()
		w = f
	}
	if err := coverage.Write(w, merged, format.value); err != nil {
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return exitError
	}
	return minCoverage(merged, min, stderr, exitOK)
}

// minCoverage returns exitFail, saying why, when rep is below min percent
// and code is exitOK; code otherwise.
func minCoverage(rep coverage.Report, min float64, stderr io.Writer, code int) int {
	if min > 0 && rep.Percent < min && code == exitOK {
		fmt.Fprintf(stderr, "contractcheck: the coverage, %s, is below --min-coverage %g%%\n", rep.Headline(), min)
		return exitFail
	}
	return code
}

// contractBytes returns the document of the contract in file (the built-in
// one for "").
func contractBytes(file string) ([]byte, error) {
	if file == "" {
		return contracts.ScopedWebhook, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read the contract %s: %w", file, err)
	}
	return data, nil
}

// coverageRecorder returns the recorder of a run of check, or nil when the
// run did not ask for coverage; it says why on stderr when it cannot make
// one (ok false).
func coverageRecorder(opts checkOptions, plan *validate.Plan, stderr io.Writer) (rec *coverage.Recorder, ok bool) {
	if opts.coverage == "" && opts.minCoverage == 0 {
		return nil, true
	}
	doc, err := contractBytes(opts.spec)
	if err == nil {
		rec, err = coverage.NewRecorder(plan.File(), doc)
	}
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return nil, false
	}
	return rec, true
}

// finishCoverage writes the coverage file of a finished run, prints the
// coverage on stderr, and returns the exit status, code or exitFail below
// --min-coverage.
func finishCoverage(ctx context.Context, rep *coverage.Report, opts checkOptions, stderr io.Writer, code int) int {
	if rep == nil || ctx.Err() != nil {
		return code
	}
	if opts.coverage != "" {
		if err := writeCoverage(opts.coverage, *rep); err != nil {
			fmt.Fprintf(stderr, "contractcheck: %v\n", err)
			return exitError
		}
		fmt.Fprintf(stderr, "contractcheck: coverage %s, written to %s\n", rep.Headline(), opts.coverage)
	} else {
		fmt.Fprintf(stderr, "contractcheck: coverage %s\n", rep.Headline())
	}
	return minCoverage(*rep, opts.minCoverage, stderr, code)
}

// writeCoverage writes the coverage file (JSON), its directory created.
func writeCoverage(name string, rep coverage.Report) error {
	if dir := filepath.Dir(name); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("creating the directory of coverage %s: %w", name, err)
		}
	}
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("creating coverage %s: %w", name, err)
	}
	if err := coverage.Write(f, rep, coverage.FormatJSON); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing coverage %s: %w", name, err)
	}
	return nil
}
