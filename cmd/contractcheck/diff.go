package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/drift"
)

// diffUsage is the usage of contractcheck diff.
const diffUsage = `Usage: contractcheck diff --base OLD --head NEW [flags] FILE...

Checks every exchange of each recording FILE (HAR, NDJSON or go-vcr cassette;
- reads standard input) under two contracts, OLD and NEW (OpenAPI 3, YAML or
JSON; either may be left out for the built-in contract), and reports what NEW
changes for this traffic: the exchanges whose verdict turns (pass → fail, fail
→ pass) or whose findings change, the findings that appear and disappear by
rule, and the changes between the two documents (libopenapi's what-changed)
that concern the operations the traffic used, each with its line.

Flags:
  --base FILE            the contract in use (default: the built-in one)
  --head FILE            the contract to compare it with (default: the
                         built-in one)
  --format FORMAT        text (default), json or markdown
  -h, --help             print this help

Exit status: 0 when NEW fails no exchange that OLD passes, 1 when it does, 2
when a recording or a contract cannot be read or the command line is wrong (2
wins over 1).
`

// runDiff runs contractcheck diff.
func runDiff(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("diff")
	var base, head string
	format := newChoice(drift.FormatText, drift.Formats()...)
	fs.StringVar(&base, "base", "", "")
	fs.StringVar(&head, "head", "", "")
	fs.Var(format, "format", "")
	files, code, done := parseCommand(fs, args, stdout, stderr)
	switch {
	case done:
		return code
	case base == "" && head == "":
		return usageError(stderr, "diff", errors.New("give --base OLD or --head NEW (the other is the built-in contract)"))
	case base == head:
		return usageError(stderr, "diff", fmt.Errorf("--base and --head are the same contract %s", base))
	case len(files) == 0:
		return usageError(stderr, "diff", errors.New("no recording given (use - to read standard input)"))
	case countOf(files, stdinName) > 1:
		return usageError(stderr, "diff", errors.New("standard input (-) can be read only once"))
	}
	bplan, bdoc := loadContract(ctx, base, stderr)
	if bplan == nil {
		return exitError
	}
	hplan, hdoc := loadContract(ctx, head, stderr)
	if hplan == nil {
		return exitError
	}
	d := drift.New(bplan, hplan)
	for j := range recordingFrames(ctx, files, stdin) {
		if j.end {
			continue
		}
		err := j.err
		var ex *validate.Exchange
		if err == nil && j.frame != nil {
			ex, err = decode(j.frame)
		}
		switch {
		case err != nil:
			fmt.Fprintln(stderr, inputErrorPair(err).InputErrorLine())
			d.InputError()
		case ex != nil:
			d.Add(ex)
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "contractcheck: interrupted: no report")
		return exitError
	}
	rep := d.Report()
	var err error
	rep.Static, err = drift.Static(bplan.File(), bdoc, hplan.File(), hdoc, rep.Operations)
	if err != nil {
		rep.StaticError = err.Error()
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
	}
	if err := drift.Write(stdout, rep, format.value); err != nil {
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return exitError
	}
	switch {
	case rep.Counts.InputErrors > 0:
		return exitError
	case rep.Breaks():
		return exitFail
	}
	return exitOK
}

// loadContract loads the contract in file (the built-in one for "") and
// returns its plan and its bytes, or nil after saying why on stderr.
func loadContract(ctx context.Context, file string, stderr io.Writer) (*validate.Plan, []byte) {
	plan := loadPlan(ctx, file, stderr)
	if plan == nil {
		return nil, nil
	}
	data, err := contractBytes(file)
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return nil, nil
	}
	return plan, data
}
