package recording

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf8"
)

// fastDecoder decodes the JSON text of a HAR entry into a harEntry, or an
// NDJSON line into an ndjsonLine (ndjsonfast.go), without reflection, as
// encoding/json would but several times faster. It takes the
// ordinary case only: anything else (a null, a value of the wrong type, a
// field name in another case or given twice, a \u escape, broken JSON…) makes
// it give up, and the caller decodes the entry with encoding/json, which
// gives the exact result and the exact error. FuzzHARDecoder and
// FuzzNDJSONDecoder check that the two agree whenever fastDecoder does not
// give up.
//
// Strings without escapes are substrings of one copy of the entry, so an
// entry costs one allocation for all its strings. An entry larger than
// sharedStringMax is not copied whole: each of its strings is a copy of its
// own, so that a few small strings (a method, a header) do not keep a copy
// of a 60 MB entry alive as long as the exchange.
type fastDecoder struct {
	data  []byte
	str   string // data as a string; "" when strings are copied one by one
	i     int
	depth int
}

// sharedStringMax is the largest entry whose strings share one copy of it.
const sharedStringMax = 1 << 20

// maxSkipDepth is the deepest nesting the decoder skips over; deeper, it
// gives up.
const maxSkipDepth = 1000

// The fields of each object of an entry that the reader takes; other fields
// are skipped.
var (
	entryKeys    = []string{"request", "response"}
	requestKeys  = []string{"method", "url", "headers", "postData"}
	responseKeys = []string{"status", "headers", "content"}
	postDataKeys = []string{"mimeType", "text", "params", "encoding"}
	contentKeys  = []string{"size", "mimeType", "text", "encoding"}
	nvKeys       = []string{"name", "value"}
)

// entry decodes raw, or reports that it gave up.
func (d *fastDecoder) entry(raw []byte) (*harEntry, bool) {
	e := new(harEntry)
	ok := d.document(raw, entryKeys, func(key string) bool {
		switch key {
		case "request":
			e.Request = new(harRequest)
			return d.request(e.Request)
		case "response":
			e.Response = new(harResponse)
			return d.response(e.Response)
		}
		return d.skip()
	})
	return e, ok
}

// document decodes raw, which must be valid UTF-8 and one object, calling
// member for each of its fields, and reports whether it did not give up.
func (d *fastDecoder) document(raw []byte, known []string, member func(key string) bool) bool {
	if !utf8.Valid(raw) {
		return false
	}
	d.data, d.str, d.i = raw, "", 0
	if len(raw) <= sharedStringMax {
		d.str = string(raw)
	}
	ok := d.object(known, member)
	d.space()
	return ok && d.i == len(d.data)
}

func (d *fastDecoder) request(r *harRequest) bool {
	return d.object(requestKeys, func(key string) bool {
		var ok bool
		switch key {
		case "method":
			r.Method, ok = d.string()
		case "url":
			r.URL, ok = d.string()
		case "headers":
			r.Headers, ok = d.nvs()
		case "postData":
			r.PostData = new(harPostData)
			ok = d.postData(r.PostData)
		default:
			ok = d.skip()
		}
		return ok
	})
}

func (d *fastDecoder) response(r *harResponse) bool {
	return d.object(responseKeys, func(key string) bool {
		var ok bool
		switch key {
		case "status":
			var status int
			status, ok = d.int()
			r.Status = &status
		case "headers":
			r.Headers, ok = d.nvs()
		case "content":
			ok = d.content(&r.Content)
		default:
			ok = d.skip()
		}
		return ok
	})
}

func (d *fastDecoder) postData(p *harPostData) bool {
	return d.object(postDataKeys, func(key string) bool {
		var ok bool
		switch key {
		case "mimeType":
			p.MimeType, ok = d.string()
		case "text":
			p.textBytes, ok = d.text()
		case "params":
			p.Params, ok = d.nvs()
		case "encoding":
			p.Encoding, ok = d.string()
		default:
			ok = d.skip()
		}
		return ok
	})
}

func (d *fastDecoder) content(c *harContent) bool {
	return d.object(contentKeys, func(key string) bool {
		var ok bool
		switch key {
		case "size":
			c.Size, ok = d.int()
		case "mimeType":
			c.MimeType, ok = d.string()
		case "text":
			c.textBytes, ok = d.text()
		case "encoding":
			c.Encoding, ok = d.string()
		default:
			ok = d.skip()
		}
		return ok
	})
}

