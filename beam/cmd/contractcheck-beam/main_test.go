package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	ptest.MainWithDefault(m, "prism")
}

// runFlags runs the command with f on Prism.
func runFlags(t *testing.T, f flags, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if f.shards == 0 {
		f.shards = 2
	}
	if f.blockMiB == 0 {
		f.blockMiB = 64
	}
	var out, errOut bytes.Buffer
	code = run(context.Background(), f, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// traffic copies the shipped traffic.har into a directory of its own.
func traffic(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "recordings", "traffic.har"))
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "traffic.har")
	require.NoError(t, os.WriteFile(file, data, 0o644))
	return file
}

// TestRun audits the shipped session, as the README's first command checks
// it: the same summary line and exit status; with warnings failing and a
// rule off, what check gives with those settings (a rule turned off no
// longer explains the 400 to the request with a bad SID, so that response
// is judged as response.status, here a warning).
func TestRun(t *testing.T) {
	har := traffic(t)
	out := filepath.Join(t.TempDir(), "out", "audit")
	code, stdout, stderr := runFlags(t, flags{input: har, output: out})
	assert.Equal(t, exitFail, code, stderr)
	assert.Contains(t, stdout, "8 pairs: 3 passed, 3 failed, 2 skipped, 0 input errors; 3 errors, 0 warnings, 1 info\n")
	assert.Contains(t, stdout, "wrote "+out+"-summary.json, "+out+"-rules.json and "+out+"-findings-*-of-00002.ndjson")
	for _, name := range []string{"-summary.json", "-rules.json", "-findings-00000-of-00002.ndjson", "-findings-00001-of-00002.ndjson"} {
		assert.FileExists(t, out+name)
	}

	config := filepath.Join(t.TempDir(), "settings.yaml")
	require.NoError(t, os.WriteFile(config, []byte("rules:\n  sid.format: off\n"), 0o644))
	code, stdout, stderr = runFlags(t, flags{input: har, output: out, config: config, rules: listFlag{"response.status=warning", "form.unknown-key=off"}, failOn: "warning"})
	assert.Equal(t, exitFail, code, stderr)
	assert.Contains(t, stdout, "8 pairs: 4 passed, 2 failed, 2 skipped, 0 input errors; 1 error, 1 warning\n")

	// With --dry_run or --async the job runs elsewhere, later: no summary yet.
	code, stdout, stderr = runFlags(t, flags{input: har, output: filepath.Join(t.TempDir(), "audit"), detached: true})
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "the job is not run here: when it has run, its summary is ")

	code, stdout, stderr = runFlags(t, flags{input: har, output: out, rules: listFlag{"response.status=off", "form.unknown-key=off", "sid.format=off", "cors.credentials-wildcard=off"}})
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "8 pairs: 6 passed, 0 failed, 2 skipped, 0 input errors; 0 errors, 0 warnings\n")
}

// TestRunInputErrors: a recording that cannot be read is an input error,
// counted, and the exit status is 2.
func TestRunInputErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.ndjson"), []byte(`{"request": 1}`+"\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.txt"), []byte("garbage\n"), 0o644))
	code, stdout, stderr := runFlags(t, flags{input: filepath.Join(dir, "*"), output: filepath.Join(dir, "out", "audit")})
	assert.Equal(t, exitError, code, stderr)
	assert.Contains(t, stdout, "2 pairs: 0 passed, 0 failed, 0 skipped, 2 input errors; 0 errors, 0 warnings\n")
}

// TestRunMisuse: a wrong command line, a pattern that matches nothing, bad
// settings or a bad contract stop the run before the pipeline, with exit 2.
func TestRunMisuse(t *testing.T) {
	har := traffic(t)
	out := filepath.Join(t.TempDir(), "audit")
	badConfig := filepath.Join(t.TempDir(), "contractcheck.yaml")
	require.NoError(t, os.WriteFile(badConfig, []byte("rules:\n  cors.vary-orign: off\n"), 0o644))
	badSpec := filepath.Join(t.TempDir(), "spec.yaml")
	require.NoError(t, os.WriteFile(badSpec, []byte("openapi: 3.0.3\ninfo: {}\n"), 0o644))
	for name, c := range map[string]struct {
		f      flags
		args   []string
		stderr string
	}{
		"no input":      {flags{output: out}, nil, "--input is required"},
		"no output":     {flags{input: har}, nil, "--output is required"},
		"argument":      {flags{input: har, output: out}, []string{"more.har"}, `unexpected argument "more.har"`},
		"no match":      {flags{input: filepath.Join(t.TempDir(), "*.ndjson"), output: out}, nil, "no file matches"},
		"unknown rule":  {flags{input: har, output: out, rules: listFlag{"sid.formt=off"}}, nil, `unknown rule "sid.formt" (did you mean sid.format?`},
		"bad level":     {flags{input: har, output: out, rules: listFlag{"sid.format=loud"}}, nil, `"loud" is not a rule level`},
		"bad fail-on":   {flags{input: har, output: out, failOn: "info"}, nil, "--fail-on"},
		"bad config":    {flags{input: har, output: out, config: badConfig}, nil, badConfig + ":2: unknown rule"},
		"no config":     {flags{input: har, output: out, config: filepath.Join(t.TempDir(), "nope.yaml")}, nil, "no such file"},
		"bad spec":      {flags{input: har, output: out, spec: badSpec}, nil, "loading the contract"},
		"no spec":       {flags{input: har, output: out, spec: filepath.Join(t.TempDir(), "nope.yaml")}, nil, "reading contract"},
		"shards":        {flags{input: har, output: out, shards: -1}, nil, "--shards -1"},
		"block":         {flags{input: har, output: out, blockMiB: -1}, nil, "--block-mib -1"},
		"unknown store": {flags{input: "nope://bucket/*.ndjson", output: out}, nil, `scheme "nope" not registered`},
	} {
		code, stdout, stderr := runFlags(t, c.f, c.args...)
		assert.Equal(t, exitError, code, name)
		assert.Empty(t, stdout, name)
		assert.Contains(t, stderr, c.stderr, name)
	}
}
