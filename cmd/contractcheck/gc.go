package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// auditGCPercent is the GOGC of check. An audit's live heap is small and
// does not grow with the recording: the compiled contract (a few MiB for the
// embedded one), and the entries in flight between the reader and the sink.
// With Go's default (100) the collector runs each time the heap doubles that,
// and takes a third of the CPU of a long audit; at 200 the audit takes about a
// quarter less CPU for a few MiB more (peak RSS about 33 MiB rather than 25,
// whatever the size of the HAR). A memory limit is not set: it would have to sit above the live
// heap of the largest contract (--spec), or the collector would run without
// end.
const auditGCPercent = 200

// tuneGC sets the garbage collector for checking recordings, unless GOGC or
// GOMEMLIMIT set it already, or this is a test binary (whose heap is not an
// audit's).
func tuneGC() {
	if testing.Testing() || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(auditGCPercent)
}
