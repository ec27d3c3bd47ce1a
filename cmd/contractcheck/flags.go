package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// errHelp is returned by parseInterspersed for -h and --help.
var errHelp = errors.New("help requested")

// choice is a flag whose value is one of a fixed list.
type choice struct {
	value   string
	allowed []string
}

// newChoice returns a choice flag of the given default and allowed values.
func newChoice(def string, allowed ...string) *choice {
	return &choice{value: def, allowed: allowed}
}

// String returns the value.
func (c *choice) String() string { return c.value }

// Set sets the value if it is allowed.
func (c *choice) Set(s string) error {
	if !slices.Contains(c.allowed, s) {
		return fmt.Errorf("%q is not one of %s", s, strings.Join(c.allowed, ", "))
	}
	c.value = s
	return nil
}

// newFlagSet returns a flag set for a command that reports its errors to the
// caller instead of printing them.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseInterspersed parses flags wherever they are among the positional
// arguments ("check a.har --format json b.har") and returns the positional
// ones in order. "--" ends the flags; "-" is positional. It returns errHelp
// for -h or --help.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// usageError prints a command-line problem and the usage of the command on
// stderr, and returns exitError.
func usageError(stderr io.Writer, command string, err error) int {
	fmt.Fprintf(stderr, "contractcheck %s: %v\n\n%s", command, err, commandUsage[command])
	return exitError
}

// parseCommand parses the flags and arguments of a command. When it returns
// done, the command must return code: help was printed on stdout, or a usage
// error on stderr.
func parseCommand(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (positional []string, code int, done bool) {
	positional, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, errHelp):
		fmt.Fprint(stdout, commandUsage[fs.Name()])
		return nil, exitOK, true
	case err != nil:
		return nil, usageError(stderr, fs.Name(), err), true
	}
	return positional, exitOK, false
}
