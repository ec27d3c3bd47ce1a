package validate

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/ascii"
)

// The scanner checks that the document is UTF-8 as it reads strings: outside
// them any byte beyond ASCII is a syntax error anyway.

// maxJSONDepth bounds the nesting the scanner follows; deeper documents are
// left to encoding/json.
const maxJSONDepth = 256

// jsonScanner reads one JSON document in place, checking that it is
// well-formed and judging it against a gateSchema as it goes, without
// building Go values. Strings are compared as written; only those with
// escapes are decoded, into buf.
type jsonScanner struct {
	b    []byte
	i    int
	bad  bool   // not well-formed, or beyond what the scanner follows
	buf  []byte // decoded strings; reset per document
	want []string
	got  []span // for want[k], the last occurrence in the top-level object
	// listed makes an object that leaves out a property its schema lists
	// unsure (rule response.missing-property), for 2xx response bodies.
	listed bool
	// deep follows any nesting encoding/json follows, for a document it
	// has already read (see pairScan.recordProps).
	deep bool
}

// span is where a value is in the scanned document: b[start:end].
type span struct{ start, end int }

// scanJSON scans a whole document and judges it against s (nil accepts any
// value). ok is false when the document is not well-formed JSON as
// encoding/json reads it, or when the scanner cannot tell. The values of the
// top-level object's keys named in sc.want are recorded in sc.got.
func (sc *jsonScanner) scanJSON(s *gateSchema, doc []byte) (v verdict, ok bool) {
	sc.b, sc.i, sc.bad = doc, 0, false
	for k := range sc.got {
		sc.got[k] = span{}
	}
	sc.ws()
	v = sc.value(s, 0)
	sc.ws()
	if sc.bad || sc.i != len(sc.b) {
		return verdictUnsure, false
	}
	return v, true
}

func (sc *jsonScanner) ws() {
	for sc.i < len(sc.b) && jsonSpace[sc.b[sc.i]] {
		sc.i++
	}
}

// fail marks the document as not read.
func (sc *jsonScanner) fail() verdict {
	sc.bad = true
	sc.i = len(sc.b)
	return verdictUnsure
}

// value reads one value at sc.i and judges it against s.
func (sc *jsonScanner) value(s *gateSchema, depth int) verdict {
	if sc.i >= len(sc.b) {
		return sc.fail()
	}
	if s != nil && s.anyValue {
		s = nil
	}
	switch c := sc.b[sc.i]; {
	case c == '{':
		return sc.object(s, depth)
	case c == '[':
		return sc.array(s, depth)
	case c == '"':
		raw, esc := sc.str()
		if sc.bad || s == nil {
			return verdictValid
		}
		if esc {
			raw = sc.unescape(raw)
			if raw == nil {
				return sc.fail()
			}
		}
		return s.str(raw)
	case c == '-' || c >= '0' && c <= '9':
		lit := sc.number()
		if sc.bad || s == nil {
			return verdictValid
		}
		return s.number(lit)
	case c == 't':
		return sc.literal("true", s, (*gateSchema).boolean)
	case c == 'f':
		return sc.literal("false", s, (*gateSchema).boolean)
	case c == 'n':
		return sc.literal("null", s, (*gateSchema).null)
	}
	return sc.fail()
}

func (sc *jsonScanner) literal(word string, s *gateSchema, judge func(*gateSchema) verdict) verdict {
	if len(sc.b)-sc.i < len(word) || string(sc.b[sc.i:sc.i+len(word)]) != word {
		return sc.fail()
	}
	sc.i += len(word)
	if s == nil {
		return verdictValid
	}
	return judge(s)
}

// str reads a string and returns its raw content (between the quotes) and
// whether it holds escapes.
func (sc *jsonScanner) str() (raw []byte, esc bool) {
	start := sc.i + 1
	for i := start; i < len(sc.b); i++ {
		for i+8 <= len(sc.b) && !hasSpecial(binary.LittleEndian.Uint64(sc.b[i:])) {
			i += 8
		}
		for i < len(sc.b) && !jsonSpecial[sc.b[i]] {
			i++
		}
		if i == len(sc.b) {
			break
		}
		switch c := sc.b[i]; {
		case c == '"':
			sc.i = i + 1
			return sc.b[start:i], esc
		case c == '\\':
			esc = true
			if i+1 >= len(sc.b) {
				sc.fail()
				return nil, false
			}
			switch sc.b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+5 >= len(sc.b) || !ascii.IsHex(sc.b[i+2]) || !ascii.IsHex(sc.b[i+3]) || !ascii.IsHex(sc.b[i+4]) || !ascii.IsHex(sc.b[i+5]) {
					sc.fail()
					return nil, false
				}
				i += 5
			default:
				sc.fail()
				return nil, false
			}
		case c < 0x20:
			sc.fail()
			return nil, false
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(sc.b[i:])
			if r == utf8.RuneError && n <= 1 {
				sc.fail() // not UTF-8
				return nil, false
			}
			i += n - 1
		}
	}
	sc.fail()
	return nil, false
}

