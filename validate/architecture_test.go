package validate_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestArchitectureNamesWhatExists keeps docs/ARCHITECTURE.md true of the
// code: every file and package it names exists. A file is named by its path
// from the repository's root (validate/internal/wire/form.go) or, for
// package validate's own files, by its name alone (check.go).
func TestArchitectureNamesWhatExists(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "ARCHITECTURE.md"))
	require.NoError(t, err)
	files := regexp.MustCompile("`((?:[a-z]+/)*[a-z_]+\\.go)`").FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, files)
	for _, m := range files {
		path := m[1]
		if strings.Contains(path, "/") {
			path = filepath.Join("..", filepath.FromSlash(path))
		}
		assert.FileExists(t, path, "docs/ARCHITECTURE.md names %s", m[1])
	}
	dirs := regexp.MustCompile("`((?:validate|cmd|internal)(?:/[a-z]+)+)`").FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, dirs)
	for _, m := range dirs {
		assert.DirExists(t, filepath.Join("..", m[1]), "docs/ARCHITECTURE.md names %s", m[1])
	}
}
