package escape

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, Übergröße, 日本語":     "plain text, Übergröße, 日本語",
		"a\nb\r\nc\td":                   `a\nb\r\nc\td`,
		"\x1b[2J\x00\x7f":                `\x1b[2J\x00\x7f`,
		"\u0085 NEL and \u009b CSI":      `\u0085 NEL and \u009b CSI`,
		"user\u202egnp.exe":              `user\u202egnp.exe`,
		"\u200e\u200f\u061c\u2066\u2069": `\u200e\u200f\u061c\u2066\u2069`,
		"zero\u200bwidth\ufeff":          `zero\u200bwidth\ufeff`,
		"line\u2028sep\u2029":            `line\u2028sep\u2029`,
		"bad \xff byte":                  "bad \uFFFD byte",
		`already \n escaped`:             `already \n escaped`,
	} {
		got := Line(in)
		if got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
		if again := Line(got); again != got {
			t.Errorf("Line is not idempotent on %q: %q", got, again)
		}
	}
}

func TestLineStart(t *testing.T) {
	for in, want := range map[string]string{
		"::error file=x::forged": `\x3a:error file=x::forged`,
		"    ::warning::x":       `    \x3a:warning::x`,
		"a::b":                   "a::b",
		":one colon":             ":one colon",
		"\n::error::x":           `\n::error::x`,
	} {
		if got := LineStart(in); got != want {
			t.Errorf("LineStart(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzLine: whatever s holds, Line(s) is valid UTF-8 on one line with no
// hidden character, and LineStart(s) does not start a workflow command.
func FuzzLine(f *testing.F) {
	f.Add("::error::x\n\x1b[31m\u202e")
	f.Add("\xff\xfe\u2028")
	f.Fuzz(func(t *testing.T, s string) {
		got := Line(s)
		if !utf8.ValidString(got) || strings.IndexFunc(got, Hidden) >= 0 {
			t.Fatalf("Line(%q) = %q", s, got)
		}
		if strings.HasPrefix(strings.TrimLeft(LineStart(s), " "), "::") {
			t.Fatalf("LineStart(%q) starts a command", s)
		}
	})
}
