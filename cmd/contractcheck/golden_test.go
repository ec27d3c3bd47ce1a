package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/report"
)

var update = flag.Bool("update", false, "rewrite the golden reports of testdata/golden/ and the README's rule table")

// The golden reports live beside the recordings, relative to the repository
// root.
const (
	recordingsDir = "testdata/recordings"
	goldenDir     = "testdata/golden"
)

// TestGoldenReports checks every recording (.har, .ndjson, .jsonl, .yaml) of
// testdata/recordings/ in every report format (text without colour) and
// compares each report with testdata/golden/<recording>.<format>, and the exit
// status and standard error with testdata/golden/<recording>.exit. Run it with
// -update to rewrite them, then read the diff.
func TestGoldenReports(t *testing.T) {
	t.Chdir(filepath.Join("..", "..")) // reports name recordings relative to the root
	recordings := listRecordings(t)
	if len(recordings) == 0 {
		t.Skipf("no recordings in %s yet", recordingsDir)
	}
	want := map[string]bool{}
	for _, rec := range recordings {
		want[filepath.Base(rec)+".exit"] = true
		for _, f := range report.Formats() {
			want[filepath.Base(rec)+"."+string(f)] = true
		}
	}
	for _, rec := range recordings {
		base := filepath.Base(rec)
		for _, f := range report.Formats() {
			t.Run(base+"."+string(f), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				args := []string{"check", "--color", "never", "--format", string(f), rec}
				code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
				compareGolden(t, base+"."+string(f), stdout.String())
				if f == report.FormatText {
					compareGolden(t, base+".exit", fmt.Sprintf("exit %d\n%s", code, stderr.String()))
				}
			})
		}
	}
	checkOrphans(t, want)
}

// recordingExts are the extensions of recordings; other files beside them,
// such as expectations (.want), are not checked.
var recordingExts = map[string]bool{".har": true, ".ndjson": true, ".jsonl": true, ".yaml": true}

// listRecordings returns the recordings of testdata/recordings/, sorted.
func listRecordings(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(recordingsDir)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && recordingExts[filepath.Ext(e.Name())] {
			out = append(out, filepath.ToSlash(filepath.Join(recordingsDir, e.Name())))
		}
	}
	return out
}

// compareGolden compares got with testdata/golden/name, or writes it with
// -update.
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		require.NoError(t, os.MkdirAll(goldenDir, 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Fatalf("%s does not exist: run go test ./cmd/contractcheck -run TestGoldenReports -update", path)
	}
	require.NoError(t, err)
	assert.Equal(t, string(want), got, "%s differs (go test ./cmd/contractcheck -run TestGoldenReports -update rewrites it)", path)
}

// checkOrphans fails on golden files of recordings that are gone, or removes
// them with -update.
func checkOrphans(t *testing.T, want map[string]bool) {
	t.Helper()
	entries, err := os.ReadDir(goldenDir)
	if os.IsNotExist(err) {
		return
	}
	require.NoError(t, err)
	for _, e := range entries {
		if e.Name() == "README.md" || want[e.Name()] {
			continue
		}
		path := filepath.Join(goldenDir, e.Name())
		if *update {
			require.NoError(t, os.Remove(path))
			continue
		}
		t.Errorf("%s belongs to no recording of %s (go test -update removes it)", path, recordingsDir)
	}
}
