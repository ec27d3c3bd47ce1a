package recording

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"sync"

	"github.com/pb33f/go-yaml"

	"github.com/contractcheck/contractcheck/validate"
)

// Frame is one entry of a recording, found in the stream but not yet decoded:
// the JSON text of a HAR entry, the text of an NDJSON line, or the parsed
// YAML of a cassette's interaction. [Frames] yields
// frames cheaply, on one goroutine; [Frame.Decode] does the costly part and may
// run on another, so that a recording can be decoded on several cores while it
// is read in order.
//
// A frame holds its text in a buffer that [Frame.Release] recycles. A frame is
// not safe for concurrent use.
type Frame struct {
	// Source is the name of the recording, as passed to Frames.
	Source string
	// Entry is the 0-based index of the entry.
	Entry int
	// Line is the 1-based line of the recording where the entry starts.
	Line int
	// Offset is the byte offset in the recording where an NDJSON line starts
	// (line 1 at 0, a byte order mark being part of it); 0 for the entries
	// of other formats. [NDJSONRange] reads the lines whose Offset is in its
	// range.
	Offset int64

	format   format
	text     *[]byte     // from framePool, for HAR and NDJSON (or &own); nil once released
	own      []byte      // the text, when a Batch read it: part of the batch's buffer, not pooled
	at       io.ReaderAt // where a ranged frame's text is read from, at [start, end); nil once read
	start    int64       // with at: the offset of the entry's first byte
	readErr  error       // with at: why the batch could not read the text
	node     *yaml.Node  // the interaction of a cassette
	tooLong  bool        // an NDJSON line over limit, not kept
	limit    int         // MaxEntryBytes when Frames started
	end      int64       // the offset in the recording just past the entry; 0 when unknown
	released bool
}

// errReleased is the problem of decoding a frame after releasing it.
var errReleased = errors.New("the frame was released before it was decoded")

// framePool recycles the buffers of frames' text.
var framePool = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledFrame is the largest buffer Release gives back to the pool, so
// that one huge entry does not stay in memory for good.
const maxPooledFrame = 256 << 10

// newFrame makes a frame with an empty buffer from the pool.
func newFrame(source string, f format, limit int) *Frame {
	text := framePool.Get().(*[]byte)
	*text = (*text)[:0]
	return &Frame{Source: source, format: f, text: text, limit: limit}
}

// Release gives the frame's buffer back for reuse. Decode may not be called
// after it; Release may be called more than once.
func (f *Frame) Release() {
	f.released, f.node, f.at, f.own = true, nil, nil, nil
	if f.text == nil || f.text == &f.own {
		f.text = nil
		return
	}
	if cap(*f.text) <= maxPooledFrame {
		framePool.Put(f.text)
	}
	f.text = nil
}

// Decode turns the frame into an exchange, with Source, Entry and Line set.
// It returns (nil, nil) for an NDJSON line that holds only white space, and
// (nil, err) for an entry that cannot be read, where err is an
// [*EntryError]; when its [EntryError.Final] is true, the recording cannot be
// read past the entry (its JSON is broken) and what [Frames] yields after it
// must be dropped. The exchange does not share memory with the frame. A
// panic while decoding (a bug) is recovered as the entry's error, so that
// one entry cannot stop a whole audit.
func (f *Frame) Decode() (ex *validate.Exchange, err error) {
	return f.DecodeInto(nil)
}

// DecodeInto is [Frame.Decode], decoding the entry into s (when not nil) as
// far as it can: the exchange it returns may be s's, good until s decodes
// again, and so must no longer be referred to (its header maps, their value
// slices, its bodies; its strings may be kept) when s is given to the next
// entry. An exchange that must live on (say, that a report refers to) is
// not given back: decode the next entry into another Scratch. The exchange
// and the error are those Decode returns, as values.
func (f *Frame) DecodeInto(s *Scratch) (ex *validate.Exchange, err error) {
	defer func() {
		if v := recover(); v != nil {
			ex, err = nil, &EntryError{Source: f.Source, Entry: f.Entry, Line: f.Line,
				Err: fmt.Errorf("internal error: reading this entry panicked (please report it): %v", v)}
		}
	}()
	return f.decode(s)
}

