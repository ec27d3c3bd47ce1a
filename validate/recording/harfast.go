package recording

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"net/textproto"
	"strings"
	"sync"
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
// Only the strings an exchange keeps (a method, a URL, header names and
// values) are copied, into blocks of keptBlock bytes that the strings of
// several entries share (see keep), so that small strings cost no allocation
// of their own and no copy is made of what the exchange does not hold
// (timings, cookies, field names, the rest of the entry). Field names are
// compared in place. The decoder's scratch (the decoded entry, its
// name-value pairs) is reused from entry to entry: decoders come from
// decoderPool.
type fastDecoder struct {
	data  []byte
	i     int
	depth int
	key   [2]int // where the field name member is called for starts and ends in data

	kept strings.Builder // the block kept strings are copied to

	// names are the header names met before, by their text, with their
	// canonical keys and the value each had last: kept for the decoder's
	// life, so that a name costs neither a copy nor its canonicalization
	// the next time, nor a value the same as the time before a copy.
	names map[string]*headerName
	// mimeType remembers the last media types of request and response
	// bodies, as names do values.
	mimeType headerName
	// half is the half of the exchange being decoded (requestHalf,
	// responseHalf): names and mimeType remember a value for each.
	half int

	// scratch, when not nil, is where the entry's bodies go (its buffers
	// are the body slices the entry returns).
	scratch *Scratch

	// The scratch of an entry, reused: what entry and ndjsonLine return
	// points into it, and is good until the decoder decodes again.
	entryBuf  harEntry
	reqBuf    harRequest
	respBuf   harResponse
	postBuf   harPostData
	status    int
	nvBuf     []harNV
	unescaped []byte // where unescape writes
	lineBuf   ndjsonLine
	nreqBuf   ndjsonRequest
	nrespBuf  ndjsonResponse
	hdrBuf    []headerField
}

// headerName is a header name as written, its canonical key, and the value
// it had the last time in a request and in a response (strings that keep
// returned).
type headerName struct {
	name, key string
	values    [2]string
}

// The most header names a decoder remembers, the longest it does, and the
// longest value it remembers of one. A remembered value keeps its block of
// kept strings in memory: at most maxNames of them, a MiB, and in practice
// the few blocks of the last entries.
const (
	maxNames    = 256
	maxNameLen  = 64
	maxValueLen = 128
)

// name returns data[start:end], the name of a name-value pair, as a string
// of its own (as keep does), its canonical header key when the decoder
// knows it ("" when not), and what the decoder remembers of it (nil when
// nothing).
func (d *fastDecoder) name(start, end int) (name, key string, n *headerName) {
	b := d.data[start:end]
	if n, ok := d.names[string(b)]; ok {
		return n.name, n.key, n
	}
	if len(b) == 0 || len(b) > maxNameLen || len(d.names) >= maxNames {
		return d.keep(start, end), "", nil
	}
	n = &headerName{name: string(b)}
	n.key = textproto.CanonicalMIMEHeaderKey(n.name)
	if d.names == nil {
		d.names = make(map[string]*headerName)
	}
	d.names[n.name] = n
	return n.name, n.key, n
}

// value returns data[start:end], the value of a name-value pair whose name
// the decoder remembers as n (nil when it does not), as a string of its own:
// the value the name had the time before when the text is the same (strings
// are never changed, so sharing one is as good as a copy), or else a copy
// (see keep), which it remembers.
func (d *fastDecoder) value(n *headerName, start, end int) string {
	if n == nil {
		return d.keep(start, end)
	}
	last := &n.values[d.half]
	if b := d.data[start:end]; len(b) == len(*last) && string(b) == *last {
		return *last
	}
	v := d.keep(start, end)
	if len(v) <= maxValueLen {
		*last = v
	}
	return v
}

// knownMethods are the request methods the decoder does not copy.
var knownMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// method decodes a request method: one of knownMethods without a copy.
func (d *fastDecoder) method() (string, bool) {
	start, end, unescaped, plain, ok := d.stringText()
	if !ok || !plain {
		return unescaped, ok
	}
	for _, m := range knownMethods {
		if string(d.data[start:end]) == m {
			return m, true
		}
	}
	return d.keep(start, end), true
}

// nvName decodes the name of a name-value pair, as name does (nil n, ""
// key, for one with escapes).
func (d *fastDecoder) nvName() (name, key string, n *headerName, ok bool) {
	start, end, unescaped, plain, ok := d.stringText()
	if !ok || !plain {
		return unescaped, "", nil, ok
	}
	name, key, n = d.name(start, end)
	return name, key, n, true
}

