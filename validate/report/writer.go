package report

import (
	"fmt"
	"io"
	"strings"
)

// Writer writes a report: each pair as soon as it is checked, in the order
// checked, then the summary. A Writer keeps no pair once written, so memory
// stays constant. It is not safe for concurrent use.
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
)

// Formats returns every format, the default first.
func Formats() []Format { return []Format{FormatText, FormatJSON, FormatNDJSON} }

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
	return "", fmt.Errorf("parsing report format: %q is not one of %s", s, strings.Join(names, ", "))
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
	}
	return nil, fmt.Errorf("making a report writer: unknown format %q", f)
}
