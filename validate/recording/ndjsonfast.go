package recording

import (
	"slices"
	"strings"
)

// The fields of each object of an NDJSON line. Unlike a HAR's, other fields
// are errors: the decoder gives up on them, and encoding/json names them.
var (
	lineKeys           = []string{"request", "response"}
	ndjsonRequestKeys  = []string{"method", "url", "headers", "body", "body_base64"}
	ndjsonResponseKeys = []string{"status", "headers", "body", "body_base64"}
)

// ndjsonLine decodes an NDJSON line as ndjsonExchange's json.Decoder would,
// or reports that it gave up. The line is the decoder's scratch: it is good
// until the decoder decodes again.
func (d *fastDecoder) ndjsonLine(raw []byte) (*ndjsonLine, bool) {
	l := &d.lineBuf
	*l = ndjsonLine{}
	clear(d.hdrBuf)
	d.hdrBuf = d.hdrBuf[:0]
	ok := d.document(raw, lineKeys, func(key int) bool {
		switch key {
		case 0:
			d.nreqBuf = ndjsonRequest{}
			l.Request = &d.nreqBuf
			d.half = requestHalf
			return d.ndjsonRequest(l.Request)
		case 1:
			d.nrespBuf = ndjsonResponse{}
			l.Response = &d.nrespBuf
			d.half = responseHalf
			return d.ndjsonResponse(l.Response)
		}
		return false // an unknown field
	})
	return l, ok
}

func (d *fastDecoder) ndjsonRequest(r *ndjsonRequest) bool {
	return d.object(ndjsonRequestKeys, func(key int) bool {
		var ok bool
		switch key {
		case 0:
			r.Method, ok = d.string()
		case 1:
			r.URL, ok = d.string()
		default:
			ok = d.ndjsonShared(key-2, &r.headerList, &r.Body, &r.bodyBytes, &r.BodyBase64)
		}
		return ok
	})
}

func (d *fastDecoder) ndjsonResponse(r *ndjsonResponse) bool {
	return d.object(ndjsonResponseKeys, func(key int) bool {
		var ok bool
		switch key {
		case 0:
			d.status, ok = d.int()
			r.Status = &d.status
		default:
			ok = d.ndjsonShared(key-1, &r.headerList, &r.Body, &r.bodyBytes, &r.BodyBase64)
		}
		return ok
	})
}

// ndjsonShared decodes a field that requests and responses share, by its
// index among them: 0 headers (into headers, sorted by name), 1 body (into
// bodyBytes, body pointing to "" to say it was given) or 2 body_base64.
func (d *fastDecoder) ndjsonShared(key int, headers *[]headerField, body **string, bodyBytes *[]byte, b64 **string) bool {
	var ok bool
	switch key {
	case 0:
		*headers, ok = d.headerObject()
	case 1:
		*bodyBytes, ok = d.text(d.body(d.half))
		*body = &emptyBody
	case 2:
		*b64, ok = d.stringPointer()
	}
	return ok
}

// emptyBody is what a body given as text points to once the decoder has put
// it in bodyBytes.
var emptyBody string

// stringPointer decodes a string into a new *string.
func (d *fastDecoder) stringPointer() (*string, bool) {
	s, ok := d.string()
	return &s, ok
}

// headerObject decodes an object of header names to a string or an array of
// strings into the decoder's scratch, sorted by name, as encoding/json
// decodes it into a map[string]any and sortedHeaderFields sorts it. It gives
// up on a name given twice and on values of other types. Names and values
// are remembered as a HAR's name-value pairs are (see name and value).
func (d *fastDecoder) headerObject() ([]headerField, bool) {
	start := len(d.hdrBuf)
	ok := d.object(nil, func(int) bool {
		name, key, n := d.name(d.key[0], d.key[1])
		d.space()
		switch {
		case d.i >= len(d.data):
			return false
		case d.data[d.i] == '"':
			v, ok := d.remembered(n)
			d.hdrBuf = append(d.hdrBuf, headerField{name: name, key: key, single: v})
			return ok
		case d.data[d.i] != '[':
			return false
		}
		d.i++
		values := []string{}
		for first := true; ; first = false {
			d.space()
			if d.consume(']') {
				d.hdrBuf = append(d.hdrBuf, headerField{name: name, key: key, multi: values})
				return true
			}
			if !first && !d.consume(',') {
				return false
			}
			v, ok := d.remembered(n)
			if !ok {
				return false
			}
			values = append(values, v)
		}
	})
	if !ok {
		return nil, false
	}
	fields := d.hdrBuf[start:len(d.hdrBuf):len(d.hdrBuf)]
	slices.SortFunc(fields, func(a, b headerField) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(fields); i++ {
		if fields[i].name == fields[i-1].name {
			return nil, false // a name given twice: encoding/json keeps the last
		}
	}
	return fields, true
}
