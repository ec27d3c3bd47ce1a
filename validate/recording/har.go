package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// This file walks a HAR file byte by byte, through a buffer of fixed size,
// down to log.entries: every other field (log.comment, log.pages, unknown
// keys…) is read past with a jsonScanner, which checks its syntax as
// encoding/json would but holds none of it, so that a field of any size
// costs no memory. harframe.go frames the entries (finds where each starts and
// ends) without decoding them; harentry.go turns an entry into an exchange.

// errStopped says that the consumer of Frames stopped ranging.
var errStopped = errors.New("stopped by the consumer")

// newline is what lines end with.
var newline = []byte{'\n'}

// maxKeyBytes is the longest object key the reader keeps to compare: the
// keys it looks for ("log", "entries") are short, and a longer key is read
// past like a value.
const maxKeyBytes = 256

// harReader reads the top-level object of one HAR file.
type harReader struct {
	source string
	yield  func(*Frame, error) bool
	limit  int         // MaxEntryBytes, when Frames started
	entry  int         // the index of the next entry
	at     io.ReaderAt // reads the file by offset: frames are ranged, their text not copied; nil to copy it
	frames frameArena  // with at: the frames

	src  io.Reader
	buf  []byte // a read buffer of fixed size
	r, w int    // buf[r:w] is read but not consumed
	off  int64  // the offset in the file of buf[0]
	line int    // the 1-based line of buf[r]
	err  error  // the error of the last read, once buf is empty
}

// readHAR yields the entries of the HAR file that src holds, from offset
// start of the file on, as frames, and the problems found in it. With at,
// the frames are ranged (see frames).
func readHAR(source string, src io.Reader, at io.ReaderAt, start int64, limit int, yield func(*Frame, error) bool) {
	h := &harReader{source: source, yield: yield, limit: limit, at: at, src: src, buf: make([]byte, readBufferSize), off: start, line: 1}
	if err := h.readTop(); err != nil && err != errStopped {
		if entryErr, ok := err.(*EntryError); ok {
			entryErr.final = true
		}
		yield(nil, err)
	}
}

// pos returns the offset in the file of buf[r].
func (h *harReader) pos() int64 { return h.off + int64(h.r) }

// fill reads more of src into buf, which must have been consumed. It returns
// false at the end of src or on a read error, kept in err.
func (h *harReader) fill() bool {
	if h.err != nil {
		return false
	}
	h.off += int64(h.w)
	h.r, h.w = 0, 0
	for h.w == 0 {
		n, err := h.src.Read(h.buf)
		h.w = n
		if n == 0 && err == nil {
			continue
		}
		if err != nil {
			h.err = err
			return n > 0
		}
	}
	return true
}

// skipSpace consumes white space and returns the next byte, not consumed;
// ok is false at the end of src.
func (h *harReader) skipSpace() (c byte, ok bool) {
	for {
		for h.r < h.w {
			c := h.buf[h.r]
			if !isJSONSpace(c) {
				return c, true
			}
			if c == '\n' {
				h.line++
			}
			h.r++
		}
		if !h.fill() {
			return 0, false
		}
	}
}

// readTop reads the top-level object, which holds log and maybe other keys.
func (h *harReader) readTop() error {
	if err := h.open('{', ""); err != nil {
		return err
	}
	sawLog := false
	err := h.object("", func(key string) error {
		if key != "log" {
			return h.skip(key)
		}
		sawLog = true
		return h.readLog()
	})
	if err != nil {
		return err
	}
	if c, ok := h.skipSpace(); ok {
		if kind := jsonKindAt(c); kind != "" {
			return h.fileError("", fmt.Errorf("found %s after the HAR object", kind))
		}
		return h.syntaxError("", c, "looking for beginning of value")
	}
	if h.err != io.EOF {
		return h.fileError("", h.err)
	}
	if !sawLog {
		return h.fileError("log", errMissing)
	}
	return nil
}

// readLog reads the log object, which holds entries and maybe other keys.
func (h *harReader) readLog() error {
	if err := h.open('{', "log"); err != nil {
		return err
	}
	sawEntries := false
	err := h.object("log", func(key string) error {
		if key != "entries" {
			return h.skip("log." + key)
		}
		sawEntries = true
		if err := h.open('[', "log.entries"); err != nil {
			return err
		}
		return h.frameAll()
	})
	if err != nil {
		return err
	}
	if !sawEntries {
		return h.fileError("log.entries", errMissing)
	}
	return nil
}

