package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
)

// mixedRecording writes a HAR in which passing pairs and failing ones
// alternate in runs of every length, so that a failing pair is often decoded
// into the memory of passing pairs before it, and returns its path.
func mixedRecording(t *testing.T, dir string) string {
	t.Helper()
	exs := shippedExchanges(t)
	var mixed []*validate.Exchange
	for run := 1; len(mixed) < 1200; run = run%7 + 1 {
		for i := range run {
			mixed = append(mixed, exs[(len(mixed)*31+i)%len(exs)])
		}
	}
	entries := harEntryLines(t, mixed)
	har := "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"t\",\"version\":\"1\"},\"entries\":[\n" +
		strings.Join(entries, ",\n") + "\n]}}\n"
	path := filepath.Join(dir, "mixed.har")
	require.NoError(t, os.WriteFile(path, []byte(har), 0o644))
	return path
}

// TestReusedExchangesMatchFresh checks that check, decoding entries into a
// reused recording.Scratch, writes exactly what it writes decoding each
// entry into an exchange of its own: every report (the failing pairs' with
// their headers, bodies and replay commands; the HTML report with the wire),
// the input errors, the progress line (its last drawing, but for its MB/s),
// the coverage, the baseline and the exit code, byte for byte, on the shipped
// recordings, on generated ones with bad entries in the middle and on one
// where passing and failing pairs alternate.
func TestReusedExchangesMatchFresh(t *testing.T) {
	limit := recording.MaxEntryBytes
	recording.MaxEntryBytes = 512 << 10 // the generated files' entries over it are input errors
	t.Cleanup(func() { recording.MaxEntryBytes = limit })
	dir := t.TempDir()
	generated := writeRecordings(t, dir)
	mixed := mixedRecording(t, dir)
	var recordings []string // the shipped ones
	for _, pattern := range []string{"*.har", "*.ndjson", "*.yaml"} {
		found, err := filepath.Glob(filepath.Join("..", "..", "testdata", "recordings", pattern))
		require.NoError(t, err)
		recordings = append(recordings, found...)
	}
	cases := [][]string{append(append([]string{mixed}, recordings...), generated...), {mixed}}
	outputs := []string{"report.html", "report.sarif", "report.xml", "coverage.json", "baseline.json"}
	withFiles := func(out string) []string {
		return []string{
			"--report", "html=" + filepath.Join(out, outputs[0]),
			"--report", "sarif=" + filepath.Join(out, outputs[1]),
			"--report", "junit=" + filepath.Join(out, outputs[2]),
			"--coverage", filepath.Join(out, outputs[3]),
			"--write-baseline", filepath.Join(out, outputs[4]),
		}
	}
	flagSets := [][]string{
		{"--progress", "always"},
		{"--format", "json", "--progress", "never", "FILES"},
		{"--format", "ndjson", "--progress", "never", "--fail-on", "warning"},
	}
	if raceEnabled {
		flagSets = flagSets[1:2] // where goroutines meet: every output, once
	}
	t.Cleanup(func() { reuseExchanges = true })
	for _, files := range cases {
		for _, flags := range flagSets {
			var texts [2]runResult
			var written [2][]string
			for i, reuse := range []bool{false, true} {
				out := filepath.Join(dir, "out", map[bool]string{false: "fresh", true: "reused"}[reuse])
				require.NoError(t, os.MkdirAll(out, 0o755))
				args := []string{"check"}
				for _, f := range flags {
					if f == "FILES" {
						args = append(args, withFiles(out)...)
						continue
					}
					args = append(args, f)
				}
				reuseExchanges = reuse
				texts[i] = runArgs(t, "", append(args, files...)...)
				// The outputs name the directory they were written to.
				texts[i].stdout = strings.ReplaceAll(texts[i].stdout, out, "OUT")
				texts[i].stderr = strings.ReplaceAll(lastProgress(texts[i].stderr), out, "OUT")
				if flags[len(flags)-1] == "FILES" {
					for _, name := range outputs {
						b, err := os.ReadFile(filepath.Join(out, name))
						require.NoError(t, err)
						written[i] = append(written[i], strings.ReplaceAll(string(b), out, "OUT"))
					}
				}
			}
			want, got := texts[0], texts[1]
			require.Equal(t, want.code, got.code, "%v: exit code", flags)
			requireSameText(t, want.stdout, got.stdout, "stdout", flags)
			requireSameText(t, want.stderr, got.stderr, "stderr", flags)
			for i := range written[0] {
				requireSameText(t, written[0][i], written[1][i], outputs[i], flags)
			}
		}
	}
	res := runArgs(t, "", "check", "--progress", "never", mixed)
	require.Equal(t, 1, res.code, "the mixed recording holds failing pairs")
	require.Regexp(t, `(?m)^\d+ pairs: \d+ passed, \d+ failed`, res.stdout)
}
