package wire

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/contractcheck/contractcheck/internal/ascii"
)

// Pair is one key=value pair of an application/x-www-form-urlencoded
// body as DecodeForm reads it, documented or not, decoded. Decoding is lenient: a bad escape is kept as it was written
// and reported in Problem, so that one broken field does not hide the rest.
type Pair struct {
	// Key and Value are the decoded key and value.
	Key, Value string
	// Raw is the pair as written, for reports.
	Raw string
	// Problem is what is wrong with the pair's encoding, if anything.
	Problem string
	// InKey reports whether the problem is in the key.
	InKey bool
}

// DecodeForm splits a form body into its pairs, in order, as the URL
// Standard's application/x-www-form-urlencoded parser does: pairs are
// separated by &, the first = separates key from value (a pair without = has
// an empty value), + is a space and %XX a byte. Empty pairs are skipped.
// Unlike that parser it reports bad percent escapes and invalid UTF-8
// instead of passing them through silently.
func DecodeForm(body string) []Pair {
	if body == "" {
		return nil
	}
	pairs := make([]Pair, 0, strings.Count(body, "&")+1)
	for body != "" {
		var part string
		part, body, _ = strings.Cut(body, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		p := Pair{Raw: part}
		var kp, vp string
		p.Key, kp = UnescapeText(k)
		p.Value, vp = UnescapeText(v)
		switch {
		case kp != "":
			p.Problem, p.InKey = "key: "+kp, true
		case vp != "":
			p.Problem = vp
		}
		pairs = append(pairs, p)
	}
	return pairs
}

// FormReader reads the pairs of a form body in place, split and decoded as
// DecodeForm does, without building a Pair: the checker's scan of a form's
// documented pairs reads a body with it. Decoded keys and values are
// appended to Buf when there is anything to decode; a caller reuses Buf
// across bodies (it truncates it, and what it holds, when it is done).
type FormReader struct {
	body []byte
	Buf  []byte // the decoded keys and values
}

// Reset starts reading body; Buf is kept.
func (r *FormReader) Reset(body []byte) { r.body = body }

// Next returns the next non-empty pair of the body, its key and value
// decoded; clean is false when DecodeForm reports a problem in the pair (a
// bad escape or invalid UTF-8, in the key or the value). ok is false when
// the body has no more pairs.
func (r *FormReader) Next() (key, val []byte, clean, ok bool) {
	for len(r.body) > 0 {
		part := r.body
		if i := bytes.IndexByte(part, '&'); i >= 0 {
			part, r.body = part[:i], part[i+1:]
		} else {
			r.body = nil
		}
		if len(part) == 0 {
			continue
		}
		key, val = part, part[len(part):]
		if i := bytes.IndexByte(part, '='); i >= 0 {
			key, val = part[:i], part[i+1:]
		}
		var kp, vp string
		key, r.Buf, kp = UnescapeForm(r.Buf, key)
		val, r.Buf, vp = UnescapeForm(r.Buf, val)
		return key, val, kp == "" && vp == "", true
	}
	return nil, nil, false, false
}

// UnescapeForm decodes + and %XX in one form key or value, appending the
// decoded bytes to buf; a value with neither is returned as it is, and buf
// unchanged. problem describes the first problem: a % not followed by two
// hex digits (kept as written), or bytes that are not UTF-8 once decoded.
// Both readers of forms use it: DecodeForm, and FormReader.
func UnescapeForm(buf, s []byte) (out, grown []byte, problem string) {
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
				problem = "bad percent escape " + strconv.Quote(string(s[i:min(i+3, len(s))])) + ": % must be followed by two hex digits (write %25 for a literal %)"
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

// UnescapeText is UnescapeForm for a string: the decoded text is s itself
// when there was nothing to decode.
func UnescapeText(s string) (string, string) {
	out, grown, problem := UnescapeForm(nil, Bytes(s))
	if grown == nil {
		return s, problem
	}
	return String(out), problem // out is grown's, which nothing else holds
}

// Bytes views a string's bytes without copying; they must not be written.
func Bytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// String views bytes as a string without copying. The string must not
// outlive a change to the bytes.
func String(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
