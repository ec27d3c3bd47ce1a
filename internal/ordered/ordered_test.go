package ordered

import (
	"context"
	"iter"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// count yields 0, 1, … n-1 and counts how many it has handed out.
func count(n int, pulled *atomic.Int64) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			pulled.Add(1)
			if !yield(i) {
				return
			}
		}
	}
}

// jittery squares i after a random pause, so that workers finish out of order.
func jittery(i int) int {
	time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
	return i * i
}

// noLeaks checks that the goroutines a test started have ended.
func noLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		// Map waits for its goroutines before it returns; allow the runtime a
		// moment to count them out.
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines leaked")
	})
}

func TestMapKeepsOrder(t *testing.T) {
	for _, tt := range []struct{ n, workers, window int }{
		{0, 4, 8}, {1, 1, 1}, {1000, 4, 8}, {1000, 8, 1}, {1000, 0, 0}, {300, 3, 100},
	} {
		noLeaks(t)
		var pulled atomic.Int64
		var got []int
		for v := range Map(context.Background(), count(tt.n, &pulled), tt.workers, tt.window, jittery) {
			got = append(got, v)
		}
		require.Len(t, got, tt.n, "%+v", tt)
		for i, v := range got {
			require.Equal(t, i*i, v, "%+v: result %d", tt, i)
		}
	}
}

func TestMapBoundsWhatIsInFlight(t *testing.T) {
	noLeaks(t)
	const workers, window = 4, 6
	var pulled atomic.Int64
	consumed := 0
	for range Map(context.Background(), count(500, &pulled), workers, window, jittery) {
		consumed++
		// Pulled but not consumed: the window, the one a worker may hold while
		// the feeder waits, and the one the feeder has pulled.
		require.LessOrEqual(t, pulled.Load()-int64(consumed), int64(window+2))
		if consumed%50 == 0 {
			time.Sleep(2 * time.Millisecond) // let the feeder run ahead, if it can
		}
	}
	assert.Equal(t, 500, consumed)
}

func TestMapStopsWhenTheConsumerStops(t *testing.T) {
	noLeaks(t)
	var pulled atomic.Int64
	got := 0
	for v := range Map(context.Background(), count(1_000_000, &pulled), 4, 8, jittery) {
		require.Equal(t, got*got, v)
		if got++; got == 20 {
			break
		}
	}
	assert.Equal(t, 20, got)
	assert.Less(t, pulled.Load(), int64(40), "the input was read on after the consumer stopped")
}

func TestMapStopsWhenCancelled(t *testing.T) {
	noLeaks(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var pulled atomic.Int64
	got := 0
	for v := range Map(ctx, count(1_000_000, &pulled), 4, 8, jittery) {
		require.Equal(t, got*got, v)
		if got++; got == 10 {
			cancel()
		}
	}
	assert.Less(t, got, 30, "results kept coming after cancellation")
	assert.Less(t, pulled.Load(), int64(50))
}

// TestMapBudgetBoundsWeight checks that the inputs in flight never weigh
// more than the budget, and that an input heavier than the budget goes in
// alone.
func TestMapBudgetBoundsWeight(t *testing.T) {
	noLeaks(t)
	const limit = 150
	weights := make([]int64, 400)
	for i := range weights {
		weights[i] = 1 + rand.Int64N(100)
		if i%37 == 0 {
			weights[i] = 3 * limit // a heavy one
		}
	}
	var mu sync.Mutex
	var inFlight int64 // the weight of inputs started and not yet consumed
	over := 0
	f := func(i int) int {
		mu.Lock()
		if weights[i] > limit && inFlight > 0 || weights[i] <= limit && inFlight+weights[i] > limit {
			over++
		}
		inFlight += weights[i]
		mu.Unlock()
		return jittery(i)
	}
	budget := Budget[int]{Max: limit, Weight: func(i int) int64 { return weights[i] }}
	var pulled atomic.Int64
	n := 0
	for v := range MapBudget(context.Background(), count(len(weights), &pulled), 4, 64, budget, f) {
		require.Equal(t, n*n, v)
		mu.Lock()
		inFlight -= weights[n]
		mu.Unlock()
		n++
	}
	assert.Equal(t, len(weights), n)
	assert.Zero(t, over, "inputs went in past the budget")
}

// TestMapBudgetStopsWhenCancelled checks that a feeder waiting for the
// budget stops when the context is cancelled.
func TestMapBudgetStopsWhenCancelled(t *testing.T) {
	noLeaks(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	budget := Budget[int]{Max: 10, Weight: func(int) int64 { return 10 }}
	var pulled atomic.Int64
	n := 0
	for range MapBudget(ctx, count(1000, &pulled), 2, 8, budget, func(i int) int { return i }) {
		if n++; n == 3 {
			cancel()
		}
	}
	assert.Less(t, pulled.Load(), int64(10))
}

// TestMapBudgetDropsWhatItDoesNotRun checks that every input pulled is either
// given to f or to Drop, exactly once, when the consumer stops early and when
// the run is cancelled, so that inputs holding resources (open files) let
// them go.
func TestMapBudgetDropsWhatItDoesNotRun(t *testing.T) {
	for _, cancelRun := range []bool{false, true} {
		noLeaks(t)
		ctx, cancel := context.WithCancel(context.Background())
		var pulled, ran, dropped atomic.Int64
		seen := make([]atomic.Int32, 1_000_000)
		budget := Budget[int]{Max: 100, Weight: func(int) int64 { return 10 },
			Drop: func(i int) { dropped.Add(1); seen[i].Add(1) }}
		f := func(i int) int { ran.Add(1); seen[i].Add(1); return jittery(i) }
		got := 0
		for range MapBudget(ctx, count(len(seen), &pulled), 4, 8, budget, f) {
			if got++; got == 20 {
				if !cancelRun {
					break
				}
				cancel()
			}
		}
		cancel()
		assert.Equal(t, pulled.Load(), ran.Load()+dropped.Load(), "cancel %v: pulled = ran + dropped", cancelRun)
		for i := range pulled.Load() {
			require.EqualValues(t, 1, seen[i].Load(), "cancel %v: input %d given to f or Drop once", cancelRun, i)
		}
	}
}
