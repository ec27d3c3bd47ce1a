// Package drift tells what a new contract would change for real traffic:
// it checks every exchange under two contracts (a base, such as the one in
// use, and a head, such as its next version) and reports the exchanges whose
// verdict changes, the findings that appear or disappear grouped by rule, and
// the static changes between the two documents for the operations the
// traffic used (libopenapi's what-changed model).
package drift

import (
	"maps"
	"slices"
	"strings"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/report"
)

// MaxPairs is how many changed pairs a [Report] lists; the others are only
// counted, so that memory stays bounded however large the recordings.
const MaxPairs = 1000

// Pair is an exchange whose verdict or findings differ under the two
// contracts.
type Pair struct {
	// Ref names the exchange, "source#entry".
	Ref string `json:"ref"`
	// Request is its request line, the URL redacted.
	Request string `json:"request"`
	// Status is the response status code.
	Status int `json:"status"`
	// Operation is the operationId that matched under the head contract, or
	// under the base one when the head matched none.
	Operation string `json:"operation,omitempty"`
	// Base and Head are the verdicts under each contract.
	Base report.Verdict `json:"base"`
	Head report.Verdict `json:"head"`
	// Appeared are the findings of the head contract that the base did not
	// give; Disappeared those of the base that the head does not give. Two
	// findings are one when their rule and location are.
	Appeared    []validate.Finding `json:"appeared"`
	Disappeared []validate.Finding `json:"disappeared"`
}

// Breaks reports whether the head contract fails a pair the base passes.
func (p Pair) Breaks() bool { return p.Base == report.VerdictPass && p.Head == report.VerdictFail }

// RuleChange counts, for one rule, the findings that appeared and
// disappeared, and the pairs they are in.
type RuleChange struct {
	Rule        string `json:"rule"`
	Appeared    int    `json:"appeared"`
	Disappeared int    `json:"disappeared"`
	Pairs       int    `json:"pairs"`
}

// Counts are the verdicts of the pairs under the two contracts.
type Counts struct {
	// Pairs counts every exchange checked.
	Pairs int `json:"pairs"`
	// Unchanged counts the pairs with the same verdict and findings.
	Unchanged int `json:"unchanged"`
	// PassToFail and FailToPass count the pairs whose verdict turns.
	PassToFail int `json:"pass_to_fail"`
	FailToPass int `json:"fail_to_pass"`
	// Other counts the other changes: a pair skipped under one contract and
	// checked under the other, or one whose findings change but not its
	// verdict.
	Other int `json:"other"`
	// InputErrors counts the entries that could not be read.
	InputErrors int `json:"input_errors"`
}

// Report is what a [Differ] found.
type Report struct {
	// Base and Head name the two contracts' files.
	Base string `json:"base"`
	Head string `json:"head"`
	// Counts are the verdicts.
	Counts Counts `json:"counts"`
	// Pairs are the first MaxPairs changed pairs, in the order checked;
	// MorePairs counts the others.
	Pairs     []Pair `json:"pairs"`
	MorePairs int    `json:"more_pairs,omitempty"`
	// Rules are the findings that appeared or disappeared, by rule, the rule
	// of most changes first.
	Rules []RuleChange `json:"rules"`
	// Operations are the operations the traffic used, under either contract.
	Operations []string `json:"operations"`
	// Static are the changes between the two documents that concern those
	// operations (StaticError says why there are none when they could not
	// be computed).
	Static      []StaticChange `json:"static"`
	StaticError string         `json:"static_error,omitempty"`
}

// Breaks reports whether the head contract fails a pair that the base
// passes: the exit status 1 of contractcheck diff.
func (r Report) Breaks() bool { return r.Counts.PassToFail > 0 }

// Differ checks exchanges under two compiled contracts. It is not safe for
// concurrent use.
type Differ struct {
	base, head *validate.Plan
	rep        Report
	rules      map[string]*RuleChange
	ops        map[string]bool
}

// New returns a Differ of the base and head contracts.
func New(base, head *validate.Plan) *Differ {
	return &Differ{
		base: base, head: head,
		rep:   Report{Base: base.File(), Head: head.File()},
		rules: map[string]*RuleChange{}, ops: map[string]bool{},
	}
}

