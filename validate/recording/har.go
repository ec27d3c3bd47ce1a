package recording

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// This file walks a HAR file with an encoding/json Decoder, token by token,
// down to log.entries; harframe.go frames the entries (finds where each
// starts and ends) without decoding them, and the decoder takes over again
// after the array. harentry.go turns an entry into an exchange.

// errStopped says that the consumer of Frames stopped ranging.
var errStopped = errors.New("stopped by the consumer")

// decoderReadSize is the most countingReader gives the decoder at once. The
// decoder reads ahead by no more than this, and positions are found by
// counting newlines in what it has read ahead.
const decoderReadSize = 16 << 10

// newline is what lines end with.
var newline = []byte{'\n'}

// countingReader is the input of the JSON decoder. It counts the newlines it
// hands out, so that the line of a decoder offset can be found from them and
// the bytes the decoder has buffered, without keeping the offsets of past
// newlines.
type countingReader struct {
	r        io.Reader
	newlines int // newlines handed out, plus those before the first byte
}

// Read reads from the underlying reader, at most decoderReadSize bytes.
func (c *countingReader) Read(p []byte) (int, error) {
	p = p[:min(len(p), decoderReadSize)]
	n, err := c.r.Read(p)
	c.newlines += bytes.Count(p[:n], newline)
	return n, err
}

// harReader reads the entries of one HAR file.
type harReader struct {
	source string
	yield  func(*Frame, error) bool
	limit  int       // MaxEntryBytes, when Frames started
	rest   io.Reader // the file, from where cr has got to
	cr     *countingReader
	dec    *json.Decoder
	entry  int // the index of the next entry
}

// readHAR yields the entries of the HAR file that br holds as frames, and the
// problems found in it.
func readHAR(source string, br *bufio.Reader, limit int, yield func(*Frame, error) bool) {
	h := &harReader{source: source, yield: yield, limit: limit, rest: br}
	h.cr = &countingReader{r: br}
	h.dec = json.NewDecoder(h.cr)
	if err := h.readTop(); err != nil && err != errStopped {
		if entryErr, ok := err.(*EntryError); ok {
			entryErr.final = true
		}
		yield(nil, err)
	}
}

// readTop reads the top-level object, which holds log and maybe other keys.
func (h *harReader) readTop() error {
	if err := h.expectDelim('{', ""); err != nil {
		return err
	}
	sawLog := false
	for h.dec.More() {
		key, err := h.key("")
		if err != nil {
			return err
		}
		if key != "log" {
			if err := h.skip(key); err != nil {
				return err
			}
			continue
		}
		sawLog = true
		if err := h.readLog(); err != nil {
			return err
		}
	}
	if err := h.expectDelim('}', ""); err != nil {
		return err
	}
	if t, err := h.dec.Token(); err != io.EOF {
		if err == nil {
			err = fmt.Errorf("found %s after the HAR object", describeJSON(t))
		}
		return h.fileError("", err)
	}
	if !sawLog {
		return h.fileError("log", errMissing)
	}
	return nil
}

// readLog reads the log object, which holds entries and maybe other keys.
func (h *harReader) readLog() error {
	if err := h.expectDelim('{', "log"); err != nil {
		return err
	}
	sawEntries := false
	for h.dec.More() {
		key, err := h.key("log")
		if err != nil {
			return err
		}
		if key != "entries" {
			if err := h.skip("log." + key); err != nil {
				return err
			}
			continue
		}
		sawEntries = true
		if err := h.expectDelim('[', "log.entries"); err != nil {
			return err
		}
		if err := h.readEntries(); err != nil {
			return err
		}
	}
	if err := h.expectDelim('}', "log"); err != nil {
		return err
	}
	if !sawEntries {
		return h.fileError("log.entries", errMissing)
	}
	return nil
}

// readEntries frames the elements of log.entries and reads the ']' after
// them, then sets the decoder up to go on after the array.
func (h *harReader) readEntries() error {
	fr := &entryFramer{
		h:    h,
		src:  io.MultiReader(h.dec.Buffered(), h.rest),
		buf:  make([]byte, readBufferSize),
		line: h.line(),
	}
	if err := fr.frameAll(); err != nil {
		return err
	}
	h.resume(fr)
	return nil
}

// resumePrefix is what a new decoder reads before the rest of the file, to be
// where the decoder it replaces was: in log, after the entries array.
const resumePrefix = `{"log":{"entries":[]`

// resume replaces the decoder, which the framer has read past, with one that
// reads the rest of the file from where the framer has got to.
func (h *harReader) resume(fr *entryFramer) {
	h.rest = io.MultiReader(bytes.NewReader(fr.buf[fr.r:fr.w]), fr.src)
	h.cr = &countingReader{r: io.MultiReader(strings.NewReader(resumePrefix), h.rest), newlines: fr.line - 1}
	h.dec = json.NewDecoder(h.cr)
	for range 6 { // { "log" { "entries" [ ]
		if _, err := h.dec.Token(); err != nil {
			return // cannot happen; the next read would report it
		}
	}
}

// key reads the next key of the object at field.
func (h *harReader) key(field string) (string, error) {
	t, err := h.dec.Token()
	if err != nil {
		return "", h.fileError(field, readError(err))
	}
	key, _ := t.(string) // in an object, the decoder returns only keys here
	return key, nil
}

// skip reads past the value of field, which this reader does not need.
func (h *harReader) skip(field string) error {
	if err := skipValue(h.dec); err != nil {
		return h.fileError(field, readError(err))
	}
	return nil
}

// expectDelim reads the next token, which must be want, the start or end of
// field.
func (h *harReader) expectDelim(want json.Delim, field string) error {
	t, err := h.dec.Token()
	if err != nil {
		return h.fileError(field, readError(err))
	}
	if t != want {
		return h.fileError(field, fmt.Errorf("want %s, got %s", describeJSON(want), describeJSON(t)))
	}
	return nil
}

// fileError is a problem with the file itself, found at field, at the
// decoder's position.
func (h *harReader) fileError(field string, err error) *EntryError {
	return &EntryError{Source: h.source, Entry: -1, Line: h.line(), Field: field, Err: err}
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

// line returns the line of the decoder's offset: the newlines handed to the
// decoder, less those it has buffered but not yet consumed.
func (h *harReader) line() int {
	buffered, _ := io.ReadAll(h.dec.Buffered()) // a bytes.Reader: no error
	return 1 + h.cr.newlines - bytes.Count(buffered, newline)
}

// emit yields one frame or problem, and returns errStopped when the consumer
// wants no more.
func (h *harReader) emit(f *Frame, err error) error {
	if !h.yield(f, err) {
		return errStopped
	}
	return nil
}
