package main

import (
	"context"
	"fmt"
	"io"
)

// Exit statuses of contractcheck.
const (
	// exitOK: no pair failed.
	exitOK = 0
	// exitFail: a pair failed.
	exitFail = 1
	// exitError: a recording or the contract could not be read, or the
	// command line is wrong. It takes precedence over exitFail: the run is
	// incomplete.
	exitError = 2
)

// run runs contractcheck with the command-line arguments args (without the
// program name) and returns the exit status. It never exits the process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage)
		return exitError
	}
	name, rest := args[0], args[1:]
	switch name {
	case "check":
		return runCheck(ctx, rest, stdin, stdout, stderr)
	case "coverage":
		return runCoverage(rest, stdout, stderr)
	case "diff":
		return runDiff(ctx, rest, stdin, stdout, stderr)
	case "convert":
		return runConvert(ctx, rest, stdin, stdout, stderr)
	case "probe":
		return runProbe(ctx, rest, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "proxy":
		return runProxy(ctx, rest, stdout, stderr)
	case "rules":
		return runRules(ctx, rest, stdout, stderr)
	case "version", "--version", "-version":
		return runVersion(rest, stdout, stderr)
	case "help", "-h", "--help", "-help":
		return runHelp(rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "contractcheck: unknown command %q\n%s", name, usageHint(""))
	return exitError
}

// runHelp prints the usage of contractcheck, or of the command named in args.
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		fmt.Fprint(stdout, mainUsage)
		return exitOK
	case 1:
		if text, ok := commandUsage[args[0]]; ok {
			fmt.Fprint(stdout, text)
			return exitOK
		}
		fmt.Fprintf(stderr, "contractcheck help: unknown command %q\n%s", args[0], usageHint(""))
		return exitError
	}
	fmt.Fprintf(stderr, "contractcheck help: too many arguments\n%s", usageHint(""))
	return exitError
}
