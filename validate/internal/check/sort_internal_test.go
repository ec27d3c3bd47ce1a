package check

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/contractcheck/contractcheck/validate/internal/finding"
	"github.com/stretchr/testify/assert"
)

// TestSortFindings: sortFindings, which moves each finding once, orders
// them as a stable sort by location, then by the catalogue's order of rules.
func TestSortFindings(t *testing.T) {
	locs := []finding.Location{
		{Part: finding.PartResponseBody, Pointer: "/sid"},
		{Part: finding.PartRequestBody, Pointer: "/Target"},
		{Part: finding.PartRequestBody, Pointer: "/Configuration.Url"},
		{Part: finding.PartResponseStatus},
		{Part: finding.PartRequestHeader, Name: "Content-Type"},
	}
	r := rand.New(rand.NewPCG(1, 2))
	rules := finding.Rules()
	for n := range 90 {
		fs := make([]finding.Finding, n)
		for i := range fs {
			fs[i] = finding.Finding{Rule: rules[r.IntN(len(rules))].ID, Location: locs[r.IntN(len(locs))], Message: string(rune('a' + i%26))}
		}
		want := slices.Clone(fs)
		slices.SortStableFunc(want, func(a, b finding.Finding) int {
			if c := a.Location.Compare(b.Location); c != 0 {
				return c
			}
			return finding.Order(a.Rule) - finding.Order(b.Rule)
		})
		sortFindings(fs)
		assert.Equal(t, want, fs, "%d findings", n)
	}
}
