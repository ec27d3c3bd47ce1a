package validate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPublicAPI: package validate exports what a user of the library needs
// (loading a contract, checking exchanges, findings and the rule catalogue)
// and nothing of how it checks: redaction lives in internal/redact, rule
// anchors and the compiled tables stay unexported. A new exported name is a
// decision: add it here.
func TestPublicAPI(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.SkipObjectResolution)
	require.NoError(t, err)
	var got []string
	for _, f := range pkgs["validate"].Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					got = append(got, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							got = append(got, s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && !strings.HasPrefix(n.Name, "Rule") && !strings.HasPrefix(n.Name, "Part") && !strings.HasPrefix(n.Name, "Severity") {
								got = append(got, n.Name)
							}
						}
					}
				}
			}
		}
	}
	slices.Sort(got)
	assert.Equal(t, []string{
		"Bodies", "Embedded", "Exchange", "Finding", "FormBody", "FormExample", "FormField", "Load", "LoadError", "LoadFile",
		"Location", "LookupRule", "MaxFindingsPerPair", "MaxFindingsPerRule", "NewExchange", "ParseLocation", "ParseSeverity",
		"Part", "Plan", "Problem", "Request", "RequestBody", "Response", "ResponseBody", "Result", "Rule", "Rules", "Severity", "SpecPos",
	}, got)
}
