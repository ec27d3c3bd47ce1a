package main

import (
	"fmt"
	"io"
	"path"
	"slices"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// results are the measurements of each benchmark, keyed by the last element
// of its package path and its name without "Benchmark" and the GOMAXPROCS
// suffix: "bench.PairContractcheck", "validate.LoadEmbedded".
type results map[string]*samples

// samples are one benchmark's measurements over its runs, in the order of
// the runs.
type samples struct {
	ns, bytes, allocs []float64
}

// read adds the benchmark results of r, named name in errors.
func (res results) read(r io.Reader, name string) error {
	rd := benchfmt.NewReader(r, name)
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			return fmt.Errorf("reading benchmark results: %w", rec)
		case *benchfmt.Result:
			base, _ := rec.Name.Parts()
			key := path.Base(rec.GetConfig("pkg")) + "." + string(base)
			s := res[key]
			if s == nil {
				s = &samples{}
				res[key] = s
			}
			for _, v := range rec.Values {
				switch v.Unit {
				case "sec/op":
					s.ns = append(s.ns, v.Value*1e9)
				case "B/op":
					s.bytes = append(s.bytes, v.Value)
				case "allocs/op":
					s.allocs = append(s.allocs, v.Value)
				}
			}
		}
	}
	if err := rd.Err(); err != nil {
		return fmt.Errorf("reading benchmark results from %s: %w", name, err)
	}
	return nil
}

// summary is the median of a measurement and the spread of its 95%
// confidence interval, as benchstat computes them.
type summary struct {
	median float64
	spread string // "±3%", or "" for a single run
	ok     bool   // false when there were no values
}

// summarize summarizes values.
func summarize(values []float64) summary {
	if len(values) == 0 {
		return summary{}
	}
	// NewSample sorts its values: give it a copy, to keep the order of the
	// runs for ratio.
	s := benchmath.AssumeNothing.Summary(benchmath.NewSample(slices.Clone(values), &benchmath.DefaultThresholds), 0.95)
	out := summary{median: s.Center, ok: true}
	if len(values) > 1 {
		out.spread = "±" + s.PctRangeString()
	}
	return out
}
