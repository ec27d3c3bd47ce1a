package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
)

// harRecorder appends the exchanges of a live command (serve, probe, proxy)
// to a HAR file as they happen, credentials redacted. Its methods are safe
// for concurrent use; the file is well formed once close has returned.
type harRecorder struct {
	file *os.File
	buf  *bufio.Writer
	har  *recording.HARWriter
}

// newHARRecorder creates the HAR file (and its directory); "" records
// nothing (a nil recorder, whose methods do nothing).
func newHARRecorder(name string) (*harRecorder, error) {
	if name == "" {
		return nil, nil
	}
	if dir := filepath.Dir(name); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("creating the directory of recording %s: %w", name, err)
		}
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, fmt.Errorf("creating recording %s: %w", name, err)
	}
	buf := bufio.NewWriterSize(f, 64<<10)
	return &harRecorder{file: f, buf: buf, har: recording.NewHARWriter(buf, "contractcheck/"+versionString())}, nil
}

// record appends one exchange, without its secrets.
func (r *harRecorder) record(ex *validate.Exchange, started time.Time, elapsed time.Duration) error {
	if r == nil {
		return nil
	}
	if err := r.har.Write(ex.WithoutSecrets(), started, elapsed); err != nil {
		return fmt.Errorf("recording to %s: %w", r.file.Name(), err)
	}
	return nil
}

// close ends the HAR, flushes and closes the file.
func (r *harRecorder) close() error {
	if r == nil {
		return nil
	}
	err := r.har.Close()
	if ferr := r.buf.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing recording %s: %w", r.file.Name(), ferr)
	}
	if cerr := r.file.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("closing recording %s: %w", r.file.Name(), cerr)
	}
	return err
}

// shutdownGrace is how long a server waits for exchanges in flight when it
// is told to stop.
const shutdownGrace = 10 * time.Second

// serveUntilDone serves srv on ln until ctx is cancelled (main cancels it on
// SIGINT or SIGTERM), then shuts it down gracefully: it stops accepting,
// waits up to shutdownGrace for exchanges in flight, and returns. It returns
// the server's error, nil after a clean stop.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener) error {
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
// slow client from holding it.
func newServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 60 * time.Second}
}
