package recording

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"sync"

	"go.yaml.in/yaml/v4"

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
	text     *[]byte    // from framePool, for HAR and NDJSON; nil once released
	node     *yaml.Node // the interaction of a cassette
	tooLong  bool       // an NDJSON line over limit, not kept
	limit    int        // MaxEntryBytes when Frames started
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
	f.released, f.node = true, nil
	if f.text == nil {
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
	defer func() {
		if v := recover(); v != nil {
			ex, err = nil, &EntryError{Source: f.Source, Entry: f.Entry, Line: f.Line,
				Err: fmt.Errorf("internal error: reading this entry panicked (please report it): %v", v)}
		}
	}()
	return f.decode()
}

// decode is Decode without the recovery.
func (f *Frame) decode() (*validate.Exchange, error) {
	if f.released {
		return nil, &EntryError{Source: f.Source, Entry: f.Entry, Line: f.Line, Err: errReleased}
	}
	var ex *validate.Exchange
	var err *EntryError
	switch f.format {
	case formatHAR:
		ex, err = harFrameExchange(*f.text)
	case formatNDJSON:
		ex, err = ndjsonExchange(*f.text, f.tooLong, f.limit)
	case formatCassette:
		ex, err = cassetteExchange(f.node)
	}
	if err != nil {
		err.Source, err.Entry, err.Line = f.Source, f.Entry, f.Line
		return nil, err
	}
	if ex != nil {
		ex.Source, ex.Entry, ex.Line = f.Source, f.Entry, f.Line
	}
	return ex, nil
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
		limit := MaxEntryBytes
		br := bufio.NewReaderSize(r, readBufferSize)
		bom := 0 // the bytes of a byte order mark, which detect skips
		if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
			bom = len(utf8BOM)
		}
		f, err := detect(br)
		if err != nil {
			yield(nil, &EntryError{Source: source, Entry: -1, Err: err, final: true})
			return
		}
		switch f {
		case formatHAR:
			readHAR(source, br, limit, yield)
		case formatNDJSON:
			readNDJSON(source, br, limit, 0, int64(bom), yield)
		case formatCassette:
			readCassette(source, br, limit, yield)
		}
	}
}