// nvs decodes an array of name-value objects.
func (d *fastDecoder) nvs() ([]harNV, bool) {
	d.space()
	if !d.consume('[') {
		return nil, false
	}
	nvs := []harNV{}
	for first := true; ; first = false {
		d.space()
		if d.consume(']') {
			return nvs, true
		}
		if !first && (!d.consume(',') || !d.space()) {
			return nil, false
		}
		var nv harNV
		ok := d.object(nvKeys, func(key string) bool {
			var ok bool
			switch key {
			case "name":
				nv.Name, ok = d.string()
			case "value":
				nv.Value, ok = d.string()
			default:
				ok = d.skip()
			}
			return ok
		})
		if !ok {
			return nil, false
		}
		nvs = append(nvs, nv)
	}
}

// object decodes an object, calling member for each field with the decoder
// at its value. It gives up on a field of known given twice, or in another
// case than known gives it.
func (d *fastDecoder) object(known []string, member func(key string) bool) bool {
	d.space()
	if !d.consume('{') {
		return false
	}
	var seen uint
	for first := true; ; first = false {
		d.space()
		if d.consume('}') {
			return true
		}
		if !first && (!d.consume(',') || !d.space()) {
			return false
		}
		key, ok := d.string()
		if !ok {
			return false
		}
		d.space()
		if !d.consume(':') {
			return false
		}
		k := -1
		for j, name := range known {
			if key == name {
				k = j
				break
			}
			// encoding/json matches names without regard to case, and Unicode
			// folding can change a name's length: check it all unless the key
			// is ASCII of another length.
			if (len(key) == len(name) || !isASCII(key)) && strings.EqualFold(key, name) {
				return false
			}
		}
		if k >= 0 {
			if seen&(1<<k) != 0 {
				return false
			}
			seen |= 1 << k
			d.space()
			if d.i < len(d.data) && d.data[d.i] == 'n' { // null: encoding/json leaves the field be
				return false
			}
		}
		if !member(key) {
			return false
		}
	}
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// space skips white space; it always returns true.
func (d *fastDecoder) space() bool {
	for d.i < len(d.data) && isJSONSpace(d.data[d.i]) {
		d.i++
	}
	return true
}

// consume consumes c if it is next.
func (d *fastDecoder) consume(c byte) bool {
	if d.i < len(d.data) && d.data[d.i] == c {
		d.i++
		return true
	}
	return false
}

// stringStop marks the bytes that end the plain run of a JSON string: the
// quote, the backslash and the control characters, which JSON forbids.
var stringStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// SWAR constants: a byte of ones, and the high bit of every byte.
const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// plainRun advances over the bytes of a string that need no attention (see
// stringStop), eight at a time while it can.
func (d *fastDecoder) plainRun() {
	for d.i+8 <= len(d.data) {
		x := binary.LittleEndian.Uint64(d.data[d.i:])
		quote, backslash := x^(swarOnes*'"'), x^(swarOnes*'\\')
		// A byte below 0x20, or a zero byte in quote or backslash, is a stop.
		stops := (x-swarOnes*0x20)&^x | (quote-swarOnes)&^quote | (backslash-swarOnes)&^backslash
		if stops&swarHigh != 0 {
			break
		}
		d.i += 8
	}
	for d.i < len(d.data) && !stringStop[d.data[d.i]] {
		d.i++
	}
}

// string decodes a string.
func (d *fastDecoder) string() (string, bool) {
	start, plain, ok := d.stringStart()
	switch {
	case !ok:
		return "", false
	case plain && d.str == "":
		return string(d.data[start : d.i-1]), true
	case plain:
		return d.str[start : d.i-1], true
	}
	var b strings.Builder
	if !d.unescape(start, &b) {
		return "", false
	}
	return b.String(), true
}

// text decodes a string into bytes of their own: a body, which an exchange
// holds as bytes, so that a large one is not held twice, as a string and as
// bytes.
func (d *fastDecoder) text() ([]byte, bool) {
	start, plain, ok := d.stringStart()
	switch {
	case !ok:
		return nil, false
	case plain:
		return bytes.Clone(d.data[start : d.i-1]), true
	}
	var b bytes.Buffer
	if !d.unescape(start, &b) {
		return nil, false
	}
	return b.Bytes(), true
}

// stringStart reads the opening quote of a string and the plain bytes after
// it. When the string has no escapes, plain is true and the string, from
// start, is read with its closing quote; otherwise d.i is at the first
// backslash.
func (d *fastDecoder) stringStart() (start int, plain, ok bool) {
	d.space()
	if !d.consume('"') {
		return 0, false, false
	}
	start = d.i
	d.plainRun()
	switch {
	case d.i == len(d.data):
		return 0, false, false
	case d.data[d.i] == '"':
		d.i++
		return start, true, true
	case d.data[d.i] != '\\':
		return 0, false, false
	}
	return start, false, true
}

// unescaper is where unescape writes: a strings.Builder or a bytes.Buffer.
type unescaper interface {
	Grow(n int)
	Write(p []byte) (int, error)
	WriteByte(c byte) error
}

// unescape writes the string that starts at start, d.i being at its first
// backslash, to b, and reads its closing quote. b grows once, to the length
// of the string's JSON text (which the decoded string is not longer than),
// so that a long string costs one allocation of its size.
func (d *fastDecoder) unescape(start int, b unescaper) bool {
	b.Grow(d.stringEnd() - start)
	b.Write(d.data[start:d.i])
	for {
		switch c := d.data[d.i]; c {
		case '"':
			d.i++
			return true
		case '\\':
			if d.i+1 >= len(d.data) {
				return false
			}
			switch e := d.data[d.i+1]; e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			default: // \u, or not an escape
				return false
			}
			d.i += 2
		default:
			if c < 0x20 {
				return false
			}
			j := d.i
			d.plainRun()
			b.Write(d.data[j:d.i])
		}
		if d.i >= len(d.data) {
			return false
		}
	}
}

