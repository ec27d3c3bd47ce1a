package contracttest_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// brokenBody is a 201 body that breaks the contract twice: another
// conversation than the path's, and another target than the request's.
const brokenBody = `{"account_sid":"` + account + `","conversation_sid":"CH00000000000000000000000000000000","sid":"WH0123456789abcdef0123456789abcdef",` +
	`"target":"trigger","configuration":{"flow_sid":"` + flowSid + `"},"date_created":"2024-05-20T10:00:00Z","date_updated":"2024-05-20T10:00:00Z",` +
	`"url":"https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks/WH0123456789abcdef0123456789abcdef"}`

// brokenHandler answers every request with brokenBody, and with a wildcard
// origin while allowing credentials, which browsers refuse.
var brokenHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, brokenBody)
})

// brokenWant are the findings brokenHandler's answer to a valid studio
// request gets, in the order a message lists them.
var brokenWant = []string{
	"error cors.credentials-wildcard response.header/Access-Control-Allow-Origin",
	"error pair.conversation response.body#/conversation_sid",
	"error pair.target response.body#/target",
	"error pair.url response.body#/url",
}

// assertInOrder checks that msg holds each of want, in that order.
func assertInOrder(t *testing.T, msg string, want []string) {
	t.Helper()
	at := 0
	for _, w := range want {
		i := strings.Index(msg[at:], w)
		if !assert.GreaterOrEqual(t, i, 0, "%q is not in the message after byte %d:\n%s", w, at, msg) {
			return
		}
		at += i + len(w)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTransportCatchesBrokenServer: the client side reports every finding
// of a server that breaks the contract, and passes its answer on unchanged.
func TestTransportCatchesBrokenServer(t *testing.T) {
	srv := httptest.NewServer(brokenHandler)
	defer srv.Close()
	var status int
	var header http.Header
	var body []byte
	rt := runT(func(rt *recT) {
		client := &http.Client{Transport: contracttest.Transport(rt, srv.Client().Transport)}
		resp, err := client.Do(newRequest(t, srv.URL+"/v1/Conversations/"+conv+"/Webhooks", validForms["studio"]))
		if !assert.NoError(t, err) {
			return
		}
		defer resp.Body.Close()
		status, header = resp.StatusCode, resp.Header
		body, err = io.ReadAll(resp.Body)
		assert.NoError(t, err)
	})
	defer logFailure(t, rt)
	assert.Equal(t, http.StatusCreated, status)
	assert.Equal(t, brokenBody, string(body), "the caller reads the body the server sent")
	assert.Equal(t, "true", header.Get("Access-Control-Allow-Credentials"))
	require.True(t, rt.Failed())
	msg := rt.Errors()
	assert.Contains(t, msg, "contracttest.Transport#0 POST /v1/Conversations/"+conv+"/Webhooks -> 201")
	assertInOrder(t, msg, brokenWant)
	assert.Contains(t, msg, `want: "`+conv+`" (the request's path)`)
	assert.Contains(t, msg, "hint: echo the request's Origin")
	assert.NotContains(t, msg, authToken)
}

// TestTransportLeavesOthersAlone: an exchange of another operation reaches
// the wrapped RoundTripper as it is, and comes back as it is.
func TestTransportLeavesOthersAlone(t *testing.T) {
	var gotReq *http.Request
	resp := &http.Response{StatusCode: http.StatusTeapot, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("tea"))}
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) { gotReq = r; return resp, nil })
	rt := runT(func(rt *recT) {
		tr := contracttest.Transport(rt, next)
		req, err := http.NewRequest(http.MethodPost, "https://api.example.com/v1/Other", strings.NewReader("x=1"))
		if !assert.NoError(t, err) {
			return
		}
		got, err := tr.RoundTrip(req)
		assert.NoError(t, err)
		assert.Same(t, req, gotReq)
		assert.Same(t, resp, got)
	})
	assert.False(t, rt.Failed(), "%s", rt.Errors())
}

