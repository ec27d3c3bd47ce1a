package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/baseline"
	"github.com/contractcheck/contractcheck/validate/fingerprint"
	"github.com/contractcheck/contractcheck/validate/report"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// listFlag is a flag that may be given many times; it keeps every value in
// order.
type listFlag []string

// String joins the values.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set adds a value.
func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// settingsFlags are the flags of the rule settings, shared by check and
// rules.
type settingsFlags struct {
	config string
	rules  listFlag
}

// define adds --config and --rule to fs.
func (s *settingsFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&s.config, "config", "", "")
	fs.Var(&s.rules, "rule", "")
}

// errSettings is returned by loadSettings when it has printed why the
// settings cannot be used.
var errSettings = errors.New("bad settings")

// loadSettings builds the rule settings of a run: the catalogue's defaults,
// then the configuration file (--config, or contractcheck.yaml in the
// working directory when it exists), then --fail-on when given (failOn is
// "" when not), then each --rule in order. A bad --rule is a usage error of
// command; a configuration that cannot be read or parsed is printed with its
// file and line. Either way it returns errSettings after printing why, and
// the command must exit with exitError.
func loadSettings(command string, s settingsFlags, failOn string, stderr io.Writer) (*ruleset.Set, error) {
	set, err := ruleset.Load(ruleset.Sources{Config: s.config, FailOn: failOn, Rules: s.rules})
	var flagErr *ruleset.FlagError
	switch {
	case errors.As(err, &flagErr):
		usageError(stderr, command, flagErr.Err)
		return nil, errSettings
	case err != nil:
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return nil, errSettings
	}
	return set, nil
}

// flagGiven reports whether the flag name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			given = true
		}
	})
	return given
}

// result turns the result of checking ex into its report pair: the rule
// settings apply to the findings, the pair gets the request's shape when it
// has findings, and the baseline, if any, takes out the findings it accepts,
// all before the verdict.
func (c checker) result(ex *validate.Exchange, res validate.Result) report.Pair {
	if c.rules != nil {
		res.Findings = c.rules.Apply(res.Findings)
	}
	var shape string
	var suppressed []validate.Finding
	if len(res.Findings) > 0 {
		shape = fingerprint.Shape(ex)
		if c.baseline != nil {
			res.Findings, suppressed = c.baseline.Filter(res.Findings, res.Operation, shape)
		}
	}
	p := report.NewPair(ex, res, c.failOn)
	p.Shape, p.Suppressed = shape, suppressed
	return p
}

// reportStale prints the entries of the baseline that no finding matched.
func reportStale(b *baseline.Baseline, stderr io.Writer) {
	stale := b.Stale()
	if len(stale) == 0 {
		return
	}
	verb := "entries no longer occur"
	if len(stale) == 1 {
		verb = "entry no longer occurs"
	}
	fmt.Fprintf(stderr, "contractcheck: baseline %s: %d %s (--write-baseline writes the file again without them):\n", b.File(), len(stale), verb)
	for _, e := range stale {
		fmt.Fprintf(stderr, "  %s %s %s (%s)\n", e.Rule, e.Location, e.Request, e.Fingerprint)
	}
}

// writeBaseline writes the findings the recorder collected to file.
func writeBaseline(rec *baseline.Recorder, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	if _, err := rec.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("writing the baseline %s: %w", file, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing the baseline %s: %w", file, err)
	}
	return nil
}
