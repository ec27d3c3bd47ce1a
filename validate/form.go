package validate

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/ascii"
)

// rawPair is one key=value pair of an application/x-www-form-urlencoded
// body as decodeForm reads it, documented or not, decoded. Decoding is lenient: a bad escape is kept as it was written
// and reported in problem, so that one broken field does not hide the rest.
type rawPair struct {
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
func decodeForm(body string) []rawPair {
	if body == "" {
		return nil
	}
	pairs := make([]rawPair, 0, strings.Count(body, "&")+1)
	for body != "" {
		var part string
		part, body, _ = strings.Cut(body, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		p := rawPair{raw: part}
		var kp, vp string
		p.key, kp = unescapeText(k)
		p.value, vp = unescapeText(v)
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

// unescapeForm decodes + and %XX in one form key or value, appending the
// decoded bytes to buf; a value with neither is returned as it is, and buf
// unchanged. problem describes the first problem: a % not followed by two
// hex digits (kept as written), or bytes that are not UTF-8 once decoded.
// Both readers of forms use it: decodeForm, and formScan for the gate.
func unescapeForm(buf, s []byte) (out, grown []byte, problem string) {
	if bytes.IndexByte(s, '%') < 0 && bytes.IndexByte(s, '+') < 0 {
		if !utf8.Valid(s) {
			return s, buf, "not valid UTF-8"
		}
		return s, buf, ""
	}
	start := len(buf)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			buf = append(buf, ' ')
		case '%':
			if i+2 < len(s) && ascii.IsHex(s[i+1]) && ascii.IsHex(s[i+2]) {
				buf = append(buf, ascii.Unhex(s[i+1])<<4|ascii.Unhex(s[i+2]))
				i += 2
				continue
			}
			if problem == "" {
				problem = "bad percent escape " + quoteShort(string(s[i:min(i+3, len(s))])) + ": % must be followed by two hex digits (write %25 for a literal %)"
			}
			buf = append(buf, c)
		default:
			buf = append(buf, c)
		}
	}
	out = buf[start:len(buf):len(buf)]
	if problem == "" && !utf8.Valid(out) {
		problem = "the decoded bytes are not valid UTF-8"
	}
	return out, buf, problem
}

// unescapeText is unescapeForm for a string: the decoded text is s itself
// when there was nothing to decode.
func unescapeText(s string) (string, string) {
	out, grown, problem := unescapeForm(nil, sbytes(s))
	if grown == nil {
		return s, problem
	}
	return bstr(out), problem // out is grown's, which nothing else holds
}
