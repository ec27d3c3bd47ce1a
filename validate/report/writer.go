package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/contractcheck/contractcheck/validate"
)

// Writer writes a report: each pair as soon as it is checked, in the order
// checked, then the summary. A Writer keeps no pair once written (but for the
// little the package documentation lists), so memory stays bounded. It is not
// safe for concurrent use.
type Writer interface {
	// WritePair writes one pair.
	WritePair(p Pair) error
	// Finish ends the report with the summary of all the pairs written. It
	// does not close the underlying io.Writer.
	Finish(s Summary) error
}

// Format names a report format.
type Format string

// The report formats.
const (
	// FormatText is for people: the failed pairs, their findings, and a
	// summary line.
	FormatText Format = "text"
	// FormatJSON is one JSON document: {"contract", "pairs", "summary"}.
	FormatJSON Format = "json"
	// FormatNDJSON is one JSON pair object per line, and nothing else.
	FormatNDJSON Format = "ndjson"
	// FormatJUnit is JUnit XML: a test suite per recording, a test case per
	// pair.
	FormatJUnit Format = "junit"
	// FormatSARIF is SARIF 2.1.0: one run, a result per finding.
	FormatSARIF Format = "sarif"
	// FormatGitHub is GitHub Actions workflow commands: an ::error or
	// ::warning or ::notice annotation per finding.
	FormatGitHub Format = "github"
	// FormatMarkdown is a Markdown summary: counts, counts by rule and the
	// first failing pairs, as for $GITHUB_STEP_SUMMARY.
	FormatMarkdown Format = "markdown"
	// FormatHTML is one self-contained HTML page: the summary, the findings
	// by rule as a chart, a filter, and the first failing pairs of each rule
	// with their request, response and replay ([NewHTML]).
	FormatHTML Format = "html"
)

// Formats returns every format, the default first.
func Formats() []Format {
	return []Format{FormatText, FormatJSON, FormatNDJSON, FormatJUnit, FormatSARIF, FormatGitHub, FormatMarkdown, FormatHTML}
}

// ParseFormat parses the name of a format.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("%q is not a report format: want one of %s", s, strings.Join(names, ", "))
}

// Options tune a report.
type Options struct {
	// Contract is the file name of the contract the pairs were checked
	// against; the JSON report names it.
	Contract string
	// Color asks the text report for ANSI colours.
	Color bool
	// Quiet makes the text report print the summary line only.
	Quiet bool
	// ToolVersion is the version of contractcheck the SARIF report names
	// ("" leaves it out).
	ToolVersion string
	// HTMLMaxPairs is how many failing pairs of each rule the HTML report
	// lists; zero means [DefaultHTMLMaxPairs].
	HTMLMaxPairs int
	// ToolRules are the rules a tool adds to the catalogue of
	// [validate.Rules] (such as probe.Rules()): the SARIF report lists them
	// after it, and the HTML report gives their summaries.
	ToolRules []validate.Rule
}

// New returns a writer of the given format to w.
func New(w io.Writer, f Format, opts Options) (Writer, error) {
	switch f {
	case FormatText:
		return NewText(w, opts), nil
	case FormatJSON:
		return NewJSON(w, opts.Contract), nil
	case FormatNDJSON:
		return NewNDJSON(w), nil
	case FormatJUnit:
		return NewJUnit(w), nil
	case FormatSARIF:
		return NewSARIF(w, opts), nil
	case FormatGitHub:
		return NewGitHub(w), nil
	case FormatMarkdown:
		return NewMarkdown(w), nil
	case FormatHTML:
		return NewHTML(w, opts), nil
	}
	return nil, fmt.Errorf("making a report writer: unknown format %q", f)
}
