package recording

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/validate"
)

// harEntry holds what the reader takes of a HAR entry. Fields it does not
// need (timings, cookies, cache…) are not decoded.
type harEntry struct {
	Request  *harRequest  `json:"request"`
	Response *harResponse `json:"response"`
}

type harRequest struct {
	Method   string       `json:"method"`
	URL      string       `json:"url"`
	Headers  []harNV      `json:"headers"`
	PostData *harPostData `json:"postData"`
}

type harResponse struct {
	Status  *int       `json:"status"`
	Headers []harNV    `json:"headers"`
	Content harContent `json:"content"`
}

// harNV is a name and a value: a header, a query parameter, a cookie.
type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`

	key string // Name's canonical header key, when the fast decoder knew it; "" when not
}

// harPostData is a request body. Encoding is not in HAR 1.2; tools that must
// record a binary body set it to "base64", as for a response body.
type harPostData struct {
	MimeType string  `json:"mimeType"`
	Text     string  `json:"text,omitempty"`
	Params   []harNV `json:"params,omitempty"`
	Encoding string  `json:"encoding,omitempty"`

	textBytes []byte // Text, as the fast decoder gives it
}

// harContent is a response body.
type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`

	textBytes []byte // Text, as the fast decoder gives it
}

// harFrameExchange makes an exchange of the JSON text of one HAR entry, as
// framed. Broken JSON is a final problem: the framer may have misjudged where
// the entry ends. Other problems name the field at fault. It leaves the place
// to the caller.
func harFrameExchange(raw []byte) (*validate.Exchange, *EntryError) {
	return harFrameExchangeInto(raw, nil)
}

// harFrameExchangeInto is harFrameExchange decoding into s, when not nil:
// the exchange it returns is s's, or, where the fast decoder gives up, one of
// its own.
func harFrameExchangeInto(raw []byte, s *Scratch) (*validate.Exchange, *EntryError) {
	d := getDecoder()
	if s != nil {
		s.reset()
		d.scratch = s
	}
	if e, ok := d.entry(raw); ok {
		ex, err := e.exchange(s) // shares no memory with d's scratch
		putDecoder(d)
		return ex, err
	}
	putDecoder(d)
	// Something out of the ordinary: take the slow, exact way.
	if !json.Valid(raw) {
		if err := tooDeep(raw); err != nil {
			return nil, err // valid JSON: the framer was right, and reading goes on
		}
		err := json.Unmarshal(raw, new(json.RawMessage))
		if isDepthError(err) {
			// Broken beyond encoding/json's depth: say where it breaks.
			err = fmt.Errorf("invalid JSON: %w", validJSON(raw))
		}
		return nil, &EntryError{Err: fmt.Errorf("reading the entry: %w", readError(err)), final: true}
	}
	return harExchange(raw)
}

// maxDecodeDepth is how deep encoding/json nests values; it refuses deeper
// ones.
const maxDecodeDepth = 10000

// tooDeep returns the problem of doc, which encoding/json refuses, when doc
// is valid JSON nested deeper than encoding/json goes: an entry that is not
// read, but after which reading goes on. It returns nil when doc is broken.
func tooDeep(doc []byte) *EntryError {
	if validJSON(doc) != nil {
		return nil
	}
	return &EntryError{Err: fmt.Errorf("the entry is valid JSON nested deeper than %d levels, more than the decoder reads", maxDecodeDepth)}
}

// isDepthError reports whether err is encoding/json's refusal of a value
// nested too deep.
func isDepthError(err error) bool {
	return err != nil && strings.HasSuffix(err.Error(), "exceeded max depth")
}

// harExchange makes an exchange of the JSON text of one HAR entry with
// encoding/json. Where it fails, it returns an *EntryError that names the
// field at fault and leaves the place to the caller.
func harExchange(raw []byte) (*validate.Exchange, *EntryError) {
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD.
	if !utf8.Valid(raw) {
		return nil, invalidUTF8Error(raw)
	}
	var e harEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, decodeError(raw, err)
	}
	return e.exchange(nil)
}

