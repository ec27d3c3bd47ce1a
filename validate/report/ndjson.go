package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/contractcheck/contractcheck/validate"
)

// ndjsonWriter writes one JSON pair object per line.
type ndjsonWriter struct {
	w   io.Writer
	buf bytes.Buffer
	enc *json.Encoder
}

// NewNDJSON returns a writer of the NDJSON report: each pair as one JSON
// object (the same object as in the JSON report) on a line of its own, written
// as soon as it is checked, and nothing else: the summary is not written, the
// exit status tells it.
func NewNDJSON(w io.Writer) Writer {
	n := &ndjsonWriter{w: w}
	n.enc = newEncoder(&n.buf, "")
	return n
}

// WritePair writes the pair's line.
func (n *ndjsonWriter) WritePair(p Pair) error {
	n.buf.Reset()
	if p.Findings == nil {
		p.Findings = []validate.Finding{}
	}
	if err := n.enc.Encode(p); err != nil {
		return fmt.Errorf("encoding pair %s for the NDJSON report: %w", p.Ref(), err)
	}
	if _, err := n.w.Write(n.buf.Bytes()); err != nil {
		return fmt.Errorf("writing pair %s of the NDJSON report: %w", p.Ref(), err)
	}
	return nil
}

// Finish writes nothing: an NDJSON report holds pairs only.
func (n *ndjsonWriter) Finish(Summary) error { return nil }
