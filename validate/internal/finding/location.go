package finding

import (
	"bytes"
	"cmp"
	"fmt"
	"strings"
)

// Part is a part of an exchange that a finding can be located in. Parts are
// ordered as a report lists them: the request's path, query, headers and
// body, the request as a whole, then the response's status, headers and body
// and the response as a whole.
type Part uint8

const (
	// PartRequestPath is the request's path parameters ("request.path").
	PartRequestPath Part = iota + 1
	// PartRequestQuery is the request's query ("request.query").
	PartRequestQuery
	// PartRequestHeader is the request's headers ("request.header").
	PartRequestHeader
	// PartRequestBody is the request's body ("request.body").
	PartRequestBody
	// PartRequest is the request as a whole ("request").
	PartRequest
	// PartResponseStatus is the response's status code ("response.status").
	PartResponseStatus
	// PartResponseHeader is the response's headers ("response.header").
	PartResponseHeader
	// PartResponseBody is the response's body ("response.body").
	PartResponseBody
	// PartResponse is the response as a whole ("response").
	PartResponse
)

var partNames = [...]string{
	PartRequestPath:    "request.path",
	PartRequestQuery:   "request.query",
	PartRequestHeader:  "request.header",
	PartRequestBody:    "request.body",
	PartRequest:        "request",
	PartResponseStatus: "response.status",
	PartResponseHeader: "response.header",
	PartResponseBody:   "response.body",
	PartResponse:       "response",
}

// String returns the part's name, such as "request.body", or "" for the
// zero part.
func (p Part) String() string {
	if int(p) < len(partNames) {
		return partNames[p]
	}
	return ""
}

// Request reports whether the part is in the request.
func (p Part) Request() bool { return p >= PartRequestPath && p <= PartRequest }

// Response reports whether the part is in the response.
func (p Part) Response() bool { return p >= PartResponseStatus && p <= PartResponse }

// rank orders parts as reports list them, the zero part last.
func (p Part) rank() int {
	if p == 0 || int(p) >= len(partNames) {
		return len(partNames)
	}
	return int(p)
}

// Location is where in an exchange a finding is: a part, the header's name
// for a header, and a JSON pointer (RFC 6901) into the part's value, such as
// "/Configuration.FlowSid" in the request body or "/ConversationSid" in the
// path. Its string form is the part, "/" and the name if any, "#" and the
// pointer if any: "request.body#/Configuration.FlowSid",
// "request.header/Content-Type", "response.status".
type Location struct {
	// Part is the part of the exchange.
	Part Part
	// Name is the header's name, for a location in the headers.
	Name string
	// Pointer is a JSON pointer into the part's value, "" for the whole.
	Pointer string
}

// At returns the location at the JSON pointer ptr within l's part and name.
func (l Location) At(ptr string) Location {
	l.Pointer = ptr
	return l
}

// Field returns the first reference token of the pointer, unescaped (the
// form field or parameter a location names: "Configuration.Filters" for
// "request.body#/Configuration.Filters/1"), or "" when there is no pointer.
func (l Location) Field() string {
	ptr, ok := strings.CutPrefix(l.Pointer, "/")
	if !ok {
		return ""
	}
	tok, _, _ := strings.Cut(ptr, "/")
	return UnescapeToken(tok)
}

// String returns the location's string form, such as
// "request.body#/Configuration.FlowSid".
func (l Location) String() string {
	if l.Name == "" && l.Pointer == "" {
		return l.Part.String()
	}
	var buf [64]byte
	return string(l.appendTo(buf[:0]))
}

func (l Location) appendTo(b []byte) []byte {
	b = append(b, l.Part.String()...)
	if l.Name != "" {
		b = append(append(b, '/'), l.Name...)
	}
	if l.Pointer != "" {
		b = append(append(b, '#'), l.Pointer...)
	}
	return b
}

// Compare orders locations as reports list them: by part (request before
// response, see [Part]), then by their string forms.
func (l Location) Compare(m Location) int {
	if c := cmp.Compare(l.Part.rank(), m.Part.rank()); c != 0 {
		return c
	}
	var ba, bb [64]byte
	return bytes.Compare(l.appendTo(ba[:0]), m.appendTo(bb[:0]))
}

// MarshalText renders the location as [Location.String] does, so that JSON
// reports hold the string form.
func (l Location) MarshalText() ([]byte, error) { return l.appendTo(nil), nil }

// UnmarshalText parses the string form of a location.
func (l *Location) UnmarshalText(b []byte) error {
	v, err := ParseLocation(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// ParseLocation parses the string form of a location, as [Location.String]
// renders it; "" is the zero location.
func ParseLocation(s string) (Location, error) {
	if s == "" {
		return Location{}, nil
	}
	head, ptr, hasPtr := strings.Cut(s, "#")
	part, name, hasName := strings.Cut(head, "/")
	for p := PartRequestPath; p <= PartResponse; p++ {
		if partNames[p] != part {
			continue
		}
		if hasName && name == "" || hasPtr && !strings.HasPrefix(ptr, "/") && ptr != "" {
			break
		}
		return Location{Part: p, Name: name, Pointer: ptr}, nil
	}
	return Location{}, fmt.Errorf("parsing location %q: not a part of an exchange, such as request.body#/Field", s)
}

// UnescapeToken undoes a JSON pointer reference token's escapes.
func UnescapeToken(tok string) string {
	if !strings.Contains(tok, "~") {
		return tok
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}
