package audit

import (
	"cmp"
	"slices"

	"github.com/contractcheck/contractcheck/validate/report"
)

// Tally counts the pairs of a part of an audit: its summary, and its
// findings per rule. Tallies of parts merge into the tally of the whole
// ([MergeTallies]).
type Tally struct {
	Summary report.Summary
	// Rules are sorted by rule, then severity.
	Rules []RuleCount
}

// RuleCount counts the findings of one rule at one severity (a rule's
// findings have the severity the rule settings give it).
type RuleCount struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	// Findings counts the findings.
	Findings int `json:"findings"`
	// Pairs counts the pairs that have one or more of them.
	Pairs int `json:"pairs"`
}

// RuleCounts is the document of counts per rule an audit writes: most
// findings first, then by rule.
type RuleCounts struct {
	Rules []RuleCount `json:"rules"`
}

// Add counts one pair.
func (t *Tally) Add(p report.Pair) {
	t.Summary.Add(p)
	var counts []RuleCount
	for _, f := range p.Findings {
		c := RuleCount{Rule: f.Rule, Severity: f.Severity.String(), Findings: 1, Pairs: 1}
		if i, ok := slices.BinarySearchFunc(counts, c, compareRule); ok {
			counts[i].Findings++
		} else {
			counts = slices.Insert(counts, i, c)
		}
	}
	if counts != nil {
		t.Rules = mergeCounts(t.Rules, counts)
	}
}

// MergeTallies returns the tally of two parts.
func MergeTallies(a, b Tally) Tally {
	a.Summary.Merge(b.Summary)
	a.Rules = mergeCounts(a.Rules, b.Rules)
	return a
}

// Counts returns the counts per rule: most findings first, then by rule and
// severity.
func (t Tally) Counts() RuleCounts {
	rules := slices.Clone(t.Rules)
	if rules == nil {
		rules = []RuleCount{}
	}
	slices.SortStableFunc(rules, func(a, b RuleCount) int { return cmp.Compare(b.Findings, a.Findings) })
	return RuleCounts{Rules: rules}
}

// compareRule orders counts by rule, then severity.
func compareRule(a, b RuleCount) int {
	return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Severity, b.Severity))
}

// mergeCounts merges two sorted lists of counts into a new one.
func mergeCounts(a, b []RuleCount) []RuleCount {
	out := make([]RuleCount, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		switch c := compareRule(a[0], b[0]); {
		case c < 0:
			out, a = append(out, a[0]), a[1:]
		case c > 0:
			out, b = append(out, b[0]), b[1:]
		default:
			sum := a[0]
			sum.Findings += b[0].Findings
			sum.Pairs += b[0].Pairs
			out, a, b = append(out, sum), a[1:], b[1:]
		}
	}
	return append(append(out, a...), b...)
}
