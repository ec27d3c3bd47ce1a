package gate

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/ascii"
)

// The scanner checks that the document is UTF-8 as it reads strings: outside
// them any byte beyond ASCII is a syntax error anyway.

// MaxDepth bounds the nesting the scanner follows; deeper documents are
// left to encoding/json.
const MaxDepth = 256

// Scanner reads one JSON document in place, checking that it is
// well-formed and judging it against a Schema as it goes, without
// building Go values. Strings are compared as written; only those with
// escapes are decoded, into Buf.
type Scanner struct {
	// Doc is the document being scanned.
	Doc []byte
	i   int
	bad bool // not well-formed, or beyond what the scanner follows
	// Buf holds decoded strings; reset per document.
	Buf []byte
	// Want names top-level keys whose values ScanJSON records in Got.
	Want []string
	// Got holds, for Want[k], the last occurrence in the top-level object.
	Got []Span
	// Listed makes an object that leaves out a property its schema lists
	// unsure (rule response.missing-property), for 2xx response bodies.
	Listed bool
	// Deep follows any nesting encoding/json follows, for a document it
	// has already read (see pairScan.recordProps).
	Deep bool
}

// Span is where a value is in the scanned document: Doc[start:end].
type Span struct{ start, end int }

// At returns the value at sp in the scanned document.
func (sc *Scanner) At(sp Span) Value { return Value(sc.Doc[sp.start:sp.end]) }

// ReadsNumber reports whether b is one JSON number and nothing more.
func ReadsNumber(b []byte) bool {
	if len(b) == 0 {
		return false // number reads a first byte
	}
	sc := Scanner{Doc: b}
	sc.number()
	return !sc.bad && sc.i == len(b)
}

// ScanJSON scans a whole document and judges it against s (nil accepts any
// value). ok is false when the document is not well-formed JSON as
// encoding/json reads it, or when the scanner cannot tell. The values of the
// top-level object's keys named in sc.Want are recorded in sc.Got.
func (sc *Scanner) ScanJSON(s *Schema, doc []byte) (v Verdict, ok bool) {
	sc.Doc, sc.i, sc.bad = doc, 0, false
	for k := range sc.Got {
		sc.Got[k] = Span{}
	}
	sc.ws()
	v = sc.value(s, 0)
	sc.ws()
	if sc.bad || sc.i != len(sc.Doc) {
		return Unsure, false
	}
	return v, true
}

func (sc *Scanner) ws() {
	for sc.i < len(sc.Doc) && JSONSpace[sc.Doc[sc.i]] {
		sc.i++
	}
}

// fail marks the document as not read.
func (sc *Scanner) fail() Verdict {
	sc.bad = true
	sc.i = len(sc.Doc)
	return Unsure
}

// value reads one value at sc.i and judges it against s.
func (sc *Scanner) value(s *Schema, depth int) Verdict {
	if sc.i >= len(sc.Doc) {
		return sc.fail()
	}
	if s != nil && s.AnyValue {
		s = nil
	}
	switch c := sc.Doc[sc.i]; {
	case c == '{':
		return sc.object(s, depth)
	case c == '[':
		return sc.array(s, depth)
	case c == '"':
		raw, esc := sc.str()
		if sc.bad || s == nil {
			return Valid
		}
		if esc {
			raw = sc.unescape(raw)
			if raw == nil {
				return sc.fail()
			}
		}
		return s.Str(raw)
	case c == '-' || c >= '0' && c <= '9':
		lit := sc.number()
		if sc.bad || s == nil {
			return Valid
		}
		return s.Number(lit)
	case c == 't':
		return sc.literal("true", s, (*Schema).Boolean)
	case c == 'f':
		return sc.literal("false", s, (*Schema).Boolean)
	case c == 'n':
		return sc.literal("null", s, (*Schema).null)
	}
	return sc.fail()
}

func (sc *Scanner) literal(word string, s *Schema, judge func(*Schema) Verdict) Verdict {
	if len(sc.Doc)-sc.i < len(word) || string(sc.Doc[sc.i:sc.i+len(word)]) != word {
		return sc.fail()
	}
	sc.i += len(word)
	if s == nil {
		return Valid
	}
	return judge(s)
}

