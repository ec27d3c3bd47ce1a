package report

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/coverage"
)

// TestSummaryMerge: summaries of the parts of a run merge into the summary
// of the whole, whatever the cut; and Merge adds every count, so that a count
// added to Summary cannot be forgotten there.
func TestSummaryMerge(t *testing.T) {
	warn := validate.Finding{Rule: "cors.vary-origin", Severity: validate.SeverityWarning}
	fail := validate.Finding{Rule: "sid.format", Severity: validate.SeverityError}
	pairs := []Pair{
		{Verdict: VerdictPass},
		{Verdict: VerdictPass, Findings: []validate.Finding{warn}},
		{Verdict: VerdictFail, Findings: []validate.Finding{fail, fail, warn}, Suppressed: []validate.Finding{fail}},
		{Verdict: VerdictSkip},
		{Verdict: VerdictInputError},
	}
	var whole Summary
	for _, p := range pairs {
		whole.Add(p)
	}
	for cut := range len(pairs) + 1 {
		var a, b Summary
		for _, p := range pairs[:cut] {
			a.Add(p)
		}
		for _, p := range pairs[cut:] {
			b.Add(p)
		}
		a.Merge(b)
		assert.Equal(t, whole, a, "cut at %d", cut)
	}

	var s Summary
	v := reflect.ValueOf(&s).Elem()
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.Int {
			v.Field(i).SetInt(int64(i + 1))
		}
	}
	twice := s
	twice.Merge(s)
	tv := reflect.ValueOf(twice)
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.Int {
			assert.Equal(t, int64(2*(i+1)), tv.Field(i).Int(), "Merge adds %s", v.Type().Field(i).Name)
		}
	}

	// Coverage merges item by item.
	cov := func(pairs int) *coverage.Report {
		return &coverage.Report{Operations: []coverage.Operation{{Operation: "Op", Pairs: pairs, Items: []coverage.Item{{Kind: "status", Name: "201", Pairs: pairs}, {Kind: "status", Name: "400"}}}}}
	}
	a, b := Summary{Coverage: cov(1)}, Summary{Coverage: cov(2)}
	a.Merge(b)
	require.NotNil(t, a.Coverage)
	assert.Equal(t, 3, a.Coverage.Operations[0].Items[0].Pairs)
	assert.Equal(t, 50.0, a.Coverage.Percent)
	var none Summary
	none.Merge(b)
	assert.Equal(t, 2, none.Coverage.Operations[0].Pairs, "a summary without coverage takes the other's")
}
