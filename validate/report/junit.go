package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/validate"
)

// junitWriter writes JUnit XML. Pairs arrive in the order of their
// recordings, so one suite is open at a time: its test cases are rendered
// into body (a few hundred bytes per passing pair, the findings of the
// others; past a few megabytes they go to a temporary file), and the suite is
// written, with its counts, when the next recording starts or the report
// finishes.
type junitWriter struct {
	w       io.Writer
	started bool   // whether the document head has been written
	source  string // the recording of the open suite
	open    bool   // whether a suite is open
	counts  junitCounts
	body    spool        // the open suite's test cases
	buf     bytes.Buffer // one test case, or the head of the document or of a suite
}

// junitCounts are the attributes of a <testsuite>.
type junitCounts struct{ tests, failures, errors, skipped int }

// NewJUnit returns a writer of the JUnit XML report, as CI systems read it:
//
//	<testsuites name="contractcheck">
//	  <testsuite name="traffic.har" tests="2" failures="1" errors="0" skipped="0">
//	    <testcase classname="traffic.har" name="#1 POST /v1/Conversations/CH…/Webhooks">
//	      <failure type="form.unknown-key" message="…">…every finding…</failure>
//	    </testcase>
//
// One <testsuite> per recording, one <testcase> per pair: a failed pair has
// a <failure> listing its findings, a skipped pair <skipped/>, an input error
// an <error>; the warnings and infos of a passed pair are in its <system-out>
// (an info is never a failure).
func NewJUnit(w io.Writer) Writer { return &junitWriter{w: w} }

// WritePair adds the pair's test case to the suite of its recording, writing
// the previous suite out when the recording changes.
func (j *junitWriter) WritePair(p Pair) error {
	if err := j.start(); err != nil {
		return fmt.Errorf("writing the JUnit report before pair %s: %w", p.Ref(), err)
	}
	if j.open && p.Source != j.source {
		if err := j.closeSuite(); err != nil {
			return fmt.Errorf("writing the JUnit report before pair %s: %w", p.Ref(), err)
		}
	}
	if !j.open {
		j.open, j.source, j.counts = true, p.Source, junitCounts{}
	}
	j.buf.Reset()
	j.testcase(p)
	if _, err := j.body.Write(j.buf.Bytes()); err != nil {
		return fmt.Errorf("holding pair %s for the JUnit report: %w", p.Ref(), err)
	}
	return nil
}

// start writes the head of the document, once.
func (j *junitWriter) start() error {
	if j.started {
		return nil
	}
	j.started = true
	if j.body.limit == 0 {
		j.body.limit = spoolLimit
	}
	_, err := io.WriteString(j.w, xml.Header+`<testsuites name="contractcheck">`+"\n")
	return err
}

// testcase renders the pair's test case into j.buf and counts it.
func (j *junitWriter) testcase(p Pair) {
	b := &j.buf
	j.counts.tests++
	// The suite names the recording: a test case is named by its entry and
	// its request line (or the entry's line, for an entry that could not be
	// read).
	name := p.Source
	switch {
	case p.Entry < 0:
	case p.Verdict == VerdictInputError:
		name = strings.TrimPrefix(p.RefLine(), p.Source)
	default:
		name = "#" + strconv.Itoa(p.Entry) + " " + p.Request()
	}
	b.WriteString(`    <testcase classname="` + xmlAttr(escape.Line(p.Source)) + `" name="` + xmlAttr(escape.Line(name)) + `"`)
	switch p.Verdict {
	case VerdictFail:
		j.counts.failures++
		first := p.Findings[0]
		for _, f := range p.Findings {
			if f.Severity == validate.SeverityError {
				first = f
				break
			}
		}
		msg := first.Rule + ": " + first.Message
		if n := len(p.Findings) + p.OmittedCount(); n > 1 {
			msg += " (and " + plural(n-1, "more finding") + ")"
		}
		b.WriteString(">\n      <failure type=\"" + xmlAttr(escape.Line(first.Rule)) + `" message="` + xmlAttr(escape.Line(msg)) + `">`)
		text := escape.LineStart(pairHeader(p)) + "\n" + findingsText(p)
		if p.Replay != "" {
			text += "replay:\n" + p.Replay + "\n"
		}
		b.WriteString(xmlText(text))
		b.WriteString("</failure>\n    </testcase>\n")
	case VerdictSkip:
		j.counts.skipped++
		b.WriteString(">\n      <skipped message=\"" + xmlAttr(escape.Line(p.Reason)) + "\"/>\n    </testcase>\n")
	case VerdictInputError:
		j.counts.errors++
		b.WriteString(">\n      <error type=\"input-error\" message=\"" + xmlAttr(escape.Line(p.Error)) + "\"/>\n    </testcase>\n")
	default:
		if len(p.Findings) == 0 {
			b.WriteString("/>\n")
			return
		}
		b.WriteString(">\n      <system-out>" + xmlText(findingsText(p)) + "</system-out>\n    </testcase>\n")
	}
}

// closeSuite writes the open suite: its head with the counts, its test
// cases, its end.
func (j *junitWriter) closeSuite() error {
	c := j.counts
	j.buf.Reset()
	fmt.Fprintf(&j.buf, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n",
		xmlAttr(escape.Line(j.source)), c.tests, c.failures, c.errors, c.skipped)
	j.open = false
	if _, err := j.w.Write(j.buf.Bytes()); err != nil {
		return err
	}
	if _, err := j.body.WriteTo(j.w); err != nil {
		return err
	}
	_, err := io.WriteString(j.w, "  </testsuite>\n")
	return err
}

// Finish writes the last suite and closes the document.
func (j *junitWriter) Finish(Summary) error {
	defer j.body.Close()
	err := j.start()
	if err == nil && j.open {
		err = j.closeSuite()
	}
	if err == nil {
		_, err = io.WriteString(j.w, "</testsuites>\n")
	}
	if err != nil {
		return fmt.Errorf("writing the end of the JUnit report: %w", err)
	}
	return nil
}

// pairHeader is the first line of a pair in the text report:
// "source#entry METHOD /path -> status".
func pairHeader(p Pair) string {
	return p.Ref() + " " + p.Request() + " -> " + strconv.Itoa(p.Status)
}

// findingsText renders the findings of a pair as the text report does,
// without colour, and how many the caps left out.
func findingsText(p Pair) string {
	var t textWriter
	for _, f := range p.Findings {
		t.finding(f)
	}
	t.more(p)
	return t.buf.String()
}

// xmlText escapes s for XML character data, keeping its line breaks and
// tabs; other control characters are shown as Go escapes ([clean]: XML 1.0
// cannot hold them), and the non-characters U+FFFE and U+FFFF become U+FFFD.
func xmlText(s string) string { return xmlEscape(s, false) }

// xmlAttr escapes s for a double-quoted XML attribute value, line breaks and
// tabs included.
func xmlAttr(s string) string { return xmlEscape(s, true) }

func xmlEscape(s string, attr bool) string {
	s = clean(s)
	if !strings.ContainsAny(s, "&<>\"\n\t\uFFFE\uFFFF") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\n' && attr:
			b.WriteString("&#xA;")
		case r == '\t' && attr:
			b.WriteString("&#x9;")
		case r == 0xFFFE || r == 0xFFFF:
			b.WriteRune(0xFFFD)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