// exchange makes an exchange of a decoded entry: s's exchange, filled, when
// s is not nil, or else one of its own.
func (e *harEntry) exchange(s *Scratch) (*validate.Exchange, *EntryError) {
	if e.Request == nil {
		return nil, &EntryError{Field: "request", Err: errMissing}
	}
	if e.Response == nil {
		return nil, &EntryError{Field: "response", Err: errMissing}
	}
	req, err := e.Request.request(s)
	if err != nil {
		return nil, err
	}
	resp, err := e.Response.response(s)
	if err != nil {
		return nil, err
	}
	if s != nil {
		s.ex = validate.Exchange{Request: req, Response: resp}
		return &s.ex, nil
	}
	return &validate.Exchange{Request: req, Response: resp}, nil
}

// request makes the request half of an exchange.
func (r *harRequest) request(s *Scratch) (validate.Request, *EntryError) {
	if r.Method == "" {
		return validate.Request{}, &EntryError{Field: "request.method", Err: errMissing}
	}
	if err := checkURL(r.URL); err != nil {
		return validate.Request{}, &EntryError{Field: "request.url", Err: err}
	}
	header, err := harHeader(r.Headers, "request.headers", s, requestHalf)
	if err != nil {
		return validate.Request{}, err
	}
	body, mimeType, err := r.PostData.body()
	if err != nil {
		return validate.Request{}, err
	}
	if setContentType(header, body, mimeType) {
		s.changed(requestHalf)
	}
	return validate.Request{Method: r.Method, URL: r.URL, Header: header, Body: body}, nil
}

// body returns the request body and its media type.
func (p *harPostData) body() ([]byte, string, *EntryError) {
	switch {
	case p == nil:
		return nil, "", nil
	case p.Text != "" || len(p.textBytes) > 0:
		body, err := decodeText(p.Text, p.textBytes, p.Encoding, "request.postData")
		return body, p.MimeType, err
	case len(p.Params) > 0:
		mimeType := p.MimeType
		if mimeType == "" {
			mimeType = "application/x-www-form-urlencoded"
		}
		return formBody(p.Params), mimeType, nil
	}
	return nil, "", nil
}

// formBody rebuilds an application/x-www-form-urlencoded body from its
// fields, in order.
func formBody(params []harNV) []byte {
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
	}
	return []byte(b.String())
}

// response makes the response half of an exchange.
func (r *harResponse) response(s *Scratch) (validate.Response, *EntryError) {
	switch {
	case r.Status == nil:
		return validate.Response{}, &EntryError{Field: "response.status", Err: errMissing}
	case *r.Status == 0:
		return validate.Response{}, &EntryError{Field: "response.status", Err: fmt.Errorf("0: no response was received")}
	}
	if err := checkStatus(*r.Status); err != nil {
		return validate.Response{}, &EntryError{Field: "response.status", Err: err}
	}
	header, err := harHeader(r.Headers, "response.headers", s, responseHalf)
	if err != nil {
		return validate.Response{}, err
	}
	body, err := decodeText(r.Content.Text, r.Content.textBytes, r.Content.Encoding, "response.content")
	if err != nil {
		return validate.Response{}, err
	}
	if setContentType(header, body, r.Content.MimeType) {
		s.changed(responseHalf)
	}
	return validate.Response{Status: *r.Status, Header: header, Body: body}, nil
}

// The halves of an exchange, for the memory of a Scratch each uses.
const (
	requestHalf = iota
	responseHalf
)

