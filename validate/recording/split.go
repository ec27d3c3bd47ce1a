package recording

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"iter"
)

// IsNDJSON reports whether the recording r starts is NDJSON, telling the
// formats apart as [Read] does, from at most the first 64 KiB of r. It is
// false for a HAR, a cassette, and what is no recording at all ([Read] says
// why).
//
// An NDJSON recording can be split: [NDJSONRange] reads the lines of a byte
// range of it. The other formats are read whole.
func IsNDJSON(r io.Reader) bool {
	f, _, err := detect(bufio.NewReaderSize(r, readBufferSize))
	return err == nil && f == formatNDJSON
}

// NDJSONRange streams the lines of an NDJSON recording that start in the byte
// range [start, end) of it, as [Frames] streams them when it reads the whole
// recording: each frame's Entry and Line, and each problem, are the same. So
// ranges that cover a recording without overlapping yield each of its lines
// exactly once, and a recording can be read in parts, on several machines. A
// negative end stands for the end of the recording. Each frame's Offset is
// where its line starts, so that a reader whose range shrinks as it reads (a
// Beam splittable DoFn's) can stop at the first line past it.
//
// r reads the recording from its first byte: the bytes before start are read,
// to count the lines before the range, but not kept; the last line that
// starts in the range is read to its end, past end. r must hold NDJSON
// ([IsNDJSON]); a byte order mark at the start of the recording is skipped, as
// [Frames] skips it.
func NDJSONRange(source string, r io.Reader, start, end int64) iter.Seq2[*Frame, error] {
	return func(yield func(*Frame, error) bool) {
		limit := MaxEntryBytes
		br := bufio.NewReaderSize(r, readBufferSize)
		lines, pos, err := skipLines(br, start)
		if err != nil {
			yield(nil, &EntryError{Source: source, Entry: -1, Line: lines + 1, Err: fmt.Errorf("reading the recording: %w", err), final: true})
			return
		}
		if end >= 0 && pos >= end {
			return
		}
		if pos == 0 {
			if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
				_, _ = br.Discard(len(utf8BOM)) // cannot fail: the bytes are buffered
				pos += int64(len(utf8BOM))
			}
		}
		var in io.Reader = br
		if end >= 0 {
			in = &lineSection{r: br, pos: pos, end: end}
		}
		readNDJSON(source, bufio.NewReaderSize(in, readBufferSize), nil, limit, lines, pos, yield)
	}
}

// skipLines reads br up to the first line that starts at or after byte start,
// and returns how many lines it passed and the offset where that line starts
// (the end of the recording when no line starts there). At io.EOF err is nil.
func skipLines(br *bufio.Reader, start int64) (lines int, pos int64, err error) {
	if start <= 0 {
		return 0, 0, nil
	}
	// A line starts at start when byte start-1 ends one: read to just before
	// it, then to the end of the line that holds it.
	for pos < start-1 {
		chunk, err := br.Peek(int(min(start-1-pos, readBufferSize)))
		lines += bytes.Count(chunk, newline)
		pos += int64(len(chunk))
		if _, derr := br.Discard(len(chunk)); derr != nil || err != nil {
			return lines, pos, eofIsNil(err)
		}
	}
	for {
		chunk, err := br.ReadSlice('\n')
		pos += int64(len(chunk))
		if err == nil {
			return lines + 1, pos, nil
		}
		if err != bufio.ErrBufferFull {
			return lines, pos, eofIsNil(err)
		}
	}
}

// eofIsNil is err, or nil for io.EOF.
func eofIsNil(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}

// lineSection reads r, which is at byte pos of a recording, up to the end of
// the line that holds byte end-1: the lines that start before end.
type lineSection struct {
	r    io.Reader
	pos  int64
	end  int64
	done bool
}

// Read reads from r and stops after the newline at or after byte end-1.
func (s *lineSection) Read(p []byte) (int, error) {
	if s.done {
		return 0, io.EOF
	}
	n, err := s.r.Read(p)
	if from := s.end - 1 - s.pos; from < int64(n) {
		if i := bytes.IndexByte(p[max(from, 0):n], '\n'); i >= 0 {
			n, s.done = int(max(from, 0))+i+1, true
		}
	}
	s.pos += int64(n)
	return n, err
}
