package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/validate"
)

// markdownPairs is how many failing pairs (and input errors) the Markdown
// summary lists.
const markdownPairs = 10

// ruleCount counts the findings of one rule.
type ruleCount struct {
	rule     string
	severity validate.Severity
	findings int
	pairs    int
}

// ruleCounts counts the findings of each rule, and the pairs that have them.
type ruleCounts map[string]*ruleCount

// add counts the findings of p, those the caps left out included.
func (rc ruleCounts) add(p Pair) {
	seen := map[string]bool{}
	for _, f := range p.Findings {
		c := rc[f.Rule]
		if c == nil {
			c = &ruleCount{rule: f.Rule, severity: f.Severity}
			rc[f.Rule] = c
		}
		c.findings++
		if !seen[f.Rule] {
			seen[f.Rule] = true
			c.pairs++
		}
	}
	for rule, n := range p.Omitted {
		if c := rc[rule]; c != nil { // the rule has a finding in p
			c.findings += n
		}
	}
}

// sorted returns the counts, the rule of most findings first.
func (rc ruleCounts) sorted() []*ruleCount {
	counts := make([]*ruleCount, 0, len(rc))
	for _, c := range rc {
		counts = append(counts, c)
	}
	slices.SortFunc(counts, func(a, b *ruleCount) int {
		if a.findings != b.findings {
			return b.findings - a.findings
		}
		return strings.Compare(a.rule, b.rule)
	})
	return counts
}

// markdownWriter keeps the counts by rule and the first failing pairs, and
// writes the summary at the end.
type markdownWriter struct {
	w       io.Writer
	byRule  ruleCounts
	failing []Pair // the first markdownPairs failed or input-error pairs
	more    int    // how many more there were
}

// NewMarkdown returns a writer of a Markdown summary of the run, made for
// $GITHUB_STEP_SUMMARY: a headline, the counts, a table of findings by rule,
// and the first ten failing pairs with their findings. It writes nothing until
// Finish; it keeps the counts by rule and those ten pairs only. Text from the
// recordings is escaped, so it can neither format the page nor inject HTML.
func NewMarkdown(w io.Writer) Writer {
	return &markdownWriter{w: w, byRule: ruleCounts{}}
}

// WritePair counts the pair's findings and keeps it if it is among the first
// failing pairs.
func (m *markdownWriter) WritePair(p Pair) error {
	m.byRule.add(p)
	if p.Verdict == VerdictFail || p.Verdict == VerdictInputError {
		if len(m.failing) < markdownPairs {
			m.failing = append(m.failing, p)
		} else {
			m.more++
		}
	}
	return nil
}

// Finish writes the summary.
func (m *markdownWriter) Finish(s Summary) error {
	var b bytes.Buffer
	b.WriteString("## contractcheck: " + headline(s) + "\n\n")
	b.WriteString("| Pairs | Passed | Failed | Skipped | Input errors | Errors | Warnings | Suppressed |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d | %d |\n", s.Pairs, s.Passed, s.Failed, s.Skipped, s.InputErrors, s.Errors, s.Warnings, s.Suppressed)
	if len(m.byRule) > 0 {
		counts := m.byRule.sorted()
		b.WriteString("\n### Findings by rule\n\n| Rule | Severity | Findings | Pairs |\n|---|---|---:|---:|\n")
		for _, c := range counts {
			fmt.Fprintf(&b, "| %s | %s | %d | %d |\n", escape.MarkdownCode(c.rule), c.severity, c.findings, c.pairs)
		}
	}
	if len(m.failing) > 0 {
		title := "Failing pairs"
		if m.more > 0 {
			title = fmt.Sprintf("The first %d of %d failing pairs", len(m.failing), len(m.failing)+m.more)
		}
		b.WriteString("\n### " + title + "\n\n")
		for _, p := range m.failing {
			m.pair(&b, p)
		}
	}
	if s.Coverage != nil {
		b.WriteString("\n" + s.Coverage.MarkdownSection())
	}
	if _, err := m.w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the Markdown summary: %w", err)
	}
	return nil
}

// pair writes one failing pair as a list item with its findings.
func (m *markdownWriter) pair(b *bytes.Buffer, p Pair) {
	if p.Verdict == VerdictInputError {
		fmt.Fprintf(b, "- **%s**: input error: %s\n", escape.Markdown(p.RefLine()), escape.Markdown(p.Error))
		return
	}
	fmt.Fprintf(b, "- **%s** %s → %s\n", escape.Markdown(p.Ref()), escape.MarkdownCode(p.Request()), strconv.Itoa(p.Status))
	for _, f := range p.Findings {
		fmt.Fprintf(b, "  - %s %s %s: %s", f.Severity, escape.MarkdownCode(f.Rule), escape.MarkdownCode(f.Location.String()), escape.Markdown(f.Message))
		if f.Hint != "" {
			b.WriteString(" (" + escape.Markdown(f.Hint) + ")")
		}
		if f.Spec.File != "" {
			b.WriteString(" — contract " + escape.MarkdownCode(f.Spec.String()))
		}
		b.WriteByte('\n')
	}
	if more := p.MoreText(); more != "" {
		b.WriteString("  - " + escape.Markdown(more) + "\n")
	}
	if p.Replay != "" {
		// A fenced block shows the command as it is; its fence is longer
		// than any run of backticks in it.
		fence := strings.Repeat("`", max(3, longestRun(p.Replay, '`')+1))
		b.WriteString("  - <details><summary>replay with curl</summary>\n\n    " + fence + "sh\n")
		for l := range strings.SplitSeq(p.Replay, "\n") {
			b.WriteString("    " + escape.Line(l) + "\n")
		}
		b.WriteString("    " + fence + "\n\n    </details>\n")
	}
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			longest = max(longest, n)
		} else {
			n = 0
		}
	}
	return longest
}
