package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
)

// DefaultMaxBody is the most bytes of a body a Proxy reads to check, unless
// told otherwise.
const DefaultMaxBody = 1 << 20

// DefaultUpstreamTimeout is how long a Proxy waits for the upstream's
// answer, unless told otherwise.
const DefaultUpstreamTimeout = 30 * time.Second

// Options configure a [Proxy].
type Options struct {
	// Plan is the contract; required. Every request to the proxy is routed
	// by its method and path alone ([validate.Plan.AnyHost]): it goes to
	// the upstream whatever host the client named.
	Plan *validate.Plan
	// Upstream is where requests go, such as http://127.0.0.1:4010; a path
	// in it is a prefix of every request's path. Required.
	Upstream *url.URL
	// MaxBody is the most bytes of a request or response body read into
	// memory to check; 0 for DefaultMaxBody. A longer body is streamed
	// through unchanged: the rest of its exchange (headers, status) is
	// checked, and the exchange is reported as not fully checked. Under
	// Enforce a longer request body is refused instead (413).
	MaxBody int64
	// Enforce refuses exchanges that break the contract instead of
	// forwarding them: a request with an error finding is answered 400, a
	// request whose body is longer than MaxBody 413, an upstream answer with
	// an error finding on its response side 502.
	Enforce bool
	// UpstreamTimeout is the most time the upstream has to answer a
	// request: from forwarding it to having the answer's headers and the
	// part of its body that is checked. Past it the client is answered 504.
	// 0 for DefaultUpstreamTimeout; negative for no limit.
	UpstreamTimeout time.Duration
	// Transport sends the requests upstream; nil for a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
	// OnExchange is told of every exchange once the client has its answer
	// (or the client went away). It is called from the server's goroutines,
	// possibly at once; nil for none.
	OnExchange func(Exchange)
	// Now is the clock of Exchange.Started; nil for time.Now.
	Now func() time.Time
}

// Action is what a proxy did with an exchange.
type Action uint8

// The actions of a proxy.
const (
	// Forwarded: the request went upstream and its answer came back as it
	// was.
	Forwarded Action = iota
	// RefusedRequest: under Enforce the request broke the contract; it was
	// answered 400 with a problem document and never forwarded.
	RefusedRequest
	// RefusedResponse: under Enforce the upstream's answer broke the
	// contract; the client got 502 with a problem document instead.
	RefusedResponse
	// UpstreamFailed: the upstream could not be reached or failed to
	// answer; the client got 502 with a problem document.
	UpstreamFailed
	// RefusedTooLarge: under Enforce the request body was longer than
	// MaxBody, so that the request could not be checked; it was answered 413
	// with a problem document and never forwarded.
	RefusedTooLarge
	// UpstreamTimedOut: the upstream did not answer within UpstreamTimeout;
	// the client got 504 with a problem document.
	UpstreamTimedOut
	// ClientFailed: the client did not see the exchange through: it went
	// away while sending its request or while waiting for the answer, or
	// sent its body too slowly for the server's read timeout (answered 408
	// when it may still be there). NotChecked says which.
	ClientFailed
	// Stopped: the server stopped (the request's context was cancelled for
	// a cause other than the client going away, such as SIGTERM) before the
	// upstream answered; the client got 503 with a problem document.
	Stopped
)

