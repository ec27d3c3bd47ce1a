//go:build race

package validate

// raceEnabled: the tests run under the race detector, whose sync.Pool drops
// what is put back at random, so that pooled state is allocated again.
const raceEnabled = true
