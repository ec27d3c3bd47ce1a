// Package sarifschema gives tests the OASIS SARIF 2.1.0 JSON Schema, compiled,
// so that they can check that contractcheck's SARIF reports are valid SARIF.
//
// The schema ships in testdata/ (with its provenance) and is embedded, so
// that every machine, CI included, validates the SARIF reports against it.
package sarifschema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// schemaURL is the schema's $id.
const schemaURL = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"

// schemaJSON is the published schema, byte for byte.
//
//go:embed testdata/sarif-schema-2.1.0.json
var schemaJSON []byte

var compiled struct {
	once   sync.Once
	schema *jsonschema.Schema
	err    error
}

// Load returns the compiled schema, compiling it once per test binary, and
// fails t when it cannot be compiled.
func Load(t testing.TB) *jsonschema.Schema {
	t.Helper()
	compiled.once.Do(func() {
		compiled.schema, compiled.err = compile(schemaJSON)
	})
	if compiled.err != nil {
		t.Fatal(compiled.err)
	}
	return compiled.schema
}

// compile compiles a draft-07 schema document under the SARIF schema's $id.
func compile(data []byte) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	if err := c.AddResource(schemaURL, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("adding the SARIF schema: %w", err)
	}
	schema, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compiling the SARIF schema: %w", err)
	}
	return schema, nil
}

// Validate fails t unless doc is a SARIF log that the schema accepts.
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
