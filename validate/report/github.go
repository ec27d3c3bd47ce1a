package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/validate"
)

// githubWriter writes GitHub Actions workflow commands.
type githubWriter struct {
	w   io.Writer
	buf bytes.Buffer
}

// NewGitHub returns a writer of GitHub Actions workflow commands, which the
// Actions runner turns into annotations on the recording: a line
//
//	::error file=traffic.har,line=12,title=form.unknown-key::traffic.har#1 POST /v1/… -> 201: request.body#/Configuration.Ur: …
//
// per finding (::warning for a warning, ::notice for an info), one per
// input error, a ::notice saying how many findings of a pair the caps left
// out, and the summary line at the end. The file is left out for standard input and the
// line when the reader does not know it. Values are escaped as the runner
// expects (%, CR, LF, and in properties : and ,).
func NewGitHub(w io.Writer) Writer { return &githubWriter{w: w} }

// WritePair writes an annotation per finding, or the pair's input error.
func (g *githubWriter) WritePair(p Pair) error {
	g.buf.Reset()
	if p.Verdict == VerdictInputError {
		g.command("error", p, "input error", escape.Line(p.RefLine()+": "+p.Error))
	}
	for _, f := range p.Findings {
		cmd := "error"
		switch f.Severity {
		case validate.SeverityWarning:
			cmd = "warning"
		case validate.SeverityInfo:
			cmd = "notice"
		}
		msg := findingMessage(pairHeader(p), f)
		if f.Spec.File != "" {
			msg += "\ncontract: " + escape.Line(f.Spec.String())
		}
		g.command(cmd, p, f.Rule, msg)
	}
	if more := p.MoreText(); more != "" {
		g.command("notice", p, "findings not shown", escape.Line(pairHeader(p)+": "+more))
	}
	if g.buf.Len() == 0 {
		return nil
	}
	if _, err := g.w.Write(g.buf.Bytes()); err != nil {
		return fmt.Errorf("writing the annotations of %s: %w", p.Ref(), err)
	}
	return nil
}

// command writes one workflow command about pair p. msg is made of values
// that went through [escape.Line], on lines of its own making.
func (g *githubWriter) command(cmd string, p Pair, title, msg string) {
	var props []string
	if p.Source != "" && p.Source != "-" {
		props = append(props, "file="+escapeProperty(escape.Line(p.Source)))
	}
	if p.Line > 0 {
		props = append(props, "line="+strconv.Itoa(p.Line))
	}
	props = append(props, "title="+escapeProperty(escape.Line(title)))
	g.buf.WriteString("::" + cmd + " " + strings.Join(props, ",") + "::" + escapeData(msg) + "\n")
}

// Finish writes the summary line.
func (g *githubWriter) Finish(s Summary) error {
	if _, err := io.WriteString(g.w, s.String()+"\n"); err != nil {
		return fmt.Errorf("writing the summary of the GitHub report: %w", err)
	}
	return nil
}

// The escapes of workflow commands: the message escapes %, CR and LF; a
// property also : and ,.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes the message of a workflow command.
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a property value of a workflow command.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
