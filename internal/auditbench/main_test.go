package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/recording"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"100": 100, "2KiB": 2048, "100MiB": 100 << 20, "1GiB": 1 << 30} {
		got, err := parseSize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "MiB", "-1MiB", "1.5GiB", "1TB"} {
		_, err := parseSize(in)
		assert.Error(t, err, in)
	}
}

// TestGen checks that gen writes a HAR of about the size asked for, every
// entry of which reads without a problem.
func TestGen(t *testing.T) {
	out := filepath.Join(t.TempDir(), "gen.har")
	require.NoError(t, run([]string{"gen", "-size", "256KiB", "-root", filepath.Join("..", ".."), "-o", out}))
	st, err := os.Stat(out)
	require.NoError(t, err)
	assert.InDelta(t, 256<<10, st.Size(), 8<<10)
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	n := 0
	for ex, err := range recording.Read("gen.har", f) {
		require.NoError(t, err)
		assert.Equal(t, n, ex.Entry)
		assert.Equal(t, n+2, ex.Line) // one entry a line, after the opening line
		n++
	}
	assert.Greater(t, n, 80)
}

// TestWorst checks that worst writes each kind at about the size asked
// for, and that every entry of it reads.
func TestWorst(t *testing.T) {
	for _, kind := range []string{"comment", "entries", "ndjson"} {
		out := filepath.Join(t.TempDir(), kind)
		require.NoError(t, run([]string{"worst", "-kind", kind, "-size", "64KiB", "-n", "3", "-root", filepath.Join("..", ".."), "-o", out}), kind)
		f, err := os.Open(out)
		require.NoError(t, err)
		n := 0
		for _, err := range recording.Read(kind, f) {
			require.NoError(t, err, kind)
			n++
		}
		f.Close()
		want := 3
		if kind == "comment" {
			want = 100
		}
		assert.Equal(t, want, n, kind)
		st, err := os.Stat(out)
		require.NoError(t, err)
		assert.Greater(t, st.Size(), int64(64<<10), kind)
	}
	assert.Error(t, run([]string{"worst", "-kind", "nope", "-root", filepath.Join("..", ".."), "-o", filepath.Join(t.TempDir(), "x")}))
}

// TestGenNDJSON checks that gen -format ndjson writes exactly -count entries,
// every -broken-th of them an input error of its own line, the others
// exchanges, among blank lines and CRLF line ends.
func TestGenNDJSON(t *testing.T) {
	out := filepath.Join(t.TempDir(), "gen.ndjson")
	require.NoError(t, run([]string{"gen", "-format", "ndjson", "-count", "1000", "-broken", "40", "-root", filepath.Join("..", ".."), "-o", out}))
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(data), "\r\n")
	assert.Contains(t, string(data), "\n \t\n")
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	entries, broken, kinds := 0, 0, map[string]bool{}
	for ex, err := range recording.Read("gen.ndjson", f) {
		entries++
		if err != nil {
			var ee *recording.EntryError
			require.ErrorAs(t, err, &ee)
			require.False(t, ee.Final())
			assert.Contains(t, brokenLines, lines[ee.Line-1], "the line of %v", err)
			kinds[ee.Field] = true
			broken++
			continue
		}
		assert.Equal(t, ex.Entry+1, ex.Line)
		assert.NotContains(t, brokenLines, lines[ex.Line-1])
	}
	assert.Equal(t, 1000, entries)
	assert.Equal(t, 25, broken)
	assert.Len(t, kinds, len(brokenLines), "each kind of broken entry names its own field: %v", kinds)
	assert.Greater(t, len(lines), 1000, "blank lines")
}

// TestGenFlags refuses what gen cannot do.
func TestGenFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-format", "xml"},
		{"-count", "10"},
		{"-format", "ndjson", "-broken", "-1"},
	} {
		assert.Error(t, run(append([]string{"gen", "-o", filepath.Join(t.TempDir(), "x")}, args...)), "%v", args)
	}
}

// TestReadAndFloor checks that read and floor decode every entry of what gen
// writes, as a HAR and as NDJSON, and refuse a file that is not one.
func TestReadAndFloor(t *testing.T) {
	dir := t.TempDir()
	har, ndjson := filepath.Join(dir, "valid.har"), filepath.Join(dir, "valid.ndjson")
	require.NoError(t, run([]string{"gen", "-valid", "-size", "64KiB", "-root", filepath.Join("..", ".."), "-o", har}))
	require.NoError(t, run([]string{"gen", "-valid", "-format", "ndjson", "-count", "30", "-root", filepath.Join("..", ".."), "-o", ndjson}))
	want := 0
	f, err := os.Open(har)
	require.NoError(t, err)
	for _, err := range recording.Read("valid.har", f) {
		require.NoError(t, err)
		want++
	}
	f.Close()
	require.Greater(t, want, 20)
	f, err = os.Open(har)
	require.NoError(t, err)
	n, err := floorHAR(f)
	f.Close()
	require.NoError(t, err)
	assert.Equal(t, want, n)
	f, err = os.Open(ndjson)
	require.NoError(t, err)
	n, err = floorNDJSON(f)
	f.Close()
	require.NoError(t, err)
	assert.Equal(t, 30, n)
	for _, name := range []string{har, ndjson} {
		f, err = os.Open(name)
		require.NoError(t, err)
		n, err = readBatches(name, f)
		f.Close()
		require.NoError(t, err)
		assert.Equal(t, map[string]int{har: want, ndjson: 30}[name], n, "read -batches %s", name)
	}
	require.NoError(t, run([]string{"read", har}))
	require.NoError(t, run([]string{"read", "-batches", har}))
	require.NoError(t, run([]string{"floor", ndjson}))
	broken := filepath.Join(dir, "broken.har")
	require.NoError(t, os.WriteFile(broken, []byte(`{"log":{"entries":[{"request":`), 0o644))
	assert.Error(t, run([]string{"floor", broken}))
	assert.Error(t, run([]string{"read", broken}))
	assert.Error(t, run([]string{"read", "-batches", broken}))
}
