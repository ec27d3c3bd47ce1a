package main

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
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
// decode and check, a batch of entries of a regular file to read, decode and
// check, an input error found while framing, or the end of a file.
type job struct {
	file   int // the index of the recording in the command line
	frame  *recording.Frame
	batch  *recording.Batch
	shared *sharedFile // with batch: the file it reads, released once the batch is done
	err    error
	end    bool  // the file has ended
	size   int64 // with end: the file's size in bytes, -1 when not known
}

// weight is what a job holds in memory until it is done: the text of its
// entry, and a little besides.
func (j job) weight() int64 {
	const overhead = 1 << 10
	if j.batch != nil {
		return j.batch.Size() + int64(len(j.batch.Frames))*overhead
	}
	if j.frame == nil {
		return overhead
	}
	return int64(j.frame.Size()) + overhead
}

// drop lets go of what a job that will not run holds.
func (j job) drop() {
	if j.batch != nil {
		j.batch.Release()
		j.shared.release()
	}
}

// result is what the middle stage makes of a job.
type result struct {
	file  int
	pair  report.Pair
	fault *recording.EntryError // the input error after which its file is not read on
	entry bool                  // the job was an entry (or the problem of one)
	blank bool                  // the frame held no exchange (an NDJSON line of white space)
	end   bool                  // the file has ended
	size  int64                 // with end: the file's size
	batch *[]result             // the results of a batch's entries, in order, in place of the fields above (from resultsPool)
}

// run decodes and checks one job. It is pure, like pair, and runs on many
// goroutines at once.
func (c checker) run(j job) result {
	if j.batch != nil {
		defer j.shared.release()
		return c.runBatch(j.file, j.batch)
	}
	r := result{file: j.file, end: j.end, size: j.size}
	if j.end {
		return r
	}
	it := item{err: j.err}
	var scratch *recording.Scratch
	if j.frame != nil {
		if reuseExchanges {
			scratch = scratchPool.Get().(*recording.Scratch)
		}
		it.ex, it.err = decodeInto(j.frame, scratch)
		if it.ex == nil && it.err == nil {
			putScratch(scratch)
			r.blank = true
			return r
		}
	}
	entryErr := asEntryError(it.err)
	if entryErr != nil && entryErr.Final() {
		r.fault = entryErr
	}
	r.entry = j.frame != nil || entryErr != nil && entryErr.Entry >= 0
	r.pair = c.pair(it)
	if it.ex != nil && len(r.pair.Findings) == 0 && len(r.pair.Suppressed) == 0 && r.pair.Wire == nil {
		// Nothing of the pair refers to the exchange's memory (its header
		// maps, their value slices, its bodies; the pair keeps only
		// strings, which are never reused): the next entries may reuse it.
		if scratch != nil {
			putScratch(scratch)
		} else {
			recording.ReleaseExchange(it.ex)
		}
	}
	// Otherwise the scratch is left to the pair, which may refer to it,
	// and to the garbage collector.
	return r
}

// reuseExchanges says whether the workers decode entries into a reused
// [recording.Scratch] (the default), whose memory the next entries reuse
// once a pair has no findings, rather than into exchanges of their own;
// tests compare the two.
var reuseExchanges = true

// scratchPool holds the scratches of the workers between entries: in
// effect one a worker (sync.Pool keeps one at hand for each processor).
var scratchPool = sync.Pool{New: func() any { return new(recording.Scratch) }}

// putScratch gives s back for the next entries, when not nil.
func putScratch(s *recording.Scratch) {
	if s != nil {
		scratchPool.Put(s)
	}
}

// asEntryError returns err's *recording.EntryError, or nil. It asks
// errors.As only when there is an error: the pointer errors.As is given
// escapes, which would cost every entry an allocation.
func asEntryError(err error) *recording.EntryError {
	if err == nil {
		return nil
	}
	var entryErr *recording.EntryError
	if errors.As(err, &entryErr) {
		return entryErr
	}
	return nil
}

// runBatch reads, decodes and checks the entries of a batch, in order.
func (c checker) runBatch(file int, b *recording.Batch) result {
	defer b.Release()
	b.Read()
	rs := getResults(len(b.Frames))
	for i, f := range b.Frames {
		(*rs)[i] = c.run(job{file: file, frame: f})
	}
	return result{file: file, batch: rs}
}

