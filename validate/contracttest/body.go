package contracttest

import (
	"bytes"
	"io"
	"net/http"
)

// readBody reads a body to its end and closes it. It returns the bytes and a
// body that replays them and then the error reading stopped at (nil for a
// clean end), so that whoever reads the replay sees what the original gave.
// A nil body or http.NoBody is returned as it is, with no bytes.
func readBody(rc io.ReadCloser) ([]byte, io.ReadCloser, error) {
	if rc == nil || rc == http.NoBody {
		return nil, rc, nil
	}
	b, err := io.ReadAll(rc)
	body := &replay{Reader: bytes.NewReader(b), err: err}
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	return b, body, err
}

// replay gives the bytes read from a body, then the error reading them
// stopped at.
type replay struct {
	*bytes.Reader
	err error
}

func (r *replay) Read(p []byte) (int, error) {
	n, err := r.Reader.Read(p)
	if err == io.EOF && r.err != nil {
		return n, r.err
	}
	return n, err
}

// Close does nothing: the body read was closed already.
func (*replay) Close() error { return nil }
