package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
)

// writeBenchHAR writes a HAR of n entries, cycling through the exchanges of
// the shipped valid and demo recordings, and returns its path and size.
func writeBenchHAR(b *testing.B, n int) (string, int64) {
	return writeBenchRecording(b, n, "bench.har")
}

// writeBenchRecording writes a recording of n entries, cycling through the
// exchanges of the shipped valid and demo recordings, as a HAR or (when name
// ends in .ndjson) NDJSON, and returns its path and size.
func writeBenchRecording(b *testing.B, n int, name string) (string, int64) {
	b.Helper()
	var exs []*validate.Exchange
	for _, name := range []string{"valid.har", "traffic.har"} {
		f, err := os.Open(filepath.Join("..", "..", "testdata", "recordings", name))
		if err != nil {
			b.Fatal(err)
		}
		for ex, err := range recording.Read(name, f) {
			if err != nil {
				b.Fatal(err)
			}
			exs = append(exs, ex)
		}
		f.Close()
	}
	path := filepath.Join(b.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if strings.HasSuffix(name, ".ndjson") {
		w := recording.NewNDJSONWriter(f)
		for i := 0; i < n; i++ {
			if err := w.Write(exs[i%len(exs)]); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		w := recording.NewHARWriter(f, "contractcheck-bench/1")
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < n; i++ {
			if err := w.Write(exs[i%len(exs)], start.Add(time.Duration(i)*time.Millisecond), 80*time.Millisecond); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path, st.Size()
}

// BenchmarkCheckHAR runs `contractcheck check --format ndjson` end to end on
// a HAR of 2,000 entries: reading, checking and reporting.
func BenchmarkCheckHAR(b *testing.B) {
	benchmarkCheck(b, "bench.har")
}

// BenchmarkCheckNDJSON is BenchmarkCheckHAR on the same exchanges as NDJSON.
func BenchmarkCheckNDJSON(b *testing.B) {
	benchmarkCheck(b, "bench.ndjson")
}

// benchmarkCheck runs `contractcheck check --format ndjson` end to end on a
// recording of 2,000 entries named name.
func benchmarkCheck(b *testing.B, name string) {
	path, size := writeBenchRecording(b, 2000, name)
	b.SetBytes(size)
	b.ReportAllocs()
	var stderr bytes.Buffer
	for b.Loop() {
		stderr.Reset()
		if code := run(context.Background(), []string{"check", "--format", "ndjson", path}, nil, io.Discard, &stderr); code != 1 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2000, "ns/pair")
}
