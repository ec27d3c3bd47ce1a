package recording

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/validate"
)

// ndjsonLine is one line of an NDJSON recording. The package documentation
// describes it; NDJSONWriter writes it with the same types.
type ndjsonLine struct {
	Request  *ndjsonRequest  `json:"request"`
	Response *ndjsonResponse `json:"response"`
}

type ndjsonRequest struct {
	Method     string         `json:"method"`
	URL        string         `json:"url"`
	Headers    map[string]any `json:"headers,omitempty"`
	Body       *string        `json:"body,omitempty"`
	BodyBase64 *string        `json:"body_base64,omitempty"`

	bodyBytes  []byte        // Body, as the fast decoder gives it (Body then points to "")
	headerList []headerField // Headers, as the fast decoder gives them
}

type ndjsonResponse struct {
	Status     *int           `json:"status"`
	Headers    map[string]any `json:"headers,omitempty"`
	Body       *string        `json:"body,omitempty"`
	BodyBase64 *string        `json:"body_base64,omitempty"`

	bodyBytes  []byte        // Body, as the fast decoder gives it (Body then points to "")
	headerList []headerField // Headers, as the fast decoder gives them
}

// headerField is a header of an NDJSON line: its name and the value
// encoding/json decoded, or the string or the strings the fast decoder did.
type headerField struct {
	name    string
	key     string   // name's canonical header key, when the fast decoder knew it; "" when not
	decoded bool     // value is what encoding/json decoded
	value   any      // with decoded
	single  string   // without decoded: the value, when multi is nil
	multi   []string // without decoded: the values of an array
}

// headerFields returns the headers of fields, which encoding/json decoded,
// sorted by name.
func headerFields(fields map[string]any, fast []headerField) []headerField {
	if fields == nil {
		return fast
	}
	list := make([]headerField, 0, len(fields))
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		list = append(list, headerField{name: name, decoded: true, value: fields[name]})
	}
	return list
}

// ndjsonFields lists the fields of each object of a line, for naming an
// unknown field.
var ndjsonFields = map[string][]string{
	"":         {"request", "response"},
	"request":  {"method", "url", "headers", "body", "body_base64"},
	"response": {"status", "headers", "body", "body_base64"},
}

// readNDJSON yields the lines of the NDJSON recording that br holds as
// frames, leaving out lines that hold only white space, and the problems of
// reading it. The first line br holds is the recording's entry first (0 when
// br holds the whole recording), at byte offset of the recording. With at,
// the frames are ranged (see frames), and a line of white space is yielded
// too: it is its Decode that finds it blank.
func readNDJSON(source string, br *bufio.Reader, at io.ReaderAt, limit, first int, offset int64, yield func(*Frame, error) bool) {
	var frames frameArena
	for entry := first; ; entry++ {
		var f *Frame
		if at != nil {
			f = frames.newRangedFrame(source, formatNDJSON, limit, at, offset)
		} else {
			f = newFrame(source, formatNDJSON, limit)
		}
		line, n, tooLong, err := readLine(br, *f.text, limit, at != nil)
		*f.text = line
		start := offset
		offset += n
		f.end = offset
		if err != nil && err != io.EOF {
			f.Release()
			yield(nil, &EntryError{Source: source, Entry: -1, Line: entry + 1, Err: fmt.Errorf("reading the recording: %w", err), offset: offset})
			return
		}
		if err == io.EOF && n == 0 {
			f.Release()
			return
		}
		if at == nil && !tooLong && len(bytes.TrimSpace(line)) == 0 {
			f.Release()
		} else {
			f.Entry, f.Line, f.Offset, f.tooLong = entry, entry+1, start, tooLong
			if entry == 0 {
				f.Offset = 0 // a byte order mark belongs to line 1
			}
			if tooLong {
				f.at = nil // nothing of it is read
			}
			if !yield(f, nil) {
				return
			}
		}
		if err == io.EOF {
			return
		}
	}
}

