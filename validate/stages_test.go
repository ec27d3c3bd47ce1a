package validate_test

import (
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
// compiled contract those five, the checker all six; none of them imports
// validate.
func TestStagesImportOnlyBelow(t *testing.T) {
	const module = "github.com/contractcheck/contractcheck/"
	allowed := map[string][]string{
		"wire":     {"internal/ascii"},
		"finding":  {"internal/escape"},
		"contract": {"validate/internal/finding"},
		"gate":     {"internal/ascii", "validate/internal/contract", "validate/internal/wire"},
		"route":    {},
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
	assert.Equal(t, []string{"check", "compiled", "contract", "finding", "gate", "route", "wire"}, seen, "every stage has its package")
}
