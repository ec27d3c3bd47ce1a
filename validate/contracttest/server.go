package contracttest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
)

// serverSource names the exchanges of a Server in failure messages.
const serverSource = "contracttest.Server"

// Server is an httptest.Server that fakes the endpoint with a [Fake],
// checks every request it receives, and records the calls. A request that
// breaks the contract gets Twilio's 400 and fails the test (through
// t.Errorf, before the client has its answer) unless the test expects the
// violation ([ExpectViolation]); so does a request the fake does not serve
// (another path or method, rule operation.unmatched).
type Server struct {
	*httptest.Server

	fake *Fake
	mu   sync.Mutex
	// calls are the requests answered, in the order they were answered.
	calls []Call
}

// NewServer starts a fake of the endpoint for the test and closes it at the
// test's cleanup. Every option applies (those of the fake and those of the
// checks); [Observe] is called after the server has recorded and checked a
// call. Call NewServer from the test's goroutine: bad options fail the test
// at once (FailNow).
func NewServer(t TestingT, opts ...Option) *Server {
	t.Helper()
	s := &Server{}
	var mon *monitor
	record := Observe(func(c Call) {
		if mon.begin() {
			mon.report(c.Exchange, c.Operation, c.Findings) // names the exchange: before others see it
			mon.end()
		}
		s.mu.Lock()
		s.calls = append(s.calls, c)
		s.mu.Unlock()
	})
	// The server's own observer goes first, so that a test's sees the call
	// recorded and reported.
	fake, err := NewFake(append([]Option{record}, opts...)...)
	if err != nil {
		t.Errorf("%v", err)
		t.FailNow()
		return nil
	}
	s.fake = fake
	mon = newMonitor(t, fake.cfg, serverSource)
	s.Server = httptest.NewServer(fake)
	t.Cleanup(s.Close) // before the monitor's cleanup, which then finds nothing in flight
	return s
}

// Calls returns the calls answered so far, in the order they were
// answered.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Fake returns the handler the server serves.
func (s *Server) Fake() *Fake { return s.fake }

// Transport returns a RoundTripper that sends every request, whatever its
// scheme and host, to the server: point a client with a fixed base URL (such
// as Twilio's SDK, which calls https://conversations.twilio.com) at the fake
// with it. The request keeps its Host header, so the exchanges recorded name
// the host the client meant. Nothing it carries leaves the machine.
func (s *Server) Transport() http.RoundTripper {
	u, _ := url.Parse(s.URL) // httptest's own URL
	return &redirect{to: u, next: s.Client().Transport}
}

// redirect sends every request to one server.
type redirect struct {
	to   *url.URL
	next http.RoundTripper
}

func (r *redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	if out.Host == "" {
		out.Host = req.URL.Host
	}
	out.URL.Scheme, out.URL.Host = r.to.Scheme, r.to.Host
	resp, err := r.next.RoundTrip(out)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}
