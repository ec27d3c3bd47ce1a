package bench

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
)

// docsHAR holds the documentation's example pair as its first entry.
const docsHAR = "../testdata/recordings/docs-example.har"

// twilioSpec is Twilio's full Conversations v1 spec, the bench module's test
// data (testdata/README.md says where it comes from).
const twilioSpec = "testdata/twilio_conversations_v1.json"

// The SIDs the broken variants break.
const (
	docsWebhookSID = "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	badWebhookSID  = "WHzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" // right prefix and length, not hex
	badFlowSID     = "&Configuration.FlowSid=FWnot-a-flow"
)

var docs struct {
	once sync.Once
	ex   *validate.Exchange
	err  error
}

// docsPair returns the documentation's example pair, read once from
// docs-example.har. Callers must not change it; variants copy it.
func docsPair(tb testing.TB) *validate.Exchange {
	tb.Helper()
	docs.once.Do(func() {
		f, err := os.Open(docsHAR)
		if err != nil {
			docs.err = err
			return
		}
		defer f.Close()
		for ex, err := range recording.Read(docsHAR, f) {
			docs.ex, docs.err = ex, err
			break
		}
	})
	if docs.err != nil {
		tb.Fatalf("reading the example pair: %v", docs.err)
	}
	if docs.ex == nil {
		tb.Fatalf("%s holds no entry", docsHAR)
	}
	return docs.ex
}

// variant is a named copy of the example pair that a validator must refuse.
type variant struct {
	name string
	ex   *validate.Exchange
}

// brokenRequest is the example pair with a Configuration.FlowSid that breaks
// its schema's pattern and length.
func brokenRequest(tb testing.TB) variant {
	ex := clonePair(docsPair(tb))
	ex.Request.Body = append(ex.Request.Body, badFlowSID...)
	return variant{"request with a bad Configuration.FlowSid", ex}
}

// brokenResponse is the example pair with a response sid that breaks its
// schema's pattern.
func brokenResponse(tb testing.TB) variant {
	ex := clonePair(docsPair(tb))
	body := string(ex.Response.Body)
	if !strings.Contains(body, `"`+docsWebhookSID+`"`) {
		tb.Fatalf("the example response holds no sid %s", docsWebhookSID)
	}
	ex.Response.Body = []byte(strings.Replace(body, `"`+docsWebhookSID+`"`, `"`+badWebhookSID+`"`, 1))
	return variant{"response with a bad sid", ex}
}

// clonePair copies an exchange deeply enough to change its bodies and headers.
func clonePair(ex *validate.Exchange) *validate.Exchange {
	c := *ex
	c.Request.Header = ex.Request.Header.Clone()
	c.Request.Body = bytes.Clone(ex.Request.Body)
	c.Response.Header = ex.Response.Header.Clone()
	c.Response.Body = bytes.Clone(ex.Response.Body)
	return &c
}

// body is a request or response body that can be rewound without allocating.
type body struct{ bytes.Reader }

// Close does nothing: the bytes stay with the pair.
func (*body) Close() error { return nil }

// httpPair is an exchange as the net/http values the peers validate. It is
// built once; reset rewinds both bodies before each use, because the peers
// read them. Every peer that takes net/http values pays the same reset.
type httpPair struct {
	req      *http.Request
	resp     *http.Response
	reqData  []byte
	respData []byte
	reqBody  body
	respBody body
}

// newHTTPPair builds the net/http request and response of ex.
func newHTTPPair(tb testing.TB, ex *validate.Exchange) *httpPair {
	tb.Helper()
	req, err := http.NewRequest(ex.Request.Method, ex.Request.URL, nil)
	if err != nil {
		tb.Fatalf("building the request: %v", err)
	}
	req.Header = ex.Request.Header.Clone()
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	h := &httpPair{
		req:      req,
		resp:     &http.Response{StatusCode: ex.Response.Status, Header: ex.Response.Header.Clone(), Request: req},
		reqData:  ex.Request.Body,
		respData: ex.Response.Body,
	}
	h.reset()
	return h
}

// reset rewinds both bodies and forgets what a peer left on the request.
func (h *httpPair) reset() {
	h.reqBody.Reset(h.reqData)
	h.req.Body = &h.reqBody
	h.req.GetBody = nil
	h.req.ContentLength = int64(len(h.reqData))
	h.respBody.Reset(h.respData)
	h.resp.Body = &h.respBody
	h.resp.ContentLength = int64(len(h.respData))
}

// checker is one validator's full request+response validation of a pair; it
// returns an error when the validator finds a problem.
type checker func(h *httpPair) error

// judge is a validator's verdict on one exchange: an error when it finds a
// problem.
type judge func(ex *validate.Exchange) error

// mustJudge fails the benchmark unless the validator accepts the example pair
// and refuses every variant.
func mustJudge(tb testing.TB, verdict judge, variants ...variant) {
	tb.Helper()
	if err := verdict(docsPair(tb)); err != nil {
		tb.Fatalf("the validator refuses the example pair: %v", err)
	}
	for _, v := range variants {
		if verdict(v.ex) == nil {
			tb.Fatalf("the validator accepts the %s", v.name)
		}
	}
}

// overHTTP judges an exchange by checking it as net/http values.
func overHTTP(tb testing.TB, check checker) judge {
	return func(ex *validate.Exchange) error { return check(newHTTPPair(tb, ex)) }
}

// benchHTTP runs check on the example pair, rewinding the bodies each time,
// after proving that check accepts the pair and refuses the variants.
func benchHTTP(b *testing.B, check checker, variants ...variant) {
	mustJudge(b, overHTTP(b, check), variants...)
	h := newHTTPPair(b, docsPair(b))
	b.SetBytes(int64(len(h.reqData) + len(h.respData)))
	b.ReportAllocs()
	for b.Loop() {
		h.reset()
		if err := check(h); err != nil {
			b.Fatal(err)
		}
	}
}
