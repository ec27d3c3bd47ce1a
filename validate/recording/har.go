package recording

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/contractcheck/contractcheck/validate"
)

// This file walks a HAR file with an encoding/json Decoder: token by token
// down to log.entries, then one entry at a time, so that memory holds one entry
// and not the file. harentry.go turns an entry into an exchange.

// errStopped says that the consumer of Read stopped ranging.
var errStopped = errors.New("stopped by the consumer")

// errEntryTooLarge is what countingReader answers when the decoder reads
// past the end an entry may have.
var errEntryTooLarge = errors.New("entry larger than the limit")

// decoderReadSize is the most countingReader gives the decoder at once. The
// decoder reads ahead by no more than this, and positions are found by
// counting newlines in what it has read ahead.
const decoderReadSize = 16 << 10

// noLimit is the countingReader limit outside an entry.
const noLimit = math.MaxInt64

// newline is what lines end with.
var newline = []byte{'\n'}

// countingReader is the input of the JSON decoder. It counts the newlines it
// hands out, so that the line of a decoder offset can be found from them and
// the bytes the decoder has buffered, without keeping the offsets of past
// newlines. It also keeps an oversized entry out of memory: it hands out no
// byte at or past limit.
type countingReader struct {
	r        io.Reader
	offset   int64 // bytes handed out, in the decoder's offsets
	newlines int   // newlines handed out, plus those before the first byte
	limit    int64
}

// Read reads from the underlying reader, at most decoderReadSize bytes and
// never up to or past limit.
func (c *countingReader) Read(p []byte) (int, error) {
	if c.offset >= c.limit {
		return 0, errEntryTooLarge
	}
	p = p[:min(int64(len(p)), decoderReadSize, c.limit-c.offset)]
	n, err := c.r.Read(p)
	c.offset += int64(n)
	c.newlines += bytes.Count(p[:n], newline)
	return n, err
}

// harReader reads the entries of one HAR file.
type harReader struct {
	source string
	yield  func(*validate.Exchange, error) bool
	limit  int64         // MaxEntryBytes, when Read started
	br     *bufio.Reader // the file, from where cr has got to
	cr     *countingReader
	dec    *json.Decoder
	entry  int // the index of the next entry
}

