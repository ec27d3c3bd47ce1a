package drift

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/report"
)

// The formats of a drift report.
const (
	FormatText     = "text"
	FormatJSON     = "json"
	FormatMarkdown = "markdown"
)

// Formats are the formats [Write] takes, the default first.
func Formats() []string { return []string{FormatText, FormatJSON, FormatMarkdown} }

// Write writes the report in format: text for people, JSON for tools (the
// Report's fields), Markdown for a pull request or $GITHUB_STEP_SUMMARY.
// Every value of the recordings and the documents is escaped.
func Write(w io.Writer, r Report, format string) error {
	var b bytes.Buffer
	switch format {
	case FormatText:
		writeText(&b, r)
	case FormatJSON:
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("encoding the drift report: %w", err)
		}
	case FormatMarkdown:
		writeMarkdown(&b, r)
	default:
		return fmt.Errorf("%q is not a format of diff: want one of %s", format, strings.Join(Formats(), ", "))
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the drift report: %w", err)
	}
	return nil
}

// headline sums the counts up in one line.
func headline(c Counts) string {
	s := fmt.Sprintf("%s: %d pass → fail, %d fail → pass, %d other %s, %d unchanged",
		plural(c.Pairs, "pair"), c.PassToFail, c.FailToPass, c.Other, word(c.Other, "change"), c.Unchanged)
	if c.InputErrors > 0 {
		s += "; " + plural(c.InputErrors, "input error")
	}
	return s
}

// groups are the changed pairs' sections, in the order shown.
var groups = []struct {
	title string
	in    func(Pair) bool
}{
	{"pass → fail (the head contract breaks these exchanges)", Pair.Breaks},
	{"fail → pass", func(p Pair) bool { return p.Base == report.VerdictFail && p.Head == report.VerdictPass }},
	{"other changes", func(p Pair) bool {
		return !p.Breaks() && (p.Base != report.VerdictFail || p.Head != report.VerdictPass)
	}},
}

// eachGroup calls f with the title and the pairs of each group that has
// pairs, in the groups' order.
func eachGroup(r Report, f func(title string, pairs []Pair)) {
	for _, g := range groups {
		var in []Pair
		for _, p := range r.Pairs {
			if g.in(p) {
				in = append(in, p)
			}
		}
		if len(in) > 0 {
			f(g.title, in)
		}
	}
}

// findingLine renders a finding on one line, after its sign.
func findingLine(f validate.Finding) string {
	return fmt.Sprintf("%s %s %s: %s", f.Severity, escape.Line(f.Rule), escape.Line(f.Location.String()), escape.Line(f.Message))
}

func writeText(b *bytes.Buffer, r Report) {
	fmt.Fprintf(b, "contractcheck diff: base %s, head %s\n", escape.Line(r.Base), escape.Line(r.Head))
	b.WriteString(headline(r.Counts) + "\n")
	eachGroup(r, func(title string, pairs []Pair) {
		b.WriteString("\n" + title + ":\n")
		for _, p := range pairs {
			fmt.Fprintf(b, "  %s %s → %d: %s → %s\n", escape.Line(p.Ref), escape.Line(p.Request), p.Status, p.Base, p.Head)
			for _, f := range p.Appeared {
				b.WriteString("    + " + findingLine(f) + "\n")
			}
			for _, f := range p.Disappeared {
				b.WriteString("    - " + findingLine(f) + "\n")
			}
		}
	})
	if r.MorePairs > 0 {
		fmt.Fprintf(b, "  and %s not listed\n", plural(r.MorePairs, "more changed pair"))
	}
	if len(r.Rules) > 0 {
		b.WriteString("\nfindings by rule (+ appeared, - disappeared):\n")
		for _, c := range r.Rules {
			fmt.Fprintf(b, "  %-28s +%d -%d in %s\n", escape.Line(c.Rule), c.Appeared, c.Disappeared, plural(c.Pairs, "pair"))
		}
	}
	fmt.Fprintf(b, "\nstatic changes for the operations the traffic used (%s):\n", escape.Line(strings.Join(r.Operations, ", ")))
	switch {
	case r.StaticError != "":
		b.WriteString("  not computed: " + escape.Line(r.StaticError) + "\n")
	case len(r.Static) == 0:
		b.WriteString("  none\n")
	}
	for _, s := range r.Static {
		fmt.Fprintf(b, "  %s: %s\n", escape.Line(s.Where), staticText(s))
	}
}

