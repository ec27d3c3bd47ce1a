package coverage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/contractcheck/contractcheck/internal/escape"
)

// The formats of a coverage report.
const (
	FormatText     = "text"
	FormatJSON     = "json"
	FormatMarkdown = "markdown"
)

// Formats are the formats [Write] takes, the default first.
func Formats() []string { return []string{FormatText, FormatJSON, FormatMarkdown} }

// Write writes rep in format: text for people, JSON (the file that
// [ReadFile] reads and [Merge] merges), or Markdown.
func Write(w io.Writer, rep Report, format string) error {
	var b bytes.Buffer
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("encoding the coverage: %w", err)
		}
	case FormatText:
		fmt.Fprintf(&b, "coverage of %s: %s\n", escape.Line(rep.Contract), rep.Headline())
		for _, op := range rep.Operations {
			fmt.Fprintf(&b, "\n%s: %.1f%% (%d of %d items, %d pairs)\n", escape.Line(op.Operation), op.Percent, op.Covered, op.Total, op.Pairs)
			for _, kind := range kinds(op) {
				fmt.Fprintf(&b, "  %-15s %s\n", kind, itemList(op, kind, escape.Line))
			}
		}
		if len(rep.NotUsed) > 0 {
			fmt.Fprintf(&b, "\nno pair of %d other operations of the contract\n", len(rep.NotUsed))
		}
	case FormatMarkdown:
		writeMarkdown(&b, rep)
	default:
		return fmt.Errorf("%q is not a coverage format: want one of %s", format, strings.Join(Formats(), ", "))
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the coverage: %w", err)
	}
	return nil
}

// Headline sums the coverage up, such as "83.3% (25 of 30 items, 1 operation)".
func (rep Report) Headline() string {
	ops := "operations"
	if len(rep.Operations) == 1 {
		ops = "operation"
	}
	return fmt.Sprintf("%.1f%% (%d of %d items, %d %s)", rep.Percent, rep.Covered, rep.Total, len(rep.Operations), ops)
}

// MarkdownSection is the coverage as a Markdown section: a table per
// operation of its items, covered or not.
func (rep Report) MarkdownSection() string {
	var b bytes.Buffer
	writeMarkdown(&b, rep)
	return b.String()
}

func writeMarkdown(b *bytes.Buffer, rep Report) {
	b.WriteString("### Contract coverage: " + escape.Markdown(rep.Headline()) + "\n")
	for _, op := range rep.Operations {
		fmt.Fprintf(b, "\n%s: %.1f%% (%d of %d items, %d pairs)\n\n| Kind | Covered | Not covered |\n|---|---|---|\n",
			escape.MarkdownCode(op.Operation), op.Percent, op.Covered, op.Total, op.Pairs)
		for _, kind := range kinds(op) {
			fmt.Fprintf(b, "| %s | %s | %s |\n", kind, itemNames(op, kind, true), itemNames(op, kind, false))
		}
	}
}

// kinds are the kinds of op's items, in order.
func kinds(op Operation) []string {
	var out []string
	for _, it := range op.Items {
		if len(out) == 0 || out[len(out)-1] != it.Kind {
			out = append(out, it.Kind)
		}
	}
	return out
}

// itemList lists the items of a kind, each marked covered (+) or not (-).
func itemList(op Operation, kind string, esc func(string) string) string {
	var parts []string
	for _, it := range op.Items {
		if it.Kind != kind {
			continue
		}
		mark := "-"
		if it.Covered() {
			mark = "+"
		}
		parts = append(parts, mark+esc(it.Name))
	}
	return strings.Join(parts, " ")
}

// itemNames lists the names of the items of a kind, covered or not, as
// Markdown code.
func itemNames(op Operation, kind string, covered bool) string {
	var parts []string
	for _, it := range op.Items {
		if it.Kind == kind && it.Covered() == covered {
			parts = append(parts, escape.MarkdownCode(it.Name))
		}
	}
	return strings.Join(parts, " ")
}

// ReadFile reads a coverage file that [Write] wrote in JSON.
func ReadFile(name string) (Report, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return Report{}, fmt.Errorf("reading coverage %s: %w", name, err)
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return Report{}, fmt.Errorf("reading coverage %s: not a coverage file: %w", name, err)
	}
	rep.total()
	return rep, nil
}
