//go:build !race

package recording

// raceEnabled: the tests run under the race detector, whose sync.Pool drops
// some of what it is given.
const raceEnabled = false