// String names the action: "forwarded", "refused-request",
// "refused-response", "upstream-failed", "refused-too-large",
// "upstream-timed-out", "client-failed" or "stopped".
func (a Action) String() string {
	switch a {
	case Forwarded:
		return "forwarded"
	case RefusedRequest:
		return "refused-request"
	case RefusedResponse:
		return "refused-response"
	case UpstreamFailed:
		return "upstream-failed"
	case RefusedTooLarge:
		return "refused-too-large"
	case UpstreamTimedOut:
		return "upstream-timed-out"
	case ClientFailed:
		return "client-failed"
	case Stopped:
		return "stopped"
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// Exchange is one exchange that passed a proxy.
type Exchange struct {
	// Exchange holds the request as the client sent it (its URL absolute,
	// with the host the client asked for, and the Host header too) and the answer as the
	// upstream gave it, or as the proxy gave it when it answered itself.
	// Source is "proxy"; Entry counts exchanges from 0 in arrival order. A
	// body that was not read whole is nil.
	Exchange *validate.Exchange
	// Result is what the plan found: [validate.Plan.Check] of the exchange
	// as forwarded, [validate.Plan.Check] of a refused request with the
	// proxy's 400 (the request's findings and the note of rule
	// response.refused, as check finds in the recording),
	// [validate.Plan.CheckUnread] of an exchange with a body too large to
	// hold or encoded in a way the proxy does not decode (its headers are
	// checked all the same), and a skipped result when the exchange was not
	// checked at all.
	Result validate.Result
	// Action is what the proxy did.
	Action Action
	// NotChecked says why the exchange was not checked, or not fully (then
	// Result has an Operation and the findings of what was checked); "" when
	// it was checked whole.
	NotChecked string
	// Started is when the request arrived; Elapsed how long until its
	// answer was written.
	Started time.Time
	Elapsed time.Duration
}

// Proxy is an http.Handler that forwards to an upstream and checks every
// exchange. It is safe for concurrent use.
type Proxy struct {
	opts  Options
	rp    *httputil.ReverseProxy
	count atomic.Int64
}

// New returns a proxy configured by opts.
func New(opts Options) (*Proxy, error) {
	switch {
	case opts.Plan == nil:
		return nil, errors.New("making a proxy: no plan")
	case opts.Upstream == nil || opts.Upstream.Scheme == "" || opts.Upstream.Host == "":
		return nil, errors.New("making a proxy: the upstream must be an absolute URL, such as http://127.0.0.1:4010")
	case opts.MaxBody < 0:
		return nil, fmt.Errorf("making a proxy: MaxBody %d is negative", opts.MaxBody)
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.UpstreamTimeout == 0 {
		opts.UpstreamTimeout = DefaultUpstreamTimeout
	}
	// Every request to the proxy goes to the upstream, whatever name the
	// client gave the proxy: route by method and path alone.
	opts.Plan = opts.Plan.AnyHost()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Ask for no encoding the client did not: what the client gets must
		// be what the upstream sent it.
		t.DisableCompression = true
		t.MaxIdleConnsPerHost = 64 // a proxy sends everything to one host
		opts.Transport = t
	}
	p := &Proxy{opts: opts}
	up := *opts.Upstream
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(&up)
			// SetURL joins the paths; keep the client's query exactly.
			pr.Out.URL.RawQuery = pr.In.URL.RawQuery
			if _, ok := pr.In.Header["User-Agent"]; !ok {
				pr.Out.Header["User-Agent"] = nil // no Go default added
			}
			// Rewrite drops the forwarding headers: put the client's back.
			for _, name := range forwardingHeaders {
				if v, ok := pr.In.Header[name]; ok {
					pr.Out.Header[name] = v
				}
			}
		},
		Transport:      opts.Transport,
		FlushInterval:  -1,
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.errorHandler,
		// What goes wrong while an answer streams through (the upstream's
		// body breaks off, the client goes away) is told in the exchange's
		// NotChecked, in the proxy's words, not logged in ReverseProxy's.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	return p, nil
}

// forwardingHeaders are the header fields httputil.ReverseProxy drops from
// a request when it has a Rewrite function; a proxy passes the client's on.
var forwardingHeaders = []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"}

// state is what one exchange collects on its way through.
type state struct {
	ex         *validate.Exchange
	path       string // the request's path, as the client wrote it
	action     Action
	notChecked string
	result     validate.Result
	checked    bool
	skip       string          // why the exchange is not of the contract; its bodies are not read
	unread     validate.Bodies // the bodies not read whole
	timer      *time.Timer     // the upstream's time to answer
	clientErr  error           // the first error writing the answer to the client
	streamErr  error           // the first error reading the upstream's answer while it streams through
}

// errUpstreamTimeout is the cause of an exchange's context being cancelled
// when the upstream took too long.
var errUpstreamTimeout = errors.New("the upstream did not answer in time")

// notChecked adds to what was not checked of the exchange.
func (st *state) addNotChecked(why string) {
	if st.notChecked == "" {
		st.notChecked = why
	} else {
		st.notChecked += "; " + why
	}
}

type stateKey struct{}

// ServeHTTP forwards one request and checks the exchange.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := p.opts.Now()
	st := &state{ex: &validate.Exchange{Source: "proxy", Entry: int(p.count.Add(1) - 1)}}
	hdr := r.Header.Clone()
	if hdr == nil {
		hdr = http.Header{}
	}
	hdr.Set("Host", r.Host)
	st.path = r.URL.EscapedPath()
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	st.ex.Request = validate.Request{Method: r.Method, URL: scheme + "://" + r.Host + r.URL.RequestURI(), Header: hdr}
	defer func() {
		// Runs when ReverseProxy aborts a broken stream (it panics with
		// http.ErrAbortHandler) too: such an exchange is told all the same.
		switch {
		case st.clientErr != nil && st.action == Forwarded:
			st.action = ClientFailed
			st.addNotChecked("the client went away while the answer was being sent")
		case st.streamErr != nil:
			st.addNotChecked("the upstream's answer broke off: " + st.streamErr.Error())
		case !st.checked && st.notChecked == "":
			st.notChecked = "the exchange did not complete"
		}
		if !st.checked {
			st.result = validate.Result{Skip: st.notChecked}
		}
		if p.opts.OnExchange != nil {
			p.opts.OnExchange(Exchange{Exchange: st.ex, Result: st.result, Action: st.action, NotChecked: st.notChecked,
				Started: started, Elapsed: p.opts.Now().Sub(started)})
		}
	}()

	w = &noSniff{ResponseWriter: w, st: st}
	if op, reason := p.opts.Plan.Match(r.Method, st.ex.Request.URL); op == "" {
		// Not the contract's: pass it untouched, streaming both ways.
		st.skip, st.checked = reason, true
		st.result = validate.Result{Skip: reason}
		p.forward(w, r, st)
		return
	}
	body, whole, err := readUpTo(r.Body, p.opts.MaxBody)
	if err != nil {
		p.clientFailed(w, st, err)
		return
	}
	if whole {
		st.ex.Request.Body = body
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
	} else {
		st.unread |= validate.RequestBody
		st.notChecked = fmt.Sprintf("the request body is longer than the most checked (%d bytes)", p.opts.MaxBody)
		r.Body = &joined{Reader: io.MultiReader(bytes.NewReader(body), r.Body), c: r.Body}
	}
	if p.opts.Enforce && !whole {
		// What cannot be checked is not let through: its headers are.
		st.result, st.checked, st.action = p.opts.Plan.CheckUnread(st.ex, validate.RequestBody), true, RefusedTooLarge
		p.problem(w, st, http.StatusRequestEntityTooLarge, "The request body is too large to check", st.notChecked, st.result)
		return
	}
	if p.opts.Enforce {
		res := p.opts.Plan.CheckRequest(st.ex)
		if hasError(res.Findings, false) {
			st.checked, st.action = true, RefusedRequest
			p.problem(w, st, http.StatusBadRequest, "The request breaks the contract", detail(res), res)
			// The exchange as the client got it, as check judges its
			// recording: the request's findings and the refusal's note.
			st.result = p.opts.Plan.Check(st.ex)
			return
		}
	}
	p.forward(w, r, st)
}

