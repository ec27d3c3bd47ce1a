package main

import (
	"errors"
	"io"
	"sync/atomic"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
	"github.com/contractcheck/contractcheck/validate/report"
)

// pipelineWindow is how many jobs per worker may be in flight between the
// reader and the sink: enough to keep the workers busy when entries differ in
// cost, few enough that memory holds a few hundred entries at most.
const pipelineWindow = 16

// job is the work of the pipeline's middle stage: the frame of one entry to
// decode and check, or an input error found while framing.
type job struct {
	file  int // the index of the recording in the command line
	frame *recording.Frame
	err   error
}

// result is what the middle stage makes of a job.
type result struct {
	file  int
	pair  report.Pair
	final bool // the pair is an input error after which its file is not read on
	blank bool // the frame held no exchange (an NDJSON line of white space)
}

// run decodes and checks one job. It is pure, like pair, and runs on many
// goroutines at once.
func (c checker) run(j job) result {
	r := result{file: j.file}
	it := item{err: j.err}
	if j.frame != nil {
		it.ex, it.err = decode(j.frame)
		if it.ex == nil && it.err == nil {
			r.blank = true
			return r
		}
	}
	var entryErr *recording.EntryError
	r.final = errors.As(it.err, &entryErr) && entryErr.Final()
	r.pair = c.pair(it)
	return r
}

// decode decodes a frame and releases it. A panic while decoding is an
// input error of the entry (Frame.Decode recovers it).
func decode(f *recording.Frame) (*validate.Exchange, error) {
	defer f.Release()
	return f.Decode()
}

// countingReader counts the bytes read through it into n, which others may
// read while it runs.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

// Read reads from r and counts.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