// stringEnd returns the offset of the quote that ends the string d.i is in,
// or the end of the data, without moving d.i.
func (d *fastDecoder) stringEnd() int {
	i := d.i
	defer func() { d.i = i }()
	for d.i < len(d.data) {
		d.plainRun()
		if d.i >= len(d.data) || d.data[d.i] == '"' {
			break
		}
		if d.data[d.i] == '\\' {
			d.i++
		}
		d.i++
	}
	return min(d.i, len(d.data))
}

// int decodes an integer of up to 18 digits, without fraction or exponent.
func (d *fastDecoder) int() (int, bool) {
	d.space()
	neg := d.consume('-')
	start := d.i
	n := 0
	for d.i < len(d.data) && d.data[d.i] >= '0' && d.data[d.i] <= '9' {
		n = n*10 + int(d.data[d.i]-'0')
		d.i++
	}
	digits := d.i - start
	switch {
	case digits == 0 || digits > 18 || (digits > 1 && d.data[start] == '0'):
		return 0, false
	case d.i < len(d.data) && (d.data[d.i] == '.' || d.data[d.i] == 'e' || d.data[d.i] == 'E'):
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// skip skips a value, checking its syntax.
func (d *fastDecoder) skip() bool {
	d.space()
	if d.i >= len(d.data) {
		return false
	}
	switch c := d.data[d.i]; {
	case c == '"':
		return d.skipString()
	case c == '{':
		if d.depth++; d.depth > maxSkipDepth {
			return false
		}
		ok := d.object(nil, func(string) bool { return d.skip() })
		d.depth--
		return ok
	case c == '[':
		if d.depth++; d.depth > maxSkipDepth {
			return false
		}
		ok := d.skipArray()
		d.depth--
		return ok
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.skipNumber()
	}
	return false
}

// skipString skips a string, checking its escapes.
func (d *fastDecoder) skipString() bool {
	d.i++ // the quote
	for d.i < len(d.data) {
		switch c := d.data[d.i]; {
		case c == '"':
			d.i++
			return true
		case c == '\\':
			if d.i+1 >= len(d.data) || !bytes.ContainsRune([]byte(`"\/bfnrt`), rune(d.data[d.i+1])) {
				return false // \u too: let encoding/json check it
			}
			d.i += 2
		case c < 0x20:
			return false
		default:
			d.i++
		}
	}
	return false
}

// skipArray skips an array.
func (d *fastDecoder) skipArray() bool {
	d.i++ // the '['
	for first := true; ; first = false {
		d.space()
		if d.consume(']') {
			return true
		}
		if !first && !d.consume(',') {
			return false
		}
		if !d.skip() {
			return false
		}
	}
}

// literal skips the literal lit.
func (d *fastDecoder) literal(lit string) bool {
	if len(d.data)-d.i < len(lit) || string(d.data[d.i:d.i+len(lit)]) != lit {
		return false
	}
	d.i += len(lit)
	return true
}

// skipNumber skips a number, checking its syntax.
func (d *fastDecoder) skipNumber() bool {
	d.consume('-')
	switch {
	case d.consume('0'):
	case d.digits() == 0:
		return false
	}
	if d.consume('.') && d.digits() == 0 {
		return false
	}
	if d.consume('e') || d.consume('E') {
		if !d.consume('+') {
			d.consume('-')
		}
		if d.digits() == 0 {
			return false
		}
	}
	return true
}

// digits skips decimal digits and returns how many.
func (d *fastDecoder) digits() int {
	start := d.i
	for d.i < len(d.data) && d.data[d.i] >= '0' && d.data[d.i] <= '9' {
		d.i++
	}
	return d.i - start
}
