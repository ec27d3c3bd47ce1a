//go:build !race

// The race detector's sync.Pool drops some of what it is given.

package ordered

import (
	"context"
	"testing"
)

// TestMapAllocatesNothingAnItem checks that Map's cost an item includes no
// allocation: its slots come from a pool with their channels, so that what
// it allocates is a run's, whatever the number of items.
func TestMapAllocatesNothingAnItem(t *testing.T) {
	run := func(n int) float64 {
		in := func(yield func(int) bool) {
			for i := range n {
				if !yield(i) {
					return
				}
			}
		}
		return testing.AllocsPerRun(20, func() {
			got := 0
			for range MapBudget(context.Background(), in, 2, 32, Budget[int]{Max: 1 << 20, Weight: func(int) int64 { return 1 }}, func(i int) int { return i }) {
				got++
			}
			if got != n {
				t.Fatalf("%d results, want %d", got, n)
			}
		})
	}
	small, large := run(100), run(4100)
	perItem := (large - small) / 4000
	t.Logf("allocations: %.0f a run of 100 items, %.0f of 4,100: %.3f an item", small, large, perItem)
	if perItem > 0.1 {
		t.Errorf("%.3f allocations an item, want none", perItem)
	}
}
