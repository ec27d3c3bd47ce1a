package main

import (
	"os"
	"path/filepath"
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
