// Package ordered maps a function over a sequence on several goroutines and
// gives the results back in the order of the sequence.
//
// It is the middle of a streaming pipeline: one goroutine pulls the input in
// order (reading a file, say), workers apply the function, and the caller
// consumes the results in input order. At most window inputs are in flight
// (pulled but not yet consumed), so memory stays bounded whatever the length
// of the sequence.
package ordered

import (
	"context"
	"iter"
	"sync"
)

// slot carries one input to a worker and its result back to the consumer.
type slot[In, Out any] struct {
	in   In
	out  Out
	done chan struct{} // closed when out is set
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
	workers = max(workers, 1)
	window = max(window, workers)
	return func(yield func(Out) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		order := make(chan *slot[In, Out], window)  // in input order, to the consumer
		work := make(chan *slot[In, Out], window+1) // to the workers
		pool := sync.Pool{New: func() any { return &slot[In, Out]{} }}
		var wg sync.WaitGroup
		defer wg.Wait()
		defer cancel() // runs before wg.Wait: stops the feeder and the workers

		wg.Add(1)
		go func() { // the feeder: pulls in, in order
			defer wg.Done()
			defer close(order)
			defer close(work)
			for v := range in {
				if ctx.Err() != nil {
					return
				}
				s := pool.Get().(*slot[In, Out])
				s.in, s.done = v, make(chan struct{})
				select {
				case order <- s: // blocks while window values are in flight
				case <-ctx.Done():
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
					}
					close(s.done)
				}
			}()
		}
		for s := range order {
			select {
			case <-s.done:
			case <-ctx.Done():
				return
			}
			out := s.out
			var zeroIn In
			var zeroOut Out
			s.in, s.out, s.done = zeroIn, zeroOut, nil
			pool.Put(s)
			if !yield(out) {
				return
			}
		}
	}
}