// resultsPool recycles the results of batches, which the sink is done with
// once it has taken them.
var resultsPool = sync.Pool{New: func() any { return new([]result) }}

// getResults returns n zero results, in a slice from resultsPool.
func getResults(n int) *[]result {
	rs := resultsPool.Get().(*[]result)
	if cap(*rs) < n {
		*rs = make([]result, n)
	}
	*rs = (*rs)[:n]
	return rs
}

// putResults gives rs back for reuse, emptied so that it holds on to
// nothing. The pointer itself goes back, so that the pool costs no
// allocation.
func putResults(rs *[]result) {
	clear(*rs)
	*rs = (*rs)[:0]
	resultsPool.Put(rs)
}

// decode decodes a frame and releases it. A panic while decoding is an
// input error of the entry (Frame.Decode recovers it).
func decode(f *recording.Frame) (*validate.Exchange, error) {
	return decodeInto(f, nil)
}

// decodeInto is decode, decoding into s (see [recording.Frame.DecodeInto];
// nil for an exchange of its own).
func decodeInto(f *recording.Frame, s *recording.Scratch) (*validate.Exchange, error) {
	defer f.Release()
	return f.DecodeInto(s)
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

// openRecording opens the file name for reading in a way ctx can
// interrupt: opening a FIFO blocks until a writer opens it too.
func openRecording(ctx context.Context, name string) (*os.File, error) {
	return await(ctx, func() (*os.File, error) { return os.Open(name) }, func(f *os.File) {
		if f != nil {
			f.Close()
		}
	})
}

// await runs f on a goroutine of its own and returns what it returns, or
// ctx's error as soon as ctx is cancelled: f is then left behind to finish
// (or to block until the process ends), and discard, when not nil, is given
// what it returns in the end.
func await[T any](ctx context.Context, f func() (T, error), discard func(T)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		if discard != nil {
			go func() { discard((<-done).v) }()
		}
		var zero T
		return zero, ctx.Err()
	}
}

// interruptible returns r, or, when r is a file that may block a read for
// good (a FIFO, a pipe, a terminal; not a regular file), a reader that reads
// it on a goroutine of its own and returns ctx's error once ctx is
// cancelled, leaving the goroutine behind, blocked, until the process ends.
// The reader it returns must be closed.
func interruptible(ctx context.Context, r io.Reader) io.Reader {
	f, ok := r.(*os.File)
	if !ok {
		return r
	}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		return r
	}
	ir := &interruptibleReader{ctx: ctx, r: r, asks: make(chan int), answers: make(chan readAnswer, 1), buf: make([]byte, 64<<10)}
	go ir.serve()
	return ir
}

// interruptibleReader reads through a goroutine that does the reads.
type interruptibleReader struct {
	ctx     context.Context
	r       io.Reader
	asks    chan int        // how many bytes to read; closed by Close
	answers chan readAnswer // what a read gave, in buf
	buf     []byte          // written by serve between an ask and its answer
	closed  bool
}

type readAnswer struct {
	n   int
	err error
}

// serve does the reads asked for.
func (ir *interruptibleReader) serve() {
	for n := range ir.asks {
		k, err := ir.r.Read(ir.buf[:n])
		ir.answers <- readAnswer{k, err}
	}
}

// Read reads from the underlying reader, unless ctx is cancelled first.
func (ir *interruptibleReader) Read(p []byte) (int, error) {
	if ir.closed {
		return 0, ir.ctx.Err()
	}
	select {
	case ir.asks <- min(len(p), len(ir.buf)):
	case <-ir.ctx.Done():
		ir.Close()
		return 0, ir.ctx.Err()
	}
	select {
	case a := <-ir.answers:
		return copy(p, ir.buf[:a.n]), a.err
	case <-ir.ctx.Done():
		// buf may still be written by the read in progress: never touch it
		// again.
		ir.Close()
		return 0, ir.ctx.Err()
	}
}

// Close ends the reading goroutine once its read in progress, if any, is
// done.
func (ir *interruptibleReader) Close() error {
	if !ir.closed {
		ir.closed = true
		close(ir.asks)
	}
	return nil
}
