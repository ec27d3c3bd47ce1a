package report

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/contractcheck/contractcheck/validate"
)

// FuzzWriters renders pairs whose recording-borne text is arbitrary in every
// format: the JUnit report stays well-formed XML, the SARIF report valid
// JSON, each GitHub annotation one line, no format lets an ESC through nor a
// textual one (text, JUnit, GitHub, Markdown) a bidi control, and no line that the pairs' text makes starts with "::"
// (which GitHub Actions reads as a workflow command, after any white space):
// only the GitHub format's own command lines do.
func FuzzWriters(f *testing.F) {
	f.Add("traffic.har", "request.body#/Configuration.Ur", "Configuration.Ur is not a field", "did you mean Configuration.Url?", "/v1/x?a=1")
	f.Add("we,ird:name <1>.har", "a<b>&\"c\"", "]]></failure>\n::error::x %0A", "\x00\x1b[2J\uffff", "?q=<&>")
	f.Add("::error file=x.har::forged", "request.body#/a\n    ::error file=x::forged", "::warning::m", "\r::notice::h\u2028::x", "/v1/%0A::error::p")
	f.Add("a.har", "\u202eloc", "\u2066msg\u2069", "\ufeff\u200b", "/x")
	f.Fuzz(func(t *testing.T, source, location, message, hint, path string) {
		fd := validate.Finding{Rule: validate.RuleFormUnknownKey, Severity: validate.SeverityError, Location: validate.Location{Part: validate.PartRequestBody, Pointer: location}, Message: message, Hint: hint,
			Spec: validate.SpecPos{File: source, Line: 3}}
		warn := fd
		warn.Severity = validate.SeverityWarning
		ex := exchange(0, "https://conversations.twilio.com"+path, 201)
		ex.Source, ex.Line = source, 7
		pairs := []Pair{
			NewPair(ex, validate.Result{Operation: testOp, Findings: []validate.Finding{fd, warn}, Omitted: map[string]int{fd.Rule: 7}}, validate.SeverityError),
			NewPair(ex, validate.Result{Skip: message}, validate.SeverityError),
			NewInputError(source, 1, 2, location, errors.New(message)),
		}
		var s Summary
		for _, p := range pairs {
			s.Add(p)
		}
		for _, format := range Formats() {
			var b strings.Builder
			w, err := New(&b, format, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pairs {
				if err := w.WritePair(p); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Finish(s); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Contains(out, "\x1b") {
				t.Fatalf("%s: an ESC reached the report", format)
			}
			textual := format != FormatJSON && format != FormatNDJSON && format != FormatSARIF // JSON keeps values exact
			if textual && strings.ContainsAny(out, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f") {
				t.Fatalf("%s: a bidi control reached the report", format)
			}
			commands := 0
			for _, line := range strings.Split(out, "\n") {
				if !strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") {
					continue
				}
				if format != FormatGitHub || !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::warning ") && !strings.HasPrefix(line, "::notice ") {
					t.Fatalf("%s: a line starts a workflow command: %q\n%s", format, line, out)
				}
				commands++
			}
			if format == FormatGitHub && commands != 4 { // 2 findings, the findings not shown, 1 input error
				t.Fatalf("GitHub report has %d command lines, want 4:\n%s", commands, out)
			}
			switch format {
			case FormatJUnit:
				dec := xml.NewDecoder(strings.NewReader(out))
				for {
					if _, err := dec.Token(); err != nil {
						if err != io.EOF {
							t.Fatalf("JUnit report is not well-formed: %v\n%s", err, out)
						}
						break
					}
				}
			case FormatSARIF, FormatJSON:
				if !json.Valid([]byte(out)) {
					t.Fatalf("%s report is not JSON:\n%s", format, out)
				}
			case FormatGitHub:
				if n := strings.Count(out, "\n"); n != 5 { // 2 findings, the findings not shown, 1 input error, the summary
					t.Fatalf("GitHub report has %d lines, want 5:\n%s", n, out)
				}
			}
		}
	})
}
