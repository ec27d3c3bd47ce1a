package recording

import (
	"errors"
	"strconv"
)

// jsonScanner checks the syntax of one JSON value shown to it in pieces, as
// encoding/json would, with the same messages, but without holding the value
// and without a limit on nesting: it keeps a bit per level of nesting (an
// object or an array), so that a value nested a million levels deep costs
// 128 KiB. The HAR reader skips the fields it does not need with it (a 1 GiB
// log.comment passes through a 64 KiB buffer), and tells with it whether an
// entry that encoding/json refuses is broken or only nested deeper than
// encoding/json goes.
//
// The zero value expects the start of a value.
type jsonScanner struct {
	state  scanState
	stack  []uint64 // a bit per open object (1) or array (0)
	depth  int
	lit    string // the rest of a literal (true, false, null) being read
	litAll string // the whole literal, for messages
	hex    int    // hex digits still wanted in a \u escape
	key    bool   // the string being read is an object key
}

// scanState is where in the grammar a jsonScanner is.
type scanState uint8

const (
	scanBeginValue      scanState = iota // a value must start
	scanBeginValueOrEnd                  // after '[': a value or ']'
	scanBeginKeyOrEnd                    // after '{': a key or '}'
	scanBeginKey                         // after ',' in an object: a key
	scanEndValue                         // a value has ended: what follows it
	scanString                           // in a string
	scanEscape                           // after '\' in a string
	scanHex                              // in the hex digits of a \u escape
	scanNeg                              // after '-'
	scanInt                              // in the digits of an integer part not starting with 0
	scanZero                             // after the integer part
	scanDot                              // after '.'
	scanFrac                             // in the digits of a fraction
	scanExp                              // after 'e' or 'E'
	scanExpSign                          // after the exponent's sign
	scanExpDigits                        // in the digits of an exponent
	scanLiteral                          // in true, false or null
	scanDone                             // the value is complete
)

// syntaxError is a problem of JSON syntax, worded as encoding/json words it.
type syntaxError struct{ msg string }

func (e *syntaxError) Error() string { return e.msg }

// errJSONEnd is the problem of JSON text that ends inside a value.
var errJSONEnd = errors.New("unexpected end of JSON input")

// quoteChar renders a byte as encoding/json does in its messages.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

func (s *jsonScanner) fail(c byte, context string) error {
	return &syntaxError{"invalid character " + quoteChar(c) + " " + context}
}

// done reports whether the value is complete.
func (s *jsonScanner) done() bool { return s.state == scanDone }

// scan reads p, which continues the value, and returns how many bytes of it
// belong to the value: all of p while the value goes on, fewer once it is
// complete (done then reports true; a number ends at the byte after it, which
// is not counted). It returns an error at the first byte that breaks the
// syntax.
func (s *jsonScanner) scan(p []byte) (int, error) {
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch s.state {
		case scanString:
			// The common case: plain characters, passed over in a tight loop.
			j := i
			for j < len(p) && p[j] >= 0x20 && p[j] != '"' && p[j] != '\\' {
				j++
			}
			if j == len(p) {
				return len(p), nil
			}
			i, c = j, p[j]
			switch {
			case c == '"':
				s.endValue()
			case c == '\\':
				s.state = scanEscape
			default:
				return i, s.fail(c, "in string literal")
			}
		case scanEscape:
			switch c {
			case 'b', 'f', 'n', 'r', 't', '\\', '/', '"':
				s.state = scanString
			case 'u':
				s.state, s.hex = scanHex, 4
			default:
				return i, s.fail(c, "in string escape code")
			}
		case scanHex:
			if !isHex(c) {
				return i, s.fail(c, "in \\u hexadecimal character escape")
			}
			if s.hex--; s.hex == 0 {
				s.state = scanString
			}
		case scanBeginValue, scanBeginValueOrEnd:
			if isJSONSpace(c) {
				continue
			}
			if c == ']' && s.state == scanBeginValueOrEnd {
				s.pop()
				continue
			}
			if err := s.beginValue(c); err != nil {
				return i, err
			}
		case scanBeginKeyOrEnd, scanBeginKey:
			switch {
			case isJSONSpace(c):
			case c == '}' && s.state == scanBeginKeyOrEnd:
				s.pop()
			case c == '"':
				s.state, s.key = scanString, true
			default:
				return i, s.fail(c, "looking for beginning of object key string")
			}
		case scanEndValue:
			if isJSONSpace(c) {
				continue
			}
			if err := s.afterValue(c); err != nil {
				return i, err
			}
		case scanNeg:
			switch {
			case c == '0':
				s.state = scanZero
			case '1' <= c && c <= '9':
				s.state = scanInt
			default:
				return i, s.fail(c, "in numeric literal")
			}
		case scanInt, scanZero, scanFrac, scanExpDigits:
			if isDigit(c) && s.state != scanZero {
				continue
			}
			switch {
			case c == '.' && (s.state == scanInt || s.state == scanZero):
				s.state = scanDot
				continue
			case (c == 'e' || c == 'E') && s.state != scanExpDigits:
				s.state = scanExp
				continue
			}
			// The number ended before c, which is looked at again.
			s.endValue()
			i--
		case scanDot:
			if !isDigit(c) {
				return i, s.fail(c, "after decimal point in numeric literal")
			}
			s.state = scanFrac
		case scanExp:
			switch {
			case c == '+' || c == '-':
				s.state = scanExpSign
			case isDigit(c):
				s.state = scanExpDigits
			default:
				return i, s.fail(c, "in exponent of numeric literal")
			}
		case scanExpSign:
			if !isDigit(c) {
				return i, s.fail(c, "in exponent of numeric literal")
			}
			s.state = scanExpDigits
		case scanLiteral:
			if c != s.lit[0] {
				return i, s.fail(c, "in literal "+s.litAll+" (expecting "+quoteChar(s.lit[0])+")")
			}
			if s.lit = s.lit[1:]; s.lit == "" {
				s.endValue()
			}
		case scanDone:
			return i, nil
		}
		if s.state == scanDone {
			return i + 1, nil
		}
	}
	return len(p), nil
}