// staticText renders a static change after its place, such as
// "enum removed: studio (breaking) [base.yaml:145]".
func staticText(s StaticChange) string {
	var b strings.Builder
	b.WriteString(escape.Line(s.Property) + " " + s.Change)
	switch {
	case s.Base != "" && s.Head != "":
		b.WriteString(": " + escape.Line(s.Base) + " → " + escape.Line(s.Head))
	case s.Base != "":
		b.WriteString(": " + escape.Line(s.Base))
	case s.Head != "":
		b.WriteString(": " + escape.Line(s.Head))
	}
	if s.Breaking {
		b.WriteString(" (breaking)")
	}
	if s.Position.File != "" {
		b.WriteString(" [" + escape.Line(s.Position.String()) + "]")
	}
	return b.String()
}

func writeMarkdown(b *bytes.Buffer, r Report) {
	md, code := escape.Markdown, escape.MarkdownCode
	b.WriteString("## contractcheck diff: " + md(headline(r.Counts)) + "\n\n")
	fmt.Fprintf(b, "Base %s, head %s.\n", code(r.Base), code(r.Head))
	b.WriteString("\n| Pairs | Pass → fail | Fail → pass | Other changes | Unchanged | Input errors |\n|---:|---:|---:|---:|---:|---:|\n")
	c := r.Counts
	fmt.Fprintf(b, "| %d | %d | %d | %d | %d | %d |\n", c.Pairs, c.PassToFail, c.FailToPass, c.Other, c.Unchanged, c.InputErrors)
	eachGroup(r, func(title string, pairs []Pair) {
		b.WriteString("\n### " + md(title) + "\n\n")
		for _, p := range pairs {
			fmt.Fprintf(b, "- **%s** %s → %d: %s → %s\n", md(p.Ref), code(p.Request), p.Status, p.Base, p.Head)
			for _, f := range p.Appeared {
				fmt.Fprintf(b, "  - ➕ %s %s %s: %s\n", f.Severity, code(f.Rule), code(f.Location.String()), md(f.Message))
			}
			for _, f := range p.Disappeared {
				fmt.Fprintf(b, "  - ➖ %s %s %s: %s\n", f.Severity, code(f.Rule), code(f.Location.String()), md(f.Message))
			}
		}
	})
	if r.MorePairs > 0 {
		fmt.Fprintf(b, "\nand %s not listed\n", plural(r.MorePairs, "more changed pair"))
	}
	if len(r.Rules) > 0 {
		b.WriteString("\n### Findings by rule\n\n| Rule | Appeared | Disappeared | Pairs |\n|---|---:|---:|---:|\n")
		for _, c := range r.Rules {
			fmt.Fprintf(b, "| %s | %d | %d | %d |\n", code(c.Rule), c.Appeared, c.Disappeared, c.Pairs)
		}
	}
	b.WriteString("\n### Static changes for the operations the traffic used\n\n")
	switch {
	case r.StaticError != "":
		b.WriteString("Not computed: " + md(r.StaticError) + "\n")
	case len(r.Static) == 0:
		b.WriteString("None.\n")
	default:
		b.WriteString("| Where | Property | Change | Base | Head | Breaking | Position |\n|---|---|---|---|---|---|---|\n")
		for _, s := range r.Static {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", code(s.Where), code(s.Property), s.Change,
				md(s.Base), md(s.Head), strconv.FormatBool(s.Breaking), code(s.Position.String()))
		}
	}
}

// plural renders "1 pair", "2 pairs".
func plural(n int, noun string) string { return strconv.Itoa(n) + " " + word(n, noun) }

// word is noun, plural unless n is 1.
func word(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
