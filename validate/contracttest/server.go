package contracttest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
)

// serverSource names the exchanges of a Server in failure messages.
const serverSource = "contracttest.Server"

// callHeader carries, from [Server.Transport] to the server, the number of
// the request's entry in the server's table of callers. The server removes
// it before the fake sees the request.
const callHeader = "Contracttest-Call"

// Server is an httptest.Server that fakes the endpoint with a [Fake],
// checks every request it receives, and records the calls. A request that
// breaks the contract gets Twilio's 400 and fails the test (before the
// client has its answer) unless the test expects the violation
// ([ExpectViolation]); so does a request the fake does not serve (another
// path or method, rule operation.unmatched).
//
// The failure names the line of the test that made the request when it was
// sent through [Server.Transport] (the server's goroutine has no test
// line of its own), and otherwise the line that called NewServer. When a
// [Transport] stands in front of the server, the Transport reports the
// exchange and the server does not, so that each exchange is reported
// once.
type Server struct {
	*httptest.Server

	fake *Fake
	mu   sync.Mutex
	// calls are the requests answered, in the order they were answered.
	calls []Call

	// callers holds, by number, the stacks of the requests in flight
	// through Transport, and whether a Transport in front reports them.
	callers sync.Map // string → *caller
	next    atomic.Uint64
}

// caller is where a request sent through Server.Transport was made.
type caller struct {
	stack    stack
	reported bool // a Transport in front of the server reports the exchange
}

// callerKey is the context key of a request's caller, for the fake's
// observer.
type callerKey struct{}

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
			var from stack
			quiet := false
			if cl, ok := c.ctx.Value(callerKey{}).(*caller); ok {
				from, quiet = cl.stack, cl.reported
			}
			mon.report(c.Exchange, c.Operation, c.Findings, nil, from, quiet) // names the exchange: before others see it
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
	mon = newMonitor(t, fake.cfg, serverSource, captureStack())
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close) // before the monitor's cleanup, which then finds nothing in flight
	return s
}

// serve hands a request to the fake, with its caller in the context when
// it came through Transport.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if id := r.Header.Get(callHeader); id != "" {
		r.Header.Del(callHeader)
		if cl, ok := s.callers.Load(id); ok {
			r = r.WithContext(context.WithValue(r.Context(), callerKey{}, cl))
		}
	}
	s.fake.ServeHTTP(w, r)
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
// the host the client meant. Nothing it carries leaves the machine. A
// failure of a request sent through it names the line that made the
// request.
func (s *Server) Transport() http.RoundTripper {
	u, _ := url.Parse(s.URL) // httptest's own URL
	return &redirect{to: u, next: s.Client().Transport, srv: s}
}

// redirect sends every request to one server, and tells the server where
// each was made.
type redirect struct {
	to   *url.URL
	next http.RoundTripper
	srv  *Server
}

func (r *redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	rel, reported := req.Context().Value(relayKey{}).(*relay)
	if reported {
		rel.srv = r.srv
	}
	id := strconv.FormatUint(r.srv.next.Add(1), 10)
	r.srv.callers.Store(id, &caller{stack: captureStack(), reported: reported})
	defer r.srv.callers.Delete(id)

	out := req.Clone(req.Context())
	if out.Host == "" {
		out.Host = req.URL.Host
	}
	out.URL.Scheme, out.URL.Host = r.to.Scheme, r.to.Host
	out.Header.Set(callHeader, id)
	resp, err := r.next.RoundTrip(out)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}
