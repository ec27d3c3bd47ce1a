//go:build race

package validate

// raceEnabled reports a -race build, in which sync.Pool drops what it is
// given at random, so that allocation counts mean nothing.
const raceEnabled = true
