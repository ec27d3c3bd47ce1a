package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
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
// rules, and the --server flags of check and probe.
type settingsFlags struct {
	config  string
	rules   listFlag
	servers listFlag // --server, defined by the commands that take it
}

// serverSetting is a server added to the contract's: its URL and where it
// was given ("--server", or "FILE:LINE" of the configuration).
type serverSetting struct {
	url, origin string
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
// the command must exit with exitError. It also returns the servers the
// configuration, then --server, add to the contract's.
func loadSettings(command string, s settingsFlags, failOn string, stderr io.Writer) (*ruleset.Set, []serverSetting, error) {
	set, cfgServers, err := ruleset.Load(ruleset.Sources{Config: s.config, FailOn: failOn, Rules: s.rules, Tools: toolRules()})
	var flagErr *ruleset.FlagError
	switch {
	case errors.As(err, &flagErr):
		usageError(stderr, command, flagErr.Err)
		return nil, nil, errSettings
	case err != nil:
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return nil, nil, errSettings
	}
	var servers []serverSetting
	for _, sv := range cfgServers {
		servers = append(servers, serverSetting{url: sv.URL, origin: fmt.Sprintf("%s:%d", configFile(s), sv.Line)})
	}
	for _, u := range s.servers {
		servers = append(servers, serverSetting{url: u, origin: "--server"})
	}
	return set, servers, nil
}

// withServers adds the servers to the plan's, so that exchanges with their
// hosts are checked. A URL that is not one of a server is a usage error
// of command (--server) or an error of the configuration's line; withServers
// prints it and returns nil. A nil plan (one that could not be loaded) stays
// nil.
func withServers(command string, plan *validate.Plan, servers []serverSetting, stderr io.Writer) *validate.Plan {
	if plan == nil {
		return nil
	}
	for _, s := range servers {
		p, err := plan.WithServers(s.url)
		if err != nil {
			if s.origin == "--server" {
				usageError(stderr, command, fmt.Errorf("--server: %w", err))
			} else {
				fmt.Fprintf(stderr, "contractcheck: %s: servers: %v\n", s.origin, err)
			}
			return nil
		}
		plan = p
	}
	return plan
}

// withRulesOff returns the plan for the settings' rules turned off, so that
// their findings no longer explain a 4xx as a right refusal (see
// [validate.Plan.WithRulesOff]). A nil plan stays nil.
func withRulesOff(plan *validate.Plan, set *ruleset.Set) *validate.Plan {
	if plan == nil || set == nil {
		return plan
	}
	return plan.WithRulesOff(set.Off()...)
}

// configFile is the configuration file a run reads (see [ruleset.ConfigFile]).
func configFile(s settingsFlags) string { return ruleset.ConfigFile(s.config) }

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
		res = c.rules.ApplyResult(res)
	}
	var shape string
	var suppressed []validate.Finding
	suppressedMore := 0
	if len(res.Findings) > 0 {
		shape = fingerprint.Shape(ex)
		if c.baseline != nil {
			res.Findings, suppressed = c.baseline.Filter(res.Findings, res.Operation, shape)
			res.Omitted, suppressedMore = omittedAccepted(res.Omitted, res.Findings)
		}
	}
	p := report.NewPair(ex, res, c.failOn)
	p.Shape, p.Suppressed, p.SuppressedMore = shape, suppressed, suppressedMore
	if c.wire && p.Verdict == report.VerdictFail {
		w := report.NewWire(ex)
		p.Wire = &w
	}
	return p
}

// omittedAccepted splits the findings the caps left out after a baseline
// accepted some of those shown: the omitted findings of a rule none of whose
// findings is left in findings follow them and are accepted too (counted in
// accepted); the others stay.
func omittedAccepted(omitted map[string]int, findings []validate.Finding) (left map[string]int, accepted int) {
	for rule, n := range omitted {
		if slices.ContainsFunc(findings, func(f validate.Finding) bool { return f.Rule == rule }) {
			continue
		}
		if left == nil {
			left = maps.Clone(omitted)
		}
		delete(left, rule)
		accepted += n
	}
	if left == nil {
		return omitted, 0
	}
	if len(left) == 0 {
		left = nil
	}
	return left, accepted
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