// harHeader makes a header of HAR name-value pairs, leaving out HTTP/2
// pseudo-headers: the header map of half of s, when s is not nil.
func harHeader(fields []harNV, field string, s *Scratch, half int) (http.Header, *EntryError) {
	var header http.Header
	var values []string // the first value of each name, in one allocation
	var keys []string   // with s: the canonical key of each field, "" for one left out
	if s != nil {
		if h, ok := refill(s, half, fields); ok {
			return h, nil
		}
		header, values, keys = s.startFill(half, len(fields))
	} else {
		header, values = newHeader(len(fields)), make([]string, len(fields))
	}
	repeated := false
	for i, f := range fields {
		switch {
		case f.Name == "":
			return nil, &EntryError{Field: fmt.Sprintf("%s[%d].name", field, i), Err: errMissing}
		case strings.HasPrefix(f.Name, ":"):
			continue
		}
		key := f.key
		if key == "" {
			key = textproto.CanonicalMIMEHeaderKey(f.Name)
		}
		if v, ok := header[key]; ok {
			header[key] = append(v, f.Value) // v has no spare capacity: no aliasing
			repeated = true
			continue
		}
		values[i] = f.Value
		header[key] = values[i : i+1 : i+1]
		if keys != nil {
			keys[i] = key
		}
	}
	if s != nil {
		s.finishFill(half, header, repeated)
	}
	return header, nil
}

// decodeText returns the body held in the text of field (a postData or a
// content), decoded as its encoding says. The text is text, or textBytes
// when that is not empty (what the fast decoder gives, which becomes the
// body as it is).
func decodeText(text string, textBytes []byte, encoding, field string) ([]byte, *EntryError) {
	switch {
	case text == "" && len(textBytes) == 0:
		return nil, nil
	case encoding == "" && len(textBytes) > 0:
		return textBytes, nil
	case encoding == "":
		return []byte(text), nil
	case strings.EqualFold(encoding, "base64"):
		var body []byte
		var err error
		if len(textBytes) > 0 {
			body = make([]byte, base64.StdEncoding.DecodedLen(len(textBytes)))
			var n int
			n, err = base64.StdEncoding.Decode(body, textBytes)
			body = body[:n]
		} else {
			body, err = base64.StdEncoding.DecodeString(text)
		}
		if err != nil {
			return nil, &EntryError{Field: field + ".text", Err: err}
		}
		return body, nil
	}
	return nil, &EntryError{Field: field + ".encoding", Err: fmt.Errorf(`unknown encoding %q; want "base64" or none`, encoding)}
}

// setContentType gives a body without a Content-Type header (or with an
// empty one) the media type the recording gives it elsewhere, and reports
// whether it did.
func setContentType(header http.Header, body []byte, mimeType string) bool {
	if len(body) > 0 && mimeType != "" && header.Get("Content-Type") == "" {
		header.Set("Content-Type", mimeType)
		return true
	}
	return false
}

// checkURL checks a recorded request target: an absolute URL, or the path
// and query of an origin-form target.
func checkURL(u string) error {
	if u == "" {
		return errMissing
	}
	if plainURL(u) {
		return nil
	}
	if _, err := url.ParseRequestURI(u); err != nil {
		return err
	}
	return nil
}

// plainURL reports whether url.ParseRequestURI takes u for sure, without
// parsing it: an http or https URL whose host is letters, digits, dots and
// hyphens (no port, no user), or an origin-form target (one slash), with a
// path and query of printable ASCII but '%' and '#'. Most recorded targets
// are; the others are for ParseRequestURI to judge.
func plainURL(u string) bool {
	rest, abs := strings.CutPrefix(u, "https://")
	if !abs {
		rest, abs = strings.CutPrefix(u, "http://")
	}
	if abs {
		slash := strings.IndexByte(rest, '/')
		if slash <= 0 {
			return false
		}
		for i := range slash {
			if c := rest[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
				return false
			}
		}
		rest = rest[slash:]
	} else if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c <= ' ' || c >= 0x7f || c == '%' || c == '#' {
			return false
		}
	}
	return true
}

// checkStatus checks a recorded status code.
func checkStatus(status int) error {
	if status < 100 || status > 999 {
		return fmt.Errorf("%d is not an HTTP status code", status)
	}
	return nil
}
