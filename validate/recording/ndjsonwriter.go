package recording

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/validate"
)

// NDJSONWriter writes exchanges as an NDJSON recording (see the package
// documentation), one line per exchange, holding none of them in memory. Its
// methods may be called from several goroutines at once.
type NDJSONWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// NewNDJSONWriter returns an NDJSONWriter that writes to w.
func NewNDJSONWriter(w io.Writer) *NDJSONWriter {
	return &NDJSONWriter{w: w}
}

// Write writes ex as the next line. The line is handed to the underlying
// writer at once, and flushed if that has a Flush method (as a
// [bufio.Writer] has).
func (n *NDJSONWriter) Write(ex *validate.Exchange) error {
	if ex == nil {
		return errors.New("writing an NDJSON line: no exchange")
	}
	line, err := marshalJSON(ndjsonLineOf(ex))
	if err != nil {
		return fmt.Errorf("writing an NDJSON line for %s %s: %w", ex.Request.Method, ex.Request.URL, err)
	}
	line = append(line, '\n')
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, err := n.w.Write(line); err != nil {
		return fmt.Errorf("writing an NDJSON line: %w", err)
	}
	if f, ok := n.w.(interface{ Flush() error }); ok {
		if err := f.Flush(); err != nil {
			return fmt.Errorf("flushing an NDJSON line: %w", err)
		}
	}
	return nil
}

// ndjsonLineOf makes the NDJSON line of an exchange.
func ndjsonLineOf(ex *validate.Exchange) *ndjsonLine {
	status := ex.Response.Status
	line := &ndjsonLine{
		Request:  &ndjsonRequest{Method: ex.Request.Method, URL: ex.Request.URL, Headers: ndjsonHeaderOf(ex.Request.Header)},
		Response: &ndjsonResponse{Status: &status, Headers: ndjsonHeaderOf(ex.Response.Header)},
	}
	line.Request.Body, line.Request.BodyBase64 = ndjsonBodyOf(ex.Request.Body)
	line.Response.Body, line.Response.BodyBase64 = ndjsonBodyOf(ex.Response.Body)
	return line
}

// ndjsonHeaderOf makes the JSON object of a header: a name with one value
// maps to a string, one with several to an array. encoding/json writes the
// names sorted.
func ndjsonHeaderOf(header http.Header) map[string]any {
	fields := make(map[string]any, len(header))
	for name, values := range header {
		switch len(values) {
		case 0:
		case 1:
			fields[name] = values[0]
		default:
			fields[name] = values
		}
	}
	return fields
}

// ndjsonBodyOf holds a body as text when it is UTF-8, as base64 otherwise,
// and not at all when it is empty.
func ndjsonBodyOf(body []byte) (text, b64 *string) {
	switch {
	case len(body) == 0:
		return nil, nil
	case utf8.Valid(body):
		s := string(body)
		return &s, nil
	}
	s := base64.StdEncoding.EncodeToString(body)
	return nil, &s
}
