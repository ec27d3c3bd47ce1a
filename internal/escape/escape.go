// Package escape makes text from recordings and live traffic safe to print
// on a terminal, in a log or in a text report: such text is written by
// whoever sent the request or the answer, and must neither move the cursor,
// recolour the screen, reorder what a reader sees, nor start a line of its
// own (which a CI runner could read as a command).
package escape

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s fit to be shown within one line: bytes that are not UTF-8
// become U+FFFD, and every character that is not shown as itself is written
// as a Go escape (\n, \t, \x1b, \u202e):
//
//   - control characters: C0 (line breaks and tabs included), DEL and C1;
//   - Unicode's format characters, which include the bidirectional controls
//     (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the
//     zero-width characters (U+200B–U+200D, U+2060) and the byte order mark
//     U+FEFF;
//   - the line and paragraph separators U+2028 and U+2029, and the blank
//     fillers U+115F, U+1160, U+3164 and U+FFA0.
//
// Other text, letters of every script included, is unchanged. Line is
// idempotent but for the backslashes of a Go escape, which are not escaped
// again: Line(Line(s)) is Line(s).
func Line(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	i := strings.IndexFunc(s, Hidden)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if !Hidden(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r) // '\n', '\x1b', '\u202e'
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

// Hidden reports whether r is a character [Line] escapes: one that is not
// shown as itself.
func Hidden(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f:
		return true
	case r < 0x80:
		return false
	case r < 0xa0:
		return true // C1
	}
	switch r {
	case 0x115f, 0x1160, 0x3164, 0xffa0, 0x2028, 0x2029:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// LineStart returns s as [Line] does, fit to begin a line of output: when
// it would start, after spaces, with "::", which GitHub Actions reads as a
// workflow command wherever the line comes from, its first colon is written
// \x3a.
func LineStart(s string) string {
	s = Line(s)
	rest := strings.TrimLeft(s, " ")
	if !strings.HasPrefix(rest, "::") {
		return s
	}
	return s[:len(s)-len(rest)] + `\x3a` + rest[1:]
}
