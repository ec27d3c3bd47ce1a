package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/validate"
)

// loadPlan compiles the contract: the file spec, or the built-in contract
// when spec is "". When the contract cannot be used it prints why on stderr,
// every problem with its file:line, and returns nil. When ctx is cancelled
// (SIGINT, SIGTERM) before the contract in spec is compiled, it says so and
// returns nil at once: the compiling goroutine is left behind, and ends with
// the process. (The built-in contract compiles in a millisecond or two.)
func loadPlan(ctx context.Context, spec string, stderr io.Writer) *validate.Plan {
	var plan *validate.Plan
	var err error
	if spec == "" {
		plan, err = validate.Embedded()
	} else {
		plan, err = await(ctx, func() (*validate.Plan, error) { return validate.LoadFile(spec) }, nil)
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			fmt.Fprintln(stderr, "contractcheck: interrupted while loading the contract")
			return nil
		}
	}
	if err == nil {
		return plan
	}
	name := spec
	if name == "" {
		name = "the built-in contract"
	}
	var loadErr *validate.LoadError
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		fmt.Fprintf(stderr, "contractcheck: cannot read the contract %s: %v\n", name, pathErr.Err)
		return nil
	}
	if !errors.As(err, &loadErr) {
		fmt.Fprintf(stderr, "contractcheck: loading contract %s: %v\n", name, err)
		return nil
	}
	fmt.Fprintf(stderr, "contractcheck: the contract %s cannot be used (%s):\n", name, count(len(loadErr.Problems), "problem"))
	file := loadErr.File
	if file == "" {
		file = name
	}
	for _, p := range loadErr.Problems {
		fmt.Fprintf(stderr, "%s: %s\n", escape.LineStart(position(file, p.Line, p.Column)), escape.Line(p.Message))
	}
	return nil
}

// position renders "file:line:column", leaving out what is unknown (0).
func position(file string, line, column int) string {
	switch {
	case line <= 0:
		return file
	case column <= 0:
		return fmt.Sprintf("%s:%d", file, line)
	}
	return fmt.Sprintf("%s:%d:%d", file, line, column)
}

// count renders "1 problem", "2 problems".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
