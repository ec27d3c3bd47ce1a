package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// EntryError is a problem with one entry of a recording, or with the recording
// as a whole. [Read] reports every problem as an *EntryError.
type EntryError struct {
	// Source is the name of the recording, as passed to Read (a file name, or
	// "-").
	Source string
	// Entry is the 0-based index of the entry at fault, or -1 when the problem
	// is the file itself.
	Entry int
	// Line is the 1-based line of the file where the entry starts (for a
	// problem with the file, where the problem is), or 0 when it is unknown.
	Line int
	// Field is the field at fault, in the recording's own terms, such as
	// "request.postData.text", "response.status" or
	// "request.headers[2].value"; "" when no one field is at fault.
	Field string
	// Err is the problem.
	Err error

	final  bool  // nothing of the recording can be read after it
	offset int64 // the offset in the recording where reading stopped, past the entry at fault; 0 when unknown
}

// Final reports whether the problem leaves the rest of the recording
// unreadable, so that nothing of the recording follows it: a problem with the
// file itself, or an entry whose JSON breaks off or is broken.
func (e *EntryError) Final() bool { return e.final || e.Entry < 0 }

// Error returns the place and the problem, such as
// "traffic.har#3 (line 120): response.content.text: illegal base64 data at input byte 4".
func (e *EntryError) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Entry >= 0 {
		b.WriteString("#" + strconv.Itoa(e.Entry))
	}
	if e.Line > 0 {
		b.WriteString(" (line " + strconv.Itoa(e.Line) + ")")
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *EntryError) Unwrap() error { return e.Err }

// NoteUnread adds to a final problem ([EntryError.Final]) what of the
// recording was left unread after it, so that its message says so, such as
// "...; the rest of the recording was not read: 5120 bytes, 3 entries".
// size is the size of the recording in bytes, or -1 when it is not known;
// entries is how many entries were found after the problem and dropped. [Read]
// does this itself; a consumer of [Frames], which drops what follows a final
// problem, calls it when the recording has ended. It does nothing for a
// problem that is not final, or where the recording was not read at all.
func (e *EntryError) NoteUnread(size int64, entries int) {
	var u *unreadError
	if !e.Final() || e.offset <= 0 || errors.As(e.Err, &u) {
		return
	}
	rest := int64(-1)
	if size >= 0 {
		rest = max(size-e.offset, 0)
	}
	if rest == 0 && entries == 0 {
		return
	}
	e.Err = &unreadError{err: e.Err, bytes: rest, entries: entries}
}

// unreadError is a final problem, with what of the recording it left unread.
type unreadError struct {
	err     error
	bytes   int64 // -1 when not known
	entries int
}

func (u *unreadError) Error() string {
	var b strings.Builder
	b.WriteString(u.err.Error())
	b.WriteString("; the rest of the recording was not read")
	switch {
	case u.bytes >= 0 && u.entries > 0:
		fmt.Fprintf(&b, ": %d bytes, %d %s", u.bytes, u.entries, plural(u.entries, "entry", "entries"))
	case u.bytes >= 0:
		fmt.Fprintf(&b, ": %d bytes", u.bytes)
	case u.entries > 0:
		fmt.Fprintf(&b, ": %d %s and maybe more", u.entries, plural(u.entries, "entry", "entries"))
	}
	return b.String()
}

func (u *unreadError) Unwrap() error { return u.err }

// plural picks the singular or the plural of a noun for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errMissing is the problem of a required field that is absent or empty.
var errMissing = errors.New("missing")

// decodeError turns an error of encoding/json decoding doc into an
// *EntryError naming the field at fault.
func decodeError(doc []byte, err error) *EntryError {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		// Offset is just past the wrong value's first byte when it is an object
		// or array, and just past its last byte otherwise.
		return &EntryError{
			Field: fieldAt(doc, typeErr.Offset-1),
			Err:   fmt.Errorf("want %s, got %s", jsonKindOf(typeErr.Type), article(typeErr.Value)),
		}
	}
	if isDepthError(err) {
		// Broken beyond encoding/json's depth: say where it breaks.
		if serr := validJSON(doc); serr != nil {
			err = serr
		}
	}
	return &EntryError{Err: fmt.Errorf("invalid JSON: %w", err)}
}

// invalidUTF8Error reports where doc, which is not valid UTF-8, first breaks
// the encoding.
func invalidUTF8Error(doc []byte) *EntryError {
	i := 0
	for i < len(doc) {
		r, size := utf8.DecodeRune(doc[i:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	return &EntryError{
		Field: fieldAt(doc, int64(i)),
		Err:   fmt.Errorf("invalid UTF-8 at byte %d of the entry", i),
	}
}

// jsonKindOf names the kind of JSON value that decodes into t.
func jsonKindOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

// article puts "a" or "an" before a JSON kind as encoding/json names it
// ("string", "number 1.5", "object").
func article(kind string) string {
	if kind == "" {
		return "nothing"
	}
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// describeJSON names the kind of a JSON token, or of a JSON value decoded
// into an any, for messages.
func describeJSON(t any) string {
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return strconv.Quote(t.String())
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", t)
}

// jsonToken is one token of a JSON document, as walkJSON shows it.
type jsonToken struct {
	// path names the value the token belongs to, such as
	// "request.headers[2].value"; "" is the document itself. For an object
	// key, it names the value the key introduces.
	path string
	// key says whether the token is an object key.
	key bool
	// value is the token itself.
	value json.Token
	// start and end are byte offsets in the document: the token lies between
	// them, with the white space and separators before it.
	start, end int64
}

// walkJSON shows visit the tokens of doc in order, until visit returns false
// or doc ends or turns out not to be JSON.
func walkJSON(doc []byte, visit func(jsonToken) bool) {
	// frame is an object or array being walked: its path, and the key or
	// index of the value being walked in it.
	type frame struct {
		path    string
		array   bool
		index   int
		key     string
		wantKey bool
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	var stack []frame
	for {
		start := dec.InputOffset()
		t, err := dec.Token()
		if err != nil {
			return
		}
		tok := jsonToken{value: t, start: start, end: dec.InputOffset()}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if t == json.Delim('}') || t == json.Delim(']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && !stack[len(stack)-1].array {
				stack[len(stack)-1].wantKey = true
			}
			if !visit(tok) {
				return
			}
			continue
		}
		switch {
		case top == nil:
		case top.array:
			top.index++
			tok.path = top.path + "[" + strconv.Itoa(top.index) + "]"
		case top.wantKey:
			top.key, _ = t.(string)
			top.wantKey = false
			tok.key = true
			tok.path = joinPath(top.path, top.key)
		default:
			top.wantKey = true
			tok.path = joinPath(top.path, top.key)
		}
		if !visit(tok) {
			return
		}
		switch t {
		case json.Delim('{'):
			stack = append(stack, frame{path: tok.path, wantKey: true})
		case json.Delim('['):
			stack = append(stack, frame{path: tok.path, array: true, index: -1})
		}
	}
}

// joinPath names the field key of the object at path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fieldAt names the value of the JSON document doc in which byte i lies, such
// as "request.headers[2].value"; "" for the document itself or when doc cannot
// be read.
func fieldAt(doc []byte, i int64) string {
	field := ""
	walkJSON(doc, func(t jsonToken) bool {
		if i < t.start || i >= t.end {
			return true
		}
		field = t.path
		return false
	})
	return field
}
