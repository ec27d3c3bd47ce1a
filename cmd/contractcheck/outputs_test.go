package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSameFile(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.har")
	require.NoError(t, os.WriteFile(a, []byte("{}"), 0o644))
	require.NoError(t, os.Link(a, filepath.Join(dir, "hard.har")))
	require.NoError(t, os.Symlink(a, filepath.Join(dir, "soft.har")))
	require.NoError(t, os.Symlink(dir, filepath.Join(dir, "d")))
	for _, tt := range []struct {
		a, b string
		same bool
	}{
		{a, a, true},
		{a, filepath.Join(dir, "hard.har"), true},
		{a, filepath.Join(dir, "soft.har"), true},
		{a, dir + "/x/../a.har", false}, // x does not exist: the path does not resolve
		{a, filepath.Join(dir, "d", "a.har"), true},
		{filepath.Join(dir, "new.json"), filepath.Join(dir, "d", "new.json"), true}, // neither exists
		{filepath.Join(dir, "new.json"), filepath.Join(dir, "other.json"), false},
		{a, filepath.Join(dir, "new.json"), false},
		{os.DevNull, os.DevNull, false},
	} {
		assert.Equal(t, tt.same, sameFile(tt.a, tt.b), "%s and %s", tt.a, tt.b)
	}
}
