package contracttest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// assertSource names asserted exchanges in failure messages.
const assertSource = "contracttest.AssertExchange"

// AssertExchange checks a request and the response it got against the
// contract and reports every finding that fails the test through
// assert.Fail, listing each (rule, location, message, want, got, hint,
// contract line) in the checker's order. It returns whether the exchange
// passed.
//
// The request body is read from req.GetBody when it is set (as
// http.NewRequest sets it), so a request already sent can be asserted, and
// from req.Body otherwise; resp.Body is read too. Both bodies are put back
// with the same bytes, so the caller can still read them. With a nil resp
// only the request is checked ([validate.Plan.CheckRequest]).
//
// An exchange that no operation of the contract describes fails with the
// finding of rule operation.unmatched: asserting it is a mistake of the
// test. Of the options, [WithPlan], [FailOn] and [ExpectViolation] apply;
// an expected violation must occur in this exchange.
func AssertExchange(t assert.TestingT, req *http.Request, resp *http.Response, opts ...Option) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	msg, ok := checkExchange(t, req, resp, opts)
	if ok {
		return true
	}
	return assert.Fail(t, msg)
}

// RequireExchange is [AssertExchange] that stops the test (FailNow) when
// the exchange fails.
func RequireExchange(t require.TestingT, req *http.Request, resp *http.Response, opts ...Option) {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	if msg, ok := checkExchange(t, req, resp, opts); !ok {
		require.Fail(t, msg)
	}
}

// AssertRecorded checks a request and the response a handler under test
// wrote to an httptest.ResponseRecorder, as [AssertExchange] does: the
// usual handler test, httptest.NewRequest then h.ServeHTTP(rec, req), is
// checked with one call after it. The handler has read the request body:
// it is read again from req.GetBody (set by http.NewRequest) or, for a body
// of a strings.Reader or bytes.Reader (as httptest.NewRequest is given),
// from its start; a body that cannot be read again fails the assertion and
// says so. The recorder's body stays readable.
func AssertRecorded(t assert.TestingT, req *http.Request, rec *httptest.ResponseRecorder, opts ...Option) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	msg, ok := checkRecorded(t, req, rec, opts)
	if ok {
		return true
	}
	return assert.Fail(t, msg)
}

// RequireRecorded is [AssertRecorded] that stops the test (FailNow) when
// the exchange fails.
func RequireRecorded(t require.TestingT, req *http.Request, rec *httptest.ResponseRecorder, opts ...Option) {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	if msg, ok := checkRecorded(t, req, rec, opts); !ok {
		require.Fail(t, msg)
	}
}

// checkRecorded checks a recorded exchange for the assertions.
func checkRecorded(t assert.TestingT, req *http.Request, rec *httptest.ResponseRecorder, opts []Option) (string, bool) {
	if rec == nil {
		return "contracttest: the response recorder is nil", false
	}
	if req != nil && req.GetBody == nil {
		getBody, err := rewind(req.Body)
		if err != nil {
			return fmt.Sprintf("contracttest: the request body of %s %s cannot be read again: %v", req.Method, redact.Text(req.URL.String(), nil), err), false
		}
		fresh := req.WithContext(req.Context()) // a shallow copy; req is left as it is
		fresh.GetBody = getBody
		req = fresh
	}
	return checkExchange(t, req, rec.Result(), opts)
}

// rewind returns a GetBody for a request body that was read: nil or empty
// bodies, and bodies that can seek (directly or inside io.NopCloser, as
// httptest.NewRequest wraps a strings.Reader), are read again from their
// start and left where they were.
func rewind(body io.ReadCloser) (func() (io.ReadCloser, error), error) {
	if body == nil || body == http.NoBody {
		return func() (io.ReadCloser, error) { return http.NoBody, nil }, nil
	}
	var r any = body
	if v := reflect.ValueOf(body); v.Kind() == reflect.Struct {
		// io.NopCloser's types hold the reader in their exported, embedded
		// field Reader.
		if f := v.FieldByName("Reader"); f.IsValid() && f.CanInterface() {
			r = f.Interface()
		}
	}
	rs, ok := r.(io.ReadSeeker)
	if !ok {
		return nil, fmt.Errorf("the handler read it, and a %T cannot seek back: make the request with http.NewRequest, or give httptest.NewRequest a strings.Reader or bytes.Reader", r)
	}
	at, err := rs.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = rs.Seek(0, io.SeekStart)
	}
	var b []byte
	if err == nil {
		b, err = io.ReadAll(rs)
	}
	if _, serr := rs.Seek(at, io.SeekStart); err == nil {
		err = serr
	}
	if err != nil {
		return nil, err
	}
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }, nil
}

// checkExchange checks one exchange for the assertions; it returns the
// failure message, or ok. Findings below the threshold go to t's Logf.
func checkExchange(t assert.TestingT, req *http.Request, resp *http.Response, opts []Option) (string, bool) {
	cfg, err := newConfig(opts)
	if err != nil {
		return err.Error(), false
	}
	ex, err := exchangeOf(req, resp)
	if err != nil {
		return "contracttest: " + err.Error(), false
	}
	ex.Source = assertSource
	if req != nil && req.URL != nil && req.URL.Host == "" {
		// A request a server received (httptest.NewRequest) was addressed
		// to that server, whatever name the client used.
		cfg.plan = cfg.plan.AnyHost()
	}
	var res validate.Result
	if resp == nil {
		res = cfg.plan.CheckRequest(ex)
	} else {
		res = cfg.plan.Check(ex)
	}
	noteCoverage(cfg.plan, ex, res)
	if res.Skipped() {
		return "the exchange is of no operation of the contract " + cfg.plan.File() + ":\n" +
			render(ex, "", []validate.Finding{cfg.plan.Unmatched(ex, res)}), false
	}
	v := cfg.judge(res.Findings, nil)
	missing := cfg.missing(func(id string) bool { return slices.Contains(v.expected, id) })
	switch {
	case len(v.failing) > 0:
		msg := cfg.failureMessage(ex, res.Operation, v)
		if len(missing) > 0 {
			msg += "\n" + expectedMessage(missing, "in this exchange")
		}
		return msg, false
	case len(missing) > 0:
		msg := expectedMessage(missing, "in this exchange")
		if len(v.shown) > 0 {
			msg += ":\n" + render(ex, res.Operation, v.shown)
		}
		return msg, false
	case len(v.shown) > 0:
		if l, ok := t.(logger); ok {
			l.Logf("findings below the threshold:\n%s", render(ex, res.Operation, v.shown))
		}
	}
	return "", true
}

// exchangeOf builds the exchange of an asserted request and response,
// reading the request body from GetBody when it can.
func exchangeOf(req *http.Request, resp *http.Response) (*validate.Exchange, error) {
	if req == nil {
		return nil, errors.New("the request is nil")
	}
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("getting the request body of %s %s again: %w", req.Method, redact.Text(req.URL.String(), nil), err)
		}
		fresh := req.WithContext(req.Context()) // a shallow copy; req keeps its body
		fresh.Body = body
		req = fresh
	}
	return validate.NewExchange(req, resp)
}
