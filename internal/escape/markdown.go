package escape

import "strings"

// Markdown escapes text for Markdown on one line: control characters are
// escaped ([Line]), HTML and Markdown syntax lose their meaning.
func Markdown(s string) string {
	s = strings.Join(strings.Fields(Line(s)), " ")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '[', ']', '|', '#', '~', '!', '(', ')', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MarkdownCode renders s as inline code; a | (which would end a table cell) and
// backticks are replaced, since code spans cannot escape them.
func MarkdownCode(s string) string {
	s = strings.Join(strings.Fields(Line(s)), " ")
	s = strings.NewReplacer("`", "'", "|", "¦").Replace(s)
	return "`" + s + "`"
}
