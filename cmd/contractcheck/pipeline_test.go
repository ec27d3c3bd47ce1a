package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/report"
)

// countingWriter is a report writer that checks, at each pair, how many
// entries were pulled from the reader and not yet written.
type countingWriter struct {
	pulled  *atomic.Int64
	written int64
	worst   int64
}

func (w *countingWriter) WritePair(report.Pair) error {
	w.written++
	w.worst = max(w.worst, w.pulled.Load()-w.written)
	return nil
}

func (w *countingWriter) Finish(report.Summary) error { return nil }

// TestCheckAllBoundsBytesInFlight checks that the pipeline holds entries up
// to a byte budget, not only up to a number of them: with entries larger than
// the budget, one is checked at a time (and the next one read meanwhile),
// where the window would let 16 a worker in.
func TestCheckAllBoundsBytesInFlight(t *testing.T) {
	dir := t.TempDir()
	pad := strings.Repeat("x", 64<<10)
	var b strings.Builder
	for i := range 40 {
		fmt.Fprintf(&b, `{"request":{"method":"GET","url":"/%d","headers":{"X-Pad":%q}},"response":{"status":200}}`+"\n", i, pad)
	}
	name := filepath.Join(dir, "big.ndjson")
	require.NoError(t, os.WriteFile(name, []byte(b.String()), 0o644))

	old := pipelineBudget
	pipelineBudget = 32 << 10 // each entry is over it
	t.Cleanup(func() { pipelineBudget = old })

	plan, err := validate.Embedded()
	require.NoError(t, err)
	var pulled atomic.Int64
	w := &countingWriter{pulled: &pulled}
	jobs := counted(recordings(context.Background(), []string{name}, nil, nil), &pulled)
	require.NoError(t, checker{plan: plan}.checkAll(context.Background(), jobs, &sink{w: w, stderr: io.Discard}, nil))
	assert.Equal(t, int64(40), w.written)
	// The entry being written, the one read while it was checked, and the
	// next one, pulled while the reader waits for room.
	assert.LessOrEqual(t, w.worst, int64(2), "entries in flight")
}

// counted counts the entries (not the ends of files) pulled from jobs.
func counted(jobs iter.Seq[job], n *atomic.Int64) iter.Seq[job] {
	return func(yield func(job) bool) {
		for j := range jobs {
			if !j.end {
				n.Add(1)
			}
			if !yield(j) {
				return
			}
		}
	}
}
