package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/report"
)

// jsonReport is the JSON report of check, as tests read it.
type jsonReport struct {
	Pairs   []report.Pair  `json:"pairs"`
	Summary report.Summary `json:"summary"`
}

// checkJSON runs check --format json on file and reads the report.
func checkJSON(t *testing.T, file string) jsonReport {
	t.Helper()
	res := runArgs(t, "", "check", "--format", "json", "--progress", "never", file)
	require.Contains(t, []int{exitOK, exitFail, exitError}, res.code, res.stderr)
	var rep jsonReport
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep), res.stderr)
	return rep
}

// TestConvertRoundTrip converts every shipped recording to NDJSON and checks
// both: the NDJSON gives the same pairs, in the same order, with the same
// verdicts and findings (credentials redacted by convert included), less the
// entries that could not be read, which convert reports and leaves out.
func TestConvertRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "recordings", "*.*"))
	require.NoError(t, err)
	n := 0
	for _, file := range files {
		switch filepath.Ext(file) {
		case ".har", ".yaml", ".ndjson":
		default:
			continue
		}
		n++
		t.Run(filepath.Base(file), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.ndjson")
			conv := runArgs(t, "", "convert", file, "-o", out)
			orig, got := checkJSON(t, file), checkJSON(t, out)

			var want []report.Pair
			for _, p := range orig.Pairs {
				if p.Verdict != report.VerdictInputError {
					want = append(want, p)
				}
			}
			if orig.Summary.InputErrors > 0 {
				assert.Equal(t, exitError, conv.code)
				assert.Contains(t, conv.stderr, "left out of the NDJSON")
			} else {
				assert.Equal(t, exitOK, conv.code, conv.stderr)
				assert.Empty(t, conv.stderr)
			}
			require.Len(t, got.Pairs, len(want))
			for i, p := range got.Pairs {
				w := want[i]
				assert.Equal(t, out, p.Source)
				assert.Equal(t, i, p.Entry, "the NDJSON's line index is the entry")
				w.Source, w.Entry, w.Line, p.Line = p.Source, p.Entry, 0, 0
				assert.Equal(t, w, p, "%s#%d", file, want[i].Entry)
			}
			wantSum := orig.Summary
			wantSum.Pairs -= wantSum.InputErrors
			wantSum.InputErrors = 0
			assert.Equal(t, wantSum, got.Summary)
		})
	}
	assert.GreaterOrEqual(t, n, 8, "the shipped recordings")
}