// remembered decodes a string whose last value is remembered in n (nil
// when not), as value does: the value of a name-value pair, a media type.
func (d *fastDecoder) remembered(n *headerName) (string, bool) {
	start, end, unescaped, plain, ok := d.stringText()
	if !ok || !plain {
		return unescaped, ok
	}
	return d.value(n, start, end), true
}

// body returns where the text of the request's (or the response's) body
// goes: the scratch's buffer, or nil for a slice of its own.
func (d *fastDecoder) body(half int) *[]byte {
	switch {
	case d.scratch == nil:
		return nil
	case half == requestHalf:
		return &d.scratch.reqBody
	}
	return &d.scratch.respBody
}

// keptBlock is the size of the blocks kept strings are copied to; a string
// longer than keptDirect gets an allocation of its own.
const (
	keptBlock  = 4 << 10
	keptDirect = 512
)

// maxPooledScratch is the most name-value pairs a pooled decoder keeps room
// for, so that one entry of many headers does not stay in memory for good.
const maxPooledScratch = 1 << 10

// decoderPool recycles decoders, with their scratch and their block of kept
// strings.
var decoderPool = sync.Pool{New: func() any { return new(fastDecoder) }}

// getDecoder returns a decoder from the pool.
func getDecoder() *fastDecoder {
	return decoderPool.Get().(*fastDecoder)
}

// putDecoder gives d back to the pool once what it decoded is no longer
// used. Its scratch is cleared, so that it holds no string of the entry.
func putDecoder(d *fastDecoder) {
	d.data, d.scratch = nil, nil
	d.entryBuf, d.reqBuf, d.respBuf, d.postBuf = harEntry{}, harRequest{}, harResponse{}, harPostData{}
	d.lineBuf, d.nreqBuf, d.nrespBuf = ndjsonLine{}, ndjsonRequest{}, ndjsonResponse{}
	// What lies past their lengths was cleared before.
	clear(d.nvBuf)
	clear(d.hdrBuf)
	if cap(d.nvBuf) > maxPooledScratch || cap(d.hdrBuf) > maxPooledScratch {
		d.nvBuf, d.hdrBuf = nil, nil
	}
	if cap(d.unescaped) > maxPooledFrame {
		d.unescaped = nil
	}
	decoderPool.Put(d)
}

// keep returns data[start:end] as a string of its own, which does not share
// memory with data: a slice of the decoder's block of kept strings, or, when
// long or when the block is full, a copy of its own (a new block). The block
// is only ever appended to, so what keep returned stays as it was.
func (d *fastDecoder) keep(start, end int) string {
	n := end - start
	switch {
	case n == 0:
		return ""
	case n > keptDirect:
		return string(d.data[start:end])
	case d.kept.Cap()-d.kept.Len() < n:
		d.kept = strings.Builder{}
		d.kept.Grow(keptBlock)
	}
	k := d.kept.Len()
	d.kept.Write(d.data[start:end])
	return d.kept.String()[k:]
}

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

// entry decodes raw, or reports that it gave up. The entry is the decoder's
// scratch: it is good until the decoder decodes again.
func (d *fastDecoder) entry(raw []byte) (*harEntry, bool) {
	e := &d.entryBuf
	*e = harEntry{}
	clear(d.nvBuf)
	d.nvBuf = d.nvBuf[:0]
	ok := d.document(raw, entryKeys, func(key int) bool {
		switch key {
		case 0:
			d.reqBuf = harRequest{}
			e.Request = &d.reqBuf
			d.half = requestHalf
			return d.request(e.Request)
		case 1:
			d.respBuf = harResponse{}
			e.Response = &d.respBuf
			d.half = responseHalf
			return d.response(e.Response)
		}
		return d.skip()
	})
	return e, ok
}

// document decodes raw, which must be valid UTF-8 and one object, calling
// member for each of its fields, and reports whether it did not give up.
func (d *fastDecoder) document(raw []byte, known []string, member func(key int) bool) bool {
	if !utf8.Valid(raw) {
		return false
	}
	d.data, d.i, d.depth = raw, 0, 0
	ok := d.object(known, member)
	d.space()
	return ok && d.i == len(d.data)
}

func (d *fastDecoder) request(r *harRequest) bool {
	return d.object(requestKeys, func(key int) bool {
		var ok bool
		switch key {
		case 0:
			r.Method, ok = d.method()
		case 1:
			r.URL, ok = d.string()
		case 2:
			r.Headers, ok = d.nvs()
		case 3:
			d.postBuf = harPostData{}
			r.PostData = &d.postBuf
			ok = d.postData(r.PostData)
		default:
			ok = d.skip()
		}
		return ok
	})
}

