package validate

import "testing"

// BenchmarkMatch routes the documentation's example request through
// Plan.Match, with the embedded contract (one operation) and with Twilio's
// full spec (103): the routing tree of package route and the operation it
// names.
func BenchmarkMatch(b *testing.B) {
	ex := docsExchange()
	for _, c := range []struct {
		name string
		plan *Plan
	}{{"embedded", embeddedPlan(b)}, {"full", loadTwilio(b)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if op, _ := c.plan.Match("POST", ex.Request.URL); op == "" {
					b.Fatal("no operation")
				}
			}
		})
	}
}
