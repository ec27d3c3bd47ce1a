package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/contractcheck/contractcheck/validate"
)

// jsonWriter streams one JSON document: the head, each pair, the summary.
type jsonWriter struct {
	w        io.Writer
	contract string
	started  bool // whether the head has been written
	pairs    int  // pairs written so far
	buf      bytes.Buffer
	enc      *json.Encoder
}

// NewJSON returns a writer of the JSON report, one document of the shape
//
//	{"contract": "<contract file>", "pairs": [<pair>, ...], "summary": {...}}
//
// with every pair in the order written. The document is streamed: the head
// first, each pair as it is written, the summary last. It is valid JSON once
// Finish has returned, however many pairs (none included) were written.
func NewJSON(w io.Writer, contract string) Writer {
	j := &jsonWriter{w: w, contract: contract}
	j.enc = newEncoder(&j.buf, "    ")
	return j
}

// newEncoder returns an encoder into buf that does not escape <, > and & (URLs
// stay readable), indenting with indent-prefixed lines, or on one line when
// indent is "".
func newEncoder(buf *bytes.Buffer, indent string) *json.Encoder {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent(indent, "  ")
	}
	return enc
}

// head writes the document up to the opening of the pairs array into j.buf.
func (j *jsonWriter) head() error {
	j.buf.WriteString("{\n  \"contract\": ")
	if err := j.enc.Encode(j.contract); err != nil {
		return err
	}
	trimNewline(&j.buf)
	j.buf.WriteString(",\n  \"pairs\": [")
	j.started = true
	return nil
}

// WritePair writes one element of the pairs array.
func (j *jsonWriter) WritePair(p Pair) error {
	j.buf.Reset()
	if !j.started {
		if err := j.head(); err != nil {
			return fmt.Errorf("writing the head of the JSON report: %w", err)
		}
	}
	if j.pairs > 0 {
		j.buf.WriteByte(',')
	}
	j.buf.WriteString("\n    ")
	if p.Findings == nil {
		p.Findings = []validate.Finding{}
	}
	if err := j.enc.Encode(p); err != nil {
		return fmt.Errorf("encoding pair %s for the JSON report: %w", p.Ref(), err)
	}
	trimNewline(&j.buf)
	if _, err := j.w.Write(j.buf.Bytes()); err != nil {
		return fmt.Errorf("writing pair %s of the JSON report: %w", p.Ref(), err)
	}
	j.pairs++
	return nil
}

// Finish closes the pairs array and writes the summary.
func (j *jsonWriter) Finish(s Summary) error {
	j.buf.Reset()
	if !j.started {
		if err := j.head(); err != nil {
			return fmt.Errorf("writing the head of the JSON report: %w", err)
		}
	}
	if j.pairs > 0 {
		j.buf.WriteString("\n  ")
	}
	j.buf.WriteString("],\n  \"summary\": ")
	j.enc.SetIndent("  ", "  ")
	if err := j.enc.Encode(s); err != nil {
		return fmt.Errorf("encoding the summary of the JSON report: %w", err)
	}
	trimNewline(&j.buf)
	j.buf.WriteString("\n}\n")
	if _, err := j.w.Write(j.buf.Bytes()); err != nil {
		return fmt.Errorf("writing the summary of the JSON report: %w", err)
	}
	return nil
}

// trimNewline drops the newline json.Encoder ends every value with.
func trimNewline(buf *bytes.Buffer) {
	if b := buf.Bytes(); len(b) > 0 && b[len(b)-1] == '\n' {
		buf.Truncate(len(b) - 1)
	}
}