// str reads a string and returns its raw content (between the quotes) and
// whether it holds escapes.
func (sc *Scanner) str() (raw []byte, esc bool) {
	start := sc.i + 1
	for i := start; i < len(sc.Doc); i++ {
		for i+8 <= len(sc.Doc) && !hasSpecial(binary.LittleEndian.Uint64(sc.Doc[i:])) {
			i += 8
		}
		for i < len(sc.Doc) && !jsonSpecial[sc.Doc[i]] {
			i++
		}
		if i == len(sc.Doc) {
			break
		}
		switch c := sc.Doc[i]; {
		case c == '"':
			sc.i = i + 1
			return sc.Doc[start:i], esc
		case c == '\\':
			esc = true
			if i+1 >= len(sc.Doc) {
				sc.fail()
				return nil, false
			}
			switch sc.Doc[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+5 >= len(sc.Doc) || !ascii.IsHex(sc.Doc[i+2]) || !ascii.IsHex(sc.Doc[i+3]) || !ascii.IsHex(sc.Doc[i+4]) || !ascii.IsHex(sc.Doc[i+5]) {
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
			r, n := utf8.DecodeRune(sc.Doc[i:])
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

// JSONSpace marks JSON's whitespace.
var JSONSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// hasSpecial reports whether any of eight bytes is special in a string: a
// control character, a quote, a backslash or a byte beyond ASCII.
func hasSpecial(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	less := func(x uint64, n uint64) uint64 { return (x - ones*n) & ^x & highs } // a byte < n
	return (less(x, 0x20) | less(x^(ones*'"'), 1) | less(x^(ones*'\\'), 1) | x&highs) != 0
}

// unescape decodes a string's escapes as encoding/json does (a lone
// surrogate becomes U+FFFD), into sc.Buf. The result stays valid until the
// scanner is reset.
func (sc *Scanner) unescape(raw []byte) []byte {
	start := len(sc.Buf)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			sc.Buf = append(sc.Buf, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			sc.Buf = append(sc.Buf, '\b')
		case 'f':
			sc.Buf = append(sc.Buf, '\f')
		case 'n':
			sc.Buf = append(sc.Buf, '\n')
		case 'r':
			sc.Buf = append(sc.Buf, '\r')
		case 't':
			sc.Buf = append(sc.Buf, '\t')
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
			sc.Buf = utf8.AppendRune(sc.Buf, r)
		default: // " \ /
			sc.Buf = append(sc.Buf, raw[i])
		}
	}
	return sc.Buf[start:len(sc.Buf):len(sc.Buf)]
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		r = r<<4 | rune(ascii.Unhex(c))
	}
	return r
}

// number reads a number in JSON's grammar and returns its literal.
func (sc *Scanner) number() []byte {
	b, start := sc.Doc, sc.i
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
// and additional properties. An invalid Verdict is only sure when no
// property appears twice (encoding/json keeps the last) and no additional
// property failed its schema.
func (sc *Scanner) object(s *Schema, depth int) Verdict {
	if depth >= MaxDepth && !sc.Deep {
		return sc.fail()
	}
	sc.i++ // {
	v := Valid
	if s != nil && (!s.Allows(TypeObject) || s.hasEnum) {
		v, s = Invalid, nil
	}
	var seen uint64
	dup, soft := false, false
	sc.ws()
	if sc.i < len(sc.Doc) && sc.Doc[sc.i] == '}' {
		sc.i++
	} else {
		for {
			if sc.i >= len(sc.Doc) || sc.Doc[sc.i] != '"' {
				return sc.fail()
			}
			key, esc := sc.str()
			if sc.bad {
				return Unsure
			}
			if esc {
				if key = sc.unescape(key); key == nil {
					return sc.fail()
				}
			}
			sc.ws()
			if sc.i >= len(sc.Doc) || sc.Doc[sc.i] != ':' {
				return sc.fail()
			}
			sc.i++
			sc.ws()
			start := sc.i
			var sub *Schema
			extra := false
			if s != nil {
				if k, ok := s.prop(key); ok {
					sub = s.PropList[k]
					dup = dup || seen&(1<<k) != 0
					seen |= 1 << k
				} else if s.Closed {
					v = Invalid
				} else if s.Extra != nil {
					sub, extra = s.Extra, true
				}
			}
			w := sc.value(sub, depth+1)
			if extra && w == Invalid {
				soft = true
			}
			v = v.and(w)
			if depth == 0 && sc.Want != nil {
				sc.record(key, Span{start, sc.i})
			}
			if !sc.next('}') {
				if sc.bad {
					return Unsure
				}
				break
			}
		}
	}
	if s != nil {
		for _, k := range s.Required {
			if seen&(1<<k) == 0 {
				v = Invalid
			}
		}
		if sc.Listed && seen&s.Listed != s.Listed {
			v = v.and(Unsure)
		}
	}
	if v == Invalid && (dup || soft) {
		v = Unsure
	}
	return v
}

// next reads what follows a member or an element: a comma, after which
// another follows (true), or the closing byte end (false). Anything else
// fails the document.
func (sc *Scanner) next(end byte) bool {
	sc.ws()
	switch {
	case sc.i < len(sc.Doc) && sc.Doc[sc.i] == end:
		sc.i++
		return false
	case sc.i >= len(sc.Doc) || sc.Doc[sc.i] != ',':
		sc.fail()
		return false
	}
	sc.i++
	sc.ws()
	return true
}

// record keeps the last occurrence of a wanted top-level key.
func (sc *Scanner) record(key []byte, sp Span) {
	for k, w := range sc.Want {
		if w == string(key) {
			sc.Got[k] = sp
		}
	}
}

// array reads an array and judges it: its type, length and items.
func (sc *Scanner) array(s *Schema, depth int) Verdict {
	if depth >= MaxDepth && !sc.Deep {
		return sc.fail()
	}
	sc.i++ // [
	v := Valid
	if s != nil && (!s.Allows(TypeArray) || s.hasEnum) {
		v, s = Invalid, nil
	}
	var items *Schema
	if s != nil {
		items = s.Items
	}
	n := 0
	sc.ws()
	if sc.i < len(sc.Doc) && sc.Doc[sc.i] == ']' {
		sc.i++
	} else {
		for {
			v = v.and(sc.value(items, depth+1))
			n++
			if !sc.next(']') {
				if sc.bad {
					return Unsure
				}
				break
			}
		}
	}
	if s != nil && (n < s.MinItems || s.MaxItems >= 0 && n > s.MaxItems) {
		v = Invalid
	}
	return v
}

// Value is a value recorded by the scanner, read back for the
// consistency rules.
type Value []byte

// Kind returns the value's first byte: '"', '{', '[', 't', 'f', 'n', or a
// digit or '-' for numbers; 0 for an absent value.
func (jv Value) Kind() byte {
	if len(jv) == 0 {
		return 0
	}
	return jv[0]
}

// IsNumber reports whether the value is a number.
func (jv Value) IsNumber() bool {
	k := jv.Kind()
	return k == '-' || k >= '0' && k <= '9'
}

// Text decodes a string value; ok is false for other values.
func (sc *Scanner) Text(jv Value) (s []byte, ok bool) {
	if jv.Kind() != '"' {
		return nil, false
	}
	raw := jv[1 : len(jv)-1]
	if bytes.IndexByte(raw, '\\') >= 0 {
		return sc.unescape(raw), true
	}
	return raw, true
}

// Each calls fn for each member of an object value (open '{') or each
// element of an array value (open '[', with a nil key), in order. It returns
// false when the value is not of that kind.
func (sc *Scanner) Each(jv Value, open byte, fn func(key []byte, val Value) bool) bool {
	if jv.Kind() != open {
		return false
	}
	end := byte(']')
	if open == '{' {
		end = '}'
	}
	sub := Scanner{Doc: jv, i: 1, Deep: sc.Deep}
	sub.ws()
	if sub.i < len(sub.Doc) && sub.Doc[sub.i] == end {
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
		if !fn(key, Value(sub.Doc[start:sub.i])) || !sub.next(end) {
			break
		}
	}
	return true
}
