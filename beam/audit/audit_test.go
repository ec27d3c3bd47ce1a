package audit

import (
	"encoding/json"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/rtrackers/offsetrange"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/report"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

func TestCut(t *testing.T) {
	for _, c := range []struct {
		size, block int64
		want        []offsetrange.Restriction
	}{
		{0, 100, rs(0, 0)},
		{99, 100, rs(0, 99)},
		{124, 100, rs(0, 124)},           // a remainder under a quarter block joins the last
		{125, 100, rs(0, 100, 100, 125)}, // a quarter or more is a block of its own
		{300, 100, rs(0, 100, 100, 200, 200, 300)},
		{320, 100, rs(0, 100, 100, 200, 200, 320)},
	} {
		assert.Equal(t, c.want, cut(c.size, c.block), "%d bytes in blocks of %d", c.size, c.block)
	}
	fn := &checkFn{BlockSize: 100}
	assert.Equal(t, rs(0, 1), fn.SplitRestriction(File{Path: "a.har", Size: 500, Whole: true}, fn.CreateInitialRestriction(File{Size: 500, Whole: true})), "a HAR is read whole")
	assert.Equal(t, rs(0, 100, 100, 200, 200, 250), fn.SplitRestriction(File{Size: 250}, fn.CreateInitialRestriction(File{Size: 250})))
	assert.Equal(t, rs(1000, 1100, 1100, 1220), fn.SplitRestriction(File{Size: 2000}, offsetrange.Restriction{Start: 1000, End: 1220}))
}

// rs makes restrictions of pairs of offsets.
func rs(offsets ...int64) []offsetrange.Restriction {
	var out []offsetrange.Restriction
	for i := 0; i+1 < len(offsets); i += 2 {
		out = append(out, offsetrange.Restriction{Start: offsets[i], End: offsets[i+1]})
	}
	return out
}

// TestTally: tallies of any cut of the pairs merge into the tally of all,
// and the counts per rule are those of the findings.
func TestTally(t *testing.T) {
	sid := validate.Finding{Rule: "sid.format", Severity: validate.SeverityError}
	vary := validate.Finding{Rule: "cors.vary-origin", Severity: validate.SeverityWarning}
	varyErr := validate.Finding{Rule: "cors.vary-origin", Severity: validate.SeverityError}
	pairs := []report.Pair{
		{Verdict: report.VerdictFail, Findings: []validate.Finding{sid, sid, vary}},
		{Verdict: report.VerdictPass},
		{Verdict: report.VerdictPass, Findings: []validate.Finding{vary}},
		{Verdict: report.VerdictInputError},
		{Verdict: report.VerdictFail, Findings: []validate.Finding{varyErr, sid}},
		{Verdict: report.VerdictSkip},
	}
	var whole Tally
	for _, p := range pairs {
		whole.Add(p)
	}
	assert.Equal(t, report.Summary{Pairs: 6, Passed: 2, Failed: 2, Skipped: 1, InputErrors: 1, Errors: 4, Warnings: 2}, whole.Summary)
	assert.Equal(t, RuleCounts{Rules: []RuleCount{
		{Rule: "sid.format", Severity: "error", Findings: 3, Pairs: 2},
		{Rule: "cors.vary-origin", Severity: "warning", Findings: 2, Pairs: 2},
		{Rule: "cors.vary-origin", Severity: "error", Findings: 1, Pairs: 1},
	}}, whole.Counts())
	for i := range len(pairs) + 1 {
		for j := i; j <= len(pairs); j++ {
			var a, b, c Tally
			for _, p := range pairs[:i] {
				a.Add(p)
			}
			for _, p := range pairs[i:j] {
				b.Add(p)
			}
			for _, p := range pairs[j:] {
				c.Add(p)
			}
			assert.Equal(t, whole, MergeTallies(MergeTallies(c, a), b), "cuts at %d and %d", i, j)
		}
	}
	assert.Equal(t, RuleCounts{Rules: []RuleCount{}}, Tally{}.Counts(), "no findings: an empty list")
}

// TestSettings: the settings survive the trip to the workers (JSON, as Beam
// sends a DoFn) and apply as check applies them.
func TestSettings(t *testing.T) {
	set := ruleset.New()
	require.NoError(t, set.SetRule("cors.vary-origin", ruleset.LevelOff, "--rule"))
	require.NoError(t, set.SetRule("config.target-fit", ruleset.LevelError, "contractcheck.yaml:3"))
	set.SetFailOn(validate.SeverityWarning, "--fail-on")
	s := NewSettings("", nil, set, true)
	assert.Equal(t, Settings{Rules: map[string]string{"cors.vary-origin": "off", "config.target-fit": "error"}, FailOn: "warning", FailOnUnmatched: true}, s)

	data, err := json.Marshal(&checkFn{Settings: s, Shards: 3})
	require.NoError(t, err)
	var fn checkFn
	require.NoError(t, json.Unmarshal(data, &fn))
	require.NoError(t, fn.Setup())
	assert.Equal(t, validate.SeverityWarning, fn.failOn)
	level, _ := fn.rules.Rule("cors.vary-origin")
	assert.Equal(t, ruleset.LevelOff, level)
	assert.Equal(t, "contracts/conversations_scoped_webhook.yaml", fn.plan.File())

	assert.Equal(t, Settings{}, NewSettings("", nil, nil, false), "no settings: the defaults")
	for _, bad := range []Settings{
		{Rules: map[string]string{"sid.formt": "off"}},
		{Rules: map[string]string{"sid.format": "loud"}},
		{FailOn: "info"},
		{ContractFile: "bad.yaml", Contract: []byte("openapi: 3.0.3\n")},
	} {
		_, _, err := bad.load()
		assert.Error(t, err, "%+v", bad)
	}
}

// TestBuildRefuses: a mistake is reported when the pipeline is built, before
// a runner starts.
func TestBuildRefuses(t *testing.T) {
	ok := Options{Input: "in/*.ndjson", Output: "out/audit"}
	for name, c := range map[string]struct {
		opts Options
		want string
	}{
		"no input":     {Options{Output: "out"}, "no input"},
		"no output":    {Options{Input: "in"}, "no output"},
		"shards":       {Options{Input: "in", Output: "out", Shards: -1}, "-1 shards"},
		"block size":   {Options{Input: "in", Output: "out", BlockSize: -5}, "block size"},
		"scheme":       {Options{Input: "nope://bucket/in", Output: "out"}, `scheme "nope" not registered`},
		"unknown rule": {Options{Input: "in", Output: "out", Settings: Settings{Rules: map[string]string{"nope": "off"}}}, `unknown rule "nope"`},
	} {
		_, s := beam.NewPipelineWithRoot()
		err := Build(s, c.opts)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.want, name)
	}
	_, s := beam.NewPipelineWithRoot()
	assert.NoError(t, Build(s, ok))
}

func TestFilesOf(t *testing.T) {
	f := FilesOf("gs://b/out/audit", 2)
	assert.Equal(t, Files{
		Findings: []string{"gs://b/out/audit-findings-00000-of-00002.ndjson", "gs://b/out/audit-findings-00001-of-00002.ndjson"},
		Summary:  "gs://b/out/audit-summary.json",
		Rules:    "gs://b/out/audit-rules.json",
	}, f)
	assert.Len(t, FilesOf("x", 0).Findings, DefaultShards)
}
