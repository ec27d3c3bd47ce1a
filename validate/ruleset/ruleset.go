// Package ruleset holds a repository's rule settings: which rules are off,
// which severity the findings of the others have, and which severity fails a
// pair. Settings come from a contractcheck.yaml file ([ParseConfig]) and from
// the command line ([ParseRuleFlag]); a [Set] applies them to the findings of
// each pair before its verdict, and remembers where each setting came from so
// that contractcheck rules can show it.
//
// A configuration file looks like this:
//
//	# contractcheck.yaml
//	fail-on: warning          # or error (the default)
//	rules:
//	  config.target-fit: error
//	  cors.vary-origin: off
//	servers:                  # hosts checked besides the contract's and loopback
//	  - https://api.example.com
//
// The servers are not rule settings: [Config.Servers] lists them for the
// command to add to the plan ([validate.Plan.WithServers]).
package ruleset

import (
	"fmt"
	"slices"
	"strings"

	"github.com/contractcheck/contractcheck/validate"
)

// Level is the setting of a rule: off, or the severity of its findings.
type Level string

// The levels of a rule.
const (
	// LevelOff drops the rule's findings.
	LevelOff Level = "off"
	// LevelWarning makes the rule's findings warnings.
	LevelWarning Level = "warning"
	// LevelError makes the rule's findings errors.
	LevelError Level = "error"
	// LevelInfo is the level of a rule whose findings are notes by default
	// (response.refused); it is shown, not set.
	LevelInfo Level = "info"
)

// ParseLevel parses "off", "warning" or "error".
func ParseLevel(s string) (Level, error) {
	switch l := Level(s); l {
	case LevelOff, LevelWarning, LevelError:
		return l, nil
	}
	return "", fmt.Errorf("%q is not a rule level: use off, warning or error", s)
}

// levelOf is the level of a severity.
func levelOf(s validate.Severity) Level {
	switch s {
	case validate.SeverityWarning:
		return LevelWarning
	case validate.SeverityInfo:
		return LevelInfo
	}
	return LevelError
}

// severity is the severity of a level other than off.
func (l Level) severity() validate.Severity {
	switch l {
	case LevelWarning:
		return validate.SeverityWarning
	case LevelInfo:
		return validate.SeverityInfo
	}
	return validate.SeverityError
}

// OriginDefault is the origin of a setting nothing changed.
const OriginDefault = "default"

// setting is one rule's level and where it was set.
type setting struct {
	level  Level
	origin string
}

// Set is the effective rule settings of a run. The zero Set is not ready;
// use [New]. Once built, a Set is only read, and its methods are safe for
// concurrent use.
type Set struct {
	rules        map[string]setting // only the rules whose setting was changed
	failOn       validate.Severity
	failOnOrigin string
	tools        []validate.Rule // the rules tools add to the catalogue
}

// New returns the default settings: every rule at its catalogue severity, and
// failing on errors. Tools are the rules tools add to the catalogue (such as
// probe.Rules()): the settings accept their IDs too.
func New(tools ...validate.Rule) *Set {
	return &Set{rules: map[string]setting{}, failOn: validate.SeverityError, failOnOrigin: OriginDefault, tools: tools}
}

// SetRule sets a rule's level, recording origin (such as "--rule" or
// "contractcheck.yaml:4") as where it was set. An ID that is neither in the
// rule catalogue nor among the rules of [New]'s tools is an error, with a
// did-you-mean when one is close.
func (s *Set) SetRule(id string, level Level, origin string) error {
	if err := CheckRule(id, s.tools...); err != nil {
		return err
	}
	if _, err := ParseLevel(string(level)); err != nil {
		return err
	}
	s.rules[id] = setting{level, origin}
	return nil
}

// SetFailOn sets the lowest severity that fails a pair.
func (s *Set) SetFailOn(sev validate.Severity, origin string) {
	s.failOn, s.failOnOrigin = sev, origin
}

// FailOn returns the lowest severity that fails a pair, and where it was set.
func (s *Set) FailOn() (validate.Severity, string) { return s.failOn, s.failOnOrigin }

// Rule returns a rule's effective level and where it was set
// ([OriginDefault] when nothing changed it).
func (s *Set) Rule(id string) (Level, string) {
	if st, ok := s.rules[id]; ok {
		return st.level, st.origin
	}
	r, _ := validate.LookupRule(id, s.tools...)
	return levelOf(r.Severity), OriginDefault
}

