package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// spoolLimit is how many bytes a spool keeps in memory before it moves them
// to a temporary file.
const spoolLimit = 8 << 20

// spool holds bytes to be written later: in memory up to its limit, then in
// a temporary file, so that a report that must hold back a part of itself
// (the test cases of a JUnit suite, until its counts are known) keeps its
// memory bounded however many pairs a recording has.
type spool struct {
	limit int
	mem   bytes.Buffer
	file  *os.File // nil until the limit is passed
	size  int64    // bytes in file
}

// Write appends p.
func (s *spool) Write(p []byte) (int, error) {
	if s.file == nil && s.mem.Len()+len(p) <= s.limit {
		return s.mem.Write(p)
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "contractcheck-report-*")
		if err != nil {
			return 0, fmt.Errorf("spooling the report to a temporary file: %w", err)
		}
		// Unlinked at once where the system allows it: nothing is left
		// behind even if the run dies.
		_ = os.Remove(f.Name())
		s.file = f
		n, err := s.mem.WriteTo(f)
		s.size = n
		if err != nil {
			return 0, fmt.Errorf("spooling the report to a temporary file: %w", err)
		}
	}
	n, err := s.file.Write(p)
	s.size += int64(n)
	if err != nil {
		return n, fmt.Errorf("spooling the report to a temporary file: %w", err)
	}
	return n, nil
}

// Len returns how many bytes the spool holds.
func (s *spool) Len() int64 {
	if s.file != nil {
		return s.size + int64(s.mem.Len())
	}
	return int64(s.mem.Len())
}

// WriteTo writes everything held to w and empties the spool.
func (s *spool) WriteTo(w io.Writer) (int64, error) {
	if s.file == nil {
		return s.mem.WriteTo(w)
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("reading back the spooled report: %w", err)
	}
	n, err := io.Copy(w, io.LimitReader(s.file, s.size))
	if err != nil {
		return n, err
	}
	if err := s.file.Truncate(0); err != nil {
		return n, fmt.Errorf("emptying the spooled report: %w", err)
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return n, fmt.Errorf("emptying the spooled report: %w", err)
	}
	s.size = 0
	m, err := s.mem.WriteTo(w)
	return n + m, err
}

// Close removes the temporary file, if any.
func (s *spool) Close() error {
	if s.file == nil {
		return nil
	}
	name := s.file.Name()
	err := s.file.Close()
	_ = os.Remove(name) // already gone where unlinking an open file works
	s.file = nil
	s.mem.Reset()
	return err
}