// jsonSpecial marks the bytes that end a run of plain string content: the
// quote, the backslash and the control characters.
var jsonSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true // checked as UTF-8
	}
	t['"'], t['\\'] = true, true
	return t
}()

// jsonSpace marks JSON's whitespace.
var jsonSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// hasSpecial reports whether any of eight bytes is special in a string: a
// control character, a quote, a backslash or a byte beyond ASCII.
func hasSpecial(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	less := func(x uint64, n uint64) uint64 { return (x - ones*n) & ^x & highs } // a byte < n
	return (less(x, 0x20) | less(x^(ones*'"'), 1) | less(x^(ones*'\\'), 1) | x&highs) != 0
}

// unescape decodes a string's escapes as encoding/json does (a lone
// surrogate becomes U+FFFD), into sc.buf. The result stays valid until the
// scanner is reset.
func (sc *jsonScanner) unescape(raw []byte) []byte {
	start := len(sc.buf)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			sc.buf = append(sc.buf, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			sc.buf = append(sc.buf, '\b')
		case 'f':
			sc.buf = append(sc.buf, '\f')
		case 'n':
			sc.buf = append(sc.buf, '\n')
		case 'r':
			sc.buf = append(sc.buf, '\r')
		case 't':
			sc.buf = append(sc.buf, '\t')
		case 'u':
			r := hex4(raw[i+1:])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					r2 = hex4(raw[i+3:])
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			sc.buf = utf8.AppendRune(sc.buf, r)
		default: // " \ /
			sc.buf = append(sc.buf, raw[i])
		}
	}
	return sc.buf[start:len(sc.buf):len(sc.buf)]
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		r = r<<4 | rune(ascii.Unhex(c))
	}
	return r
}

// number reads a number in JSON's grammar and returns its literal.
func (sc *jsonScanner) number() []byte {
	b, start := sc.b, sc.i
	i := start
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		sc.fail()
		return nil
	}
	ok := true
	if i < len(b) && b[i] == '.' {
		i, ok = digitRun(b, i+1)
	}
	if ok && i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		i, ok = digitRun(b, i)
	}
	if !ok {
		sc.fail()
		return nil
	}
	sc.i = i
	return b[start:i]
}

// digitRun returns where the decimal digits from b[i] end; false when there
// are none.
func digitRun(b []byte, i int) (int, bool) {
	d := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i, i > d
}

// object reads an object and judges it: its type, properties, required keys
// and additional properties. An invalid verdict is only sure when no
// property appears twice (encoding/json keeps the last) and no additional
// property failed its schema.
func (sc *jsonScanner) object(s *gateSchema, depth int) verdict {
	if depth >= maxJSONDepth && !sc.deep {
		return sc.fail()
	}
	sc.i++ // {
	v := verdictValid
	if s != nil && (!s.allows(typeObject) || s.hasEnum) {
		v, s = verdictInvalid, nil
	}
	var seen uint64
	dup, soft := false, false
	sc.ws()
	if sc.i < len(sc.b) && sc.b[sc.i] == '}' {
		sc.i++
	} else {
		for {
			if sc.i >= len(sc.b) || sc.b[sc.i] != '"' {
				return sc.fail()
			}
			key, esc := sc.str()
			if sc.bad {
				return verdictUnsure
			}
			if esc {
				if key = sc.unescape(key); key == nil {
					return sc.fail()
				}
			}
			sc.ws()
			if sc.i >= len(sc.b) || sc.b[sc.i] != ':' {
				return sc.fail()
			}
			sc.i++
			sc.ws()
			start := sc.i
			var sub *gateSchema
			extra := false
			if s != nil {
				if k, ok := s.prop(key); ok {
					sub = s.propList[k]
					dup = dup || seen&(1<<k) != 0
					seen |= 1 << k
				} else if s.closed {
					v = verdictInvalid
				} else if s.extra != nil {
					sub, extra = s.extra, true
				}
			}
			w := sc.value(sub, depth+1)
			if extra && w == verdictInvalid {
				soft = true
			}
			v = v.and(w)
			if depth == 0 && sc.want != nil {
				sc.record(key, span{start, sc.i})
			}
			if !sc.next('}') {
				if sc.bad {
					return verdictUnsure
				}
				break
			}
		}
	}
	if s != nil {
		for _, k := range s.required {
			if seen&(1<<k) == 0 {
				v = verdictInvalid
			}
		}
		if sc.listed && seen&s.listed != s.listed {
			v = v.and(verdictUnsure)
		}
	}
	if v == verdictInvalid && (dup || soft) {
		v = verdictUnsure
	}
	return v
}

