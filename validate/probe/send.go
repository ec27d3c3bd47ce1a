package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
)

// DefaultMaxBody is the most bytes of a response body a [Client] reads
// unless told otherwise.
const DefaultMaxBody = 10 << 20

// Client sends the cases of a probe to a server.
type Client struct {
	// HTTP sends the requests; nil for a client with a 30-second timeout.
	HTTP *http.Client
	// Base is the server's base URL, such as http://127.0.0.1:4010. A path
	// in it is a prefix of every request's path (a gateway's) and is left
	// out of the path checked.
	Base *url.URL
	// AccountSID and AuthToken are the Basic-auth credentials sent, as
	// Twilio takes them; no Authorization is sent when AccountSID is "".
	AccountSID, AuthToken string
	// UserAgent is the User-Agent sent; "" for Go's.
	UserAgent string
	// MaxBody is the most bytes of a response body read; 0 for
	// DefaultMaxBody. A longer body is an error of the send.
	MaxBody int64
}

// Outcome is one case sent and its answer.
type Outcome struct {
	// Case is the case sent.
	Case Case
	// Exchange is the request as sent (its URL the base's scheme and host
	// and the case's path) and the response as received.
	Exchange *validate.Exchange
	// Started is when the request was sent; Elapsed how long the answer
	// took.
	Started time.Time
	Elapsed time.Duration
}

// Request returns the HTTP request of a case.
func (cl *Client) Request(ctx context.Context, c Case) (*http.Request, error) {
	if cl.Base == nil || cl.Base.Scheme == "" || cl.Base.Host == "" {
		return nil, errors.New("making the request: the base URL must be absolute, such as http://127.0.0.1:4010")
	}
	u := *cl.Base
	u.Path = strings.TrimSuffix(u.Path, "/") + c.Path
	u.RawPath, u.RawQuery, u.Fragment = "", "", ""
	req, err := http.NewRequestWithContext(ctx, c.Method, u.String(), bytes.NewReader(c.Body))
	if err != nil {
		return nil, fmt.Errorf("making the request of %s: %w", c.Name, err)
	}
	req.Header.Set("Content-Type", c.ContentType)
	req.Header.Set("Accept", "application/json")
	if cl.UserAgent != "" {
		req.Header.Set("User-Agent", cl.UserAgent)
	}
	if cl.AccountSID != "" {
		req.SetBasicAuth(cl.AccountSID, cl.AuthToken)
	}
	return req, nil
}

// Send sends a case and returns the exchange. It fails when the server
// cannot be reached, does not answer in time, or sends a body longer than
// MaxBody; the error names the case and the request, never the credentials.
func (cl *Client) Send(ctx context.Context, c Case) (*Outcome, error) {
	req, err := cl.Request(ctx, c)
	if err != nil {
		return nil, err
	}
	hc := cl.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	limit := cl.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	where := c.Method + " " + redact.Text(req.URL.String(), nil)
	started := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("probe %s: sending %s: %w", c.Name, where, unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("probe %s: reading the answer to %s: %w", c.Name, where, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("probe %s: the answer to %s has a body longer than %d bytes", c.Name, where, limit)
	}
	elapsed := time.Since(started)
	checked := url.URL{Scheme: req.URL.Scheme, Host: req.URL.Host, Path: c.Path}
	ex := &validate.Exchange{
		Source:   "probe",
		Request:  validate.Request{Method: c.Method, URL: checked.String(), Header: req.Header.Clone(), Body: c.Body},
		Response: validate.Response{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body},
	}
	return &Outcome{Case: c, Exchange: ex, Started: started, Elapsed: elapsed}, nil
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the
// method and URL the caller already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("no answer in time: %w", ue.Err)
		}
		return ue.Err
	}
	return err
}