// InputError counts an entry that could not be read.
func (d *Differ) InputError() { d.rep.Counts.InputErrors++ }

// Add checks ex under both contracts and records what changed.
func (d *Differ) Add(ex *validate.Exchange) {
	b := report.NewPair(ex, d.base.Check(ex), validate.SeverityError)
	h := report.NewPair(ex, d.head.Check(ex), validate.SeverityError)
	d.rep.Counts.Pairs++
	for _, op := range []string{b.Operation, h.Operation} {
		if op != "" {
			d.ops[op] = true
		}
	}
	appeared, disappeared := difference(h.Findings, b.Findings), difference(b.Findings, h.Findings)
	switch {
	case b.Verdict == h.Verdict && len(appeared) == 0 && len(disappeared) == 0:
		d.rep.Counts.Unchanged++
		return
	case b.Verdict == report.VerdictPass && h.Verdict == report.VerdictFail:
		d.rep.Counts.PassToFail++
	case b.Verdict == report.VerdictFail && h.Verdict == report.VerdictPass:
		d.rep.Counts.FailToPass++
	default:
		d.rep.Counts.Other++
	}
	d.count(appeared, func(c *RuleChange) *int { return &c.Appeared })
	d.count(disappeared, func(c *RuleChange) *int { return &c.Disappeared })
	for _, rule := range rulesOf(appeared, disappeared) {
		d.rule(rule).Pairs++
	}
	if len(d.rep.Pairs) == MaxPairs {
		d.rep.MorePairs++
		return
	}
	op := h.Operation
	if op == "" {
		op = b.Operation
	}
	d.rep.Pairs = append(d.rep.Pairs, Pair{
		Ref: h.Ref(), Request: h.Request(), Status: h.Status, Operation: op,
		Base: b.Verdict, Head: h.Verdict, Appeared: appeared, Disappeared: disappeared,
	})
}

// rule returns the counts of rule, made when missing.
func (d *Differ) rule(rule string) *RuleChange {
	c := d.rules[rule]
	if c == nil {
		c = &RuleChange{Rule: rule}
		d.rules[rule] = c
	}
	return c
}

// count adds each finding to the counter field of its rule.
func (d *Differ) count(fs []validate.Finding, field func(*RuleChange) *int) {
	for _, f := range fs {
		*field(d.rule(f.Rule))++
	}
}

// Operations returns the operations the exchanges added so far used, under
// either contract, sorted.
func (d *Differ) Operations() []string { return slices.Sorted(maps.Keys(d.ops)) }

// Report returns what was found, with the static changes given (see
// [Static]).
func (d *Differ) Report() Report {
	rep := d.rep
	rep.Pairs = slices.Clone(rep.Pairs)
	if rep.Pairs == nil {
		rep.Pairs = []Pair{}
	}
	rep.Operations = d.Operations()
	for _, c := range d.rules {
		rep.Rules = append(rep.Rules, *c)
	}
	slices.SortFunc(rep.Rules, func(a, b RuleChange) int {
		if n := (b.Appeared + b.Disappeared) - (a.Appeared + a.Disappeared); n != 0 {
			return n
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	if rep.Rules == nil {
		rep.Rules = []RuleChange{}
	}
	return rep
}

// findingKey identifies a finding across the two contracts: its rule and its
// location (the message, the want and the contract line may differ).
func findingKey(f validate.Finding) string { return f.Rule + "\x00" + f.Location.String() }

// difference returns the findings of a that b does not have, counting
// repeats: a finding twice in a and once in b appears once.
func difference(a, b []validate.Finding) []validate.Finding {
	have := map[string]int{}
	for _, f := range b {
		have[findingKey(f)]++
	}
	out := []validate.Finding{}
	for _, f := range a {
		k := findingKey(f)
		if have[k] > 0 {
			have[k]--
			continue
		}
		out = append(out, f)
	}
	return out
}

// rulesOf returns the distinct rules of the findings, sorted.
func rulesOf(lists ...[]validate.Finding) []string {
	set := map[string]bool{}
	for _, l := range lists {
		for _, f := range l {
			set[f.Rule] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}
