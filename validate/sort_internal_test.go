package validate

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
	locs := []Location{
		{Part: PartResponseBody, Pointer: "/sid"},
		{Part: PartRequestBody, Pointer: "/Target"},
		{Part: PartRequestBody, Pointer: "/Configuration.Url"},
		{Part: PartResponseStatus},
		{Part: PartRequestHeader, Name: "Content-Type"},
	}
	r := rand.New(rand.NewPCG(1, 2))
	rules := Rules()
	for n := range 90 {
		fs := make([]Finding, n)
		for i := range fs {
			fs[i] = Finding{Rule: rules[r.IntN(len(rules))].ID, Location: locs[r.IntN(len(locs))], Message: string(rune('a' + i%26))}
		}
		want := slices.Clone(fs)
		slices.SortStableFunc(want, func(a, b Finding) int {
			if c := a.Location.Compare(b.Location); c != 0 {
				return c
			}
			return finding.Order(a.Rule) - finding.Order(b.Rule)
		})
		sortFindings(fs)
		assert.Equal(t, want, fs, "%d findings", n)
	}
}
