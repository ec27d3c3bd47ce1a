package gate

import "testing"

// BenchmarkScan scans the documentation's 201 response body against the
// embedded contract's schema, as the gate reads each response; it
// allocates nothing.
func BenchmarkScan(b *testing.B) {
	p := embeddedPair(b)
	body := documented201(b)
	var sc Scanner
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if v, ok := sc.ScanJSON(p.fast, body); !ok || v != Valid {
			b.Fatalf("the documented body scans %v, %v", v, ok)
		}
	}
}
