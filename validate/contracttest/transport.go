package contracttest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
)

// transportSource names the exchanges of a Transport in failure messages.
const transportSource = "contracttest.Transport"

// Transport wraps the RoundTripper of the code under test (nil means
// http.DefaultTransport) and checks every exchange of an operation of the
// contract it carries. An exchange that fails the test is reported at the
// line of the test (or of the code under test) that made the request, the
// first caller outside contractcheck, net/http and the rest of the standard
// library, whichever goroutine made it. The response is passed on
// unchanged: same status, headers and body bytes (read in full and
// replayed, so the check sees what the caller will). Exchanges of other
// operations pass through untouched, bodies unread, and so do exchanges
// with hosts that are neither a server of the contract nor loopback, as
// contractcheck check skips them ([validate.Plan.Match]).
//
// In front of a [Server] (its requests reach [Server.Transport], directly or
// through RoundTrippers that keep the request's context), the Transport is
// the one that reports each exchange, once: the server records the call
// and leaves the report to the Transport, and the violations either of
// them expects ([ExpectViolation]) do not fail it.
//
// A request whose round trip fails (a refused connection, a timeout) is
// still checked, alone: it was sent. Call Transport from the test's
// goroutine; its cleanup waits for the exchanges in flight, and exchanges
// started after the test are passed through unchecked. Of the options,
// [WithPlan], [FailOn] and [ExpectViolation] apply.
func Transport(t TestingT, next http.RoundTripper, opts ...Option) http.RoundTripper {
	t.Helper()
	cfg := configFor(t, opts)
	if cfg == nil {
		return next
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{next: next, cfg: cfg, mon: newMonitor(t, cfg, transportSource, captureStack())}
}

type transport struct {
	next http.RoundTripper
	cfg  *config
	mon  *monitor
}

// relayKey is the context key of a request whose exchange a Transport
// reports: the Server behind it (through any RoundTrippers that pass the
// request's context on) learns that it must not report, and tells the
// Transport who it is, so that the violations it expects are expected.
type relayKey struct{}

// relay is what a Server behind a Transport tells it.
type relay struct{ srv *Server }

// RoundTrip sends the request through the wrapped RoundTripper with a body
// of the same bytes, then checks the exchange.
func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || !tr.cfg.matches(req.Method, req.URL.String()) || !tr.mon.begin() {
		return tr.next.RoundTrip(req)
	}
	defer tr.mon.end()
	tr.mon.t.Helper()

	body, _, err := readBody(req.Body)
	if err != nil {
		return nil, fmt.Errorf("contracttest: reading the body of %s %s: %w", req.Method, redact.Text(req.URL.String(), nil), err)
	}
	// A RoundTripper must not change the request it is given: the wrapped
	// one gets a copy, with a fresh body of the same bytes.
	rel := &relay{}
	out := req.WithContext(context.WithValue(req.Context(), relayKey{}, rel))
	if req.Body != nil && req.Body != http.NoBody {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, rtErr := tr.next.RoundTrip(out)

	sent := req.WithContext(req.Context()) // a shallow copy, to read the body from
	sent.Body = io.NopCloser(bytes.NewReader(body))
	if rtErr != nil {
		if ex, err := validate.NewExchange(sent, nil); err == nil {
			res := tr.cfg.plan.CheckRequest(ex)
			tr.mon.report(ex, res.Operation, res.Findings, rel.expected(), nil, false)
		}
		return nil, rtErr
	}
	respBody, replay, readErr := readBody(resp.Body)
	resp.Body = replay
	resp.Request = req
	ex, err := validate.NewExchange(sent, nil)
	if err != nil || readErr != nil {
		// The caller gets the same error when it reads the body; an
		// exchange cut short is not the server's breach of contract.
		tr.mon.log("%s: %s %s not checked: reading the response body: %v", transportSource, req.Method, redact.Text(req.URL.String(), nil), readErr)
		return resp, nil
	}
	ex.Response = validate.Response{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: respBody}
	res := tr.cfg.plan.Check(ex)
	noteCoverage(tr.cfg.plan, ex, res)
	tr.mon.report(ex, res.Operation, res.Findings, rel.expected(), nil, false)
	return resp, nil
}

// expected returns the rules the Server that answered expects, if one did.
func (rel *relay) expected() []string {
	if rel.srv == nil {
		return nil
	}
	return rel.srv.fake.cfg.expect
}
