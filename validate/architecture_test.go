package validate_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestArchitectureNamesWhatExists keeps docs/ARCHITECTURE.md true of the
// code: every file and package it names exists.
func TestArchitectureNamesWhatExists(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "ARCHITECTURE.md"))
	require.NoError(t, err)
	files := regexp.MustCompile("`([a-z_]+\\.go)`").FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, files)
	for _, m := range files {
		assert.FileExists(t, m[1], "docs/ARCHITECTURE.md names validate/%s", m[1])
	}
	dirs := regexp.MustCompile("`((?:validate|cmd)/[a-z]+)`").FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, dirs)
	for _, m := range dirs {
		assert.DirExists(t, filepath.Join("..", m[1]), "docs/ARCHITECTURE.md names %s", m[1])
	}
}