// decode is DecodeInto without the recovery.
func (f *Frame) decode(s *Scratch) (*validate.Exchange, error) {
	if f.released {
		return nil, &EntryError{Source: f.Source, Entry: f.Entry, Line: f.Line, Err: errReleased}
	}
	if f.at != nil {
		// A ranged frame whose text no Batch read: read it alone.
		f.readText()
	}
	if f.readErr != nil {
		return nil, &EntryError{Source: f.Source, Entry: f.Entry, Line: f.Line, Err: f.readErr, final: true, offset: f.end}
	}
	var ex *validate.Exchange
	var err *EntryError
	switch f.format {
	case formatHAR:
		ex, err = harFrameExchangeInto(*f.text, s)
	case formatNDJSON:
		ex, err = ndjsonExchangeInto(*f.text, f.tooLong, f.limit, s)
	case formatCassette:
		ex, err = cassetteExchange(f.node)
	}
	if err != nil {
		err.Source, err.Entry, err.Line, err.offset = f.Source, f.Entry, f.Line, f.end
		return nil, err
	}
	if ex != nil {
		ex.Source, ex.Entry, ex.Line = f.Source, f.Entry, f.Line
	}
	return ex, nil
}

// Size returns how many bytes of text the frame holds: the JSON of a HAR
// entry or an NDJSON line; 0 for a cassette's interaction, parsed with the
// whole cassette, and once released.
func (f *Frame) Size() int {
	if f.at != nil {
		return int(f.end - f.start)
	}
	if f.text == nil {
		return 0
	}
	return len(*f.text)
}

// Frames streams the entries of a recording, a HAR 1.2 file or an NDJSON file
// told apart by content as [Read] does, without decoding them. It yields
// (frame, nil) for each entry and (nil, err) for each problem found while
// framing, where err is an [*EntryError]; the problems of one entry's content
// are found by [Frame.Decode]. Memory holds the read buffer and the frames not
// yet released; an entry over [MaxEntryBytes] is skipped without being held.
//
// Frames yields in order of the recording, on the goroutine that ranges over
// it; the sequence reads r as it goes and can be ranged over once. Read is
// Frames with each frame decoded in turn.
func Frames(source string, r io.Reader) iter.Seq2[*Frame, error] {
	return func(yield func(*Frame, error) bool) {
		frames(source, r, nil, yield)
	}
}

// frames yields what Frames yields. With at, which reads the recording r
// reads by offset, the frames of HAR entries and NDJSON lines are ranged:
// they hold where their text is, not the text, which Batch.Read or Decode
// read with at.
func frames(source string, r io.Reader, at io.ReaderAt, yield func(*Frame, error) bool) {
	limit := MaxEntryBytes
	br := bufio.NewReaderSize(r, readBufferSize)
	f, start, err := detect(br)
	if err != nil {
		yield(nil, &EntryError{Source: source, Entry: -1, Err: err, final: true})
		return
	}
	switch f {
	case formatHAR:
		readHAR(source, br, at, start, limit, yield)
	case formatNDJSON:
		readNDJSON(source, br, at, limit, 0, start, yield)
	case formatCassette:
		readCassette(source, br, limit, yield)
	}
}

// textBlock is the size of the blocks in which entryText keeps a large
// text.
const textBlock = 1 << 20

// entryText collects the text of one entry as it is read in pieces: in the
// frame's buffer while it is small, then in blocks, joined once at the end.
// A large entry so costs twice its size in allocations, where appending to one
// slice would cost about five times (a slice grows by a quarter at a time),
// and its text ends up in a slice of exactly its size.
type entryText struct {
	buf    []byte   // the text while it is at most maxPooledFrame bytes
	blocks [][]byte // the rest, once it is not
	n      int      // the length of the text
}

// add appends p to the text.
func (t *entryText) add(p []byte) {
	t.n += len(p)
	if t.blocks == nil && len(t.buf)+len(p) <= maxPooledFrame {
		t.buf = append(t.buf, p...)
		return
	}
	for len(p) > 0 {
		if len(t.blocks) == 0 || len(t.blocks[len(t.blocks)-1]) == textBlock {
			t.blocks = append(t.blocks, make([]byte, 0, textBlock))
		}
		last := &t.blocks[len(t.blocks)-1]
		k := min(len(p), textBlock-len(*last))
		*last = append(*last, p[:k]...)
		p = p[k:]
	}
}

// drop empties the text, keeping buf for reuse.
func (t *entryText) drop() {
	t.buf, t.blocks, t.n = t.buf[:0], nil, 0
}

// text returns the text: buf itself while it is small, a new slice of the
// text's length otherwise.
func (t *entryText) text() []byte {
	if t.blocks == nil {
		return t.buf
	}
	out := make([]byte, 0, t.n)
	out = append(out, t.buf...)
	for _, b := range t.blocks {
		out = append(out, b...)
	}
	t.blocks = nil
	return out
}
