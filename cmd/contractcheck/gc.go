package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// An audit's live heap is small and does not grow with the recording: the
// compiled contract, and the entries in flight between the reader and the
// sink. The garbage collector's default (GOGC=100) collects whenever the heap
// doubles that, and then takes a third of the CPU of a long audit. These
// settings let the heap grow further before a collection, under a soft limit
// that keeps the resident memory of an audit under 64 MiB.
const (
	auditGCPercent   = 400
	auditMemoryLimit = 40 << 20
)

// tuneGC sets the garbage collector for checking recordings, unless GOGC or
// GOMEMLIMIT set it already, or this is a test binary (whose heap is not an
// audit's).
func tuneGC() {
	if testing.Testing() || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(auditGCPercent)
	debug.SetMemoryLimit(auditMemoryLimit)
}
