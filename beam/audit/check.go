package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"slices"
	"strconv"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/sdf"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/rtrackers/offsetrange"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
	"github.com/contractcheck/contractcheck/validate/report"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

func init() {
	register.DoFn5x1[context.Context, *sdf.LockRTracker, File, func(int, string), func(Tally), error](&checkFn{})
	register.Emitter2[int, string]()
	register.Emitter1[Tally]()
}

// checkFn checks the exchanges of a file. It is a splittable DoFn: an NDJSON
// file is a range of bytes, cut in blocks of BlockSize at first, and the
// runner may split a block again while it is read (Prism does to use every
// core, Dataflow to balance its workers); a worker checks the lines that
// start in its range. Any other file is one position, read whole. It emits
// each pair that has a finding, and each input error, as its line of the
// NDJSON report keyed by its shard, and one tally of its range.
type checkFn struct {
	Settings  Settings `json:"settings"`
	Shards    int      `json:"shards"`
	BlockSize int64    `json:"block_size"`

	plan   *validate.Plan
	rules  *ruleset.Set
	failOn validate.Severity
	buf    bytes.Buffer
	ndjson report.Writer // writes into buf
}

// Setup loads the contract and the rule settings, once per worker.
func (fn *checkFn) Setup() error {
	var err error
	if fn.plan, fn.rules, err = fn.Settings.load(); err != nil {
		return err
	}
	fn.failOn, _ = fn.rules.FailOn()
	fn.ndjson = report.NewNDJSON(&fn.buf)
	return nil
}

// CreateInitialRestriction is the bytes of an NDJSON file, or the one
// position of a file read whole.
func (fn *checkFn) CreateInitialRestriction(f File) offsetrange.Restriction {
	if f.Whole {
		return offsetrange.Restriction{Start: 0, End: 1}
	}
	return offsetrange.Restriction{Start: 0, End: f.Size}
}

// SplitRestriction cuts an NDJSON file in blocks.
func (fn *checkFn) SplitRestriction(f File, r offsetrange.Restriction) []offsetrange.Restriction {
	if f.Whole || r.End-r.Start <= fn.BlockSize {
		return []offsetrange.Restriction{r}
	}
	out := cut(r.End-r.Start, fn.BlockSize)
	for i := range out {
		out[i].Start += r.Start
		out[i].End += r.Start
	}
	return out
}

// RestrictionSize is the bytes to read.
func (fn *checkFn) RestrictionSize(f File, r offsetrange.Restriction) float64 {
	if f.Whole {
		return float64(f.Size)
	}
	return r.Size()
}

// CreateTracker tracks the lines claimed, by where they start.
func (fn *checkFn) CreateTracker(r offsetrange.Restriction) *sdf.LockRTracker {
	return sdf.NewLockRTracker(offsetrange.NewTracker(r))
}