// forward sends the request upstream, giving the upstream UpstreamTimeout
// to answer.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, st *state) {
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	if p.opts.UpstreamTimeout > 0 {
		st.timer = time.AfterFunc(p.opts.UpstreamTimeout, func() { cancel(errUpstreamTimeout) })
		defer st.timer.Stop()
	}
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(ctx, stateKey{}, st)))
}

// answered stops the upstream's clock: its answer is in. It reports false
// when the clock ran out first.
func (st *state) answered() bool {
	return st.timer == nil || st.timer.Stop()
}

// clientFailed answers a request whose body could not be read: the client
// went away while sending it, or sent it too slowly.
func (p *Proxy) clientFailed(w http.ResponseWriter, st *state, err error) {
	st.action = ClientFailed
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		st.notChecked = "the client sent its request body too slowly: the server's read timeout passed (" + redact.Text(err.Error(), st.ex.Secrets()) + ")"
		p.problem(w, st, http.StatusRequestTimeout, "The request body came too slowly", st.notChecked, validate.Result{})
		return
	}
	st.notChecked = "the client went away while sending its request body (" + redact.Text(err.Error(), st.ex.Secrets()) + ")"
	p.problem(w, st, http.StatusBadRequest, "The request body could not be read", st.notChecked, validate.Result{})
}

