package validate_test

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/report"
)

// docsPair reads the documentation's example pair from its recording.
func docsPair(b *testing.B) *validate.Exchange {
	items := readRecording(b, filepath.Join(recordingsDir, "docs-example.har"))
	if len(items) == 0 || items[0].ex == nil {
		b.Fatal("docs-example.har holds no pair")
	}
	return items[0].ex
}

// BenchmarkFloor is the floor the fast path is measured against: merely
// decoding the documentation pair's response into map[string]any with
// encoding/json and its form with url.ParseQuery, validating nothing.
func BenchmarkFloor(b *testing.B) {
	ex := docsPair(b)
	b.SetBytes(int64(len(ex.Request.Body) + len(ex.Response.Body)))
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(ex.Response.Body, &m); err != nil {
			b.Fatal(err)
		}
		if _, err := url.ParseQuery(string(ex.Request.Body)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckDocs checks the same pair as BenchmarkFloor, every check on.
func BenchmarkCheckDocs(b *testing.B) {
	p := embeddedPlan(b)
	ex := docsPair(b)
	if res := p.Check(ex); len(res.Findings) != 0 {
		b.Fatalf("the documentation pair has findings: %v", res.Findings)
	}
	b.SetBytes(int64(len(ex.Request.Body) + len(ex.Response.Body)))
	b.ReportAllocs()
	for b.Loop() {
		p.Check(ex)
	}
}

// BenchmarkCheckAndReport checks the same pair and builds its report entry,
// as the CLI does for every pair.
func BenchmarkCheckAndReport(b *testing.B) {
	p := embeddedPlan(b)
	ex := docsPair(b)
	b.ReportAllocs()
	for b.Loop() {
		report.NewPair(ex, p.Check(ex), validate.SeverityError)
	}
}
