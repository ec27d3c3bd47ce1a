package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/contractcheck/contractcheck/validate"
)

// DefaultMaxBody is the most bytes of a body a Proxy reads to check, unless
// told otherwise.
const DefaultMaxBody = 1 << 20

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
	// through unchanged, and its exchange is not checked.
	MaxBody int64
	// Enforce refuses exchanges that break the contract instead of
	// forwarding them: a request with an error finding is answered 400, an
	// upstream answer with one on its response side 502.
	Enforce bool
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
)

// String names the action: "forwarded", "refused-request",
// "refused-response" or "upstream-failed".
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
	// as forwarded, [validate.Plan.CheckRequest] of a refused request, and
	// a skipped result when the exchange was not checked.
	Result validate.Result
	// Action is what the proxy did.
	Action Action
	// NotChecked says why the exchange was not checked, "" when it was.
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
	skip       string // why the exchange is not of the contract; its bodies are not read
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
		if !st.checked && st.notChecked == "" {
			st.notChecked = "the exchange did not complete"
		}
		if st.notChecked != "" {
			st.result = validate.Result{Skip: st.notChecked}
		}
		if p.opts.OnExchange != nil {
			p.opts.OnExchange(Exchange{Exchange: st.ex, Result: st.result, Action: st.action, NotChecked: st.notChecked,
				Started: started, Elapsed: p.opts.Now().Sub(started)})
		}
	}()

	w = &noSniff{ResponseWriter: w}
	if op, reason := p.opts.Plan.Match(r.Method, st.ex.Request.URL); op == "" {
		// Not the contract's: pass it untouched, streaming both ways.
		st.skip, st.checked = reason, true
		st.result = validate.Result{Skip: reason}
		p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
		return
	}
	body, whole, err := readUpTo(r.Body, p.opts.MaxBody)
	if err != nil {
		st.notChecked = "reading the request body: " + err.Error()
		p.problem(w, st, http.StatusBadRequest, "The request body could not be read", st.notChecked, nil)
		st.action = RefusedRequest
		return
	}
	if whole {
		st.ex.Request.Body = body
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
	} else {
		st.notChecked = fmt.Sprintf("the request body is longer than the most checked (%d bytes)", p.opts.MaxBody)
		r.Body = &joined{Reader: io.MultiReader(bytes.NewReader(body), r.Body), c: r.Body}
	}
	if p.opts.Enforce && whole {
		res := p.opts.Plan.CheckRequest(st.ex)
		if hasError(res.Findings, "") {
			st.result, st.checked, st.action = res, true, RefusedRequest
			p.problem(w, st, http.StatusBadRequest, "The request breaks the contract", detail(res.Findings), res.Findings)
			return
		}
	}
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
}

// modifyResponse reads the upstream's answer (up to MaxBody), checks the
// exchange, and under Enforce refuses an answer that breaks the contract.
func (p *Proxy) modifyResponse(resp *http.Response) error {
	st := resp.Request.Context().Value(stateKey{}).(*state)
	st.ex.Response = validate.Response{Status: resp.StatusCode, Header: resp.Header.Clone()}
	if st.skip != "" || resp.StatusCode == http.StatusSwitchingProtocols {
		if st.skip == "" {
			st.notChecked = "the connection was upgraded"
		}
		return nil
	}
	body, whole, err := readUpTo(resp.Body, p.opts.MaxBody)
	if err != nil {
		return fmt.Errorf("reading the upstream's answer: %w", err)
	}
	if !whole {
		resp.Body = &joined{Reader: io.MultiReader(bytes.NewReader(body), resp.Body), c: resp.Body}
		if st.notChecked == "" {
			st.notChecked = fmt.Sprintf("the response body is longer than the most checked (%d bytes)", p.opts.MaxBody)
		}
		return nil
	}
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if st.notChecked != "" {
		return nil
	}
	decoded, why := decodeBody(body, resp.Header.Get("Content-Encoding"), p.opts.MaxBody)
	if why != "" {
		st.notChecked = why
		return nil
	}
	st.ex.Response.Body = decoded
	st.result, st.checked = p.opts.Plan.Check(st.ex), true
	if p.opts.Enforce && hasError(st.result.Findings, "response") {
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
		var resp []validate.Finding
		for _, f := range st.result.Findings {
			if strings.HasPrefix(f.Location, "response") {
				resp = append(resp, f)
			}
		}
		p.problem(w, st, http.StatusBadGateway, "The upstream's response breaks the contract", detail(resp), resp)
		return
	}
	st.action, st.checked = UpstreamFailed, false
	st.notChecked = "the upstream failed: " + err.Error()
	st.ex.Response = validate.Response{}
	p.problem(w, st, http.StatusBadGateway, "The upstream could not be reached", st.notChecked, nil)
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
	// Findings are what the contract found (an extension member).
	Findings []validate.Finding `json:"findings,omitempty"`
}

// ProblemType is the type of every problem document of a proxy.
const ProblemType = "https://github.com/contractcheck/contractcheck#the-rules"

// problem answers with a problem document and records it as the response.
func (p *Proxy) problem(w http.ResponseWriter, st *state, status int, title, detail string, findings []validate.Finding) {
	path := st.path
	body, err := json.Marshal(Problem{Type: ProblemType, Title: title, Status: status, Detail: detail, Instance: path, Findings: findings})
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

// hasError reports whether a finding of error severity is located under
// prefix ("" for anywhere).
func hasError(findings []validate.Finding, prefix string) bool {
	for _, f := range findings {
		if f.Severity == validate.SeverityError && strings.HasPrefix(f.Location, prefix) {
			return true
		}
	}
	return false
}

// detail is the sentence of a problem document: its first error finding.
func detail(findings []validate.Finding) string {
	for _, f := range findings {
		if f.Severity == validate.SeverityError {
			d := f.Location + ": " + f.Message
			if n := len(findings) - 1; n > 0 {
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
// send: a proxy passes the header fields on as they were.
type noSniff struct {
	http.ResponseWriter
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
	return n.ResponseWriter.Write(p)
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
