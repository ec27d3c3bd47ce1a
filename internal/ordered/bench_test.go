package ordered

import (
	"context"
	"runtime"
	"testing"
)

// BenchmarkMap measures what Map costs an item, around a function that does
// next to nothing.
func BenchmarkMap(b *testing.B) {
	workers := runtime.GOMAXPROCS(0)
	in := func(yield func(int) bool) {
		for i := range b.N {
			if !yield(i) {
				return
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for range Map(context.Background(), in, workers, 16*workers, func(i int) int { return i + 1 }) {
		n++
	}
	if n != b.N {
		b.Fatalf("%d results, want %d", n, b.N)
	}
}
