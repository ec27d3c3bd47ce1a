// Package ordered maps a function over a sequence on several goroutines and
// gives the results back in the order of the sequence.
//
// It is the middle of a streaming pipeline: one goroutine pulls the input in
// order (reading a file, say), workers apply the function, and the caller
// consumes the results in input order. At most window inputs are in flight
// (pulled but not yet consumed), so memory stays bounded whatever the length
// of the sequence; with [MapBudget], inputs in flight are also bounded by
// their total weight (their bytes, say), so that memory stays bounded
// whatever the size of each input.
package ordered

import (
	"context"
	"iter"
	"sync"
)

// slot carries one input to a worker and its result back to the consumer.
type slot[In, Out any] struct {
	in     In
	out    Out
	weight int64         // what the input holds of the budget
	done   chan struct{} // receives a value when out is set; made once a slot, reused with it
}

// Budget bounds the inputs in flight by their total weight.
type Budget[In any] struct {
	// Max is the most weight in flight; 0 for no bound. An input that weighs
	// Max or more is let in alone, once nothing else is in flight.
	Max int64
	// Weight returns the weight of an input, such as the bytes it holds.
	Weight func(In) int64
	// Drop, when not nil, is called for each input that was pulled from in
	// but never given to f, because the run was cancelled or its consumer
	// stopped, so that an input that holds a resource can let it go. It may
	// run on any goroutine of MapBudget's, before its sequence returns.
	Drop func(In)
}

// gate lets weight in up to a budget. One goroutine acquires; others
// release.
type gate struct {
	mu   sync.Mutex
	max  int64
	used int64
	wake chan struct{} // a release happened
}

// acquire waits until w more fits the budget, or nothing is in flight, and
// takes it. It returns false when ctx is done first.
func (g *gate) acquire(ctx context.Context, w int64) bool {
	for {
		g.mu.Lock()
		if g.used == 0 || g.used+w <= g.max {
			g.used += w
			g.mu.Unlock()
			return true
		}
		g.mu.Unlock()
		select {
		case <-g.wake:
		case <-ctx.Done():
			return false
		}
	}
}

// release gives w back.
func (g *gate) release(w int64) {
	if w == 0 {
		return
	}
	g.mu.Lock()
	g.used -= w
	g.mu.Unlock()
	select {
	case g.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// Map returns the results of f applied to each value of in, in the order of
// in. f runs on workers goroutines (at least one) and must be safe to call
// concurrently; it must not panic. At most window values (at least workers)
// are in flight. in is ranged over on a goroutine of its own, once.
//
// The sequence ends when in does, when the consumer stops ranging, or when ctx
// is cancelled (the results still in flight are dropped; the caller tells
// from ctx.Err whether the results are complete). Every goroutine Map starts
// has ended by the time the range loop over its result returns.
func Map[In, Out any](ctx context.Context, in iter.Seq[In], workers, window int, f func(In) Out) iter.Seq[Out] {
	return MapBudget(ctx, in, workers, window, Budget[In]{}, f)
}

// MapBudget is [Map] with the inputs in flight also bounded by their total
// weight: the feeder waits before pulling more while the inputs in flight
// weigh budget.Max (an input is in flight until the consumer's loop body has
// run for its result).
func MapBudget[In, Out any](ctx context.Context, in iter.Seq[In], workers, window int, budget Budget[In], f func(In) Out) iter.Seq[Out] {
	workers = max(workers, 1)
	window = max(window, workers)
	return func(yield func(Out) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		order := make(chan *slot[In, Out], window)  // in input order, to the consumer
		work := make(chan *slot[In, Out], window+1) // to the workers
		pool := sync.Pool{New: func() any { return &slot[In, Out]{} }}
		g := &gate{max: budget.Max, wake: make(chan struct{}, 1)}
		var wg sync.WaitGroup
		defer wg.Wait()
		defer cancel() // runs before wg.Wait: stops the feeder and the workers
		drop := func(v In) {
			if budget.Drop != nil {
				budget.Drop(v)
			}
		}

		wg.Add(1)
		go func() { // the feeder: pulls in, in order
			defer wg.Done()
			defer close(order)
			defer close(work)
			for v := range in {
				if ctx.Err() != nil {
					drop(v)
					return
				}
				var w int64
				if budget.Max > 0 {
					w = min(max(budget.Weight(v), 0), budget.Max)
					if !g.acquire(ctx, w) {
						drop(v)
						return
					}
				}
				s := pool.Get().(*slot[In, Out])
				s.in, s.weight = v, w
				if s.done == nil {
					s.done = make(chan struct{}, 1)
				}
				select {
				case order <- s: // blocks while window values are in flight
				case <-ctx.Done():
					drop(v)
					return
				}
				// Workers drain work even when cancelled, and it has room for
				// every slot in flight: this does not block for long.
				work <- s
			}
		}()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for s := range work {
					if ctx.Err() == nil {
						s.out = f(s.in)
					} else {
						drop(s.in)
					}
					s.done <- struct{}{} // never blocks: one send a use of the slot
				}
			}()
		}
		for s := range order {
			select {
			case <-s.done:
			case <-ctx.Done():
				return
			}
			out, w := s.out, s.weight
			var zeroIn In
			var zeroOut Out
			s.in, s.out, s.weight = zeroIn, zeroOut, 0
			pool.Put(s) // with its done channel, empty again
			if !yield(out) {
				return
			}
			g.release(w) // once the consumer is done with the result

		}
	}
}
