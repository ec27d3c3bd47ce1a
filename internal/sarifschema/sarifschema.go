// Package sarifschema gives tests the OASIS SARIF 2.1.0 JSON Schema, compiled,
// so that they can check that contractcheck's SARIF reports are valid SARIF.
//
// The schema lies outside the repository, at ../shared/schemas/ from the
// repository root, on developers' machines only; [Load] skips the test,
// saying so, when it is absent (as on CI).
package sarifschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// schemaURL is the schema's $id.
const schemaURL = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"

// Path returns where the schema is expected: ../shared/schemas/ from the
// repository root, found as the nearest directory above the working
// directory holding go.mod.
func Path() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the SARIF schema: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "schemas", "sarif-schema-2.1.0.json"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("finding the SARIF schema: no go.mod above the working directory")
		}
		dir = parent
	}
}

var compiled struct {
	once   sync.Once
	schema *jsonschema.Schema
	path   string
	err    error
	absent bool
}

// Load returns the compiled schema, compiling it once per test binary. It
// skips t, with a message naming the missing file, when the schema is absent,
// and fails t when it cannot be compiled.
func Load(t testing.TB) *jsonschema.Schema {
	t.Helper()
	compiled.once.Do(func() {
		compiled.path, compiled.err = Path()
		if compiled.err == nil {
			compiled.schema, compiled.absent, compiled.err = compile(compiled.path)
		}
	})
	return use(t, compiled.path, compiled.schema, compiled.absent, compiled.err)
}

// use skips or fails t as the outcome of compiling the schema at path says,
// or returns the schema.
func use(t testing.TB, path string, schema *jsonschema.Schema, absent bool, err error) *jsonschema.Schema {
	t.Helper()
	if absent {
		t.Skipf("skipped: the SARIF 2.1.0 schema %s is absent (it is on developers' machines only, not on CI)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// compile compiles the schema at path; absent reports that there is no
// file there.
func compile(path string) (schema *jsonschema.Schema, absent bool, err error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading the SARIF schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	if err := c.AddResource(schemaURL, bytes.NewReader(data)); err != nil {
		return nil, false, fmt.Errorf("adding the SARIF schema %s: %w", path, err)
	}
	schema, err = c.Compile(schemaURL)
	if err != nil {
		return nil, false, fmt.Errorf("compiling the SARIF schema %s: %w", path, err)
	}
	return schema, false, nil
}

// Validate fails t unless doc is a SARIF log that the schema accepts (and
// skips t when the schema is absent).
func Validate(t testing.TB, doc []byte) {
	t.Helper()
	schema := Load(t)
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("the SARIF report is not JSON: %v", err)
	}
	if err := schema.Validate(v); err != nil {
		t.Fatalf("the SARIF report does not validate against the SARIF 2.1.0 schema: %#v", err)
	}
}
