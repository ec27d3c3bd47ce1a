package report

import (
	"fmt"

	"github.com/contractcheck/contractcheck/validate"
)

// Summary counts the pairs of a report and their findings.
type Summary struct {
	// Pairs counts every pair, input errors included.
	Pairs int `json:"pairs"`
	// Passed, Failed and Skipped count the pairs of each verdict.
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	// Errors and Warnings count the findings of each severity, in pairs of
	// any verdict.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	// InputErrors counts the pairs that could not be read.
	InputErrors int `json:"input_errors"`
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
	for _, f := range p.Findings {
		switch f.Severity {
		case validate.SeverityError:
			s.Errors++
		case validate.SeverityWarning:
			s.Warnings++
		}
	}
}

// String renders the summary on one line, such as
// "12 pairs: 9 passed, 2 failed, 1 skipped, 0 input errors; 3 errors, 1 warning".
func (s Summary) String() string {
	return fmt.Sprintf("%s: %d passed, %d failed, %d skipped, %s; %s, %s",
		plural(s.Pairs, "pair"), s.Passed, s.Failed, s.Skipped,
		plural(s.InputErrors, "input error"), plural(s.Errors, "error"), plural(s.Warnings, "warning"))
}

// plural renders "1 pair", "2 pairs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
