package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
)

// harRecorder appends the exchanges of a live command (serve, probe, proxy)
// to a HAR file as they happen, credentials redacted. Its methods are safe
// for concurrent use; the file is a complete HAR after every exchange.
type harRecorder struct {
	name string
	har  *recording.HARWriter
}

// newHARRecorder opens the HAR file (creating its directory) for appending:
// a new file, or an existing HAR whose entries are kept
// ([recording.AppendHAR]); a file that cannot be appended to (not a HAR) is
// an error. "" records nothing (a nil recorder, whose methods do nothing).
func newHARRecorder(name string) (*harRecorder, error) {
	if name == "" {
		return nil, nil
	}
	if dir := filepath.Dir(name); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("creating the directory of recording %s: %w", name, err)
		}
	}
	har, err := recording.AppendHAR(name, "contractcheck/"+versionString())
	if err != nil {
		return nil, err
	}
	return &harRecorder{name: name, har: har}, nil
}

// record appends one exchange, without its secrets.
func (r *harRecorder) record(ex *validate.Exchange, started time.Time, elapsed time.Duration) error {
	if r == nil {
		return nil
	}
	if err := r.har.Write(ex.WithoutSecrets(), started, elapsed); err != nil {
		return fmt.Errorf("recording to %s: %w", r.name, err)
	}
	return nil
}

// close closes the file, a complete HAR.
func (r *harRecorder) close() error {
	if r == nil {
		return nil
	}
	if err := r.har.Close(); err != nil {
		return fmt.Errorf("closing recording %s: %w", r.name, err)
	}
	return nil
}

// accountSIDPattern is the shape of a Twilio account SID.
var accountSIDPattern = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)

// checkAccountSID says why sid, given by source (a flag or an environment
// variable), is not an account SID; nil when it is one or is "". The value
// is not repeated: a token given by mistake must not be printed.
func checkAccountSID(source, sid string) error {
	if sid == "" || accountSIDPattern.MatchString(sid) {
		return nil
	}
	return fmt.Errorf("%s must be an account SID, AC followed by 32 hex digits (34 characters); it has %d characters", source, utf8.RuneCountInString(sid))
}

// shutdownGrace is how long a server waits for exchanges in flight when it
// is told to stop, before it cuts them short.
var shutdownGrace = 10 * time.Second

// cutShortGrace is how long exchanges cut short have to be answered and
// recorded before their connections are closed.
const cutShortGrace = 2 * time.Second

// errStopping is why the exchanges still in flight after shutdownGrace are
// cut short: the cause of their contexts' cancellation.
var errStopping = errors.New("the server is stopping (SIGINT or SIGTERM)")

// Defaults of --read-timeout and --upstream-timeout.
const (
	defaultReadTimeout     = 30 * time.Second
	defaultUpstreamTimeout = 30 * time.Second
)

// serveUntilDone serves srv on ln until ctx is cancelled (main cancels it on
// SIGINT or SIGTERM), then shuts it down gracefully: it stops accepting and
// waits up to shutdownGrace for the exchanges in flight. Those still in
// flight then are cut short (their requests' contexts are cancelled with
// errStopping, so that a proxy answers 503 instead of waiting for its
// upstream) and, after cutShortGrace, their connections closed. Either way
// it returns only once every handler has returned, so that every exchange
// has been recorded before the caller closes its recording. It returns the
// server's error, nil after a clean stop.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener) error {
	var inFlight sync.WaitGroup
	h := srv.Handler
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inFlight.Add(1)
		defer inFlight.Done()
		h.ServeHTTP(w, r)
	})
	base, cutShort := context.WithCancelCause(context.Background())
	defer cutShort(nil)
	srv.BaseContext = func(net.Listener) context.Context { return base }

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// Cut the rest short: answered and recorded, not lost.
		cutShort(errStopping)
		cctx, cancel := context.WithTimeout(context.Background(), cutShortGrace)
		defer cancel()
		if err = srv.Shutdown(cctx); errors.Is(err, context.DeadlineExceeded) {
			err = srv.Close() // a client that sends its body too slowly
		}
	}
	inFlight.Wait()
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("stopping the server on %s: %w", ln.Addr(), err)
	}
	return nil
}

// listen opens a TCP listener on addr, saying what went wrong.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return ln, nil
}

// newServer is the http.Server of a live command, with timeouts that keep a
// slow client from holding it: readTimeout bounds reading a whole request,
// headers and body (0 for no bound).
func newServer(h http.Handler, readTimeout time.Duration) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: readTimeout, IdleTimeout: 60 * time.Second}
}

// checkTimeout refuses a negative duration given to flag.
func checkTimeout(flag string, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("%s %s: want a duration such as 30s, or 0 for none", flag, d)
	}
	return nil
}
