package recording

import (
	"bytes"
	"fmt"
	"io"
)

// entryFramer finds the entries of a HAR's log.entries array, from just after
// its '[' to its ']', without decoding them: it follows only the nesting of
// brackets and where strings start and end, which is enough to find where a
// JSON value ends. Whether the value is valid JSON is for Frame.Decode to
// find out; an entry whose JSON is broken is a final problem there, so
// nothing the framer finds after it is used.
type entryFramer struct {
	h    *harReader
	src  io.Reader
	buf  []byte // a read buffer of fixed size
	r, w int    // buf[r:w] is read but not consumed
	line int    // the 1-based line of buf[r]
	err  error  // the error of the last read, once buf is empty
}

// fill reads more of src into buf, which must have been consumed. It returns
// false at the end of src or on a read error, kept in err.
func (fr *entryFramer) fill() bool {
	if fr.err != nil {
		return false
	}
	fr.r, fr.w = 0, 0
	for fr.w == 0 {
		n, err := fr.src.Read(fr.buf)
		fr.w = n
		if n == 0 && err == nil {
			continue
		}
		if err != nil {
			fr.err = err
			return n > 0
		}
	}
	return true
}

// skipSpace consumes white space and returns the next byte, not consumed;
// ok is false at the end of src.
func (fr *entryFramer) skipSpace() (c byte, ok bool) {
	for {
		for fr.r < fr.w {
			c := fr.buf[fr.r]
			if !isJSONSpace(c) {
				return c, true
			}
			if c == '\n' {
				fr.line++
			}
			fr.r++
		}
		if !fr.fill() {
			return 0, false
		}
	}
}

// frameAll frames the entries and consumes the ']' after them. It returns an
// error when the file cannot be read on, or errStopped.
func (fr *entryFramer) frameAll() error {
	for first := true; ; first = false {
		c, ok := fr.skipSpace()
		if !ok {
			return fr.fileError()
		}
		if c == ']' && first {
			fr.r++
			return nil
		}
		if !first {
			switch c {
			case ']':
				fr.r++
				return nil
			case ',':
				fr.r++
			default:
				return &EntryError{Source: fr.h.source, Entry: -1, Line: fr.line, Field: "log.entries",
					Err: fmt.Errorf("invalid JSON: invalid character %q after array element", c)}
			}
			if c, ok = fr.skipSpace(); !ok {
				return fr.fileError()
			}
			if c == ']' {
				return &EntryError{Source: fr.h.source, Entry: -1, Line: fr.line, Field: "log.entries",
					Err: fmt.Errorf("invalid JSON: invalid character ']' looking for beginning of value")}
			}
		}
		if err := fr.frameEntry(); err != nil {
			return err
		}
	}
}

// fileError is the problem of a file that ends, or cannot be read, between
// entries.
func (fr *entryFramer) fileError() error {
	err := fr.err
	if err == io.EOF {
		err = readError(err)
	}
	return &EntryError{Source: fr.h.source, Entry: -1, Line: fr.line, Field: "log.entries", Err: err}
}

// frameEntry frames the value that starts at buf[r] and yields it. An entry
// over the limit is read past without being kept, and yields its problem.
func (fr *entryFramer) frameEntry() error {
	h := fr.h
	entry, line := h.entry, fr.line
	h.entry++
	f := newFrame(h.source, formatHAR, h.limit)
	f.Entry, f.Line = entry, line
	text := (*f.text)[:0]
	tooLarge := false
	var s valueScanner
	for {
		if fr.r == fr.w && !fr.fill() {
			f.Release()
			err := fr.err
			if err == io.EOF {
				err = readError(err)
			}
			if tooLarge {
				err = fmt.Errorf("skipping an entry larger than %d bytes (MaxEntryBytes): %w", h.limit, err)
			} else {
				err = fmt.Errorf("reading the entry: %w", err)
			}
			return &EntryError{Source: h.source, Entry: entry, Line: line, Err: err, final: true}
		}
		p := fr.buf[fr.r:fr.w]
		n := s.end(p)
		if n >= 0 {
			p = p[:n]
		}
		fr.line += bytes.Count(p, newline)
		fr.r += len(p)
		if !tooLarge {
			if len(text)+len(p) > h.limit {
				tooLarge, text = true, text[:0]
			} else {
				text = append(text, p...)
			}
		}
		if n >= 0 {
			break
		}
	}
	*f.text = text
	if tooLarge {
		f.Release()
		return h.emit(nil, &EntryError{Source: h.source, Entry: entry, Line: line,
			Err: fmt.Errorf("the entry is larger than %d bytes (MaxEntryBytes)", h.limit)})
	}
	return h.emit(f, nil)
}

// valueScanner finds the end of a JSON value shown to it in pieces. It
// follows strings and the nesting of brackets, and does not check the rest of
// the syntax.
type valueScanner struct {
	started  bool
	scalar   bool // a number or a literal, which ends at a delimiter
	depth    int
	inString bool
	escaped  bool // the last byte seen was a backslash in a string
}

// end returns the length of the prefix of p that completes the value, or -1
// when the value goes on past p. p must not be empty.
func (s *valueScanner) end(p []byte) int {
	i := 0
	if !s.started {
		s.started = true
		switch p[0] {
		case '{', '[':
			s.depth, i = 1, 1
		case '"':
			s.inString, i = true, 1
		default:
			s.scalar = true
		}
	}
	if s.scalar {
		for j, c := range p {
			if isJSONSpace(c) || c == ',' || c == ']' || c == '}' || c == '[' || c == '{' || c == '"' {
				return j
			}
		}
		return -1
	}
	for i < len(p) {
		if s.inString {
			if s.escaped {
				s.escaped = false
				i++
				continue
			}
			rest := p[i:]
			q := bytes.IndexByte(rest, '"')
			if q >= 0 {
				rest = rest[:q]
			}
			if b := bytes.IndexByte(rest, '\\'); b >= 0 {
				s.escaped = true
				i += b + 1
				continue
			}
			if q < 0 {
				return -1
			}
			i += q + 1
			s.inString = false
			if s.depth == 0 {
				return i
			}
			continue
		}
		switch p[i] {
		case '"':
			s.inString = true
		case '{', '[':
			s.depth++
		case '}', ']':
			s.depth--
			if s.depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return -1
}
