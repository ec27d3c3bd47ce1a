//go:build !race

package validate

// raceEnabled reports a -race build (see race_test.go).
const raceEnabled = false
