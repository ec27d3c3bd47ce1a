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

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
	"github.com/contractcheck/contractcheck/validate/report"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

func init() {
	register.DoFn4x1[context.Context, Block, func(int, string), func(Tally), error](&checkFn{})
	register.Emitter2[int, string]()
	register.Emitter1[Tally]()
}

// checkFn checks the exchanges of a block. It emits each pair that has a
// finding, and each input error, as its line of the NDJSON report, keyed by
// its shard; and one tally of the block.
type checkFn struct {
	Settings Settings `json:"settings"`
	Shards   int      `json:"shards"`

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

// ProcessElement checks the block.
func (fn *checkFn) ProcessElement(ctx context.Context, b Block, emitLine func(int, string), emitTally func(Tally)) error {
	r, err := open(ctx, b.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	var frames iter.Seq2[*recording.Frame, error]
	if b.Whole {
		frames = recording.Frames(b.Path, r)
	} else {
		frames = recording.NDJSONRange(b.Path, r, b.Start, b.End)
	}
	var t Tally
	for f, err := range frames {
		if err := ctx.Err(); err != nil {
			return err
		}
		ex, err := decode(f, err)
		if ex == nil && err == nil {
			continue // a blank line
		}
		var entryErr *recording.EntryError
		if !b.Whole && errors.As(err, &entryErr) && entryErr.Entry < 0 {
			// The file could not be read on: fail the bundle, for the runner
			// to retry it, rather than audit a part.
			return err
		}
		p := fn.pair(ex, err)
		t.Add(p)
		if len(p.Findings) > 0 || p.Verdict == report.VerdictInputError {
			line, err := fn.line(p)
			if err != nil {
				return err
			}
			emitLine(fn.shard(p), line)
		}
		if errors.As(err, &entryErr) && entryErr.Final() {
			break // as check: nothing of the file can be read after it
		}
	}
	emitTally(t)
	return nil
}

// decode decodes a frame, or passes on the problem of framing it. A panic
// while decoding becomes an input error of the entry, as in check.
func decode(f *recording.Frame, frameErr error) (ex *validate.Exchange, err error) {
	if frameErr != nil {
		return nil, frameErr
	}
	defer func() {
		if v := recover(); v != nil {
			ex, err = nil, &recording.EntryError{Source: f.Source, Entry: f.Entry, Line: f.Line,
				Err: fmt.Errorf("internal error: reading this entry panicked (please report it): %v", v)}
		}
	}()
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
		res.Findings = append(slices.Clip(res.Findings), fn.plan.Unmatched(ex, res))
	}
	res.Findings = fn.rules.Apply(res.Findings)
	return report.NewPair(ex, res, fn.failOn)
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
