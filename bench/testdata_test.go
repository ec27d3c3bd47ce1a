package bench

import (
	"crypto/sha256"
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// twilioSpecSHA256 is the SHA-256 of twilio-oai's
// spec/json/twilio_conversations_v1.json at commit d50069b.
const twilioSpecSHA256 = "34913a501fc216448067292fe6aaa57fa1589d68e422db95bcf52452349e8241"

// TestTwilioSpecUnchanged checks that the shipped spec is Twilio's, byte for
// byte (testdata/README.md): the full-spec figures are of that document.
func TestTwilioSpecUnchanged(t *testing.T) {
	sum := sha256.Sum256(twilioBytes(t))
	if got := hex.EncodeToString(sum[:]); got != twilioSpecSHA256 {
		t.Errorf("%s has SHA-256 %s, want %s: restore it from twilio-oai", twilioSpec, got, twilioSpecSHA256)
	}
}

// TestNoSkips checks that no test or benchmark of the module skips: every
// input they need is in the module, so that the table has every row on every
// machine.
func TestNoSkips(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "Skip", "Skipf", "SkipNow":
					t.Errorf("%s: a call of %s: the module's tests and benchmarks must not skip", fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}
