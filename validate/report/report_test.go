package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/probe"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// render writes pairs in a format and returns the report.
func render(t *testing.T, f Format, opts Options, pairs []Pair) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(&buf, f, opts)
	require.NoError(t, err)
	var s Summary
	for _, p := range pairs {
		s.Add(p)
		require.NoError(t, w.WritePair(p))
	}
	require.NoError(t, w.Finish(s))
	return buf.String()
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create the golden file")
	assert.Equal(t, string(want), got, "the report differs from %s (go test -update rewrites it)", path)
}

func TestGolden(t *testing.T) {
	tests := []struct {
		golden string
		format Format
		opts   Options
		pairs  []Pair
	}{
		{"report.text", FormatText, Options{}, testPairs()},
		{"report-color.text", FormatText, Options{Color: true}, testPairs()},
		{"report-quiet.text", FormatText, Options{Quiet: true}, testPairs()},
		{"report.json", FormatJSON, Options{Contract: testContract}, testPairs()},
		{"report.ndjson", FormatNDJSON, Options{Contract: testContract}, testPairs()},
		{"report.junit", FormatJUnit, Options{}, testPairs()},
		{"report.sarif", FormatSARIF, Options{ToolVersion: "v1.0.0", ToolRules: probe.Rules()}, testPairs()},
		{"report.github", FormatGitHub, Options{}, testPairs()},
		{"report.markdown", FormatMarkdown, Options{}, testPairs()},
		{"empty.text", FormatText, Options{}, nil},
		{"empty.junit", FormatJUnit, Options{}, nil},
		{"empty.sarif", FormatSARIF, Options{ToolRules: probe.Rules()}, nil},
		{"empty.github", FormatGitHub, Options{}, nil},
		{"empty.markdown", FormatMarkdown, Options{}, nil},
		{"empty.json", FormatJSON, Options{Contract: testContract}, nil},
		{"empty.ndjson", FormatNDJSON, Options{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			got := render(t, tt.format, tt.opts, tt.pairs)
			golden(t, tt.golden, got)
			for _, secret := range []string{testSecret, testBasicAuth[len("Basic "):], "abc123def"} {
				assert.NotContains(t, got, secret, "a secret reached the report")
			}
			assert.NotContains(t, got, "\x1b[2J", "a terminal escape of the recording reached the report")
			if !tt.opts.Color {
				assert.NotContains(t, got, "\x1b[", "colour escapes without Color")
			}
		})
	}
}

func TestJSONShape(t *testing.T) {
	for _, n := range []int{0, 1, len(testPairs())} {
		out := render(t, FormatJSON, Options{Contract: testContract}, testPairs()[:n])
		var doc map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(out), &doc), "not JSON:\n%s", out)
		assert.ElementsMatch(t, []string{"contract", "pairs", "summary"}, keys(doc))

		var contract string
		require.NoError(t, json.Unmarshal(doc["contract"], &contract))
		assert.Equal(t, testContract, contract)

		var pairs []map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(doc["pairs"], &pairs))
		require.Len(t, pairs, n)
		for _, p := range pairs {
			assert.Subset(t, keys(p), []string{"source", "entry", "method", "url", "status", "verdict", "findings"})
			assert.NotEqual(t, "null", string(p["findings"]))
		}

		var summary map[string]int
		require.NoError(t, json.Unmarshal(doc["summary"], &summary))
		want := []string{"pairs", "passed", "failed", "skipped", "errors", "warnings", "input_errors"}
		if n == len(testPairs()) {
			want = append(want, "infos") // left out when zero
		}
		assert.ElementsMatch(t, want, keys(summary))
		assert.Equal(t, n, summary["pairs"])
	}
}

func TestNDJSONLines(t *testing.T) {
	out := render(t, FormatNDJSON, Options{}, testPairs())
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, len(testPairs()))
	for i, line := range lines {
		var p Pair
		require.NoError(t, json.Unmarshal([]byte(line), &p), "line %d", i+1)
		assert.Equal(t, testPairs()[i].Verdict, p.Verdict)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			w, err := New(failingWriter{}, f, Options{})
			require.NoError(t, err)
			pairs := testPairs()
			err = w.WritePair(pairs[1])
			if f == FormatMarkdown || f == FormatHTML { // they write nothing before Finish
				require.NoError(t, err)
				err = w.Finish(Summary{Pairs: 1, Failed: 1})
				require.Error(t, err)
				assert.Contains(t, err.Error(), "disk full")
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "disk full")
			assert.Contains(t, err.Error(), "traffic.har#1")
		})
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		got, err := ParseFormat(string(f))
		require.NoError(t, err)
		assert.Equal(t, f, got)
	}
	_, err := ParseFormat("xml")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"xml"`)
	_, err = New(&bytes.Buffer{}, Format("xml"), Options{})
	assert.Error(t, err)
}

func TestPathAndQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://conversations.twilio.com/v1/Conversations/CH1/Webhooks", "/v1/Conversations/CH1/Webhooks"},
		{"https://host/v1/x?a=1&b=2#frag", "/v1/x?a=1&b=2"},
		{"https://user:[REDACTED]@host:8443/v1/x", "/v1/x"},
		{"https://host", "/"},
		{"https://host?a=1", "/?a=1"},
		{"/v1/x?a=1", "/v1/x?a=1"},
		{"/v1/x?next=https://other/y", "/v1/x?next=https://other/y"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, pathAndQuery(tt.in), tt.in)
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"two\nlines\ttab", "two\nlines\ttab"},
		{"esc\x1b[31m", `esc\x1b[31m`},
		{"cr\r", `cr\r`},
		{"del\x7f", `del\x7f`},
		{"c1\u009b", `c1\u009b`},
		{"ünïcode", "ünïcode"},
		{"bad\xadutf8\xff", "bad\uFFFDutf8\uFFFD"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, clean(tt.in), "%q", tt.in)
	}
}
