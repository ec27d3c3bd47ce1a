package sarifschema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder records whether a test skipped and why, without stopping the
// calling test.
type recorder struct {
	testing.TB
	skipped string
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = format
	if len(args) > 0 {
		r.skipped = strings.ReplaceAll(format, "%s", args[0].(string))
	}
}

func TestAbsentSchemaSkips(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "sarif-schema-2.1.0.json")
	schema, absent, err := compile(missing)
	if schema != nil || !absent || err != nil {
		t.Fatalf("compile(missing) = %v, %v, %v; want nil, true, nil", schema, absent, err)
	}
	r := &recorder{TB: t}
	use(r, missing, nil, true, nil)
	if !strings.Contains(r.skipped, "skipped: the SARIF 2.1.0 schema "+missing+" is absent") {
		t.Fatalf("skip message %q", r.skipped)
	}
}

func TestBadSchemaFails(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, absent, err := compile(bad); absent || err == nil {
		t.Fatalf("compile(bad) = absent %v, err %v; want an error", absent, err)
	}
}

func TestPathIsBesideTheRepository(t *testing.T) {
	p, err := Path()
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	if want := filepath.Join(root, "..", "shared", "schemas", "sarif-schema-2.1.0.json"); p != want {
		t.Fatalf("Path() = %s, want %s", p, want)
	}
}
