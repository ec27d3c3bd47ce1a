package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
		return fmt.Errorf("want one of %s", strings.Join(c.allowed, ", "))
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

// usageError prints a command-line problem of command on stderr in one line,
// naming flags as the README does (--format), and then where the usage is;
// it returns exitError.
func usageError(stderr io.Writer, command string, err error) int {
	fmt.Fprintf(stderr, "contractcheck %s: %s\n%s", command, printable(flagError(err)), usageHint(command))
	return exitError
}

// usageHint is the line that follows a usage error: where the usage of
// command ("" for contractcheck itself) is.
func usageHint(command string) string {
	if command == "" {
		return "run 'contractcheck help' for usage\n"
	}
	return "run 'contractcheck help " + command + "' for usage\n"
}

// flagErrors rewrite the errors of package flag, which name a flag with one
// dash (-format), in the words of the README (--format).
var flagErrors = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`^flag provided but not defined: -+(.*)$`), "unknown flag --$1"},
	{regexp.MustCompile(`^flag needs an argument: -+(.*)$`), "--$1 needs a value"},
	{regexp.MustCompile(`^invalid boolean value (".*") for -+([^:]*): .*$`), "--$2 $1: want true or false"},
	{regexp.MustCompile(`(?s)^invalid value (".*") for flag -+([^:]*): parse error$`), "--$2 $1: not a valid value"},
	{regexp.MustCompile(`(?s)^invalid value (".*") for flag -+([^:]*): (.*)$`), "--$2 $1: $3"},
}

// flagError is the text of a command-line error, a flag package error
// rewritten with flagErrors.
func flagError(err error) string {
	msg := err.Error()
	for _, fe := range flagErrors {
		if fe.re.MatchString(msg) {
			return fe.re.ReplaceAllString(msg, fe.repl)
		}
	}
	return msg
}

// printable escapes the control characters of a command-line message (an
// argument may hold any byte) as Go escapes, so that it prints as one line
// and cannot drive the terminal.
func printable(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 && utf8.ValidString(s) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
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
