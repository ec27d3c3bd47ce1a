package recording

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/validate"
)

// HARWriter writes exchanges as a HAR 1.2 file, one entry at a time, holding
// none of them in memory. The file [NewHARWriter] writes is well-formed once
// [HARWriter.Close] has written its end; until then, it lacks only that end.
// The file of [AppendHAR] is well-formed after every entry. Its methods may
// be called from several goroutines at once.
type HARWriter struct {
	mu      sync.Mutex
	w       io.Writer
	creator harCreator
	started bool  // the start of the file has been written
	closed  bool  // the end of the file has been written
	err     error // the first error of w; every later call returns it

	// AppendHAR's writer ends the file after every entry: it writes each
	// entry at off, where the entries end, followed by the end of the file.
	file *os.File // nil for NewHARWriter's
	off  int64    // where the next entry goes
	size int64    // the file's size
	more bool     // an entry precedes the next one (which needs a comma)
}

// harCreator names the program that wrote a HAR.
type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// NewHARWriter returns a HARWriter that writes to w. creator names the program
// writing, in log.creator: "name" or "name/version", such as
// "contractcheck/1.4.0". The file starts with the first Write or with Close.
func NewHARWriter(w io.Writer, creator string) *HARWriter {
	name, version, _ := strings.Cut(creator, "/")
	return &HARWriter{w: w, creator: harCreator{Name: name, Version: version}}
}

// Write writes ex as the next entry: started is when the request started,
// elapsed how long the exchange took. The entry is handed to the underlying
// writer at once, and flushed if that has a Flush method (as a
// [bufio.Writer] has), so that a crash loses at most the end of the file.
func (h *HARWriter) Write(ex *validate.Exchange, started time.Time, elapsed time.Duration) error {
	if ex == nil {
		return errors.New("writing a HAR entry: no exchange")
	}
	entry, err := marshalJSON(harEntryOf(ex, started, elapsed))
	if err != nil {
		return fmt.Errorf("writing a HAR entry for %s %s: %w", ex.Request.Method, ex.Request.URL, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return errors.New("writing a HAR entry: the writer is closed")
	}
	var out bytes.Buffer
	if h.file != nil {
		if h.more {
			out.WriteString(",")
		}
		out.WriteString("\n")
		out.Write(entry)
		h.more = true
		return h.writeAt(out.Bytes())
	}
	if h.started {
		out.WriteString(",")
	} else if err := h.writeStart(&out); err != nil {
		return err
	}
	out.WriteString("\n")
	out.Write(entry)
	return h.write(out.Bytes())
}

// Close writes the end of the file, which makes it well-formed; a file with
// no entries gets its start too. It does not close the underlying writer,
// except for [AppendHAR]'s, whose file is complete already: Close closes it.
// Calling Close again does nothing and returns what the first call returned.
func (h *HARWriter) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return h.err
	}
	h.closed = true
	if h.file != nil {
		if err := h.file.Close(); err != nil && h.err == nil {
			h.err = fmt.Errorf("closing a HAR: %w", err)
		}
		return h.err
	}
	var out bytes.Buffer
	if !h.started {
		if err := h.writeStart(&out); err != nil {
			return err
		}
	}
	out.WriteString("\n]}}\n")
	return h.write(out.Bytes())
}

// writeStart puts the start of the file, up to the "[" of log.entries, in out.
func (h *HARWriter) writeStart(out *bytes.Buffer) error {
	creator, err := marshalJSON(h.creator)
	if err != nil {
		return fmt.Errorf("writing the start of a HAR: %w", err)
	}
	out.WriteString(`{"log":{"version":"1.2","creator":`)
	out.Write(creator)
	out.WriteString(`,"entries":[`)
	h.started = true
	return nil
}

