package validate_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStagesImportOnlyBelow keeps the stages' packages layered as
// docs/ARCHITECTURE.md draws them: the wire decoders and the findings model
// import nothing of the checker, the contract document only the findings,
// the gate only the document and the wire, the router nothing at all, the
// libopenapi reading of the document only the document, the compiled
// contract those below it, the checker all of them; none of them imports
// validate.
func TestStagesImportOnlyBelow(t *testing.T) {
	const module = "github.com/contractcheck/contractcheck/"
	allowed := map[string][]string{
		"wire":     {"internal/ascii"},
		"finding":  {"internal/escape"},
		"contract": {"validate/internal/finding"},
		"gate":     {"internal/ascii", "validate/internal/contract", "validate/internal/wire"},
		"route":    {},
		"spec":     {"validate/internal/contract"},
		"compiled": {"validate/internal/contract", "validate/internal/finding", "validate/internal/gate", "validate/internal/route", "validate/internal/wire"},
		"check": {"internal/ascii", "internal/redact", "validate/internal/compiled", "validate/internal/contract", "validate/internal/finding",
			"validate/internal/gate", "validate/internal/route", "validate/internal/wire"},
	}
	dirs, err := os.ReadDir("internal")
	require.NoError(t, err)
	var seen []string
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		want, ok := allowed[d.Name()]
		if !assert.True(t, ok, "validate/internal/%s is a stage docs/ARCHITECTURE.md does not name: add it here and there", d.Name()) {
			continue
		}
		seen = append(seen, d.Name())
		files, err := filepath.Glob(filepath.Join("internal", d.Name(), "*.go"))
		require.NoError(t, err)
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
			require.NoError(t, err)
			for _, imp := range f.Imports {
				path, err := strconv.Unquote(imp.Path.Value)
				require.NoError(t, err)
				if rest, ok := strings.CutPrefix(path, module); ok {
					assert.Contains(t, want, rest, "%s imports %s", file, path)
				}
			}
		}
	}
	slices.Sort(seen)
	assert.Equal(t, []string{"check", "compiled", "contract", "finding", "gate", "route", "spec", "wire"}, seen, "every stage has its package")
}

// TestLibopenapiInOnePlace keeps libopenapi's document model in the two
// packages that need it: validate/internal/spec, which reads a contract with
// it, and validate/drift, which compares two with its what-changed. A
// package that names the model's types compiles its generic ordered maps
// for each of them (some 11,000 functions, about 15 s of CPU from an empty
// build cache), once per variant its tests build: make test's budget from
// an empty cache is spent there. Neither package has in-package tests, which
// would compile it twice. The differential test against libopenapi-validator
// (build tag oracle, make test-oracle) is the one exception.
func TestLibopenapiInOnePlace(t *testing.T) {
	allowed := map[string]bool{"validate/internal/spec": true, "validate/drift": true}
	var importers []string
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || name == "bench" || name == "beam" || name == "browser" || strings.HasPrefix(name, ".") && path != ".." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		if oracleOnly(f) {
			return nil // built by make test-oracle only
		}
		dir, _ := filepath.Rel("..", filepath.Dir(path))
		dir = filepath.ToSlash(dir)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p != "github.com/pb33f/libopenapi" && !strings.HasPrefix(p, "github.com/pb33f/libopenapi/") {
				continue
			}
			importers = append(importers, dir)
			switch {
			case !allowed[dir]:
				t.Errorf("%s imports %s: read the document through validate/internal/spec", path, p)
			case strings.HasSuffix(path, "_test.go") && !strings.HasSuffix(f.Name.Name, "_test"):
				t.Errorf("%s is an in-package test of a package that names libopenapi's types: make it package %s_test", path, f.Name.Name)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.NotEmpty(t, importers, "the walk found libopenapi's importers")
}

// oracleOnly reports whether a file is built only with the oracle build tag.
func oracleOnly(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if c.Text == "//go:build oracle" {
				return true
			}
		}
	}
	return false
}
