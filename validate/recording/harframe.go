package recording

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
)

// The entries of a HAR's log.entries array are framed, from just after its
// '[' to its ']', without being decoded: the framer follows only the nesting
// of brackets and where strings start and end, which is enough to find where
// a JSON value ends. Whether the value is valid JSON is for Frame.Decode to
// find out; an entry whose JSON is broken is a final problem there, so
// nothing the framer finds after it is used.

// frameAll frames the entries and consumes the ']' after them. It returns an
// error when the file cannot be read on, or errStopped.
func (h *harReader) frameAll() error {
	for first := true; ; first = false {
		c, ok := h.skipSpace()
		if !ok {
			return h.entriesError()
		}
		if c == ']' && first {
			h.r++
			return nil
		}
		if !first {
			switch c {
			case ']':
				h.r++
				return nil
			case ',':
				h.r++
			default:
				return h.syntaxError("log.entries", c, "after array element")
			}
			if c, ok = h.skipSpace(); !ok {
				return h.entriesError()
			}
			if c == ']' {
				return h.syntaxError("log.entries", c, "looking for beginning of value")
			}
		}
		if err := h.frameEntry(); err != nil {
			return err
		}
	}
}

// entriesError is the problem of a file that ends, or cannot be read,
// between entries.
func (h *harReader) entriesError() error {
	return h.endError("log.entries")
}

// frameEntry frames the value that starts at buf[r] and yields it. An entry
// over the limit is read past without being kept, and yields its problem.
func (h *harReader) frameEntry() error {
	entry, line := h.entry, h.line
	h.entry++
	var f *Frame
	if h.at != nil {
		f = h.frames.newRangedFrame(h.source, formatHAR, h.limit, h.at, h.pos())
	} else {
		f = newFrame(h.source, formatHAR, h.limit)
	}
	f.Entry, f.Line = entry, line
	text := entryText{buf: (*f.text)[:0]}
	tooLarge := false
	var s valueScanner
	for {
		if h.r == h.w && !h.fill() {
			f.Release()
			err := h.err
			if err == io.EOF {
				err = readError(err)
			}
			if tooLarge {
				err = fmt.Errorf("skipping an entry larger than %d bytes (MaxEntryBytes): %w", h.limit, err)
			} else {
				err = fmt.Errorf("reading the entry: %w", err)
			}
			return &EntryError{Source: h.source, Entry: entry, Line: line, Err: err, final: true, offset: h.pos()}
		}
		p := h.buf[h.r:h.w]
		n := s.end(p)
		if n >= 0 {
			p = p[:n]
		}
		h.line += bytes.Count(p, newline)
		h.r += len(p)
		if !tooLarge {
			if text.n+len(p) > h.limit {
				tooLarge = true
				text.drop()
			} else if h.at != nil {
				text.n += len(p) // a ranged frame: only its size
			} else {
				text.add(p)
			}
		}
		if n >= 0 {
			break
		}
	}
	f.end = h.pos()
	if h.at == nil {
		*f.text = text.text()
	}
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
			j := quoteOrBackslash(p, i)
			if j < 0 {
				return -1
			}
			i = j + 1
			if p[j] == '\\' {
				s.escaped = true
				continue
			}
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

// quoteOrBackslash returns the offset of the first quote or backslash of p
// from i on, or -1. Most strings of an entry are short: it looks at eight
// bytes at a time first, then, in a long string, lets bytes.IndexByte take
// many more at a time.
func quoteOrBackslash(p []byte, i int) int {
	for k := 0; k < 4 && i+8 <= len(p); k++ {
		x := binary.LittleEndian.Uint64(p[i:])
		quote, backslash := x^(swarOnes*'"'), x^(swarOnes*'\\')
		// The lowest flag is exact: a borrow only ever flags bytes above a
		// byte flagged already.
		if m := ((quote-swarOnes)&^quote | (backslash-swarOnes)&^backslash) & swarHigh; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		i += 8
	}
	rest := p[i:]
	q := bytes.IndexByte(rest, '"')
	if q < 0 {
		q = len(rest)
	}
	if b := bytes.IndexByte(rest[:q], '\\'); b >= 0 {
		q = b
	}
	if q == len(rest) {
		return -1
	}
	return i + q
}
