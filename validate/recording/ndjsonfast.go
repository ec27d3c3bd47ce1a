package recording

// The fields of each object of an NDJSON line. Unlike a HAR's, other fields
// are errors: the decoder gives up on them, and encoding/json names them.
var (
	lineKeys           = []string{"request", "response"}
	ndjsonRequestKeys  = []string{"method", "url", "headers", "body", "body_base64"}
	ndjsonResponseKeys = []string{"status", "headers", "body", "body_base64"}
)

// ndjsonLine decodes an NDJSON line as ndjsonExchange's json.Decoder would,
// or reports that it gave up.
func (d *fastDecoder) ndjsonLine(raw []byte) (*ndjsonLine, bool) {
	l := new(ndjsonLine)
	ok := d.document(raw, lineKeys, func(key string) bool {
		switch key {
		case "request":
			l.Request = new(ndjsonRequest)
			return d.ndjsonRequest(l.Request)
		case "response":
			l.Response = new(ndjsonResponse)
			return d.ndjsonResponse(l.Response)
		}
		return false // an unknown field
	})
	return l, ok
}

func (d *fastDecoder) ndjsonRequest(r *ndjsonRequest) bool {
	return d.object(ndjsonRequestKeys, func(key string) bool {
		var ok bool
		switch key {
		case "method":
			r.Method, ok = d.string()
		case "url":
			r.URL, ok = d.string()
		default:
			ok = d.ndjsonShared(key, &r.Headers, &r.Body, &r.bodyBytes, &r.BodyBase64)
		}
		return ok
	})
}

func (d *fastDecoder) ndjsonResponse(r *ndjsonResponse) bool {
	return d.object(ndjsonResponseKeys, func(key string) bool {
		var ok bool
		switch key {
		case "status":
			var status int
			status, ok = d.int()
			r.Status = &status
		default:
			ok = d.ndjsonShared(key, &r.Headers, &r.Body, &r.bodyBytes, &r.BodyBase64)
		}
		return ok
	})
}

// ndjsonShared decodes a field that requests and responses share: headers,
// body (into bodyBytes, body pointing to "" to say it was given) or
// body_base64.
func (d *fastDecoder) ndjsonShared(key string, headers *map[string]any, body **string, bodyBytes *[]byte, b64 **string) bool {
	var ok bool
	switch key {
	case "headers":
		*headers, ok = d.headerObject()
	case "body":
		*bodyBytes, ok = d.text()
		*body = new(string)
	case "body_base64":
		*b64, ok = d.stringPointer()
	}
	return ok
}

// stringPointer decodes a string into a new *string.
func (d *fastDecoder) stringPointer() (*string, bool) {
	s, ok := d.string()
	return &s, ok
}

// headerObject decodes an object of header names to a string or an array of
// strings, as encoding/json decodes it into a map[string]any. It gives up on
// a name given twice and on values of other types.
func (d *fastDecoder) headerObject() (map[string]any, bool) {
	headers := map[string]any{}
	ok := d.object(nil, func(name string) bool {
		if _, dup := headers[name]; dup {
			return false
		}
		d.space()
		switch {
		case d.i >= len(d.data):
			return false
		case d.data[d.i] == '"':
			v, ok := d.string()
			headers[name] = v
			return ok
		case d.data[d.i] != '[':
			return false
		}
		d.i++
		values := []any{}
		for first := true; ; first = false {
			d.space()
			if d.consume(']') {
				headers[name] = values
				return true
			}
			if !first && !d.consume(',') {
				return false
			}
			v, ok := d.string()
			if !ok {
				return false
			}
			values = append(values, v)
		}
	})
	return headers, ok
}