func (d *fastDecoder) response(r *harResponse) bool {
	return d.object(responseKeys, func(key int) bool {
		var ok bool
		switch key {
		case 0:
			d.status, ok = d.int()
			r.Status = &d.status
		case 1:
			r.Headers, ok = d.nvs()
		case 2:
			ok = d.content(&r.Content)
		default:
			ok = d.skip()
		}
		return ok
	})
}

func (d *fastDecoder) postData(p *harPostData) bool {
	return d.object(postDataKeys, func(key int) bool {
		var ok bool
		switch key {
		case 0:
			p.MimeType, ok = d.remembered(&d.mimeType)
		case 1:
			p.textBytes, ok = d.text(d.body(requestHalf))
		case 2:
			p.Params, ok = d.nvs()
		case 3:
			p.Encoding, ok = d.string()
		default:
			ok = d.skip()
		}
		return ok
	})
}

func (d *fastDecoder) content(c *harContent) bool {
	return d.object(contentKeys, func(key int) bool {
		var ok bool
		switch key {
		case 0:
			c.Size, ok = d.int()
		case 1:
			c.MimeType, ok = d.remembered(&d.mimeType)
		case 2:
			c.textBytes, ok = d.text(d.body(responseHalf))
		case 3:
			c.Encoding, ok = d.string()
		default:
			ok = d.skip()
		}
		return ok
	})
}

// nvs decodes an array of name-value objects into the decoder's scratch.
func (d *fastDecoder) nvs() ([]harNV, bool) {
	d.space()
	if !d.consume('[') {
		return nil, false
	}
	start := len(d.nvBuf)
	for first := true; ; first = false {
		d.space()
		if d.consume(']') {
			// Not nil, as encoding/json decodes [].
			return d.nvBuf[start:len(d.nvBuf):len(d.nvBuf)], true
		}
		if !first && (!d.consume(',') || !d.space()) {
			return nil, false
		}
		d.nvBuf = append(d.nvBuf, harNV{})
		nv := &d.nvBuf[len(d.nvBuf)-1]
		if d.compactNV(nv) {
			continue
		}
		var n *headerName // the name, when it comes first and is remembered
		ok := d.object(nvKeys, func(key int) bool {
			var ok bool
			switch key {
			case 0:
				nv.Name, nv.key, n, ok = d.nvName()
			case 1:
				nv.Value, ok = d.remembered(n)
			default:
				ok = d.skip()
			}
			return ok
		})
		if !ok {
			return nil, false
		}
	}
}

// compactNV decodes a name-value object written as HARWriter and most tools
// write one, {"name":"...","value":"..."} without white space or escapes,
// into nv, and reports whether it did. When it did not, d.i is where it was,
// for object to decode the object the general way.
func (d *fastDecoder) compactNV(nv *harNV) bool {
	const open, middle, end = `{"name":"`, `","value":"`, `"}`
	start := d.i
	if !bytes.HasPrefix(d.data[d.i:], []byte(open)) {
		return false
	}
	d.i += len(open)
	nameStart := d.i
	d.plainRun()
	nameEnd := d.i
	if !bytes.HasPrefix(d.data[d.i:], []byte(middle)) {
		d.i = start
		return false
	}
	d.i += len(middle)
	valueStart := d.i
	d.plainRun()
	valueEnd := d.i
	if !bytes.HasPrefix(d.data[d.i:], []byte(end)) {
		d.i = start
		return false
	}
	d.i += len(end)
	var n *headerName
	nv.Name, nv.key, n = d.name(nameStart, nameEnd)
	nv.Value = d.value(n, valueStart, valueEnd)
	return true
}

// object decodes an object, calling member for each field with the decoder
// at its value and the index of its name in known, or -1 for another name
// (d.key says where the name is in data). It gives up on a field of known
// given twice, or in another case than known gives it, and on a name that
// is not ASCII or holds an escape (which encoding/json may match with a
// known one).
func (d *fastDecoder) object(known []string, member func(key int) bool) bool {
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
		start, plain, ok := d.stringStart()
		if !ok || !plain {
			return false
		}
		key := d.data[start : d.i-1]
		d.key = [2]int{start, d.i - 1}
		d.space()
		if !d.consume(':') {
			return false
		}
		k := -1
		if len(known) > 0 && !isASCIIBytes(key) {
			// encoding/json matches names by Unicode case folding, which
			// can change a name's length.
			return false
		}
		for j, name := range known {
			if len(key) != len(name) {
				continue
			}
			if string(key) == name {
				k = j
				break
			}
			// encoding/json matches names without regard to case.
			if asciiEqualFold(key, name) {
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
		if !member(k) {
			return false
		}
	}
}

// isASCIIBytes reports whether b is all ASCII.
func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiEqualFold reports whether the ASCII b and s, of the same length, are
// equal without regard to case.
func asciiEqualFold(b []byte, s string) bool {
	for i, c := range b {
		if lower(c) != lower(s[i]) {
			return false
		}
	}
	return true
}

// lower returns the ASCII c in lower case.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
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
		if stops := stopBytes(binary.LittleEndian.Uint64(d.data[d.i:])); stops != 0 {
			// The lowest flag is exact: a borrow only ever flags bytes above a
			// byte flagged already.
			d.i += bits.TrailingZeros64(stops) / 8
			return
		}
		d.i += 8
	}
	for d.i < len(d.data) && !stringStop[d.data[d.i]] {
		d.i++
	}
}

