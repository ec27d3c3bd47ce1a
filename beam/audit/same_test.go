package audit_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/beam/audit"
	"github.com/contractcheck/contractcheck/validate/report"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// The tests of this file run the pipeline on the Prism runner, in process,
// and contractcheck check (built from the main module) on the same files, and
// compare what they found.

func TestMain(m *testing.M) {
	code := ptest.MainRetWithDefault(m, "prism")
	if tools.dir != "" {
		os.RemoveAll(tools.dir)
	}
	os.Exit(code)
}

// root is the repository root: the main module.
var root = filepath.Join("..", "..")

// tools are the programs the tests build from the main module, once.
var tools struct {
	once sync.Once
	dir  string
	err  error
}

// tool returns the path of a program of the main module, built on first use:
// "contractcheck" or "auditbench".
func tool(t *testing.T, name string) string {
	t.Helper()
	tools.once.Do(func() {
		if tools.dir, tools.err = os.MkdirTemp("", "contractcheck-beam-tools"); tools.err != nil {
			return
		}
		for _, pkg := range []string{"./cmd/contractcheck", "./internal/auditbench"} {
			cmd := exec.Command("go", "build", "-o", tools.dir, pkg)
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				tools.err = fmt.Errorf("go build %s: %w\n%s", pkg, err, out)
				return
			}
		}
	})
	require.NoError(t, tools.err, "building the main module's programs")
	return filepath.Join(tools.dir, name)
}

// generate writes an NDJSON recording of count entries, every broken-th one
// broken, with auditbench.
func generate(t *testing.T, file string, count, broken int) {
	t.Helper()
	cmd := exec.Command(tool(t, "auditbench"), "gen", "-format", "ndjson", "-root", root,
		"-count", strconv.Itoa(count), "-broken", strconv.Itoa(broken), "-o", file)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

// result is what an audit found, as the tests compare it.
type result struct {
	summary report.Summary
	// rules are the counts per rule, by rule and severity.
	rules map[string]audit.RuleCount
	// lines are the NDJSON lines of the pairs with findings and of the input
	// errors, sorted.
	lines []string
	// failing are the failing pairs, as "source#entry", sorted.
	failing []string
}

// checkResult runs contractcheck check on files, with args, and reads what it
// found: its NDJSON report on stdout and its JSON report. The counts per rule
// are counted here from the pairs, apart from the pipeline's code.
func checkResult(t *testing.T, dir string, files []string, args ...string) (result, time.Duration) {
	t.Helper()
	jsonReport := filepath.Join(t.TempDir(), "report.json")
	args = append(append([]string{"check", "--format", "ndjson", "--progress", "never", "--report", "json=" + jsonReport}, args...), files...)
	cmd := exec.Command(tool(t, "contractcheck"), args...)
	cmd.Dir = dir
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 2 {
		require.NoError(t, err, "contractcheck check")
	}

	var doc struct {
		Summary report.Summary `json:"summary"`
	}
	data, err := os.ReadFile(jsonReport)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &doc))
	r := result{summary: doc.Summary, rules: map[string]audit.RuleCount{}}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var p report.Pair
		require.NoError(t, json.Unmarshal(sc.Bytes(), &p))
		if len(p.Findings) == 0 && p.Verdict != report.VerdictInputError {
			continue
		}
		r.lines = append(r.lines, sc.Text())
		if p.Verdict == report.VerdictFail {
			r.failing = append(r.failing, p.Ref())
		}
		seen := map[string]bool{}
		for _, f := range p.Findings {
			key := f.Rule + " " + f.Severity.String()
			c := r.rules[key]
			c.Rule, c.Severity = f.Rule, f.Severity.String()
			c.Findings++
			if !seen[key] {
				seen[key] = true
				c.Pairs++
			}
			r.rules[key] = c
		}
	}
	require.NoError(t, sc.Err())
	slices.Sort(r.lines)
	slices.Sort(r.failing)
	return r, elapsed
}

// pipelineResult runs the audit on Prism and reads what it wrote.
func pipelineResult(t *testing.T, opts audit.Options) (result, time.Duration) {
	t.Helper()
	p, s := beam.NewPipelineWithRoot()
	require.NoError(t, audit.Build(s, opts))
	start := time.Now()
	require.NoError(t, ptest.Run(p))
	elapsed := time.Since(start)

	files := audit.FilesOf(opts.Output, opts.Shards)
	var r result
	readJSON(t, files.Summary, &r.summary)
	var counts audit.RuleCounts
	readJSON(t, files.Rules, &counts)
	r.rules = map[string]audit.RuleCount{}
	for i, c := range counts.Rules {
		r.rules[c.Rule+" "+c.Severity] = c
		if i > 0 {
			assert.GreaterOrEqual(t, counts.Rules[i-1].Findings, c.Findings, "most findings first")
		}
	}
	for _, name := range files.Findings {
		f, err := os.Open(name)
		require.NoError(t, err, "every shard is written")
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			r.lines = append(r.lines, sc.Text())
			var p report.Pair
			require.NoError(t, json.Unmarshal(sc.Bytes(), &p))
			if p.Verdict == report.VerdictFail {
				r.failing = append(r.failing, p.Ref())
			}
		}
		require.NoError(t, sc.Err())
		f.Close()
	}
	slices.Sort(r.lines)
	slices.Sort(r.failing)
	return r, elapsed
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, v))
}