// open consumes the '{' or '[' that must start the value of field.
func (h *harReader) open(want byte, field string) error {
	c, ok := h.skipSpace()
	if !ok {
		return h.endError(field)
	}
	if c != want {
		kind := jsonKindAt(c)
		if kind == "" {
			return h.syntaxError(field, c, "looking for beginning of value")
		}
		return h.fileError(field, fmt.Errorf("want %s, got %s", jsonKindAt(want), kind))
	}
	h.r++
	return nil
}

// object reads the members of the object at field, whose '{' is consumed,
// and its '}'. member reads the value of each key.
func (h *harReader) object(field string, member func(key string) error) error {
	for first := true; ; first = false {
		c, ok := h.skipSpace()
		if !ok {
			return h.endError(field)
		}
		switch {
		case c == '}' && first:
			h.r++
			return nil
		case first:
		case c == '}':
			h.r++
			return nil
		case c == ',':
			h.r++
			if c, ok = h.skipSpace(); !ok {
				return h.endError(field)
			}
		default:
			return h.syntaxError(field, c, "after object key:value pair")
		}
		if c != '"' {
			return h.syntaxError(field, c, "looking for beginning of object key string")
		}
		key, err := h.key(field)
		if err != nil {
			return err
		}
		if c, ok = h.skipSpace(); !ok {
			return h.endError(field)
		}
		if c != ':' {
			return h.syntaxError(field, c, "after object key")
		}
		h.r++
		if err := member(key); err != nil {
			return err
		}
	}
}

// key reads an object key of the object at field. A key longer than
// maxKeyBytes is read past; what comes back for it is none of the keys the
// reader looks for.
func (h *harReader) key(field string) (string, error) {
	raw, whole, err := h.value(field, maxKeyBytes)
	if err != nil {
		return "", err
	}
	var key string
	if !whole || json.Unmarshal(raw, &key) != nil {
		return "\x00a long key", nil
	}
	return key, nil
}

// skip reads past the value of field, which this reader does not need,
// checking its syntax and holding none of it.
func (h *harReader) skip(field string) error {
	_, _, err := h.value(field, 0)
	return err
}

// value reads one JSON value and returns its text when it is at most keep
// bytes long (whole is then true).
func (h *harReader) value(field string, keep int) (text []byte, whole bool, err error) {
	var s jsonScanner
	whole = true
	for {
		if h.r == h.w && !h.fill() {
			if h.err == io.EOF && s.end() == nil {
				return text, whole, nil // a number, at the end of the file
			}
			return nil, false, h.endError(field)
		}
		p := h.buf[h.r:h.w]
		n, err := s.scan(p)
		h.line += bytes.Count(p[:n], newline)
		h.r += n
		if whole && len(text)+n <= keep {
			text = append(text, p[:n]...)
		} else {
			whole, text = false, nil
		}
		if err != nil {
			return nil, false, h.fileError(field, fmt.Errorf("invalid JSON: %w", err))
		}
		if s.done() {
			return text, whole, nil
		}
	}
}

// jsonKindAt names the kind of JSON value that starts with c, or "" when
// none does.
func jsonKindAt(c byte) string {
	switch {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == '-' || isDigit(c):
		return "a number"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	}
	return ""
}

// fileError is a problem with the file itself, found at field, at the
// reader's position.
func (h *harReader) fileError(field string, err error) *EntryError {
	return &EntryError{Source: h.source, Entry: -1, Line: h.line, Field: field, Err: err, offset: h.pos()}
}

// syntaxError is the problem of the byte c, which breaks the JSON syntax in
// the context encoding/json names.
func (h *harReader) syntaxError(field string, c byte, context string) *EntryError {
	var s jsonScanner
	return h.fileError(field, fmt.Errorf("invalid JSON: %w", s.fail(c, context)))
}

// endError is the problem of a file that ends, or cannot be read, inside the
// value of field.
func (h *harReader) endError(field string) *EntryError {
	err := h.err
	if err == io.EOF {
		err = readError(err)
	}
	return h.fileError(field, err)
}

// readError makes an error of the decoder say what it means for a recording.
func readError(err error) error {
	var syntaxErr *json.SyntaxError
	switch {
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the file ends early: %w", io.ErrUnexpectedEOF)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return err
}

// emit yields one frame or problem, and returns errStopped when the consumer
// wants no more.
func (h *harReader) emit(f *Frame, err error) error {
	if !h.yield(f, err) {
		return errStopped
	}
	return nil
}
