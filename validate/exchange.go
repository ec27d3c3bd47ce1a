package validate

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/contractcheck/contractcheck/internal/redact"
)

// Exchange is one HTTP request and the response it got, as bytes and headers,
// together with where it came from. Readers of recordings produce exchanges and
// know nothing of contracts; a [Plan] checks them.
type Exchange struct {
	// Source names where the exchange came from: a file name, "-" for
	// standard input, or a label such as "live".
	Source string
	// Entry is the exchange's 0-based index within Source (a HAR entry, an
	// NDJSON line).
	Entry int
	// Line is the 1-based line of Source where the exchange starts, or 0 when
	// the reader does not know it.
	Line int

	Request  Request
	Response Response
}

// Request is the request half of an [Exchange].
type Request struct {
	// Method is the request method as sent, such as "POST".
	Method string
	// URL is the request target as recorded: an absolute URL or the path and
	// query of an origin-form target.
	URL string
	// Header holds the request's header fields under canonical names
	// (use Header.Add or Header.Set to fill it). HTTP/2 pseudo-headers such as
	// ":authority" are not header fields and do not belong here.
	Header http.Header
	// Body is the request body, decoded from any transfer or content encoding.
	Body []byte
}

// Response is the response half of an [Exchange].
type Response struct {
	// Status is the status code, such as 201.
	Status int
	// Header holds the response's header fields under canonical names.
	Header http.Header
	// Body is the response body, decoded from any transfer or content encoding.
	Body []byte
}

// NewExchange builds an exchange from a request and the response it got,
// reading both bodies. The bodies are replaced by readers of the same bytes, so
// that the caller can still read them afterwards. resp may be nil when only the
// request is to be checked.
func NewExchange(req *http.Request, resp *http.Response) (*Exchange, error) {
	ex := &Exchange{Source: "live"}
	if req != nil {
		body, err := readAndRestore(&req.Body)
		if err != nil {
			return nil, fmt.Errorf("reading the request body of %s %s: %w", req.Method, req.URL, err)
		}
		method := req.Method
		if method == "" {
			method = http.MethodGet
		}
		ex.Request = Request{Method: method, URL: requestURL(req), Header: req.Header.Clone(), Body: body}
		if req.Host != "" && ex.Request.Header.Get("Host") == "" {
			if ex.Request.Header == nil {
				ex.Request.Header = make(http.Header)
			}
			ex.Request.Header.Set("Host", req.Host)
		}
	}
	if resp != nil {
		body, err := readAndRestore(&resp.Body)
		if err != nil {
			return nil, fmt.Errorf("reading the response body (status %d): %w", resp.StatusCode, err)
		}
		ex.Response = Response{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body}
	}
	return ex, nil
}

// requestURL is the request's URL as the client addressed it: absolute when the
// request knows its host, origin-form otherwise.
func requestURL(req *http.Request) string {
	if req.URL == nil {
		return req.RequestURI
	}
	u := *req.URL
	if u.Host == "" && req.Host != "" {
		u.Host = req.Host
		if u.Scheme == "" {
			u.Scheme = "http"
			if req.TLS != nil {
				u.Scheme = "https"
			}
		}
	}
	return u.String()
}

// readAndRestore reads *body to the end, closes it and puts back a reader of the
// same bytes.
func readAndRestore(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(*body)
	closeErr := (*body).Close()
	*body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return b, err
	}
	return b, closeErr
}

// Secrets returns the credentials an exchange carries: the values of its
// Authorization and similar headers, the password of Basic auth, the token of
// Bearer auth, and the password of a URL's user information, longest first.
// They are what the findings, reports and recordings hide.
func (ex *Exchange) Secrets() []string {
	return redact.Secrets(ex.Request.URL, ex.Request.Header, ex.Response.Header)
}

// lazySecrets returns the exchange's secrets, computed when a text first
// needs them ([redact.Lazy]).
func (ex *Exchange) lazySecrets() redact.Lazy {
	return redact.NewLazy(ex.Request.URL, ex.Request.Header, ex.Response.Header)
}

// reportSecrets returns the exchange's secrets for the report of the pair
// checked with the result res: those the check computed, unless the URL or a
// credential header field has changed since ([redact.Lazy.For]), so that a
// pair's secrets are computed once at most along check and report.
func (ex *Exchange) reportSecrets(res Result) redact.Lazy {
	return res.secrets.For(ex.Request.URL, ex.Request.Header, ex.Response.Header)
}

func init() {
	redact.Checked = (*Exchange).reportSecrets
}

// WithoutSecrets returns a copy of the exchange fit to be written to a
// recording: the values of its Authorization and similar headers are
// redacted, except that Basic credentials keep their user (an account SID
// is no secret, and rule pair.account needs it) with the password redacted,
// and its URL has its secrets hidden. Bodies are shared with ex, not copied.
func (ex *Exchange) WithoutSecrets() *Exchange {
	out := *ex
	out.Request.URL = redact.Text(ex.Request.URL, nil)
	out.Request.Header = redact.Header(ex.Request.Header)
	out.Response.Header = redact.Header(ex.Response.Header)
	return &out
}