// assertSame compares the two audits: the same summary, the same counts per
// rule, the same failing pairs, and the same lines, byte for byte.
func assertSame(t *testing.T, want, got result) {
	t.Helper()
	assert.Equal(t, want.summary, got.summary, "the summary")
	assert.Equal(t, want.rules, got.rules, "the counts per rule")
	assert.Equal(t, want.failing, got.failing, "the failing (source, entry) pairs")
	require.Equal(t, len(want.lines), len(got.lines), "the NDJSON lines")
	for i := range want.lines {
		if !assert.Equal(t, want.lines[i], got.lines[i], "NDJSON line") {
			break
		}
	}
}

// recordings copies the shipped recordings into dir and returns their paths.
func recordings(t *testing.T, dir string) []string {
	t.Helper()
	shipped, err := filepath.Glob(filepath.Join(root, "testdata", "recordings", "*"))
	require.NoError(t, err)
	var files []string
	for _, src := range shipped {
		switch filepath.Ext(src) {
		case ".har", ".yaml", ".ndjson":
		default:
			continue
		}
		data, err := os.ReadFile(src)
		require.NoError(t, err)
		dst := filepath.Join(dir, filepath.Base(src))
		require.NoError(t, os.WriteFile(dst, data, 0o644))
		files = append(files, dst)
	}
	return files
}

// TestSameAuditRecordings audits the shipped recordings (HAR, cassettes,
// NDJSON, broken and truncated ones among them), an empty file and a
// generated NDJSON cut in blocks of 64 KiB, so that block boundaries fall
// everywhere: with the default settings, and with a configuration file,
// --fail-on, --rule and --fail-on-unmatched.
func TestSameAuditRecordings(t *testing.T) {
	dir := t.TempDir()
	files := recordings(t, dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "empty.ndjson"), nil, 0o644))
	generate(t, filepath.Join(dir, "gen.ndjson"), 3000, 53)
	files = append(files, filepath.Join(dir, "empty.ndjson"), filepath.Join(dir, "gen.ndjson"))

	t.Run("defaults", func(t *testing.T) {
		want, _ := checkResult(t, dir, files)
		got, _ := pipelineResult(t, audit.Options{
			Input: filepath.Join(dir, "*"), Output: filepath.Join(t.TempDir(), "audit"), Shards: 3, BlockSize: 64 << 10,
		})
		assert.Positive(t, want.summary.Failed)
		assert.Positive(t, want.summary.Skipped)
		assert.Greater(t, want.summary.InputErrors, 60)
		assertSame(t, want, got)
	})

	t.Run("settings", func(t *testing.T) {
		config := filepath.Join(t.TempDir(), "contractcheck.yaml")
		require.NoError(t, os.WriteFile(config, []byte("fail-on: warning\nrules:\n  sid.format: warning\n  form.unknown-key: off\n"), 0o644))
		want, _ := checkResult(t, dir, files, "--config", config, "--rule", "cors.credentials-wildcard=warning", "--fail-on-unmatched")

		set := ruleset.New()
		cfg, err := ruleset.ReadConfig(config)
		require.NoError(t, err)
		require.NoError(t, cfg.Apply(set))
		require.NoError(t, set.SetRule("cors.credentials-wildcard", ruleset.LevelWarning, "--rule"))
		got, _ := pipelineResult(t, audit.Options{
			Input: filepath.Join(dir, "*"), Output: filepath.Join(t.TempDir(), "audit"), Shards: 2, BlockSize: 64 << 10,
			Settings: audit.NewSettings("", nil, set, true),
		})
		assert.Positive(t, want.summary.Warnings)
		assert.Zero(t, want.summary.Skipped, "--fail-on-unmatched")
		assertSame(t, want, got)
	})
}

// TestSameAudit100k is the proof that the pipeline is the same audit as
// check: over a generated recording of 100,000 exchanges (80% passing, 14%
// skipped, 5% failing, one line in 500 broken, blank lines and CRLF among
// them), cut in blocks of 16 MiB, Prism and check find the same summary, the
// same counts per rule, the same failing pairs and the same lines.
func TestSameAudit100k(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and audits 180 MB twice; make beam-test runs it")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "traffic.ndjson")
	generate(t, file, 100_000, 500)
	st, err := os.Stat(file)
	require.NoError(t, err)

	want, checkTime := checkResult(t, dir, []string{file})
	got, beamTime := pipelineResult(t, audit.Options{Input: file, Output: filepath.Join(dir, "out", "audit"), BlockSize: 16 << 20})
	assert.Equal(t, 100_000, want.summary.Pairs)
	assert.Equal(t, 200, want.summary.InputErrors)
	assert.Positive(t, want.summary.Failed)
	assert.Positive(t, want.summary.Skipped)
	assertSame(t, want, got)

	mb := float64(st.Size()) / 1e6
	t.Logf("%.0f MB, %d pairs: check %.2fs (%.1f MB/s), Prism %.2fs (%.1f MB/s), Prism/check time %.2fx",
		mb, want.summary.Pairs, checkTime.Seconds(), mb/checkTime.Seconds(), beamTime.Seconds(), mb/beamTime.Seconds(),
		beamTime.Seconds()/checkTime.Seconds())
}