// readLine reads the next line, without its "\n", appending it to buf, and
// returns it and how many bytes it read. A line longer than limit, not
// counting its "\r\n" or "\n", is read to its end but not kept: it comes back
// empty, with tooLong set. At the end of br, err is io.EOF, maybe with a last
// line. With sizeOnly, no line is kept, only its size measured.
func readLine(br *bufio.Reader, buf []byte, limit int, sizeOnly bool) (line []byte, n int64, tooLong bool, err error) {
	text := entryText{buf: buf}
	var last [2]byte // the last two bytes read, for sizeOnly
	for {
		chunk, err := br.ReadSlice('\n')
		n += int64(len(chunk))
		if len(chunk) >= 2 {
			last = [2]byte{chunk[len(chunk)-2], chunk[len(chunk)-1]}
		} else if len(chunk) == 1 {
			last = [2]byte{last[1], chunk[0]}
		}
		if !tooLong {
			switch {
			case text.n+len(chunk) > limit+len("\r\n"):
				tooLong = true
				text.drop()
			case sizeOnly:
				text.n += len(chunk)
			default:
				text.add(chunk)
			}
		}
		if err != bufio.ErrBufferFull {
			if sizeOnly {
				size := text.n
				if size > 0 && last[1] == '\n' {
					size--
					if size > 0 && last[0] == '\r' {
						size--
					}
				} else if size > 0 && last[1] == '\r' {
					size--
				}
				return nil, n, tooLong || size > limit, err
			}
			line = bytes.TrimSuffix(text.text(), newline)
			if len(bytes.TrimSuffix(line, []byte{'\r'})) > limit {
				tooLong, line = true, line[:0]
			}
			return line, n, tooLong, err
		}
	}
}

// ndjsonExchange makes an exchange of one line; nil, nil for a blank line.
// Where it fails, it returns an *EntryError that names the field at fault and
// leaves the place to the caller.
func ndjsonExchange(line []byte, tooLong bool, limit int) (*validate.Exchange, *EntryError) {
	return ndjsonExchangeInto(line, tooLong, limit, nil)
}

// ndjsonExchangeInto is ndjsonExchange decoding into s, when not nil: the
// exchange it returns is s's, or, where the fast decoder gives up, one of
// its own.
func ndjsonExchangeInto(line []byte, tooLong bool, limit int, s *Scratch) (*validate.Exchange, *EntryError) {
	switch {
	case tooLong:
		return nil, &EntryError{Err: fmt.Errorf("the line is longer than %d bytes (MaxEntryBytes)", limit)}
	case len(bytes.TrimSpace(line)) == 0:
		return nil, nil
	case !utf8.Valid(line):
		return nil, invalidUTF8Error(line)
	}
	d := getDecoder()
	if s != nil {
		s.reset()
		d.scratch = s
	}
	if l, ok := d.ndjsonLine(line); ok {
		ex, err := l.exchange(s) // shares no memory with d's scratch
		putDecoder(d)
		return ex, err
	}
	putDecoder(d)
	// Something out of the ordinary: take the slow, exact way.
	if !json.Valid(line) {
		if err := tooDeep(line); err != nil {
			return nil, err
		}
	}
	var l ndjsonLine
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, ndjsonDecodeError(line, err)
	}
	if t, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = fmt.Errorf("found %s after the object", describeJSON(t))
		}
		return nil, &EntryError{Err: fmt.Errorf("invalid JSON: %w", err)}
	}
	return l.exchange(nil)
}

// ndjsonDecodeError turns an error of decoding line into an *EntryError
// naming the field at fault.
func ndjsonDecodeError(line []byte, err error) *EntryError {
	// encoding/json reports an unknown field by name only.
	quoted, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return decodeError(line, err)
	}
	name, unquoteErr := strconv.Unquote(quoted)
	if unquoteErr != nil {
		return &EntryError{Err: err}
	}
	entryErr := &EntryError{Err: errors.New("unknown field")}
	walkJSON(line, func(t jsonToken) bool {
		if !t.key || t.value != name {
			return true
		}
		parent, _ := strings.CutSuffix(t.path, name)
		parent = strings.TrimSuffix(parent, ".")
		known, ok := ndjsonFields[parent]
		if !ok {
			return true
		}
		entryErr.Field = t.path
		entryErr.Err = fmt.Errorf("unknown field; want one of %s", strings.Join(known, ", "))
		return false
	})
	return entryErr
}

