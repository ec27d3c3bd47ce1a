package recording

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// harEnd ends a HAR after its last entry.
const harEnd = "\n]}}\n"

// AppendHAR opens the HAR file at path for appending entries, creating it
// (without its directory) when it does not exist or is empty. The HARWriter
// it returns keeps the file a complete HAR at every moment between its
// calls: each Write replaces the file's end (the "]}}" after the last entry)
// by the new entry and the end, in one write, so that a reader, or a crash,
// never finds it cut short. Close closes the file.
//
// An existing file must be a HAR whose log.entries end the document (as
// every HAR contractcheck, browsers and proxies write): its entries stay as
// they are and the new ones follow. A file that is not a HAR (an NDJSON
// recording, a cassette, anything else), or a HAR it cannot append to, is
// refused with an error that says why, and is left untouched.
func AppendHAR(path, creator string) (*HARWriter, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening recording %s: %w", path, err)
	}
	h := NewHARWriter(f, creator)
	h.file = f
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = errors.New("it is not a regular file (a HAR is appended to in place)")
	}
	if err == nil && info.Size() > 0 {
		h.size = info.Size()
		h.off, h.more, err = harInsertPoint(f)
	}
	if err == nil && info.Size() == 0 {
		var start bytes.Buffer
		if err = h.writeStart(&start); err == nil {
			err = h.writeAt(start.Bytes())
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot append to recording %s: %w", path, err)
	}
	h.started = true
	return h, nil
}

// harInsertPoint reads the HAR f holds and returns the offset just after its
// last entry (or after the "[" of an empty log.entries), where the next
// entry goes, and whether it has entries (the next one then needs a comma).
// What follows that offset must be only the ends of log.entries, log and
// the document.
func harInsertPoint(f *os.File) (off int64, hasEntries bool, err error) {
	br := bufio.NewReaderSize(f, readBufferSize)
	switch format, _, err := detect(br); {
	case err != nil:
		return 0, false, err
	case format == formatNDJSON:
		return 0, false, errors.New("it is an NDJSON recording; --record appends only to a HAR (give another file)")
	case format == formatCassette:
		return 0, false, errors.New("it is a go-vcr cassette; --record appends only to a HAR (give another file)")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, false, err
	}
	dec := json.NewDecoder(bufio.NewReaderSize(f, readBufferSize))
	want := func(d json.Delim) error {
		t, err := dec.Token()
		if err != nil {
			return harSyntax(err)
		}
		if t != d {
			return fmt.Errorf("want %q, found %v", string(d), t)
		}
		return nil
	}
	// key reads the next key of an object, "" at its end.
	key := func() (string, error) {
		t, err := dec.Token()
		if err != nil {
			return "", harSyntax(err)
		}
		if t == json.Delim('}') {
			return "", nil
		}
		return t.(string), nil
	}
	// seek reads the keys of the object just opened up to name, skipping
	// the others' values.
	seek := func(name, missing string) error {
		for {
			k, err := key()
			switch {
			case err != nil:
				return err
			case k == "":
				return errors.New(missing)
			case k == name:
				return nil
			}
			if err := skipValue(dec); err != nil {
				return harSyntax(err)
			}
		}
	}
	if err := want('{'); err != nil {
		return 0, false, err
	}
	if err := seek("log", `it has no "log"`); err != nil {
		return 0, false, err
	}
	if err := want('{'); err != nil {
		return 0, false, fmt.Errorf("log: %w", err)
	}
	if err := seek("entries", `its log has no "entries"`); err != nil {
		return 0, false, err
	}
	if err := want('['); err != nil {
		return 0, false, fmt.Errorf("log.entries: %w", err)
	}
	off = dec.InputOffset()
	for dec.More() {
		if err := skipValue(dec); err != nil {
			return 0, false, harSyntax(err)
		}
		off, hasEntries = dec.InputOffset(), true
	}
	if err := want(']'); err != nil {
		return 0, false, fmt.Errorf("log.entries: %w", err)
	}
	for _, d := range []json.Delim{'}', '}'} {
		if err := want(d); err != nil {
			return 0, false, fmt.Errorf("log.entries must end the file for entries to be appended after them (%w)", err)
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return 0, false, errors.New("something follows the end of the HAR")
	}
	return off, hasEntries, nil
}

// harSyntax words an error of reading a HAR to append to.
func harSyntax(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the HAR ends early (it was not closed: repair it, or give another file)")
	}
	return fmt.Errorf("it is not a well-formed HAR: %w", err)
}

// writeAt writes p where the entries end (h.off), followed by the end of
// the file, in one write, and cuts off what an end longer than harEnd
// leaves behind it.
func (h *HARWriter) writeAt(p []byte) error {
	if h.err != nil {
		return h.err
	}
	buf := make([]byte, 0, len(p)+len(harEnd))
	buf = append(append(buf, p...), harEnd...)
	if _, err := h.file.WriteAt(buf, h.off); err != nil {
		h.err = fmt.Errorf("writing a HAR: %w", err)
		return h.err
	}
	h.off += int64(len(p))
	end := h.off + int64(len(harEnd))
	if h.size > end {
		if err := h.file.Truncate(end); err != nil {
			h.err = fmt.Errorf("writing a HAR: %w", err)
			return h.err
		}
	}
	h.size = end
	return nil
}
