package report

import (
	"io"
	"testing"
)

// BenchmarkWriters writes the synthetic pairs (two passing, two failing, a
// skipped one, two input errors) in each format: the cost of rendering, per
// pair, without checking.
func BenchmarkWriters(b *testing.B) {
	pairs := testPairs()
	var s Summary
	for _, p := range pairs {
		s.Add(p)
	}
	for _, f := range Formats() {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w, err := New(io.Discard, f, Options{Contract: testContract})
				if err != nil {
					b.Fatal(err)
				}
				for range 100 {
					for _, p := range pairs {
						if err := w.WritePair(p); err != nil {
							b.Fatal(err)
						}
					}
				}
				if err := w.Finish(s); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(100*len(pairs)), "ns/pair")
		})
	}
}
