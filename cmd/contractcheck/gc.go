package main

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/contractcheck/contractcheck/validate/recording"
)

// auditGCPercent is the GOGC of check. An audit's live heap is small and
// does not grow with the recording: the compiled contract (a few MiB for the
// embedded one), and the entries in flight between the reader and the sink.
// With Go's default (100) the collector runs each time the heap doubles that,
// and takes a third of the CPU of a long audit; at 200 the audit takes about a
// quarter less CPU for a few MiB more (peak RSS about 33 MiB rather than 25,
// whatever the size of the HAR).
const auditGCPercent = 200

// auditMemoryLimit is the soft memory limit of check: four times the largest
// entry the readers take. Entries of a few KiB never come near it. Large ones
// do: an entry of 60 MB is held two or three times over while it is framed,
// decoded and checked (its text, its body, the next entry being framed), a
// live heap of about 150 MB, which GOGC=200 alone would let grow to three
// times that before collecting. The limit makes the collector work harder
// instead, so that peak memory stays under about five times the entry cap
// whatever the recording. The live heap of a large contract (Twilio's full
// Conversations v1, 103 operations: about 23 MiB) is far below it; were one
// above it, the collector would run more often, never using more than half the
// CPU (the runtime caps it), and GOMEMLIMIT sets another limit.
var auditMemoryLimit = 4 * int64(recording.MaxEntryBytes)

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