// stopBytes returns the high bit of each byte of x (eight bytes of data) that
// may be a stop: a byte below 0x20, a quote or a backslash. The lowest one set
// is a stop.
func stopBytes(x uint64) uint64 {
	quote, backslash := x^(swarOnes*'"'), x^(swarOnes*'\\')
	return ((x-swarOnes*0x20)&^x | (quote-swarOnes)&^quote | (backslash-swarOnes)&^backslash) & swarHigh
}

// string decodes a string.
func (d *fastDecoder) string() (string, bool) {
	start, end, unescaped, plain, ok := d.stringText()
	if !ok || !plain {
		return unescaped, ok
	}
	return d.keep(start, end), true
}

// stringText reads a string: where its text is in data, from start to end,
// when it has no escapes (plain), or else the string unescaped, a copy.
func (d *fastDecoder) stringText() (start, end int, unescaped string, plain, ok bool) {
	start, plain, ok = d.stringStart()
	switch {
	case !ok:
		return 0, 0, "", false, false
	case plain:
		return start, d.i - 1, "", true, true
	}
	b, _, ok := d.unescape(start)
	if !ok {
		return 0, 0, "", false, false
	}
	return 0, 0, string(b), false, true
}

// text decodes a string into bytes of their own: a body, which an exchange
// holds as bytes, so that a large one is not held twice, as a string and as
// bytes. When dst is not nil, the bytes are written over *dst (which it
// sets), and are returned.
func (d *fastDecoder) text(dst *[]byte) ([]byte, bool) {
	start, plain, ok := d.stringStart()
	switch {
	case !ok:
		return nil, false
	case plain && dst != nil:
		*dst = append((*dst)[:0], d.data[start:d.i-1]...)
		return *dst, true
	case plain:
		return bytes.Clone(d.data[start : d.i-1]), true
	}
	b, own, ok := d.unescape(start)
	switch {
	case !ok:
		return nil, false
	case !own && dst != nil:
		*dst = append((*dst)[:0], b...)
		return *dst, true
	case !own:
		b = bytes.Clone(b)
	}
	return b, true
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

// unescape returns the string that starts at start, d.i being at its first
// backslash, and reads its closing quote, and whether the string is a slice
// of its own. In a small entry it unescapes in one pass into the decoder's
// scratch, which it returns (good until the next call: the caller copies it
// into a string or a slice of exactly its length). In a large one it first
// finds the string's end, and unescapes into a slice of the length of the
// string's JSON text (which the decoded string is not longer than), so that
// a long string costs one allocation of its size.
func (d *fastDecoder) unescape(start int) (b []byte, own, ok bool) {
	if len(d.data) <= maxPooledFrame {
		b = d.unescaped[:0]
	} else {
		b, own = make([]byte, 0, d.stringEnd()-start), true
	}
	b = append(b, d.data[start:d.i]...)
	for {
		switch c := d.data[d.i]; c {
		case '"':
			d.i++
			if !own {
				d.unescaped = b
			}
			return b, own, true
		case '\\':
			if d.i+1 >= len(d.data) {
				return nil, false, false
			}
			e := unescapes[d.data[d.i+1]]
			if e == 0 { // \u, or not an escape
				return nil, false, false
			}
			b = append(b, e)
			d.i += 2
		default:
			if c < 0x20 {
				return nil, false, false
			}
			j := d.i
			d.plainRun()
			b = append(b, d.data[j:d.i]...)
		}
		if d.i >= len(d.data) {
			return nil, false, false
		}
	}
}

// unescapes maps the byte after a backslash to the byte it stands for, or
// to 0 where unescape gives up (\u, or not an escape).
var unescapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

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
		ok := d.object(nil, func(int) bool { return d.skip() })
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