// write hands p to the underlying writer and flushes it. After an error it
// writes nothing more.
func (h *HARWriter) write(p []byte) error {
	if h.err != nil {
		return h.err
	}
	if _, err := h.w.Write(p); err != nil {
		h.err = fmt.Errorf("writing a HAR: %w", err)
		return h.err
	}
	if f, ok := h.w.(interface{ Flush() error }); ok {
		if err := f.Flush(); err != nil {
			h.err = fmt.Errorf("flushing a HAR: %w", err)
			return h.err
		}
	}
	return nil
}

// harEntryOut is a HAR entry as HARWriter writes it.
type harEntryOut struct {
	StartedDateTime string         `json:"startedDateTime"`
	Time            float64        `json:"time"`
	Request         harRequestOut  `json:"request"`
	Response        harResponseOut `json:"response"`
	Cache           struct{}       `json:"cache"`
	Timings         harTimings     `json:"timings"`
}

type harRequestOut struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []harNV      `json:"cookies"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	PostData    *harPostData `json:"postData,omitempty"`
	HeadersSize int          `json:"headersSize"`
	BodySize    int          `json:"bodySize"`
}

type harResponseOut struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []harNV    `json:"cookies"`
	Headers     []harNV    `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int        `json:"bodySize"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// harEntryOf makes the HAR entry of an exchange.
func harEntryOf(ex *validate.Exchange, started time.Time, elapsed time.Duration) harEntryOut {
	ms := float64(elapsed) / float64(time.Millisecond)
	req, resp := ex.Request, ex.Response
	entry := harEntryOut{
		StartedDateTime: started.Format("2006-01-02T15:04:05.000Z07:00"),
		Time:            ms,
		Request: harRequestOut{
			Method:      req.Method,
			URL:         req.URL,
			HTTPVersion: "HTTP/1.1",
			Cookies:     []harNV{},
			Headers:     harHeaderOf(req.Header),
			QueryString: queryOf(req.URL),
			HeadersSize: -1,
			BodySize:    len(req.Body),
		},
		Response: harResponseOut{
			Status:      resp.Status,
			StatusText:  http.StatusText(resp.Status),
			HTTPVersion: "HTTP/1.1",
			Cookies:     []harNV{},
			Headers:     harHeaderOf(resp.Header),
			Content:     harContent{Size: len(resp.Body), MimeType: resp.Header.Get("Content-Type")},
			HeadersSize: -1,
			BodySize:    len(resp.Body),
		},
		Timings: harTimings{Wait: ms},
	}
	if len(req.Body) > 0 {
		text, encoding := textOf(req.Body)
		entry.Request.PostData = &harPostData{MimeType: req.Header.Get("Content-Type"), Text: text, Encoding: encoding}
	}
	entry.Response.Content.Text, entry.Response.Content.Encoding = textOf(resp.Body)
	return entry
}

// harHeaderOf lists the fields of header by name, each name's values in
// order.
func harHeaderOf(header http.Header) []harNV {
	fields := []harNV{}
	for _, name := range slices.Sorted(maps.Keys(header)) {
		for _, v := range header[name] {
			fields = append(fields, harNV{Name: name, Value: v})
		}
	}
	return fields
}

// queryOf lists the query parameters of a URL, in order, decoded where they
// can be.
func queryOf(rawURL string) []harNV {
	params := []harNV{}
	_, query, ok := strings.Cut(rawURL, "?")
	if !ok {
		return params
	}
	query, _, _ = strings.Cut(query, "#")
	for pair := range strings.SplitSeq(query, "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		params = append(params, harNV{Name: queryUnescape(name), Value: queryUnescape(value)})
	}
	return params
}

// queryUnescape decodes a query component, or leaves it as it is when it is
// not well escaped.
func queryUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// textOf holds a body as text: itself when it is UTF-8, base64 otherwise.
func textOf(body []byte) (text, encoding string) {
	if utf8.Valid(body) {
		return string(body), ""
	}
	return base64.StdEncoding.EncodeToString(body), "base64"
}

// marshalJSON encodes v as compact JSON without a newline, leaving "<", ">"
// and "&" as they are.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), newline), nil
}
