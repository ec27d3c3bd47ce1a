package contracttest

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

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
	if res.Skipped() {
		return "the exchange is of no operation of the contract " + cfg.plan.File() + ":\n" +
			render(ex, "", []validate.Finding{cfg.plan.Unmatched(ex, res)}), false
	}
	v := cfg.judge(res.Findings)
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
			return nil, fmt.Errorf("getting the request body of %s %s again: %w", req.Method, validate.RedactURL(req.URL.String(), nil), err)
		}
		fresh := req.WithContext(req.Context()) // a shallow copy; req keeps its body
		fresh.Body = body
		req = fresh
	}
	return validate.NewExchange(req, resp)
}
