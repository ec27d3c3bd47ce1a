package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/contractcheck/contractcheck/internal/ordered"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/baseline"
	"github.com/contractcheck/contractcheck/validate/coverage"
	"github.com/contractcheck/contractcheck/validate/recording"
	"github.com/contractcheck/contractcheck/validate/report"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// The checking pipeline has three stages, kept apart so that the middle one
// runs on several goroutines (see checkAll):
//
//	recordings (frame, in order) -> checker.run: decode, checker.pair (pure) -> sink.put (report, in order)

// item is a decoded entry: an exchange, or the input error of an entry (or a
// file) that could not be read.
type item struct {
	ex  *validate.Exchange
	err error
}

// stdinName is the file name that reads standard input.
const stdinName = "-"

// recordings yields the jobs of each file in turn, in the files' order: a
// frame for each entry (or, from a regular file, a batch of entries for each
// run of them, read by offset where the batch is decoded), an input error for
// each problem found while framing, and a last job that marks the end of the
// file. A file that cannot be opened yields one input error of entry -1;
// reading goes on with the next file. It adds the bytes it reads to read,
// when not nil. Opening and reading stop when ctx is cancelled, even on a
// FIFO or a pipe that nobody writes to.
func recordings(ctx context.Context, files []string, stdin io.Reader, read *atomic.Int64) iter.Seq[job] {
	return readRecordings(ctx, files, stdin, read, true)
}

// recordingFrames is recordings with a frame for each entry, never a batch:
// for a consumer that decodes the entries in order itself, which gains
// nothing from reading them by offset.
func recordingFrames(ctx context.Context, files []string, stdin io.Reader) iter.Seq[job] {
	return readRecordings(ctx, files, stdin, nil, false)
}

// readRecordings is recordings, with batches of regular files or not.
func readRecordings(ctx context.Context, files []string, stdin io.Reader, read *atomic.Int64, batched bool) iter.Seq[job] {
	return func(yield func(job) bool) {
		for i, name := range files {
			if !readFile(ctx, i, name, stdin, read, batched, yield) {
				return
			}
		}
	}
}

// readFile yields the jobs of file i, name, and reports whether to go on.
func readFile(ctx context.Context, i int, name string, stdin io.Reader, read *atomic.Int64, batched bool, yield func(job) bool) bool {
	r := stdin
	var shared *sharedFile // the file, when its entries are read at their offsets
	if name != stdinName {
		f, err := openRecording(ctx, name)
		if err != nil {
			if ctx.Err() != nil {
				return false
			}
			return yield(job{file: i, err: &recording.EntryError{Source: name, Entry: -1, Err: openError(err)}}) &&
				yield(job{file: i, end: true, size: -1})
		}
		r = f
		if batched && rangedFile(f) {
			// The workers read it until they are done with its batches.
			shared = &sharedFile{f: f}
			shared.refs.Store(1)
			defer shared.release()
		} else {
			defer f.Close()
		}
	}
	r = interruptible(ctx, r)
	if ir, ok := r.(*interruptibleReader); ok {
		defer ir.Close()
	}
	tally := recording.NewTally(r)
	r = tally
	if read != nil {
		r = &countingReader{r: r, n: read}
	}
	if shared != nil {
		for b, err := range recording.Batches(name, r, shared.f, batchBytes, batchEntries) {
			j := job{file: i, batch: b, err: err}
			if b != nil {
				shared.refs.Add(1)
				j.shared = shared
			}
			if !yield(j) {
				return false
			}
		}
	} else {
		for frame, err := range recording.Frames(name, r) {
			if !yield(job{file: i, frame: frame, err: err}) {
				return false
			}
		}
	}
	// The size of the file, for a problem that ended it early to say what it
	// left unread: counted already when the file was read to its end.
	size := int64(-1)
	if ctx.Err() == nil {
		size, _ = tally.Size()
	}
	return yield(job{file: i, end: true, size: size})
}

// The batches of a regular file: at most batchBytes of its entries (or one
// larger entry), and at most batchEntries of them, each. A batch is one read
// and one job of the pipeline: large enough that neither costs much per
// entry, small enough that the pipeline's window of jobs holds about a
// hundred entries' results (each holds about a KiB until the sink takes it:
// with 128 entries a batch the peak heap grew by 6 MiB, with 8 the peak RSS
// by 3 MiB, with 4 it was main's, within the noise, for the same CPU time).
const (
	batchBytes   = 64 << 10
	batchEntries = 4
)

