package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/recording"
	"github.com/contractcheck/contractcheck/validate/report"
)

// runResult is what one run of contractcheck gave.
type runResult struct {
	code           int
	stdout, stderr string
}

// runArgs runs contractcheck with args and stdin.
func runArgs(t *testing.T, stdin string, args ...string) runResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return runResult{code, stdout.String(), stderr.String()}
}

func TestRunCommandLine(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string // a substring of stdout ("" for empty stdout)
		stderr   string // a substring of stderr ("" for empty stderr)
		usageErr bool   // a usage error: one line, then where the usage is
	}{
		{"no command", nil, exitError, "", "Usage:", false},
		{"unknown command", []string{"frobnicate"}, exitError, "", `unknown command "frobnicate"`, true},
		{"help", []string{"help"}, exitOK, "contractcheck check [flags] FILE...", "", false},
		{"-h", []string{"-h"}, exitOK, "Usage:", "", false},
		{"--help", []string{"--help"}, exitOK, "Usage:", "", false},
		{"help check", []string{"help", "check"}, exitOK, "--fail-on-unmatched", "", false},
		{"help rules", []string{"help", "rules"}, exitOK, "Usage: contractcheck rules", "", false},
		{"help unknown", []string{"help", "nope"}, exitError, "", `unknown command "nope"`, true},
		{"help two", []string{"help", "check", "rules"}, exitError, "", "too many arguments", true},
		{"check -h", []string{"check", "-h"}, exitOK, "Usage: contractcheck check", "", false},
		{"check --help after a file", []string{"check", "a.har", "--help"}, exitOK, "Usage: contractcheck check", "", false},
		{"check without files", []string{"check"}, exitError, "", "no recording given", true},
		{"check bad flag", []string{"check", "--frob", "a.har"}, exitError, "", "unknown flag --frob", true},
		{"check bad format", []string{"check", "--format", "xml", "a.har"}, exitError, "", `--format "xml": want one of text, json, ndjson`, true},
		{"check bad fail-on", []string{"check", "--fail-on", "info", "a.har"}, exitError, "", `--fail-on "info": want one of error, warning`, true},
		{"check bad color", []string{"check", "--color=sometimes", "a.har"}, exitError, "", `--color "sometimes": want one of auto, always, never`, true},
		{"check stdin twice", []string{"check", "-", "-"}, exitError, "", "can be read only once", true},
		{"check quiet json", []string{"check", "--quiet", "--format", "json", "a.har"}, exitError, "", "--quiet applies to the text format only", true},
		{"rules bad format", []string{"rules", "--format", "ndjson"}, exitError, "", `--format "ndjson": want one of text, json`, true},
		{"rules argument", []string{"rules", "extra"}, exitError, "", `unexpected argument "extra"`, true},
		{"rules -h", []string{"rules", "-h"}, exitOK, "Usage: contractcheck rules", "", false},
		{"version", []string{"version"}, exitOK, "contractcheck ", "", false},
		{"--version", []string{"--version"}, exitOK, "contractcheck ", "", false},
		{"version argument", []string{"version", "x"}, exitError, "", "takes no arguments", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runArgs(t, "", tt.args...)
			assert.Equal(t, tt.code, r.code, "stderr: %s", r.stderr)
			if tt.stdout == "" {
				assert.Empty(t, r.stdout)
			} else {
				assert.Contains(t, r.stdout, tt.stdout)
			}
			if tt.stderr == "" {
				assert.Empty(t, r.stderr)
			} else {
				assert.Contains(t, r.stderr, tt.stderr)
			}
			if tt.usageErr {
				assertUsageError(t, r.stderr)
			}
		})
	}
}

// assertUsageError asserts that stderr is a usage error as contractcheck
// prints them: one line naming the command and the problem, flags with two
// dashes, then the line that says where the usage is.
func assertUsageError(t *testing.T, stderr string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if !assert.Len(t, lines, 2, "a usage error is one line and a pointer to the usage:\n%s", stderr) {
		return
	}
	assert.Regexp(t, `^contractcheck( \w+)?: `, lines[0])
	assert.NotRegexp(t, `(^|[ "(])-[a-z]`, lines[0], "a flag named with one dash")
	assert.Regexp(t, `^run 'contractcheck help( \w+)?' for usage$`, lines[1])
}

