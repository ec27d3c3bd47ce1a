package recording

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"

	"github.com/contractcheck/contractcheck/validate"
)

// MaxEntryBytes is the largest entry the readers take: the JSON text of one HAR
// entry, or one NDJSON line. A larger entry is reported as an [*EntryError]
// and skipped without being held in memory. Read takes the value when it
// starts reading; change it only while no Read is running.
var MaxEntryBytes = 64 << 20

// readBufferSize is the size of the buffer Read reads through, and so also
// how much of the start of a recording detect may look at.
const readBufferSize = 64 << 10

// format is a kind of recording that Read understands.
type format int

const (
	formatHAR format = iota + 1
	formatNDJSON
	formatCassette
)

// utf8BOM is the byte order mark some tools put at the start of UTF-8 text.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// errNotRecording starts the message of every recording whose format detect
// does not recognize.
var errNotRecording = errors.New("not a HAR, NDJSON or go-vcr cassette recording")

// Read streams the exchanges of a recording, a HAR 1.2 file or an NDJSON file
// (see the package documentation), telling the two apart by content. source
// names the recording in exchanges and errors: a file name, or "-" for
// standard input.
//
// It yields (ex, nil) for each exchange and (nil, err) for each problem, where
// err is always an [*EntryError]. After a problem with one entry it goes on
// with the next; a problem that leaves the rest unreadable (Entry is -1, or
// the JSON of a HAR breaks off) comes last, and says how much of the
// recording was not read after it ([EntryError.NoteUnread]). Every exchange
// has Source, Entry and Line set.
//
// The sequence reads r as it goes; it can be ranged over once.
func Read(source string, r io.Reader) iter.Seq2[*validate.Exchange, error] {
	return func(yield func(*validate.Exchange, error) bool) {
		t := NewTally(r)
		var final *EntryError // the problem that ends the recording, held until the rest is counted
		dropped := 0          // the entries found after it
		for f, err := range Frames(source, t) {
			if final != nil {
				if f != nil {
					f.Release()
				}
				if f != nil || err.(*EntryError).Entry >= 0 {
					dropped++
				}
				continue
			}
			if f != nil {
				var ex *validate.Exchange
				ex, err = f.Decode()
				f.Release()
				if err == nil {
					if ex != nil && !yield(ex, nil) {
						return
					}
					continue
				}
			}
			if e := err.(*EntryError); e.Final() {
				final = e
				continue
			}
			if !yield(nil, err) {
				return
			}
		}
		if final != nil {
			size, _ := t.Size()
			final.NoteUnread(size, dropped)
			yield(nil, final)
		}
	}
}

// Tally counts the bytes of a recording read through it, so that what a
// final problem left unread can be told ([EntryError.NoteUnread]).
type Tally struct {
	r   io.Reader
	n   int64
	eof bool
}

// NewTally returns a Tally reading from r.
func NewTally(r io.Reader) *Tally { return &Tally{r: r} }

// Read reads from the recording, and counts.
func (t *Tally) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	if err == io.EOF {
		t.eof = true
	}
	return n, err
}

// Size returns the size of the recording in bytes, from where the Tally
// started: what was read through it, plus what is left. For a regular file
// (an *os.File, or another reader with Stat and Seek) what is left is told
// by its size; otherwise it is read and counted, without being kept. It
// returns -1 and the error when what is left cannot be read.
func (t *Tally) Size() (int64, error) {
	if t.eof {
		return t.n, nil
	}
	type file interface {
		io.Seeker
		Stat() (fs.FileInfo, error)
	}
	if f, ok := t.r.(file); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if at, err := f.Seek(0, io.SeekCurrent); err == nil && at <= st.Size() {
				return t.n + st.Size() - at, nil
			}
		}
	}
	if _, err := io.Copy(io.Discard, t); err != nil {
		return -1, err
	}
	return t.n, nil
}

// detect tells the format of the recording br holds by looking at its start.
// It consumes a byte order mark and nothing else, and returns how many bytes
// it consumed.
func detect(br *bufio.Reader) (f format, consumed int64, err error) {
	if start, _ := br.Peek(len(utf8BOM)); bytes.Equal(start, utf8BOM) {
		if _, err := br.Discard(len(utf8BOM)); err != nil {
			return 0, 0, fmt.Errorf("reading the recording: %w", err)
		}
		consumed = int64(len(utf8BOM))
	}
	f, err = detectFormat(br)
	return f, consumed, err
}

// detectFormat tells the format of the recording br holds, after its byte
// order mark, without consuming anything.
func detectFormat(br *bufio.Reader) (format, error) {
	// Look at what has arrived so far, and wait for more only when that is not
	// enough (standard input may be a live stream), then for twice as much.
	_, err := br.Peek(1)
	for {
		start, _ := br.Peek(br.Buffered())
		atEOF := err != nil
		if err != nil && err != io.EOF {
			return 0, fmt.Errorf("reading the recording: %w", err)
		}
		f, known, sniffErr := sniff(start, atEOF)
		switch {
		case sniffErr != nil:
			return 0, fmt.Errorf("%w: %w", errNotRecording, sniffErr)
		case known:
			return f, nil
		case len(start) >= br.Size():
			return 0, fmt.Errorf(`%w: found neither "log" nor "request" nor "response" in the first %d KiB`,
				errNotRecording, br.Size()>>10)
		}
		_, err = br.Peek(min(2*len(start)+1, br.Size()))
	}
}

// sniff tells the format of a recording from its start, which must be a JSON
// object: a HAR has a key "log"; an NDJSON line a key "request" or "response".
// known is false when start is too short to tell and more of the recording
// follows (atEOF is false).
func sniff(start []byte, atEOF bool) (f format, known bool, err error) {
	i := 0
	for i < len(start) && isJSONSpace(start[i]) {
		i++
	}
	switch {
	case i == len(start) && atEOF:
		return 0, false, errors.New("it is empty")
	case i == len(start):
		return 0, false, nil
	case start[i] != '{':
		if is, known := looksLikeCassette(start, atEOF); is {
			return formatCassette, true, nil
		} else if !known {
			return 0, false, nil
		}
		return 0, false, fmt.Errorf("it starts with %q, not with '{' (JSON) nor with the version and interactions of a cassette", start[i:i+1])
	}
	dec := json.NewDecoder(bytes.NewReader(start[i:]))
	_, err = dec.Token() // the '{'
	for err == nil {
		var t json.Token
		if t, err = dec.Token(); err != nil {
			break
		}
		switch t {
		case "log":
			return formatHAR, true, nil
		case "request", "response":
			return formatNDJSON, true, nil
		case json.Delim('}'):
			return 0, false, errors.New(`its first object has neither "log" nor "request" nor "response"`)
		}
		err = skipValue(dec)
	}
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &syntaxErr):
		return 0, false, fmt.Errorf("invalid JSON: %w", err)
	case atEOF:
		return 0, false, fmt.Errorf("it ends inside its first object: %w", io.ErrUnexpectedEOF)
	}
	return 0, false, nil
}

// skipValue reads past the next value of dec, token by token, so that
// memory holds no more than one token of it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// isJSONSpace reports whether c is white space in JSON.
func isJSONSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