// rangedReads says whether check reads the entries of a regular file in
// batches, on its workers (the default), rather than copying each on the
// reading goroutine; tests compare the two.
var rangedReads = true

// rangedFile reports whether the entries of f can be read at their offsets:
// it is a regular file read from its start (not a FIFO, a pipe or a
// terminal), and rangedReads is on. Standard input is never read so.
func rangedFile(f *os.File) bool {
	if !rangedReads {
		return false
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	off, err := f.Seek(0, io.SeekCurrent)
	return err == nil && off == 0
}

// sharedFile is a recording read by the reading goroutine and by the
// workers that read its batches: the last of them to be done closes it.
type sharedFile struct {
	f    *os.File
	refs atomic.Int64
}

// release lets the file go; the last release closes it.
func (s *sharedFile) release() {
	if s.refs.Add(-1) == 0 {
		s.f.Close()
	}
}

// openError is why a file could not be opened, without the file name the
// report already shows.
func openError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot open: %w", pe.Err)
	}
	return fmt.Errorf("cannot open: %w", err)
}

// checker turns items into report pairs. It holds no mutable state, so pair
// may run on many goroutines at once.
type checker struct {
	plan            *validate.Plan
	failOn          validate.Severity
	failOnUnmatched bool
	rules           *ruleset.Set       // the rule settings; nil for the defaults
	baseline        *baseline.Baseline // the accepted findings; nil for none
	cover           *coverage.Recorder // counts what the pairs cover; nil when not asked
	wire            bool               // give failing pairs their request and response (an HTML report is written)
}

// pair checks one item and returns its report pair. An input error becomes an
// input-error pair; with failOnUnmatched, an exchange that no operation
// describes gets the finding of rule operation.unmatched.
func (c checker) pair(it item) (p report.Pair) {
	if it.err != nil {
		return inputErrorPair(it.err)
	}
	if it.ex == nil {
		return report.NewInputError("?", -1, 0, "", errors.New("the reader gave neither an exchange nor an error"))
	}
	defer func() {
		if v := recover(); v != nil {
			p = report.NewInputError(it.ex.Source, it.ex.Entry, it.ex.Line, "",
				fmt.Errorf("internal error: checking this exchange panicked (please report it): %v", v))
		}
	}()
	res := c.plan.Check(it.ex)
	if c.cover != nil {
		c.cover.Add(it.ex, res)
	}
	if c.failOnUnmatched && res.Operation == "" {
		// Clip: never write into spare capacity of the checker's slice.
		res.Findings = append(slices.Clip(res.Findings), unmatched(c.plan, it.ex, res))
	}
	return c.result(it.ex, res)
}

// unmatched is the finding of rule operation.unmatched for an exchange no
// operation of the contract describes, its hint naming the flag that loads
// another contract.
func unmatched(plan *validate.Plan, ex *validate.Exchange, res validate.Result) validate.Finding {
	f := plan.Unmatched(ex, res)
	f.Hint += " with --spec"
	return f
}

// inputErrorPair is the report pair of an error of a recording reader.
func inputErrorPair(err error) report.Pair {
	var ee *recording.EntryError
	if errors.As(err, &ee) {
		return report.NewInputError(ee.Source, ee.Entry, ee.Line, ee.Field, ee.Err)
	}
	return report.NewInputError("?", -1, 0, "", err)
}

// sink is the last stage: it writes pairs to the report in order, prints input
// errors on stderr as they come, and counts everything in the summary.
type sink struct {
	w       report.Writer
	stderr  io.Writer
	summary report.Summary
	record  *baseline.Recorder // collects the findings for --write-baseline; nil when not asked
	checked int                // pairs of an operation of the contract
	skips   skipReasons        // why the others were skipped
}

// put takes one pair.
func (s *sink) put(p report.Pair) error {
	switch {
	case p.Verdict == report.VerdictInputError:
		fmt.Fprintln(s.stderr, p.InputErrorLine())
	case p.Operation != "":
		s.checked++
	default:
		s.skips.add(p.Reason)
	}
	s.summary.Add(p)
	if s.record != nil {
		s.record.Add(p)
	}
	return s.w.WritePair(p)
}