// ProcessElement checks the lines of f that start in rt's range, as long as
// they are its own, or the whole of f.
func (fn *checkFn) ProcessElement(ctx context.Context, rt *sdf.LockRTracker, f File, emitLine func(int, string), emitTally func(Tally)) error {
	r, err := open(ctx, f.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	start := rt.GetRestriction().(offsetrange.Restriction).Start
	var frames iter.Seq2[*recording.Frame, error]
	if f.Whole {
		if !rt.TryClaim(start) {
			return nil
		}
		frames = recording.Frames(f.Path, r)
	} else {
		frames = recording.NDJSONRange(f.Path, r, start, -1)
	}
	// The lines are emitted with the tally, when the range is done: Prism
	// splits a bundle only when its outputs stall, and a worker that emits
	// nothing while it reads its range lets Prism give half of it to another
	// core. They take at most a few MB of a 64 MiB block.
	var t Tally
	var lines []shardLine
	claimed := true // whether every line read was claimed: the range read to its end
	for frame, err := range frames {
		if err := ctx.Err(); err != nil {
			return err
		}
		if frame != nil && !f.Whole && !rt.TryClaim(frame.Offset) {
			frame.Release()
			claimed = false
			break // the line is another worker's, since a split
		}
		ex, err := decode(frame, err)
		if ex == nil && err == nil {
			continue // a blank line
		}
		var entryErr *recording.EntryError
		if !f.Whole && errors.As(err, &entryErr) && entryErr.Entry < 0 {
			// The file could not be read on: fail the bundle, for the runner
			// to retry it, rather than audit a part.
			return err
		}
		if lines, err = fn.add(&t, lines, fn.pair(ex, err)); err != nil {
			return err
		}
		if errors.As(err, &entryErr) && entryErr.Final() {
			break // as check: nothing of the file can be read after it
		}
	}
	if claimed {
		// The end of the file: claim the rest of the range, which holds no line.
		rt.TryClaim(rt.GetRestriction().(offsetrange.Restriction).End)
	}
	for _, l := range lines {
		emitLine(l.shard, l.line)
	}
	emitTally(t)
	return nil
}

// shardLine is a line of the findings and its shard.
type shardLine struct {
	shard int
	line  string
}

// add counts a pair in t, and adds its line to lines when it has findings
// or is an input error.
func (fn *checkFn) add(t *Tally, lines []shardLine, p report.Pair) ([]shardLine, error) {
	t.Add(p)
	if len(p.Findings) == 0 && p.Verdict != report.VerdictInputError {
		return lines, nil
	}
	line, err := fn.line(p)
	if err != nil {
		return lines, err
	}
	return append(lines, shardLine{fn.shard(p), line}), nil
}

// decode decodes a frame and releases it, or passes on the problem of
// framing it. A panic while decoding is an input error of the entry, as in
// check (Frame.Decode recovers it).
func decode(f *recording.Frame, frameErr error) (*validate.Exchange, error) {
	if frameErr != nil {
		return nil, frameErr
	}
	defer f.Release()
	return f.Decode()
}

// pair checks one exchange, or reports its input error, as check does: the
// rule settings apply to the findings before the verdict.
func (fn *checkFn) pair(ex *validate.Exchange, err error) (p report.Pair) {
	if err != nil {
		var ee *recording.EntryError
		if errors.As(err, &ee) {
			return report.NewInputError(ee.Source, ee.Entry, ee.Line, ee.Field, ee.Err)
		}
		return report.NewInputError("?", -1, 0, "", err)
	}
	defer func() {
		if v := recover(); v != nil {
			p = report.NewInputError(ex.Source, ex.Entry, ex.Line, "",
				fmt.Errorf("internal error: checking this exchange panicked (please report it): %v", v))
		}
	}()
	res := fn.plan.Check(ex)
	if fn.Settings.FailOnUnmatched && res.Operation == "" {
		res.Findings = append(slices.Clip(res.Findings), unmatched(fn.plan, ex, res))
	}
	res.Findings = fn.rules.Apply(res.Findings)
	return report.NewPair(ex, res, fn.failOn)
}

// unmatched is the finding of rule operation.unmatched for an exchange no
// operation of the contract describes. Its hint names the flag that loads
// another contract, as check's does: contractcheck-beam takes --spec too,
// and an audit on Beam reports what check reports.
func unmatched(plan *validate.Plan, ex *validate.Exchange, res validate.Result) validate.Finding {
	f := plan.Unmatched(ex, res)
	f.Hint += " with --spec"
	return f
}

// line is the pair's line of the NDJSON report, without its newline.
func (fn *checkFn) line(p report.Pair) (string, error) {
	fn.buf.Reset()
	if err := fn.ndjson.WritePair(p); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(fn.buf.Bytes(), []byte("\n"))), nil
}

// shard spreads the pairs over the shards by their place.
func (fn *checkFn) shard(p report.Pair) int {
	h := fnv.New32a()
	h.Write([]byte(p.Source))
	h.Write([]byte{0})
	h.Write(strconv.AppendInt(nil, int64(p.Entry), 10))
	return int(h.Sum32() % uint32(fn.Shards))
}
