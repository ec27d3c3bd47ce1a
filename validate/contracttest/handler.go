package contracttest

import (
	"bytes"
	"io"
	"net/http"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
)

// handlerSource names the exchanges of a Handler in failure messages.
const handlerSource = "contracttest.Handler"

// sniffLen is how much of a body net/http reads to guess its Content-Type.
const sniffLen = 512

// Handler wraps the http.Handler under test and checks every request of an
// operation of the contract it receives together with the response it
// writes (status, headers and body, as written when the status was sent),
// reporting the findings that fail the test once the handler has returned:
// at the test's line when the test serves the request itself (as with
// httptest.NewRecorder; [AssertRecorded] does the same in one call), and at
// the line that called Handler when a server's goroutine does. The client sees what
// it would without the wrapper: the handler reads a body of the same bytes
// (ending with the same error), and writes go straight through; the
// response writer keeps http.Flusher when the wrapped one has it, and
// Unwrap gives the wrapped one to http.ResponseController. Requests of
// other operations pass through untouched. Requests are routed by method
// and path alone, whatever host they name: a server is addressed by
// whatever name its clients use ([validate.Plan.AnyHost]).
//
// When the handler sets no Content-Type, the check sees the one net/http
// will send, sniffed from the body as net/http sniffs it. Call Handler from
// the test's goroutine, before the server that serves it is started, so
// that the server's cleanup (which waits for its handlers) runs first; the
// wrapper's cleanup waits for the exchanges still in flight. Of the
// options, [WithPlan], [FailOn] and [ExpectViolation] apply.
func Handler(t TestingT, h http.Handler, opts ...Option) http.Handler {
	t.Helper()
	cfg := configFor(t, opts)
	if cfg == nil {
		return h
	}
	// A server is addressed by whatever name its clients use: route by
	// method and path alone.
	cfg.plan = cfg.plan.AnyHost()
	return &handler{h: h, cfg: cfg, mon: newMonitor(t, cfg, handlerSource, captureStack())}
}

type handler struct {
	h   http.Handler
	cfg *config
	mon *monitor
}

func (hd *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !hd.cfg.matches(r.Method, r.URL.String()) || !hd.mon.begin() {
		hd.h.ServeHTTP(w, r)
		return
	}
	defer hd.mon.end()
	hd.mon.t.Helper()

	body, replay, readErr := readBody(r.Body)
	if r.Body != nil {
		r.Body = replay
	}
	rec := &recorder{w: w}
	var rw http.ResponseWriter = rec
	if _, ok := w.(http.Flusher); ok {
		rw = flushRecorder{rec}
	}
	hd.h.ServeHTTP(rw, r)

	if readErr != nil {
		hd.mon.log("%s: %s %s not checked: reading the request body: %v", handlerSource, r.Method, redact.Text(r.URL.String(), nil), readErr)
		return
	}
	got := r.WithContext(r.Context()) // a shallow copy, to read the body from
	got.Body = io.NopCloser(bytes.NewReader(body))
	ex, err := validate.NewExchange(got, nil)
	if err != nil {
		hd.mon.log("%s: %s %s not checked: %v", handlerSource, r.Method, redact.Text(r.URL.String(), nil), err)
		return
	}
	ex.Response = rec.response()
	res := hd.cfg.plan.Check(ex)
	noteCoverage(hd.cfg.plan, ex, res)
	hd.mon.report(ex, res.Operation, res.Findings, nil, nil, false)
}

// recorder passes a response through to the client and keeps a copy: the
// status and headers as they were when the status was sent, and the body.
type recorder struct {
	w      http.ResponseWriter
	status int
	header http.Header
	body   bytes.Buffer
}

func (rec *recorder) Header() http.Header { return rec.w.Header() }

// WriteHeader records the final status (informational ones are not
// responses) with the headers it is sent with.
func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		rec.sent(code)
	}
	rec.w.WriteHeader(code)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.sent(http.StatusOK)
	}
	n, err := rec.w.Write(p)
	rec.body.Write(p[:n])
	return n, err
}

// Unwrap gives http.ResponseController the wrapped writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.w }

// sent records the status and the headers sent with it.
func (rec *recorder) sent(code int) {
	rec.status = code
	rec.header = rec.w.Header().Clone()
}

// response is what the client got: a handler that wrote nothing sent 200
// with its headers at the end, and a body without a Content-Type gets the
// one net/http sniffs.
func (rec *recorder) response() validate.Response {
	if rec.status == 0 {
		rec.sent(http.StatusOK)
	}
	h := rec.header
	if h == nil {
		h = http.Header{}
	}
	if _, set := h["Content-Type"]; !set && rec.body.Len() > 0 && h.Get("Transfer-Encoding") == "" {
		b := rec.body.Bytes()
		h.Set("Content-Type", http.DetectContentType(b[:min(len(b), sniffLen)]))
	}
	return validate.Response{Status: rec.status, Header: h, Body: rec.body.Bytes()}
}

// flushRecorder is a recorder over a writer that can flush.
type flushRecorder struct{ *recorder }

// Flush sends the status (200 unless written) and what is buffered.
func (f flushRecorder) Flush() {
	if f.status == 0 {
		f.sent(http.StatusOK)
	}
	f.w.(http.Flusher).Flush()
}