// TestTransportSendsTheSameBytes: the wrapped RoundTripper gets a request
// body of the bytes the caller sent, and the caller's request is left as it
// was.
func TestTransportSendsTheSameBytes(t *testing.T) {
	form := validForms["webhook"].Encode()
	var sent []byte
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent, _ = io.ReadAll(r.Body)
		return nil, errors.New("no network in tests")
	})
	rt := runT(func(rt *recT) {
		req := newRequest(t, webhooksURL(conv), validForms["webhook"])
		_, err := contracttest.Transport(rt, next).RoundTrip(req)
		assert.ErrorContains(t, err, "no network in tests")
	})
	assert.Equal(t, form, string(sent))
	assert.False(t, rt.Failed(), "a valid request that got no answer is no failure: %s", rt.Errors())
}

// TestTransportChecksUnansweredRequests: a request that breaks the contract
// fails the test even when it got no answer, and the error is passed on.
func TestTransportChecksUnansweredRequests(t *testing.T) {
	netErr := errors.New("connection refused")
	next := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, netErr })
	rt := runT(func(rt *recT) {
		req := newRequest(t, webhooksURL(conv), url.Values{"Target": {"studio"}, "Configuration.FlowSid": {"FW123"}})
		_, err := contracttest.Transport(rt, next).RoundTrip(req)
		assert.ErrorIs(t, err, netErr)
	})
	assert.Contains(t, rt.Errors(), "error sid.format request.body#/Configuration.FlowSid")
	assert.NotContains(t, rt.Errors(), "response.status")
}

// TestTransportBodyCutShort: a response body that ends in an error reaches
// the caller with the same bytes and the same error, and is not checked.
func TestTransportBodyCutShort(t *testing.T) {
	cut := errors.New("unexpected EOF from the server")
	next := roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusCreated, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(io.MultiReader(strings.NewReader(`{"sid":`), iotest.ErrReader(cut)))}, nil
	})
	rt := runT(func(rt *recT) {
		resp, err := contracttest.Transport(rt, next).RoundTrip(newRequest(t, webhooksURL(conv), validForms["studio"]))
		if !assert.NoError(t, err) {
			return
		}
		b, err := io.ReadAll(resp.Body)
		assert.Equal(t, `{"sid":`, string(b))
		assert.ErrorIs(t, err, cut)
	})
	assert.False(t, rt.Failed(), "%s", rt.Errors())
	assert.Contains(t, rt.Logs(), "not checked")
}

// TestHandlerCatchesBrokenHandler: the server side reports every finding of
// a handler that breaks the contract, and the client gets what the handler
// wrote, byte for byte.
func TestHandlerCatchesBrokenHandler(t *testing.T) {
	var wrapped, plain struct {
		status int
		header http.Header
		body   []byte
	}
	rt := runT(func(rt *recT) {
		srv := httptest.NewServer(contracttest.Handler(rt, brokenHandler))
		rt.Cleanup(srv.Close)
		resp, err := srv.Client().Do(newRequest(t, srv.URL+"/v1/Conversations/"+conv+"/Webhooks", validForms["studio"]))
		if !assert.NoError(t, err) {
			return
		}
		defer resp.Body.Close()
		wrapped.status, wrapped.header = resp.StatusCode, resp.Header
		wrapped.body, _ = io.ReadAll(resp.Body)
	})
	defer logFailure(t, rt)
	srv := httptest.NewServer(brokenHandler)
	defer srv.Close()
	resp, err := srv.Client().Do(newRequest(t, srv.URL+"/v1/Conversations/"+conv+"/Webhooks", validForms["studio"]))
	require.NoError(t, err)
	defer resp.Body.Close()
	plain.status, plain.header = resp.StatusCode, resp.Header
	plain.body, _ = io.ReadAll(resp.Body)

	assert.Equal(t, plain.status, wrapped.status)
	assert.Equal(t, string(plain.body), string(wrapped.body))
	plain.header.Del("Date")
	wrapped.header.Del("Date")
	assert.Equal(t, plain.header, wrapped.header)

	require.True(t, rt.Failed())
	assert.Contains(t, rt.Errors(), "contracttest.Handler#0 POST /v1/Conversations/"+conv+"/Webhooks -> 201")
	assertInOrder(t, rt.Errors(), brokenWant)
}