// Apply returns the findings under the settings: those of rules set to off
// are dropped, the others take their rule's level as severity. It never
// writes into findings: when a setting changes something it returns a new
// slice, and otherwise findings itself.
func (s *Set) Apply(findings []validate.Finding) []validate.Finding {
	if len(s.rules) == 0 {
		return findings
	}
	for i, f := range findings {
		st, ok := s.rules[f.Rule]
		if !ok || st.level != LevelOff && st.level.severity() == f.Severity {
			continue
		}
		out := make([]validate.Finding, i, len(findings))
		copy(out, findings[:i])
		for _, f := range findings[i:] {
			if st, ok := s.rules[f.Rule]; ok {
				if st.level == LevelOff {
					continue
				}
				f.Severity = st.level.severity()
			}
			out = append(out, f)
		}
		return out
	}
	return findings
}

// ApplyResult returns res under the settings: its findings as [Set.Apply]
// returns them, and its omitted findings less those of rules set to off.
// It never writes into res.
func (s *Set) ApplyResult(res validate.Result) validate.Result {
	res.Findings = s.Apply(res.Findings)
	for rule := range res.Omitted {
		if st, ok := s.rules[rule]; ok && st.level == LevelOff {
			omitted := make(map[string]int, len(res.Omitted))
			for r, n := range res.Omitted {
				if st, ok := s.rules[r]; !ok || st.level != LevelOff {
					omitted[r] = n
				}
			}
			res.Omitted = omitted
			if len(omitted) == 0 {
				res.Omitted = nil
			}
			break
		}
	}
	return res
}

// ParseRuleFlag parses the value of --rule, "ID=LEVEL", such as
// "cors.vary-origin=off". The ID is one of the catalogue or of tools, the
// rules tools add to it.
func ParseRuleFlag(v string, tools ...validate.Rule) (id string, level Level, err error) {
	id, lv, ok := strings.Cut(v, "=")
	if !ok || id == "" {
		return "", "", fmt.Errorf("--rule %q: want RULE=off|warning|error", v)
	}
	level, err = ParseLevel(lv)
	if err != nil {
		return "", "", fmt.Errorf("--rule %q: %w", v, err)
	}
	if err := CheckRule(id, tools...); err != nil {
		return "", "", fmt.Errorf("--rule %q: %w", v, err)
	}
	return id, level, nil
}

// CheckRule returns nil for the ID of a rule of the catalogue or of tools
// (the rules tools add to it), and otherwise the error contractcheck gives
// for it, with a did-you-mean when an ID is close: unknown rule
// "sid.fromat" (did you mean sid.format? …).
func CheckRule(id string, tools ...validate.Rule) error {
	if _, ok := validate.LookupRule(id, tools...); ok {
		return nil
	}
	ids := make([]string, 0, len(validate.Rules())+len(tools))
	for _, r := range append(validate.Rules(), tools...) {
		ids = append(ids, r.ID)
	}
	if near := closest(id, ids); near != "" {
		return fmt.Errorf("unknown rule %q (did you mean %s? contractcheck rules lists them)", id, near)
	}
	return fmt.Errorf("unknown rule %q (contractcheck rules lists them)", id)
}

// closest returns the candidate most like s, if it is alike enough to be a
// typo, or "". Likeness is the Dice coefficient of the two strings' sets of
// adjacent byte pairs, which suits short dotted IDs: a dropped, doubled or
// swapped letter keeps most pairs, another word keeps few.
func closest(s string, candidates []string) string {
	best, bestScore := "", 0.6
	for _, c := range candidates {
		if score := dice(s, c); score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// dice is the Dice coefficient of the byte bigrams of a and b, from 0 (none
// shared) to 1 (the same bigrams).
func dice(a, b string) float64 {
	if len(a) < 2 || len(b) < 2 {
		return 0
	}
	pairs := map[string]int{}
	for i := 0; i+1 < len(a); i++ {
		pairs[a[i:i+2]]++
	}
	shared := 0
	for i := 0; i+1 < len(b); i++ {
		if pairs[b[i:i+2]] > 0 {
			pairs[b[i:i+2]]--
			shared++
		}
	}
	return 2 * float64(shared) / float64(len(a)-1+len(b)-1)
}

// Off returns the IDs of the rules set to off, sorted, for
// [validate.Plan.WithRulesOff].
func (s *Set) Off() []string {
	var ids []string
	for id, st := range s.rules {
		if st.level == LevelOff {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Changed returns the IDs of the rules whose setting differs from the
// default, sorted.
func (s *Set) Changed() []string {
	ids := make([]string, 0, len(s.rules))
	for id := range s.rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
