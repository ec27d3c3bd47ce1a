//go:build !race

package readme

// raceEnabled tells whether this test binary runs under the race detector,
// so that the module of the README is built the same way.
const raceEnabled = false