// modifyResponse reads the upstream's answer (up to MaxBody), checks the
// exchange, and under Enforce refuses an answer that breaks the contract.
func (p *Proxy) modifyResponse(resp *http.Response) error {
	st := resp.Request.Context().Value(stateKey{}).(*state)
	st.ex.Response = validate.Response{Status: resp.StatusCode, Header: resp.Header.Clone()}
	if st.skip != "" || resp.StatusCode == http.StatusSwitchingProtocols {
		if !st.answered() {
			return errUpstreamTimeout
		}
		if st.skip == "" {
			st.notChecked = "the connection was upgraded"
		}
		return nil
	}
	body, whole, err := readUpTo(resp.Body, p.opts.MaxBody)
	if !st.answered() {
		return errUpstreamTimeout
	}
	if err != nil {
		return fmt.Errorf("reading the upstream's answer: %w", err)
	}
	if whole {
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		decoded, why := decodeBody(body, resp.Header.Get("Content-Encoding"), p.opts.MaxBody)
		if why != "" {
			st.unread |= validate.ResponseBody
			st.addNotChecked(why)
		}
		st.ex.Response.Body = decoded
	} else {
		resp.Body = &joined{Reader: io.MultiReader(bytes.NewReader(body), &watched{r: resp.Body, err: &st.streamErr}), c: resp.Body}
		st.unread |= validate.ResponseBody
		st.addNotChecked(fmt.Sprintf("the response body is longer than the most checked (%d bytes)", p.opts.MaxBody))
	}
	// Headers are always checked, CORS among them; a body that is not held is
	// not judged either way.
	st.result, st.checked = p.opts.Plan.CheckUnread(st.ex, st.unread), true
	if p.opts.Enforce && hasError(st.result.Findings, true) {
		return errRefused
	}
	return nil
}

// errRefused is what modifyResponse returns to have errorHandler answer 502
// for a response that breaks the contract.
var errRefused = errors.New("the upstream's response breaks the contract")

// errorHandler answers when the upstream failed or its answer was refused.
func (p *Proxy) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	st := r.Context().Value(stateKey{}).(*state)
	if errors.Is(err, errRefused) {
		st.action = RefusedResponse
		resp := responseSide(st.result)
		p.problem(w, st, http.StatusBadGateway, "The upstream's response breaks the contract", detail(resp), resp)
		return
	}
	st.checked, st.ex.Response = false, validate.Response{}
	ctx := r.Context()
	switch cause := context.Cause(ctx); {
	case errors.Is(err, errUpstreamTimeout) || cause == errUpstreamTimeout:
		st.action = UpstreamTimedOut
		st.notChecked = fmt.Sprintf("the upstream did not answer within %s", p.opts.UpstreamTimeout)
		p.problem(w, st, http.StatusGatewayTimeout, "The upstream did not answer in time", st.notChecked, validate.Result{})
	case ctx.Err() != nil && cause == context.Canceled:
		// Nobody is left to answer.
		st.action = ClientFailed
		st.notChecked = "the client went away before the upstream answered"
	case ctx.Err() != nil:
		st.action = Stopped
		st.notChecked = "the exchange was cut short before the upstream answered: " + redact.Text(cause.Error(), st.ex.Secrets())
		p.problem(w, st, http.StatusServiceUnavailable, "The proxy is stopping", st.notChecked, validate.Result{})
	default:
		st.action = UpstreamFailed
		st.notChecked = "the upstream failed: " + redact.Text(err.Error(), st.ex.Secrets())
		p.problem(w, st, http.StatusBadGateway, "The upstream could not be reached", st.notChecked, validate.Result{})
	}
}

// Problem is the RFC 9457 problem document a proxy answers with when it
// does not forward an exchange.
type Problem struct {
	// Type identifies the kind of problem: the rules' section of
	// contractcheck's documentation.
	Type string `json:"type"`
	// Title says what happened, the same for every problem of its kind.
	Title string `json:"title"`
	// Status is the HTTP status of the answer.
	Status int `json:"status"`
	// Detail says what happened to this request: the first finding.
	Detail string `json:"detail"`
	// Instance is the request's path.
	Instance string `json:"instance"`
	// Findings are what the contract found (an extension member), capped
	// as a [validate.Result]'s are.
	Findings []validate.Finding `json:"findings,omitempty"`
	// Omitted counts, by rule, the findings the caps left out of Findings
	// (an extension member; see [validate.Result]).
	Omitted map[string]int `json:"omitted,omitempty"`
}

// ProblemType is the type of every problem document of a proxy.
const ProblemType = "https://github.com/contractcheck/contractcheck#the-rules"

