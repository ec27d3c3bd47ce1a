package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	junit "github.com/joshdk/go-junit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/internal/sarifschema"
	"github.com/contractcheck/contractcheck/validate/report"
)

// checkRecording runs check on a recording in a format and returns the
// report.
func checkRecording(t *testing.T, rec string, format report.Format) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"check", "--color", "never", "--format", string(format), rec}, strings.NewReader(""), &stdout, &stderr)
	return stdout.String()
}

// summaryOfRecording is the summary of the JSON report of a recording.
func summaryOfRecording(t *testing.T, rec string) report.Summary {
	t.Helper()
	var doc struct{ Summary report.Summary }
	require.NoError(t, json.Unmarshal([]byte(checkRecording(t, rec, report.FormatJSON)), &doc))
	return doc.Summary
}

// TestGoldenCIReports checks the CI reports of every recording of the golden
// test: the JUnit report, read back with a JUnit reader as CI systems use,
// has the counts of the summary, and the SARIF report validates against the
// SARIF 2.1.0 schema and has a result per finding.
func TestGoldenCIReports(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	recordings := listRecordings(t)
	if len(recordings) == 0 {
		t.Skipf("no recordings in %s yet", recordingsDir)
	}
	for _, rec := range recordings {
		t.Run(filepath.Base(rec), func(t *testing.T) {
			s := summaryOfRecording(t, rec)

			suites, err := junit.Ingest([]byte(checkRecording(t, rec, report.FormatJUnit)))
			require.NoError(t, err)
			var tests, passed, failed, skipped, errs int
			for i := range suites {
				suites[i].Aggregate()
				tests += suites[i].Totals.Tests
				passed += suites[i].Totals.Passed
				failed += suites[i].Totals.Failed
				skipped += suites[i].Totals.Skipped
				errs += suites[i].Totals.Error
			}
			assert.Equal(t, []int{s.Pairs, s.Passed, s.Failed, s.Skipped, s.InputErrors}, []int{tests, passed, failed, skipped, errs},
				"JUnit tests, passed, failed, skipped, errors against the summary")

			sarif := checkRecording(t, rec, report.FormatSARIF)
			var log struct {
				Runs []struct{ Results []json.RawMessage }
			}
			require.NoError(t, json.Unmarshal([]byte(sarif), &log))
			require.Len(t, log.Runs, 1)
			assert.Len(t, log.Runs[0].Results, s.Errors+s.Warnings+s.Infos, "a SARIF result per finding")
			sarifschema.Validate(t, []byte(sarif))
		})
	}
}

// TestReportFilesMatchGoldens writes every format in one run with --report
// and compares each file with the golden report of that format: a report
// written to a file is the report written to standard output.
func TestReportFilesMatchGoldens(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	const rec = recordingsDir + "/traffic.har"
	dir := t.TempDir()
	args := []string{"check", "--color", "never", "--format", "ndjson"}
	for _, f := range report.Formats() {
		args = append(args, "--report", string(f)+"="+filepath.Join(dir, "out", "traffic.har."+string(f)))
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append(args, rec), strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, exitFail, code, stderr.String())
	for _, f := range report.Formats() {
		name := "traffic.har." + string(f)
		got, err := os.ReadFile(filepath.Join(dir, "out", name))
		require.NoError(t, err)
		want, err := os.ReadFile(filepath.Join(goldenDir, name))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "--report %s=FILE differs from %s", f, name)
	}
}
