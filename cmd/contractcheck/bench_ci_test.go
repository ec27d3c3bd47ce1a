package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/contractcheck/contractcheck/validate/report"
)

// BenchmarkCheckHARFormats runs check end to end on a HAR of 2,000 entries
// in each report format, and with a baseline and rule settings, to compare
// their cost with BenchmarkCheckHAR (ndjson).
func BenchmarkCheckHARFormats(b *testing.B) {
	path, size := writeBenchHAR(b, 2000)
	base := filepath.Join(b.TempDir(), "baseline.json")
	if code := run(context.Background(), []string{"check", "--write-baseline", base, path}, nil, io.Discard, io.Discard); code != 0 {
		b.Fatalf("writing the baseline: exit %d", code)
	}
	cases := map[string][]string{}
	for _, f := range report.Formats() {
		cases[string(f)] = []string{"--format", string(f)}
	}
	cases["baseline"] = []string{"--format", "ndjson", "--baseline", base}
	cases["rules"] = []string{"--format", "ndjson", "--rule", "sid.format=warning", "--rule", "cors.vary-origin=off"}
	for name, args := range cases {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			var stderr bytes.Buffer
			for b.Loop() {
				stderr.Reset()
				code := run(context.Background(), append(append([]string{"check"}, args...), path), nil, io.Discard, &stderr)
				if code != 0 && code != 1 {
					b.Fatalf("exit %d: %s", code, stderr.String())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2000, "ns/pair")
		})
	}
}