// problem answers with a problem document, listing the findings of res,
// and records it as the response.
func (p *Proxy) problem(w http.ResponseWriter, st *state, status int, title, detail string, res validate.Result) {
	path := st.path
	body, err := json.Marshal(Problem{Type: ProblemType, Title: title, Status: status, Detail: detail, Instance: path,
		Findings: res.Findings, Omitted: res.Omitted})
	if err != nil {
		body = []byte(`{"title":"internal error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	st.ex.Response = validate.Response{Status: status, Header: h.Clone(), Body: body}
}

// hasError reports whether a finding of error severity is located anywhere,
// or in the response when inResponse is true.
func hasError(findings []validate.Finding, inResponse bool) bool {
	for _, f := range findings {
		if f.Severity == validate.SeverityError && (!inResponse || f.Location.Part.Response()) {
			return true
		}
	}
	return false
}

// responseSide is the part of res about the response: its findings located
// there, and the omitted findings of their rules.
func responseSide(res validate.Result) validate.Result {
	var out validate.Result
	for _, f := range res.Findings {
		if f.Location.Part.Response() {
			out.Findings = append(out.Findings, f)
			if n := res.Omitted[f.Rule]; n > 0 && out.Omitted[f.Rule] == 0 {
				if out.Omitted == nil {
					out.Omitted = map[string]int{}
				}
				out.Omitted[f.Rule] = n
			}
		}
	}
	return out
}

// detail is the sentence of a problem document: its first error finding,
// and how many more there were, those the caps left out included.
func detail(res validate.Result) string {
	for _, f := range res.Findings {
		if f.Severity == validate.SeverityError {
			d := f.Location.String() + ": " + f.Message
			if n := len(res.Findings) - 1 + res.OmittedCount(); n > 0 {
				d += fmt.Sprintf(" (and %d more finding", n)
				if n > 1 {
					d += "s"
				}
				d += ")"
			}
			return d
		}
	}
	return ""
}

// readUpTo reads at most limit+1 bytes of rc: whole is true when that was
// all of it. A nil body reads as empty.
func readUpTo(rc io.Reader, limit int64) (b []byte, whole bool, err error) {
	if rc == nil || rc == http.NoBody {
		return nil, true, nil
	}
	limit = min(limit, maxLimit)
	b, err = io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(b)) > limit {
		return b, false, nil
	}
	return b, true, nil
}

// maxLimit bounds MaxBody where it is used, so that limit+1 cannot overflow.
const maxLimit = 1 << 40

// decodeBody returns the body as the contract describes it: decoded from
// gzip when the upstream encoded it so, for the check only (the client gets
// the encoded bytes). why says why it cannot be checked: another encoding,
// a broken gzip stream, or more than limit bytes decoded.
func decodeBody(body []byte, encoding string, limit int64) (decoded []byte, why string) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, ""
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, "the gzip response body cannot be decoded: " + err.Error()
		}
		b, whole, err := readUpTo(zr, limit)
		switch {
		case err != nil:
			return nil, "the gzip response body cannot be decoded: " + err.Error()
		case !whole:
			return nil, fmt.Sprintf("the response body decodes to more than the most checked (%d bytes)", limit)
		}
		return b, ""
	}
	return nil, fmt.Sprintf("the response body is encoded as %q, which the proxy does not decode", encoding)
}

// noSniff keeps net/http from adding a Content-Type the upstream did not
// send: a proxy passes the header fields on as they were. It keeps the
// first error writing to the client.
type noSniff struct {
	http.ResponseWriter
	st    *state
	wrote bool
}

func (n *noSniff) WriteHeader(code int) {
	if !n.wrote {
		n.wrote = true
		if h := n.Header(); h != nil {
			if _, ok := h["Content-Type"]; !ok {
				h["Content-Type"] = nil
			}
		}
	}
	n.ResponseWriter.WriteHeader(code)
}

func (n *noSniff) Write(p []byte) (int, error) {
	if !n.wrote {
		n.WriteHeader(http.StatusOK)
	}
	k, err := n.ResponseWriter.Write(p)
	if err != nil && n.st.clientErr == nil {
		n.st.clientErr = err
	}
	return k, err
}

// Unwrap gives http.ResponseController the writer underneath, for Flush.
func (n *noSniff) Unwrap() http.ResponseWriter { return n.ResponseWriter }

// joined reads the bytes already read followed by the rest of a body, and
// closes the body.
type joined struct {
	io.Reader
	c io.Closer
}

func (j *joined) Close() error { return j.c.Close() }

// watched reads r and keeps its first error but the end.
type watched struct {
	r   io.Reader
	err *error
}

func (w *watched) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if err != nil && err != io.EOF && *w.err == nil {
		*w.err = err
	}
	return n, err
}
