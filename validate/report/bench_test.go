package report

import (
	"io"
	"testing"

	"github.com/contractcheck/contractcheck/validate"
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

// BenchmarkNewPair builds the report pair of a checked exchange with Basic
// credentials, as the CLI does for every pair: a passing one (its URL
// redacted) and a failing one (its URL and its replay).
func BenchmarkNewPair(b *testing.B) {
	ex := exchange(0, "https://conversations.twilio.com/v1/Conversations/"+testConv+"/Webhooks", 201)
	ex.Request.Header.Set("Authorization", testBasicAuth)
	for _, c := range []struct {
		name string
		res  validate.Result
	}{
		{"pass", validate.Result{Operation: testOp}},
		{"fail", validate.Result{Operation: testOp, Findings: []validate.Finding{findingUnknownKey}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NewPair(ex, c.res, validate.SeverityError)
			}
		})
	}
}
