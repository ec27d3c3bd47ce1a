package report

import (
	"fmt"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/coverage"
)

// Summary counts the pairs of a report and their findings.
type Summary struct {
	// Pairs counts every pair, input errors included.
	Pairs int `json:"pairs"`
	// Passed, Failed and Skipped count the pairs of each verdict.
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	// Errors, Warnings and Infos count the findings of each severity, in
	// pairs of any verdict, those the caps left out of the pairs' reports
	// included; the JSON summary leaves Infos out when zero.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos,omitempty"`
	// InputErrors counts the pairs that could not be read.
	InputErrors int `json:"input_errors"`
	// Suppressed counts the findings a baseline accepted (not counted in
	// Errors and Warnings); the JSON summary leaves it out when zero.
	Suppressed int `json:"suppressed,omitempty"`
	// Coverage is what the pairs covered of the contract, when the run was
	// asked for it (contractcheck check --coverage, --min-coverage); the
	// JSON, Markdown and HTML reports show it.
	Coverage *coverage.Report `json:"coverage,omitempty"`
}

// Add counts one pair.
func (s *Summary) Add(p Pair) {
	s.Pairs++
	switch p.Verdict {
	case VerdictPass:
		s.Passed++
	case VerdictFail:
		s.Failed++
	case VerdictSkip:
		s.Skipped++
	case VerdictInputError:
		s.InputErrors++
	}
	s.Suppressed += len(p.Suppressed) + p.SuppressedMore
	for _, f := range p.Findings {
		s.count(f.Severity, 1)
	}
	for rule, n := range p.Omitted {
		s.count(p.severityOf(rule), n)
	}
}

// count adds n findings of severity sev.
func (s *Summary) count(sev validate.Severity, n int) {
	switch sev {
	case validate.SeverityError:
		s.Errors += n
	case validate.SeverityWarning:
		s.Warnings += n
	case validate.SeverityInfo:
		s.Infos += n
	}
}

// Merge adds the counts of o, the summary of other pairs: the summary of
// the pairs of both. Summaries of the parts of a recording, counted apart
// (by the workers of the Beam pipeline), merge into the summary of the whole.
func (s *Summary) Merge(o Summary) {
	s.Pairs += o.Pairs
	s.Passed += o.Passed
	s.Failed += o.Failed
	s.Skipped += o.Skipped
	s.Errors += o.Errors
	s.Warnings += o.Warnings
	s.Infos += o.Infos
	s.InputErrors += o.InputErrors
	s.Suppressed += o.Suppressed
	switch {
	case o.Coverage == nil:
	case s.Coverage == nil:
		c := coverage.Merge(*o.Coverage)
		s.Coverage = &c
	default:
		c := coverage.Merge(*s.Coverage, *o.Coverage)
		s.Coverage = &c
	}
}

// String renders the summary on one line, such as
// "12 pairs: 9 passed, 2 failed, 1 skipped, 0 input errors; 3 errors, 1 warning",
// with ", 2 infos" when there are info findings, followed by "; 4 suppressed
// by the baseline" when a baseline suppressed findings.
func (s Summary) String() string {
	out := fmt.Sprintf("%s: %d passed, %d failed, %d skipped, %s; %s, %s",
		plural(s.Pairs, "pair"), s.Passed, s.Failed, s.Skipped,
		plural(s.InputErrors, "input error"), plural(s.Errors, "error"), plural(s.Warnings, "warning"))
	if s.Infos > 0 {
		out += ", " + plural(s.Infos, "info")
	}
	if s.Suppressed > 0 {
		out += fmt.Sprintf("; %d suppressed by the baseline", s.Suppressed)
	}
	return out
}

// plural renders "1 pair", "2 pairs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
