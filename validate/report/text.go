package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/validate"
)

// ANSI escape sequences of the coloured text report.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiMagenta = "\x1b[35m"
	ansiCyan    = "\x1b[36m"
)

// textWriter writes the report for people.
type textWriter struct {
	w     io.Writer
	color bool
	quiet bool
	wrote bool // whether a pair has been written (the next one needs a blank line)
	buf   bytes.Buffer
}

// NewText returns a writer of the text report. It shows each failed pair and
// each input error, with a header line such as
//
//	traffic.har#12 POST /v1/Conversations/CH…/Webhooks -> 201
//
// and then every finding on indented lines, a blank line between pairs, and
// a summary line at the end. Passed and skipped pairs print nothing. With
// opts.Quiet only the summary line is printed; with opts.Color severities and
// headers are coloured with ANSI escapes.
func NewText(w io.Writer, opts Options) Writer {
	return &textWriter{w: w, color: opts.Color, quiet: opts.Quiet}
}

// WritePair writes a failed or input-error pair; other pairs print nothing.
func (t *textWriter) WritePair(p Pair) error {
	if t.quiet || (p.Verdict != VerdictFail && p.Verdict != VerdictInputError) {
		return nil
	}
	t.buf.Reset()
	if t.wrote {
		t.buf.WriteByte('\n')
	}
	if p.Verdict == VerdictInputError {
		t.line(0, t.paint(ansiBold, escape.LineStart(p.RefLine())))
		t.line(2, t.paint(ansiMagenta, "input error")+": "+escape.Line(p.Error))
	} else {
		t.line(0, t.paint(ansiBold, escape.LineStart(pairHeader(p))))
		for _, f := range p.Findings {
			t.finding(f)
		}
		t.more(p)
		t.replay(p.Replay)
	}
	t.wrote = true
	if _, err := t.w.Write(t.buf.Bytes()); err != nil {
		return fmt.Errorf("writing the text report of %s: %w", p.Ref(), err)
	}
	return nil
}

// finding writes one finding on indented lines.
func (t *textWriter) finding(f validate.Finding) {
	sev := f.Severity.String()
	switch f.Severity {
	case validate.SeverityError:
		sev = t.paint(ansiRed, sev)
	case validate.SeverityWarning:
		sev = t.paint(ansiYellow, sev)
	case validate.SeverityInfo:
		sev = t.paint(ansiGreen, sev)
	}
	head := sev + " " + t.paint(ansiCyan, escape.Line(f.Rule))
	if f.Location != (validate.Location{}) {
		head += " " + escape.Line(f.Location.String())
	}
	t.line(2, head)
	if f.Message != "" {
		t.line(4, escape.LineStart(f.Message)) // the message begins its line
	}
	for _, kv := range [...]struct{ key, val string }{
		{"want: ", f.Want}, {"got:  ", f.Got}, {"hint: ", f.Hint}, {"contract: ", f.Spec.String()},
	} {
		if kv.val != "" {
			t.line(4, kv.key+escape.Line(kv.val))
		}
	}
}

// more writes how many findings the caps left out of the pair, if any.
func (t *textWriter) more(p Pair) {
	if more := p.MoreText(); more != "" {
		t.line(2, more)
	}
}

// replay writes the curl command that replays a failing pair, under
// "replay:", as it can be pasted into a shell.
func (t *textWriter) replay(cmd string) {
	if cmd == "" {
		return
	}
	t.line(2, t.paint(ansiCyan, "replay:"))
	for l := range strings.SplitSeq(cmd, "\n") {
		t.buf.WriteString("    " + escape.Line(l) + "\n")
	}
}

// line writes s on a line of its own, indented. Every value in s went
// through [escape.Line] (or [escape.LineStart] where it begins the line), so
// that s holds no line break and no control character of the recording.
func (t *textWriter) line(indent int, s string) {
	for range indent {
		t.buf.WriteByte(' ')
	}
	t.buf.WriteString(s)
	t.buf.WriteByte('\n')
}

// paint wraps s in an ANSI colour when colours are on.
func (t *textWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

// Finish writes the summary line.
func (t *textWriter) Finish(s Summary) error {
	t.buf.Reset()
	if t.wrote {
		t.buf.WriteByte('\n')
	}
	code := ansiGreen
	if s.Failed > 0 || s.InputErrors > 0 {
		code = ansiRed
	}
	t.line(0, t.paint(ansiBold+code, s.String()))
	if _, err := t.w.Write(t.buf.Bytes()); err != nil {
		return fmt.Errorf("writing the summary of the text report: %w", err)
	}
	return nil
}

// pathAndQuery returns the path and query of a URL, without its scheme,
// host and fragment: "https://host/a?b#c" gives "/a?b". An origin-form target
// is returned as it is, less its fragment.
func pathAndQuery(u string) string {
	if i := strings.Index(u, "://"); i >= 0 && !strings.ContainsAny(u[:i], "/?#") {
		rest := u[i+3:]
		j := strings.IndexAny(rest, "/?#")
		if j < 0 {
			return "/"
		}
		u = rest[j:]
		if u[0] != '/' {
			u = "/" + u
		}
	}
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	return u
}

// clean makes a document of several lines, whose values went through
// [escape.Line], safe for XML: control characters other than line breaks and
// tabs are shown as Go escapes such as \x1b, and bytes that are not UTF-8
// become U+FFFD (XML requires UTF-8).
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0)
}