// TestHandlerPassesTheFake: the fake, checked from the server side, keeps
// the contract for every Target.
func TestHandlerPassesTheFake(t *testing.T) {
	fake, err := contracttest.NewFake()
	require.NoError(t, err)
	h := contracttest.Handler(t, fake, contracttest.FailOn(validate.SeverityWarning))
	for target, form := range validForms {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, newRequest(t, webhooksURL(conv), form))
		assert.Equal(t, http.StatusCreated, w.Code, "%s: %s", target, w.Body)
	}
}

// TestHandlerReadsTheSameBytes: the handler reads the body the client sent,
// to the same error.
func TestHandlerReadsTheSameBytes(t *testing.T) {
	form := validForms["trigger"].Encode()
	var got []byte
	h := contracttest.Handler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		brokenHandler.ServeHTTP(w, r)
	}), contracttest.ExpectViolation(validate.RulePairConversation, validate.RulePairURL, validate.RuleCORSCredentials))
	h.ServeHTTP(httptest.NewRecorder(), newRequest(t, webhooksURL(conv), validForms["trigger"]))
	assert.Equal(t, form, string(got))

	cut := errors.New("client went away")
	var readErr error
	rt := runT(func(rt *recT) {
		h := contracttest.Handler(rt, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, readErr = io.ReadAll(r.Body)
			w.WriteHeader(http.StatusBadRequest)
		}))
		req := httptest.NewRequest(http.MethodPost, webhooksURL(conv), io.MultiReader(strings.NewReader("Target="), iotest.ErrReader(cut)))
		h.ServeHTTP(httptest.NewRecorder(), req)
	})
	assert.Equal(t, "Target=", string(got))
	assert.ErrorIs(t, readErr, cut)
	assert.False(t, rt.Failed(), "%s", rt.Errors())
	assert.Contains(t, rt.Logs(), "not checked")
}

// plainWriter is a ResponseWriter that cannot flush.
type plainWriter struct {
	h    http.Header
	body bytes.Buffer
	code int
}

func (p *plainWriter) Header() http.Header         { return p.h }
func (p *plainWriter) Write(b []byte) (int, error) { return p.body.Write(b) }
func (p *plainWriter) WriteHeader(code int)        { p.code = code }

// TestHandlerFlusher: the writer the handler gets flushes when, and only
// when, the wrapped one can; http.ResponseController reaches the wrapped
// one.
func TestHandlerFlusher(t *testing.T) {
	var flushable []bool
	var controllerErr []error
	h := contracttest.Handler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, ok := w.(http.Flusher)
		flushable = append(flushable, ok)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		controllerErr = append(controllerErr, http.NewResponseController(w).Flush())
		_, _ = io.WriteString(w, "{}")
	}), contracttest.FailOn(validate.SeverityError))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health", nil)) // not the operation: untouched
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, newRequest(t, webhooksURL(conv), validForms["studio"]))
	assert.True(t, rec.Flushed)
	h.ServeHTTP(&plainWriter{h: http.Header{}}, newRequest(t, webhooksURL(conv), validForms["studio"]))

	assert.Equal(t, []bool{true, false}, flushable[1:])
	assert.NoError(t, controllerErr[1])
	assert.ErrorIs(t, controllerErr[2], http.ErrNotSupported)
}

// TestHandlerSniffedContentType: a handler that sets no Content-Type is
// checked with the one net/http sends.
func TestHandlerSniffedContentType(t *testing.T) {
	rt := runT(func(rt *recT) {
		srv := httptest.NewServer(contracttest.Handler(rt, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"sid":null}`)
		})))
		rt.Cleanup(srv.Close)
		resp, err := srv.Client().Do(newRequest(t, srv.URL+"/v1/Conversations/"+conv+"/Webhooks", validForms["studio"]))
		if assert.NoError(t, err) {
			assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
			resp.Body.Close()
		}
	})
	assert.Contains(t, rt.Errors(), "error response.content-type response.header/Content-Type")
	assert.Contains(t, rt.Errors(), `got:  "text/plain; charset=utf-8"`)
}