// exchange makes an exchange of a decoded line: s's exchange, filled, when
// s is not nil, or else one of its own.
func (l *ndjsonLine) exchange(s *Scratch) (*validate.Exchange, *EntryError) {
	if l.Request == nil {
		return nil, &EntryError{Field: "request", Err: errMissing}
	}
	if l.Response == nil {
		return nil, &EntryError{Field: "response", Err: errMissing}
	}
	req, err := l.Request.request(s)
	if err != nil {
		return nil, err
	}
	resp, err := l.Response.response(s)
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
func (r *ndjsonRequest) request(s *Scratch) (validate.Request, *EntryError) {
	if r.Method == "" {
		return validate.Request{}, &EntryError{Field: "request.method", Err: errMissing}
	}
	if err := checkURL(r.URL); err != nil {
		return validate.Request{}, &EntryError{Field: "request.url", Err: err}
	}
	header, err := ndjsonHeader(headerFields(r.Headers, r.headerList), "request.headers", s, requestHalf)
	if err != nil {
		return validate.Request{}, err
	}
	body, err := ndjsonBody(r.Body, r.bodyBytes, r.BodyBase64, "request")
	if err != nil {
		return validate.Request{}, err
	}
	return validate.Request{Method: r.Method, URL: r.URL, Header: header, Body: body}, nil
}

// response makes the response half of an exchange.
func (r *ndjsonResponse) response(s *Scratch) (validate.Response, *EntryError) {
	if r.Status == nil {
		return validate.Response{}, &EntryError{Field: "response.status", Err: errMissing}
	}
	if err := checkStatus(*r.Status); err != nil {
		return validate.Response{}, &EntryError{Field: "response.status", Err: err}
	}
	header, err := ndjsonHeader(headerFields(r.Headers, r.headerList), "response.headers", s, responseHalf)
	if err != nil {
		return validate.Response{}, err
	}
	body, err := ndjsonBody(r.Body, r.bodyBytes, r.BodyBase64, "response")
	if err != nil {
		return validate.Response{}, err
	}
	return validate.Response{Status: *r.Status, Header: header, Body: body}, nil
}

// ndjsonHeader makes a header of the JSON object at field, its fields sorted
// by name, in which each name has a string or an array of strings, leaving
// out HTTP/2 pseudo-headers: the header map of half of s, when s is not nil.
// A name may come in only one spelling: with two, the order of the values
// would be lost.
func ndjsonHeader(fields []headerField, field string, s *Scratch, half int) (http.Header, *EntryError) {
	var header http.Header
	var single []string // the values of names with one, in one allocation
	var keys []string   // with s: the canonical key of each name with one value, "" for the others
	if s != nil {
		if h, ok := refill(s, half, fields); ok {
			return h, nil
		}
		header, single, keys = s.startFill(half, len(fields))
	} else {
		header, single = newHeader(len(fields)), make([]string, len(fields))
	}
	for i, f := range fields {
		name := f.name
		if strings.HasPrefix(name, ":") {
			continue
		}
		if name == "" {
			return nil, &EntryError{Field: field, Err: errors.New("a header has an empty name")}
		}
		canonical := f.key
		if canonical == "" {
			canonical = http.CanonicalHeaderKey(name)
		}
		if _, ok := header[canonical]; ok {
			return nil, &EntryError{Field: field + "." + name, Err: fmt.Errorf("%s is there in another spelling too; want one name with an array of values", canonical)}
		}
		if !f.decoded {
			if f.multi == nil {
				single[i] = f.single
				header[canonical] = single[i : i+1 : i+1]
				if keys != nil {
					keys[i] = canonical // the next line may write its value here
				}
			} else if len(f.multi) > 0 {
				header[canonical] = f.multi
			}
			continue
		}
		switch v := f.value.(type) {
		case string:
			single[i] = v
			header[canonical] = single[i : i+1 : i+1]
		case []any:
			values, err := headerValues(v)
			if err != nil {
				err.Field = field + "." + name + err.Field
				return nil, err
			}
			if len(values) > 0 {
				header[canonical] = values
			}
		default:
			return nil, &EntryError{Field: field + "." + name, Err: fmt.Errorf("want a string or an array of strings, got %s", describeJSON(v))}
		}
	}
	if s != nil {
		// A name is never given twice (another spelling is an error), so
		// the next line may refill the names with one value kept in keys.
		s.finishFill(half, header, false)
	}
	return header, nil
}

// headerValues returns the values of a header given as an array. An error's
// Field is the index of the value at fault.
func headerValues(array []any) ([]string, *EntryError) {
	values := make([]string, len(array))
	for i, value := range array {
		s, ok := value.(string)
		if !ok {
			return nil, &EntryError{Field: "[" + strconv.Itoa(i) + "]", Err: fmt.Errorf("want a string, got %s", describeJSON(value))}
		}
		values[i] = s
	}
	return values, nil
}

// ndjsonBody returns the body of the request or response at field, held as
// text (or as textBytes, when the fast decoder gave them) or as base64.
func ndjsonBody(text *string, textBytes []byte, b64 *string, field string) ([]byte, *EntryError) {
	switch {
	case text != nil && b64 != nil:
		return nil, &EntryError{Field: field + ".body_base64", Err: errors.New("body is set too; want one of body and body_base64")}
	case b64 != nil:
		body, err := base64.StdEncoding.DecodeString(*b64)
		if err != nil {
			return nil, &EntryError{Field: field + ".body_base64", Err: err}
		}
		if len(body) == 0 {
			return nil, nil
		}
		return body, nil
	case len(textBytes) > 0:
		return textBytes, nil
	case text != nil && *text != "":
		return []byte(*text), nil
	}
	return nil, nil
}
