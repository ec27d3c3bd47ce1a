package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/contractcheck/contractcheck/internal/ordered"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
	"github.com/contractcheck/contractcheck/validate/report"
)

// writeBenchHAR writes a HAR of n entries, cycling through the exchanges of
// the shipped valid and demo recordings, and returns its path and size.
func writeBenchHAR(b *testing.B, n int) (string, int64) {
	return writeBenchRecording(b, n, "bench.har")
}

// writeBenchRecording writes a recording of n entries, cycling through the
// exchanges of the shipped recordings sources (by default the valid and demo
// ones), as a HAR or (when name ends in .ndjson) NDJSON, and returns its path
// and size.
func writeBenchRecording(b *testing.B, n int, name string, sources ...string) (string, int64) {
	b.Helper()
	if len(sources) == 0 {
		sources = []string{"valid.har", "traffic.har"}
	}
	var exs []*validate.Exchange
	for _, name := range sources {
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
	cpu := cpuTime()
	var stderr bytes.Buffer
	for b.Loop() {
		stderr.Reset()
		if code := run(context.Background(), []string{"check", "--format", "ndjson", path}, nil, io.Discard, &stderr); code != 1 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
	reportPerPair(b, 2000, cpu)
}

// BenchmarkPipelineHAR is BenchmarkCheckHAR without validate.Plan.Check:
// framing, decoding on GOMAXPROCS workers, and writing each pair (as if it had
// no findings) in order. It is what the pipeline costs around the checker, so
// that the end-to-end speed of a faster checker can be estimated: per pair, the
// time of this benchmark plus Check's time divided by the cores.
func BenchmarkPipelineHAR(b *testing.B) {
	path, size := writeBenchHAR(b, 2000)
	b.SetBytes(size)
	b.ReportAllocs()
	workers := runtime.GOMAXPROCS(0)
	cpu := cpuTime()
	for b.Loop() {
		w, err := report.New(io.Discard, report.FormatNDJSON, report.Options{})
		if err != nil {
			b.Fatal(err)
		}
		out := &sink{w: w, stderr: io.Discard}
		pairs := ordered.Map(context.Background(), recordings(context.Background(), []string{path}, nil, nil), workers, pipelineWindow*workers,
			func(j job) []report.Pair {
				frames := []*recording.Frame{j.frame}
				if j.batch != nil {
					defer j.drop()
					j.batch.Read()
					frames = j.batch.Frames
				}
				var ps []report.Pair
				for _, f := range frames {
					if f == nil {
						continue
					}
					ex, err := decode(f)
					if err != nil {
						b.Error(err)
						continue
					}
					ps = append(ps, report.NewPair(ex, validate.Result{Operation: "CreateConversationScopedWebhook"}, validate.SeverityError))
				}
				return ps
			})
		for ps := range pairs {
			for _, p := range ps {
				if err := out.put(p); err != nil {
					b.Fatal(err)
				}
			}
		}
		if out.summary.Pairs != 2000 {
			b.Fatalf("%d pairs, want 2000", out.summary.Pairs)
		}
	}
	reportPerPair(b, 2000, cpu)
}

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}

// reportPerPair reports the wall time and the CPU time (all cores, since
// start was taken) per pair, for n pairs an op. On a shared machine the CPU
// time is the steadier measure: with c cores to itself, a run takes about
// cpu-ns/pair / c per pair.
func reportPerPair(b *testing.B, n int, start time.Duration) {
	pairs := float64(b.N * n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/pairs, "ns/pair")
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/pairs, "cpu-ns/pair")
}

// BenchmarkAudit runs `contractcheck check --quiet` on a recording of the
// documentation's example pair, which keeps the contract: the audit of issue
// 16's figures. The recording is $AUDIT_FILE when set (make profile-audit
// sets it to a 100 MiB HAR: auditbench gen -valid), otherwise a HAR of 2,000
// copies of the pair, as HARWriter writes them; the contract is $AUDIT_SPEC when set (make profile-audit: Twilio's
// full Conversations spec), otherwise the embedded one.
func BenchmarkAudit(b *testing.B) {
	path, pairs := os.Getenv("AUDIT_FILE"), 0
	if path == "" {
		path, _ = writeBenchRecording(b, 2000, "valid.har", "docs-example.har")
		pairs = 2000
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	args := []string{"check", "--quiet"}
	if spec := os.Getenv("AUDIT_SPEC"); spec != "" {
		args = append(args, "--spec", spec)
	}
	args = append(args, path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var stdout, stderr bytes.Buffer
	for b.Loop() {
		stdout.Reset()
		stderr.Reset()
		if code := run(context.Background(), args, nil, &stdout, &stderr); code != 0 {
			b.Fatalf("exit %d: %s%s", code, stdout.String(), stderr.String())
		}
	}
	if pairs > 0 && !strings.HasPrefix(stdout.String(), fmt.Sprintf("%d pairs: %d passed,", pairs, pairs)) {
		b.Fatalf("want %d passing pairs, got %s", pairs, stdout.String())
	}
}