// pipelineBudget is the most bytes of entries in flight between the reader
// and the sink: one entry of the largest size the readers take. Entries of a
// few KiB are bounded by pipelineWindow long before; a large one waits until
// the entries before it are done, so that a recording of many 60 MB entries
// holds one or two of them at a time, not a window of them.
var pipelineBudget = int64(recording.MaxEntryBytes)

// checkAll runs the pipeline over jobs until they end, the context is
// cancelled (it returns the context's error) or the report cannot be written.
// Decoding and checking run on GOMAXPROCS workers; the sink gets the pairs in
// the order of jobs, as if one goroutine did everything. After an input error
// that ends a file, the rest of that file's jobs are dropped, and the error
// says, once the file has ended, how much of it was not read. prog, when not
// nil, is told of every pair.
func (c checker) checkAll(ctx context.Context, jobs iter.Seq[job], out *sink, prog *progress) error {
	workers := runtime.GOMAXPROCS(0)
	budget := ordered.Budget[job]{Max: pipelineBudget, Weight: job.weight, Drop: job.drop}
	put := func(p report.Pair) error {
		if err := out.put(p); err != nil {
			return err
		}
		prog.add(p)
		return nil
	}
	var ended *result // the input error that ended its file, held until the file's end
	dropped := 0      // the entries of that file after it
	var take func(r result) error
	take = func(r result) error {
		switch {
		case r.batch != nil:
			for _, r := range *r.batch {
				if err := take(r); err != nil {
					return err
				}
			}
			putResults(r.batch)
		case ended != nil && r.file == ended.file && r.end:
			ended.fault.NoteUnread(r.size, dropped)
			if err := put(inputErrorPair(ended.fault)); err != nil {
				return err
			}
			ended = nil
		case ended != nil && r.file == ended.file:
			if r.entry {
				dropped++
			}
		case r.end, r.blank:
		case r.fault != nil:
			held := r // a copy: r itself stays on the stack
			ended, dropped = &held, 0
		default:
			return put(r.pair)
		}
		return nil
	}
	for r := range ordered.MapBudget(ctx, jobs, workers, pipelineWindow*workers, budget, c.run) {
		if err := take(r); err != nil {
			return err
		}
	}
	if ended != nil { // interrupted before the file's end
		if err := put(ended.pair); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// maxSkipReasons bounds how many distinct skip reasons a run keeps; the
// others are only counted.
const maxSkipReasons = 100

// skipReasons counts why exchanges were skipped, reason by reason, in the
// order first seen.
type skipReasons struct {
	reasons []string
	counts  map[string]int
	other   int // skips of reasons beyond maxSkipReasons
}

// add counts one skip.
func (r *skipReasons) add(reason string) {
	if _, ok := r.counts[reason]; !ok {
		if len(r.reasons) == maxSkipReasons {
			r.other++
			return
		}
		if r.counts == nil {
			r.counts = map[string]int{}
		}
		r.reasons = append(r.reasons, reason)
	}
	r.counts[reason]++
}

// emptyRun says why a run checked no pair: the recordings held no exchange,
// or every exchange was skipped, and for which reasons (the most frequent
// first, at most three), with what to do about it.
func emptyRun(r *skipReasons) string {
	n := r.other
	for _, c := range r.counts {
		n += c
	}
	if n == 0 {
		return "contractcheck: no pair was checked: the recordings hold no exchange; a run that checks nothing fails unless --allow-empty\n"
	}
	var b strings.Builder
	verb := "exchanges were"
	if n == 1 {
		verb = "exchange was"
	}
	fmt.Fprintf(&b, "contractcheck: no pair was checked: %d %s skipped, none of an operation of the contract:\n", n, verb)
	reasons := slices.Clone(r.reasons)
	slices.SortStableFunc(reasons, func(a, b string) int { return r.counts[b] - r.counts[a] })
	shown := 0
	for _, reason := range reasons {
		if shown == 3 {
			break
		}
		fmt.Fprintf(&b, "  %d: %s\n", r.counts[reason], printable(reason))
		shown++
		n -= r.counts[reason]
	}
	if n > 0 {
		fmt.Fprintf(&b, "  %d: other reasons\n", n)
	}
	b.WriteString("contractcheck: --server URL checks another host, --spec FILE another contract; --allow-empty accepts a run that checks nothing\n")
	return b.String()
}