// next reads what follows a member or an element: a comma, after which
// another follows (true), or the closing byte end (false). Anything else
// fails the document.
func (sc *jsonScanner) next(end byte) bool {
	sc.ws()
	switch {
	case sc.i < len(sc.b) && sc.b[sc.i] == end:
		sc.i++
		return false
	case sc.i >= len(sc.b) || sc.b[sc.i] != ',':
		sc.fail()
		return false
	}
	sc.i++
	sc.ws()
	return true
}

// record keeps the last occurrence of a wanted top-level key.
func (sc *jsonScanner) record(key []byte, sp span) {
	for k, w := range sc.want {
		if w == string(key) {
			sc.got[k] = sp
		}
	}
}

// array reads an array and judges it: its type, length and items.
func (sc *jsonScanner) array(s *gateSchema, depth int) verdict {
	if depth >= maxJSONDepth && !sc.deep {
		return sc.fail()
	}
	sc.i++ // [
	v := verdictValid
	if s != nil && (!s.allows(typeArray) || s.hasEnum) {
		v, s = verdictInvalid, nil
	}
	var items *gateSchema
	if s != nil {
		items = s.items
	}
	n := 0
	sc.ws()
	if sc.i < len(sc.b) && sc.b[sc.i] == ']' {
		sc.i++
	} else {
		for {
			v = v.and(sc.value(items, depth+1))
			n++
			if !sc.next(']') {
				if sc.bad {
					return verdictUnsure
				}
				break
			}
		}
	}
	if s != nil && (n < s.minItems || s.maxItems >= 0 && n > s.maxItems) {
		v = verdictInvalid
	}
	return v
}

// jsonValue is a value recorded by the scanner, read back for the
// consistency rules.
type jsonValue []byte

// kind returns the value's first byte: '"', '{', '[', 't', 'f', 'n', or a
// digit or '-' for numbers; 0 for an absent value.
func (jv jsonValue) kind() byte {
	if len(jv) == 0 {
		return 0
	}
	return jv[0]
}

// isNumber reports whether the value is a number.
func (jv jsonValue) isNumber() bool {
	k := jv.kind()
	return k == '-' || k >= '0' && k <= '9'
}

// text decodes a string value; ok is false for other values.
func (sc *jsonScanner) text(jv jsonValue) (s []byte, ok bool) {
	if jv.kind() != '"' {
		return nil, false
	}
	raw := jv[1 : len(jv)-1]
	if bytes.IndexByte(raw, '\\') >= 0 {
		return sc.unescape(raw), true
	}
	return raw, true
}

// each calls fn for each member of an object value (open '{') or each
// element of an array value (open '[', with a nil key), in order. It returns
// false when the value is not of that kind.
func (sc *jsonScanner) each(jv jsonValue, open byte, fn func(key []byte, val jsonValue) bool) bool {
	if jv.kind() != open {
		return false
	}
	end := byte(']')
	if open == '{' {
		end = '}'
	}
	sub := jsonScanner{b: jv, i: 1, deep: sc.deep}
	sub.ws()
	if sub.i < len(sub.b) && sub.b[sub.i] == end {
		return true
	}
	for !sub.bad {
		var key []byte
		if open == '{' {
			k, esc := sub.str()
			if esc {
				k = sc.unescape(k)
			}
			key = k
			sub.ws()
			sub.i++ // :
			sub.ws()
		}
		start := sub.i
		sub.value(nil, 1)
		if !fn(key, jsonValue(sub.b[start:sub.i])) || !sub.next(end) {
			break
		}
	}
	return true
}
