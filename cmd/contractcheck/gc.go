package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"

	"github.com/contractcheck/contractcheck/validate/recording"
)

// auditGCPercent is the most GOGC of check. An audit's live heap is small and
// does not grow with the recording: the compiled contract (a few MiB for the
// embedded one), and the entries in flight between the reader and the sink.
// With Go's default (100) the collector runs each time the heap doubles that,
// and takes a third of the CPU of a long audit; at 200 the audit takes about a
// quarter less CPU for a few MiB more. A large contract (Twilio's full
// Conversations v1: a live heap of about 20 MiB) gets less (see gcPercent), so
// that the heap stays within auditHeadroom of it.
const auditGCPercent = 200

// auditHeadroom is how much the heap may grow over the live heap of a large
// contract before the collector runs: gcPercent sets GOGC for it, never below
// minAuditGCPercent. With Twilio's full spec (a live heap of about 17 MiB
// once loaded), an audit's peak RSS is about 66 MiB rather than 90 at
// GOGC=200, for about 5% more CPU.
const (
	auditHeadroom     = 16 << 20
	minAuditGCPercent = 50
)

// gcPercent returns the GOGC of an audit whose live heap, the compiled
// contract, is live bytes: auditGCPercent, or less for a large contract, so
// that the heap grows by about auditHeadroom between collections.
func gcPercent(live uint64) int {
	if live == 0 {
		return auditGCPercent
	}
	return int(min(max(auditHeadroom*100/live, minAuditGCPercent), auditGCPercent))
}

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
// audit's): the soft memory limit, before the contract is loaded.
func tuneGC() {
	if !gcTunable() {
		return
	}
	debug.SetMemoryLimit(auditMemoryLimit)
}

// tuneGCForPlan sets GOGC once the contract is loaded, unless tuneGC does not
// apply: it collects the garbage of loading it, and sets gcPercent of the live
// heap that remains.
func tuneGCForPlan() {
	if !gcTunable() {
		return
	}
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	var live uint64
	if sample[0].Value.Kind() == metrics.KindUint64 {
		live = sample[0].Value.Uint64()
	}
	debug.SetGCPercent(gcPercent(live))
}

// gcTunable reports whether check may set the garbage collector.
func gcTunable() bool {
	return !testing.Testing() && os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == ""
}
