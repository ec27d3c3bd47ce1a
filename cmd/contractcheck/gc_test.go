package main

import "testing"

// TestGCPercent checks that an audit's GOGC keeps the heap within
// auditHeadroom of a large contract's live heap, and is auditGCPercent for a
// small one, never below minAuditGCPercent.
func TestGCPercent(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, auditGCPercent},                          // unknown
		{4 << 20, auditGCPercent},                    // the embedded contract
		{auditHeadroom / 2, auditGCPercent},          // exactly the most
		{auditHeadroom, 100},                         // the heap may double
		{20 << 20, auditHeadroom * 100 / (20 << 20)}, // Twilio's full spec
		{1 << 30, minAuditGCPercent},                 // a huge contract
	} {
		got := gcPercent(c.live)
		if got != c.want {
			t.Errorf("gcPercent(%d) = %d, want %d", c.live, got, c.want)
		}
		if c.live > 0 && got > minAuditGCPercent && uint64(got)*c.live/100 > auditHeadroom {
			t.Errorf("gcPercent(%d) = %d lets the heap grow by more than auditHeadroom", c.live, got)
		}
	}
}
