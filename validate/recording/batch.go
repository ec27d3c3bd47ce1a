package recording

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"sync"
)

// A recording that is a regular file can be decoded on several cores without
// one goroutine copying every entry first: [Batches] runs the framer of
// [Frames] over it (the same code, so the same entries, numbers, lines and
// problems), but keeps only where each entry starts and ends, and groups
// consecutive entries into batches. [Batch.Read], on the goroutine that
// decodes the batch, reads the text of all its entries with one ReadAt.

// Batch is a run of consecutive entries of one recording, found by
// [Batches], whose text is read at once by [Batch.Read]. A batch is not safe
// for concurrent use.
type Batch struct {
	// Frames are the entries of the batch, in the order of the recording.
	// Their text is read by Read; Decode reads the text of a frame that Read
	// did not.
	Frames []*Frame

	at         io.ReaderAt
	start, end int64   // the span of the frames' text in the recording
	buf        *[]byte // from batchPool, once Read

	frames [smallBatch]*Frame // Frames' first array, for a small batch
}

// smallBatch is the most frames a batch holds without an allocation for its
// Frames besides its own.
const smallBatch = 8

// newBatch returns an empty batch of the entries of at from start on, with
// room for maxEntries frames (bounded, for a caller's large maxEntries), so
// that adding them does not grow Frames: a batch of up to smallBatch
// entries is one allocation.
func newBatch(at io.ReaderAt, start int64, maxEntries int) *Batch {
	b := &Batch{at: at, start: start}
	if maxEntries <= smallBatch {
		b.Frames = b.frames[:0]
	} else {
		b.Frames = make([]*Frame, 0, min(maxEntries, 64))
	}
	return b
}

// batchPool recycles the buffers of batches.
var batchPool = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBatch is the largest buffer Release gives back to the pool.
const maxPooledBatch = 1 << 20

// Size returns how many bytes of the recording the batch spans, which Read
// holds in memory.
func (b *Batch) Size() int64 { return b.end - b.start }

// Read reads the text of the batch's frames with one read of the span they
// cover. When that read fails, each frame's Decode returns the problem, as a
// final one ([EntryError.Final]). Read does nothing the second time.
func (b *Batch) Read() {
	if b.at == nil || b.buf != nil {
		return
	}
	b.buf = batchPool.Get().(*[]byte)
	n := int(b.end - b.start)
	if cap(*b.buf) < n {
		*b.buf = make([]byte, n)
	}
	text := (*b.buf)[:n]
	k, err := b.at.ReadAt(text, b.start)
	if k == n {
		err = nil // io.ReaderAt may say io.EOF with the last byte
	}
	for _, f := range b.Frames {
		if f.at == nil {
			continue
		}
		f.at = nil
		if err != nil {
			f.readErr = readAtError(err)
			continue
		}
		f.own = frameText(f.format, text[f.start-b.start:f.end-b.start])
		f.text = &f.own
	}
}

// Release releases the batch's frames and gives its buffer back for reuse.
// No frame of the batch may be decoded after it.
func (b *Batch) Release() {
	for _, f := range b.Frames {
		f.Release()
	}
	if b.buf != nil && cap(*b.buf) <= maxPooledBatch {
		batchPool.Put(b.buf)
	}
	b.buf, b.at = nil, nil
}

// frameArena hands out the frames of ranged entries from blocks: one
// allocation for many frames.
type frameArena struct{ block []Frame }

// newRangedFrame makes a frame whose text is at [start, end) of the
// recording at reads, end being set by the framer once found.
func (a *frameArena) newRangedFrame(source string, f format, limit int, at io.ReaderAt, start int64) *Frame {
	if len(a.block) == 0 {
		a.block = make([]Frame, 32)
	}
	fr := &a.block[0]
	a.block = a.block[1:]
	*fr = Frame{Source: source, format: f, limit: limit, at: at, start: start}
	fr.text = &fr.own
	return fr
}

// readText reads the text of a ranged frame alone.
func (f *Frame) readText() {
	buf := framePool.Get().(*[]byte)
	n := int(f.end - f.start)
	if cap(*buf) < n {
		*buf = make([]byte, n)
	}
	k, err := f.at.ReadAt((*buf)[:n], f.start)
	f.at = nil
	if k < n {
		f.readErr = readAtError(err)
		if cap(*buf) <= maxPooledFrame {
			framePool.Put(buf)
		}
		return
	}
	*buf = frameText(f.format, (*buf)[:n])
	f.text = buf
}

// frameText is the text of an entry of format f from the bytes of the
// recording its frame spans: a HAR entry's JSON value, an NDJSON line
// without its "\n", as Frames keeps them.
func frameText(f format, span []byte) []byte {
	if f == formatNDJSON && len(span) > 0 && span[len(span)-1] == '\n' {
		return span[:len(span)-1]
	}
	return span
}

// readAtError is the problem of an entry whose text could not be read again:
// the recording changed, or the read failed.
func readAtError(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("reading the entry: the recording changed while it was read: %w", err)
}

// Batches streams the entries of a recording, as [Frames] does, in batches of
// consecutive entries of about maxBytes bytes and at most maxEntries entries
// each: r reads the recording from its start, at reads the same recording at
// any offset (r and at may be one *os.File: ReadAt does not move the offset
// that Read reads from). It yields (batch, nil) and (nil, err) in the order of
// the recording, where the frames and problems, put end to end, are those
// Frames yields for the same recording, except that an NDJSON line of white
// space is a frame whose Decode returns (nil, nil). An entry over maxBytes has
// a batch of its own; a cassette's interactions, read by Frames as they are,
// have a batch each.
//
// Only r is read as Batches runs, through a buffer of fixed size, to find
// where entries start and end (the nesting of brackets and strings, and the
// newlines, without decoding): the text of the entries is read from at by
// [Batch.Read], on the goroutine that decodes them. So memory holds the
// batches being decoded, not those waiting.
func Batches(source string, r io.Reader, at io.ReaderAt, maxBytes, maxEntries int) iter.Seq2[*Batch, error] {
	return func(yield func(*Batch, error) bool) {
		var b *Batch
		stopped := false
		flush := func() bool {
			if b == nil {
				return true
			}
			next := b
			b = nil
			if !yield(next, nil) {
				stopped = true
			}
			return !stopped
		}
		frames(source, r, at, func(f *Frame, err error) bool {
			if err != nil {
				if !flush() {
					return false
				}
				stopped = !yield(nil, err)
				return !stopped
			}
			if f.at == nil { // read already, or nothing to read
				if !flush() {
					return false
				}
				b = &Batch{Frames: []*Frame{f}}
				return flush()
			}
			if b != nil && (len(b.Frames) >= maxEntries || f.end-b.start > int64(maxBytes)) {
				if !flush() {
					return false
				}
			}
			if b == nil {
				b = newBatch(at, f.start, maxEntries)
			}
			b.Frames = append(b.Frames, f)
			b.end = f.end
			return true
		})
		if !stopped {
			flush()
		}
	}
}
