package validate

import (
	"strings"
	"unicode/utf8"
)

// formPair is one key=value pair of an application/x-www-form-urlencoded
// body, decoded. Decoding is lenient: a bad escape is kept as it was written
// and reported in problem, so that one broken field does not hide the rest.
type formPair struct {
	key, value string
	raw        string // the pair as written, for reports
	problem    string // what is wrong with the pair's encoding, if anything
	inKey      bool   // whether the problem is in the key
}

// decodeForm splits a form body into its pairs, in order, as the URL
// Standard's application/x-www-form-urlencoded parser does: pairs are
// separated by &, the first = separates key from value (a pair without = has
// an empty value), + is a space and %XX a byte. Empty pairs are skipped.
// Unlike that parser it reports bad percent escapes and invalid UTF-8
// instead of passing them through silently.
func decodeForm(body string) []formPair {
	if body == "" {
		return nil
	}
	pairs := make([]formPair, 0, strings.Count(body, "&")+1)
	for body != "" {
		var part string
		part, body, _ = strings.Cut(body, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		p := formPair{raw: part}
		var kp, vp string
		p.key, kp = unescapeForm(k)
		p.value, vp = unescapeForm(v)
		switch {
		case kp != "":
			p.problem, p.inKey = "key: "+kp, true
		case vp != "":
			p.problem = vp
		}
		pairs = append(pairs, p)
	}
	return pairs
}

// unescapeForm decodes + and %XX in one form key or value. It returns the
// decoded text and a description of the first problem: a % not followed by
// two hex digits (kept as written), or bytes that are not UTF-8 once decoded.
func unescapeForm(s string) (string, string) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		if !utf8.ValidString(s) {
			return s, "not valid UTF-8"
		}
		return s, ""
	}
	var b strings.Builder
	b.Grow(len(s))
	problem := ""
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b.WriteByte(' ')
		case '%':
			if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
				i += 2
				continue
			}
			if problem == "" {
				end := i + 3
				if end > len(s) {
					end = len(s)
				}
				problem = "bad percent escape " + quoteShort(s[i:end]) + ": % must be followed by two hex digits (write %25 for a literal %)"
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	if problem == "" && !utf8.ValidString(out) {
		problem = "the decoded bytes are not valid UTF-8"
	}
	return out, problem
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