// TestUsageErrorsAreOneLine misuses every command, and every flag that
// takes a restricted value, and wants one line and the pointer to the
// command's usage each time, never the usage itself.
func TestUsageErrorsAreOneLine(t *testing.T) {
	tests := []struct {
		args []string
		want string // the first line
	}{
		{[]string{"check", "--nope", "a.har"}, "contractcheck check: unknown flag --nope"},
		{[]string{"check", "--format", "xml", "a.har"}, `contractcheck check: --format "xml": want one of text, json, ndjson, junit, sarif, github, markdown`},
		{[]string{"check", "a.har", "--format"}, "contractcheck check: --format needs a value"},
		{[]string{"check", "--quiet=maybe", "a.har"}, `contractcheck check: --quiet "maybe": want true or false`},
		{[]string{"check", "--progress", "often", "a.har"}, `contractcheck check: --progress "often": want one of auto, always, never`},
		{[]string{"check", "--report", "xml=out.xml", "a.har"}, `contractcheck check: --report "xml=out.xml": `},
		{[]string{"check", "--rule", "cors.vary-origin", "a.har"}, `contractcheck check: --rule "cors.vary-origin": want RULE=off|warning|error`},
		{[]string{"check", "--nope\x1b[2J", "a.har"}, `contractcheck check: unknown flag --nope\x1b[2J`},
		{[]string{"probe", "--nope"}, "contractcheck probe: unknown flag --nope"},
		{[]string{"probe", "--base-url", "http://127.0.0.1:9", "--timeout", "soon"}, `contractcheck probe: --timeout "soon": not a valid value`},
		{[]string{"probe"}, "contractcheck probe: --base-url is required"},
		{[]string{"serve", "--nope"}, "contractcheck serve: unknown flag --nope"},
		{[]string{"serve", "--account-sid", "foo", "--auth-token", "x"}, "contractcheck serve: --account-sid must be an account SID, AC followed by 32 hex digits (34 characters); it has 3 characters"},
		{[]string{"probe", "--base-url", "http://127.0.0.1:9", "--account-sid", "foo", "--auth-token", "x"}, "contractcheck probe: --account-sid must be an account SID, AC followed by 32 hex digits"},
		{[]string{"serve", "extra"}, `contractcheck serve: serve takes no arguments, got "extra"`},
		{[]string{"proxy", "--nope"}, "contractcheck proxy: unknown flag --nope"},
		{[]string{"proxy", "--upstream", "http://127.0.0.1:9", "--max-body", "lots"}, `contractcheck proxy: --max-body: "lots" is not a size`},
		{[]string{"rules", "--nope"}, "contractcheck rules: unknown flag --nope"},
		{[]string{"rules", "--format", "xml"}, `contractcheck rules: --format "xml": want one of text, json`},
		{[]string{"version", "--nope"}, "contractcheck version: unknown flag --nope"},
		{[]string{"version", "extra"}, `contractcheck version: version takes no arguments, got "extra"`},
		{[]string{"help", "nope"}, `contractcheck help: unknown command "nope"`},
		{[]string{"nope"}, `contractcheck: unknown command "nope"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runArgs(t, "", tt.args...)
			assert.Equal(t, exitError, r.code)
			assert.Empty(t, r.stdout)
			assertUsageError(t, r.stderr)
			assert.True(t, strings.HasPrefix(r.stderr, tt.want), "stderr %q does not start with %q", r.stderr, tt.want)
			assert.NotContains(t, r.stderr, "Usage:", "a usage error prints no usage")
		})
	}
}

func TestEveryFlagDocumented(t *testing.T) {
	tests := []struct {
		usage string
		fs    *flag.FlagSet
	}{
		{checkUsage, newCheckFlags("check").fs},
		{rulesUsage, newRulesFlags().fs},
		{probeUsage, newProbeFlags().fs},
		{serveUsage, newServeFlags().fs},
		{proxyUsage, newProxyFlags().fs},
	}
	for _, tt := range tests {
		t.Run(tt.fs.Name(), func(t *testing.T) {
			n := 0
			tt.fs.VisitAll(func(f *flag.Flag) {
				n++
				assert.Contains(t, tt.usage, "  --"+f.Name+" ", "flag --%s is not in the usage of %s", f.Name, tt.fs.Name())
			})
			assert.Equal(t, n+1, strings.Count(tt.usage, "\n  -"), "the usage lists a flag that does not exist (or misses -h)")
		})
	}
	for name, usage := range commandUsage {
		assert.Contains(t, mainUsage, "contractcheck "+name, "the main usage does not list %s", name)
		assert.True(t, strings.HasPrefix(usage, "Usage: contractcheck "+name), "usage of %s", name)
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args       []string
		positional []string
		format     string
		quiet      bool
	}{
		{[]string{"a.har"}, []string{"a.har"}, "text", false},
		{[]string{"a.har", "--format", "json"}, []string{"a.har"}, "json", false},
		{[]string{"--format=json", "a.har", "-quiet", "b.har"}, []string{"a.har", "b.har"}, "json", true},
		{[]string{"a.har", "-", "b.har"}, []string{"a.har", "-", "b.har"}, "text", false},
		{[]string{"a.har", "--", "--quiet", "-x"}, []string{"a.har", "--quiet", "-x"}, "text", false},
		{[]string{"--quiet", "--"}, nil, "text", true},
		{nil, nil, "text", false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			f := newCheckFlags("check")
			got, err := parseInterspersed(f.fs, tt.args)
			require.NoError(t, err)
			assert.Equal(t, tt.positional, got)
			assert.Equal(t, tt.format, f.format.value)
			assert.Equal(t, tt.quiet, f.quiet)
		})
	}
	_, err := parseInterspersed(newCheckFlags("check").fs, []string{"a.har", "-h"})
	assert.ErrorIs(t, err, errHelp)
}

func TestUseColor(t *testing.T) {
	tests := []struct {
		mode, noColor string
		want          bool
	}{
		{colorAlways, "", true},
		{colorAlways, "1", true},
		{colorNever, "", false},
		{colorAuto, "", false}, // a buffer is no terminal
		{colorAuto, "1", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, useColor(tt.mode, &bytes.Buffer{}, tt.noColor), "%s NO_COLOR=%q", tt.mode, tt.noColor)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a regular file is no terminal")
}

func TestCheckMissingFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.har"), filepath.Join(dir, "b.ndjson")
	r := runArgs(t, "", "check", "--format", "ndjson", a, b)
	assert.Equal(t, exitError, r.code)
	assert.Equal(t, a+": cannot open: no such file or directory\n"+b+": cannot open: no such file or directory\n", r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 2, "each missing file is an input-error pair:\n%s", r.stdout)
	assert.Contains(t, lines[0], `"source":"`+a+`","entry":-1`)
	assert.Contains(t, lines[1], `"verdict":"input-error"`)
}

func TestCheckMissingSpec(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "nope.yaml")
	r := runArgs(t, "", "check", "--spec", spec, "a.har")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, spec)
	assert.Empty(t, r.stdout, "no report without a contract")
}

func TestCheckerPairInputErrors(t *testing.T) {
	var c checker
	tests := []struct {
		name      string
		it        item
		ref, text string
	}{
		{"entry error", item{err: &recording.EntryError{Source: "x.har", Entry: 3, Line: 9, Field: "response.status", Err: errors.New("not a number")}},
			"x.har#3 (line 9)", "response.status: not a number"},
		{"fatal error", item{err: &recording.EntryError{Source: "x.har", Entry: -1, Err: errors.New("not HAR")}}, "x.har", "not HAR"},
		{"other error", item{err: errors.New("boom")}, "?", "boom"},
		{"nothing", item{}, "?", "the reader gave neither an exchange nor an error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := c.pair(tt.it)
			assert.Equal(t, report.VerdictInputError, p.Verdict)
			assert.Equal(t, tt.ref, p.RefLine())
			assert.Equal(t, tt.text, p.Error)
		})
	}
}

func TestCountOf(t *testing.T) {
	assert.Equal(t, 0, countOf(nil, "-"))
	assert.Equal(t, 2, countOf([]string{"-", "a", "-"}, "-"))
	assert.Equal(t, 1, countOf([]string{"a", "-"}, "-"))
}

// okLine is an NDJSON recording of one exchange that keeps the contract.
const okLine = `{"request":{"method":"POST","url":"https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks","headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com"},"response":{"status":201,"headers":{"Content-Type":"application/json"},"body":"{}"}}` + "\n"

func TestCheckInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"check", "--format", "json", "-"}, strings.NewReader(okLine), &stdout, &stderr)
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr.String(), "interrupted")
	var doc struct {
		Pairs   []report.Pair  `json:"pairs"`
		Summary report.Summary `json:"summary"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc), "the report stays valid JSON:\n%s", stdout.String())
	assert.Empty(t, doc.Pairs)
}

func TestCheckStdinStreams(t *testing.T) {
	r := runArgs(t, okLine+okLine, "check", "--format", "ndjson", "-")
	require.NotEqual(t, exitError, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 2)
	for i, line := range lines {
		var p report.Pair
		require.NoError(t, json.Unmarshal([]byte(line), &p))
		assert.Equal(t, "-", p.Source)
		assert.Equal(t, i, p.Entry)
	}
}
