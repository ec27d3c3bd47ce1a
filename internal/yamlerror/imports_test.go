package yamlerror

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// theYAMLLibrary is the one YAML package the module's code imports: the one
// libopenapi needs anyway.
const theYAMLLibrary = "github.com/pb33f/go-yaml"

// otherYAMLLibrary reports whether path, an import path, is a YAML package
// other than theYAMLLibrary and its packages: one outside module with
// "yaml" in an element (go.yaml.in/yaml/v3, gopkg.in/yaml.v2,
// sigs.k8s.io/yaml, github.com/goccy/go-yaml, ...).
func otherYAMLLibrary(module, path string) bool {
	if path == theYAMLLibrary || strings.HasPrefix(path, theYAMLLibrary+"/") ||
		path == module || strings.HasPrefix(path, module+"/") {
		return false
	}
	return strings.Contains(strings.ToLower(path), "yaml")
}

func TestOtherYAMLLibrary(t *testing.T) {
	const module = "github.com/contractcheck/contractcheck"
	for _, path := range []string{"go.yaml.in/yaml/v3", "go.yaml.in/yaml/v4", "gopkg.in/yaml.v2", "gopkg.in/yaml.v3", "sigs.k8s.io/yaml", "github.com/goccy/go-yaml", "github.com/goccy/go-yaml/ast", "github.com/ghodss/yaml", "github.com/pb33f/go-yamlx"} {
		assert.True(t, otherYAMLLibrary(module, path), path)
	}
	for _, path := range []string{theYAMLLibrary, theYAMLLibrary + "/plugin/limit", module + "/internal/yamlalias", "github.com/pb33f/libopenapi", "encoding/json"} {
		assert.False(t, otherYAMLLibrary(module, path), path)
	}
}

// TestOneYAMLLibrary fails when a .go file of the module (its tests and
// testdata included, the modules nested in it, such as bench/, not)
// imports a YAML package other than theYAMLLibrary.
func TestOneYAMLLibrary(t *testing.T) {
	root := filepath.Join("..", "..")
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	module, _, _ := strings.Cut(strings.TrimPrefix(string(gomod), "module "), "\n")
	require.Equal(t, "github.com/contractcheck/contractcheck", module)

	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != root {
				return filepath.SkipDir // a module of its own
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			assert.False(t, otherYAMLLibrary(module, p), "%s imports %s: use %s, the YAML package libopenapi needs", fset.Position(imp.Pos()), p, theYAMLLibrary)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, files, 100, "the module's files were found")
}