// end says whether the input may end here: after a complete value, or in a
// number at the top level, which it completes. Like encoding/json, it looks
// at the end as at a space, so that "tru" is refused for its ' '.
func (s *jsonScanner) end() error {
	if s.state == scanDone {
		return nil
	}
	if _, err := s.scan([]byte{' '}); err != nil {
		return err
	}
	if s.state == scanDone {
		return nil
	}
	return errJSONEnd
}

// beginValue starts the value whose first byte is c.
func (s *jsonScanner) beginValue(c byte) error {
	switch {
	case c == '{':
		s.push(true)
		s.state = scanBeginKeyOrEnd
	case c == '[':
		s.push(false)
		s.state = scanBeginValueOrEnd
	case c == '"':
		s.state, s.key = scanString, false
	case c == '-':
		s.state = scanNeg
	case c == '0':
		s.state = scanZero
	case '1' <= c && c <= '9':
		s.state = scanInt
	case c == 't':
		s.state, s.lit, s.litAll = scanLiteral, "rue", "true"
	case c == 'f':
		s.state, s.lit, s.litAll = scanLiteral, "alse", "false"
	case c == 'n':
		s.state, s.lit, s.litAll = scanLiteral, "ull", "null"
	default:
		return s.fail(c, "looking for beginning of value")
	}
	return nil
}

// endValue ends a scalar, or a key.
func (s *jsonScanner) endValue() {
	if s.depth == 0 {
		s.state = scanDone
		return
	}
	s.state = scanEndValue
}

// afterValue reads c, the first byte after a value (or a key) in an object or
// an array.
func (s *jsonScanner) afterValue(c byte) error {
	if s.key {
		if c != ':' {
			return s.fail(c, "after object key")
		}
		s.key = false
		s.state = scanBeginValue
		return nil
	}
	inObject := s.top()
	switch {
	case c == ',' && inObject:
		s.state = scanBeginKey
	case c == ',':
		s.state = scanBeginValue
	case c == '}' && inObject, c == ']' && !inObject:
		s.pop()
	case inObject:
		return s.fail(c, "after object key:value pair")
	default:
		return s.fail(c, "after array element")
	}
	return nil
}

func (s *jsonScanner) push(object bool) {
	word, bit := s.depth/64, uint(s.depth%64)
	if word == len(s.stack) {
		s.stack = append(s.stack, 0)
	}
	if object {
		s.stack[word] |= 1 << bit
	} else {
		s.stack[word] &^= 1 << bit
	}
	s.depth++
}

// top reports whether the innermost open value is an object.
func (s *jsonScanner) top() bool {
	d := s.depth - 1
	return s.stack[d/64]&(1<<uint(d%64)) != 0
}

// pop closes the innermost object or array, which ends a value.
func (s *jsonScanner) pop() {
	s.depth--
	s.key = false
	s.endValue()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// validJSON reports whether doc is one JSON value, and the problem when it
// is not, nesting aside.
func validJSON(doc []byte) error {
	var s jsonScanner
	n, err := s.scan(doc)
	if err != nil {
		return err
	}
	if !s.done() {
		if err := s.end(); err != nil {
			return err
		}
	}
	for _, c := range doc[n:] {
		if !isJSONSpace(c) {
			return s.fail(c, "after top-level value")
		}
	}
	return nil
}