// readHAR yields the exchanges of the HAR file that br holds, and the problems
// found in it.
func readHAR(source string, br *bufio.Reader, limit int, yield func(*validate.Exchange, error) bool) {
	h := &harReader{source: source, yield: yield, limit: int64(limit), br: br}
	h.cr = &countingReader{r: br, limit: noLimit}
	h.dec = json.NewDecoder(h.cr)
	if err := h.readTop(); err != nil && err != errStopped {
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

// readEntries reads the elements of log.entries and the ']' after them.
func (h *harReader) readEntries() error {
	for {
		h.cr.limit = noLimit
		if !h.dec.More() {
			break
		}
		if err := h.readEntry(); err != nil {
			return err
		}
	}
	return h.expectDelim(']', "log.entries")
}

// readEntry reads one entry and yields its exchange or its problem. It
// returns an error only when the file cannot be read on.
func (h *harReader) readEntry() error {
	entry := h.entry
	h.entry++
	start := h.next().offset
	h.cr.limit = start + min(h.limit, noLimit-start)
	var raw json.RawMessage
	if err := h.dec.Decode(&raw); err != nil {
		// The decoder may not have buffered all the white space before the
		// entry when it started; now it has.
		line := h.next().line
		if errors.Is(err, errEntryTooLarge) {
			return h.skipEntry(entry, line)
		}
		return &EntryError{Source: h.source, Entry: entry, Line: line, Err: fmt.Errorf("reading the entry: %w", readError(err))}
	}
	// The entry ends where the decoder is; count back to where it starts.
	line := h.line() - bytes.Count(raw, newline)
	var ex *validate.Exchange
	var entryErr *EntryError
	if int64(len(raw)) > h.limit {
		entryErr = &EntryError{Err: fmt.Errorf("the entry is larger than %d bytes (MaxEntryBytes)", h.limit)}
	} else {
		ex, entryErr = harExchange(raw)
	}
	if entryErr != nil {
		entryErr.Source, entryErr.Entry, entryErr.Line = h.source, entry, line
		return h.emit(nil, entryErr)
	}
	ex.Source, ex.Entry, ex.Line = h.source, entry, line
	return h.emit(ex, nil)
}

// emit yields one exchange or problem, and returns errStopped when the
// consumer wants no more.
func (h *harReader) emit(ex *validate.Exchange, err error) error {
	if !h.yield(ex, err) {
		return errStopped
	}
	return nil
}

// skipEntry reads past an entry that the decoder refused for its size, yields
// its problem, and sets up a new decoder for the rest of the file.
func (h *harReader) skipEntry(entry, startLine int) error {
	var s objectSkipper
	line := h.line()
	// What the decoder has buffered is all of the entry: had the entry ended
	// in it, the decoder would not have asked for more.
	_, err := io.Copy(&s, h.dec.Buffered())
	for err == nil && !s.done {
		var c byte
		if c, err = h.br.ReadByte(); err == nil {
			err = s.feed(c)
		}
	}
	if err != nil {
		return &EntryError{Source: h.source, Entry: entry, Line: startLine,
			Err: fmt.Errorf("skipping an entry larger than %d bytes (MaxEntryBytes): %w", h.limit, readError(err))}
	}
	h.resume(line + s.newlines)
	return h.emit(nil, &EntryError{Source: h.source, Entry: entry, Line: startLine,
		Err: fmt.Errorf("the entry is larger than %d bytes (MaxEntryBytes)", h.limit)})
}

// resumePrefix is what a new decoder reads before the rest of the file, to be
// where the decoder it replaces was: inside log.entries, after an entry.
const resumePrefix = `{"log":{"entries":[{}`

// resume replaces the decoder, which cannot go on after an error, with one
// that reads the rest of the file, from line on.
func (h *harReader) resume(line int) {
	h.cr = &countingReader{r: io.MultiReader(strings.NewReader(resumePrefix), h.br), newlines: line - 1, limit: noLimit}
	h.dec = json.NewDecoder(h.cr)
	for range 7 { // { "log" { "entries" [ { }
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

// position is a place in the file: an offset of the decoder and the 1-based
// line.
type position struct {
	offset int64
	line   int
}

// line returns the line of the decoder's offset: the newlines handed to the
// decoder, less those it has buffered but not yet consumed.
func (h *harReader) line() int {
	var s gapScanner
	_, _ = io.Copy(&s, h.dec.Buffered()) // a bytes.Reader: no copy, no error
	return 1 + h.cr.newlines - s.newlines
}

// next returns where the next value starts, past the comma and white space
// that the decoder has yet to consume before it. It sees only what the
// decoder has buffered; the decoder has buffered at least the first byte
// after its offset.
func (h *harReader) next() position {
	var s gapScanner
	_, _ = io.Copy(&s, h.dec.Buffered())
	return position{
		offset: h.dec.InputOffset() + s.gap,
		line:   1 + h.cr.newlines - s.newlines + s.gapNewlines,
	}
}

// gapScanner counts the newlines written to it, and the bytes and newlines of
// the leading commas and white space.
type gapScanner struct {
	newlines    int
	gap         int64
	gapNewlines int
	gapDone     bool
}

// Write scans p and never fails.
func (s *gapScanner) Write(p []byte) (int, error) {
	s.newlines += bytes.Count(p, newline)
	for _, c := range p {
		if s.gapDone {
			break
		}
		switch {
		case c == '\n':
			s.gapNewlines++
		case c != ',' && !isJSONSpace(c):
			s.gapDone = true
			continue
		}
		s.gap++
	}
	return len(p), nil
}

// objectSkipper finds the end of a JSON object shown to it byte by byte,
// without keeping it: only the nesting and whether it is in a string. What
// comes before the object may be commas and white space. It counts the
// newlines it is shown.
type objectSkipper struct {
	depth    int
	inString bool
	escaped  bool
	done     bool
	newlines int
}

// feed shows the skipper the next byte.
func (s *objectSkipper) feed(c byte) error {
	if c == '\n' {
		s.newlines++
	}
	switch {
	case s.done:
		return errors.New("past the end of the entry")
	case s.depth == 0 && c == '{':
		s.depth = 1
	case s.depth == 0 && c != ',' && !isJSONSpace(c):
		return fmt.Errorf("found %q where an entry should start", []byte{c})
	case s.depth == 0:
	case s.inString && s.escaped:
		s.escaped = false
	case s.inString && c == '\\':
		s.escaped = true
	case s.inString && c == '"':
		s.inString = false
	case s.inString:
	case c == '"':
		s.inString = true
	case c == '{' || c == '[':
		s.depth++
	case c == '}' || c == ']':
		s.depth--
		s.done = s.depth == 0
	}
	return nil
}

// Write shows the skipper the bytes of p. The object must not end before the
// last of them.
func (s *objectSkipper) Write(p []byte) (int, error) {
	for i, c := range p {
		if err := s.feed(c); err != nil {
			return i, err
		}
		if s.done && i < len(p)-1 {
			return i + 1, errors.New("the entry ends before the limit")
		}
	}
	return len(p), nil
}
