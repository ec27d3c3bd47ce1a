package sarifschema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
)

// TestSchemaUnchanged holds the shipped schema to the bytes OASIS publishes.
func TestSchemaUnchanged(t *testing.T) {
	sum := sha256.Sum256(schemaJSON)
	if got, want := hex.EncodeToString(sum[:]), "6352a05f9d03f181b8d9c71a46bdacc4fcff9d8ade5364858b425ba0c0994ed7"; got != want {
		t.Fatalf("testdata/sarif-schema-2.1.0.json has sha256 %s, want %s (the published 2.1.0 schema)", got, want)
	}
}

func TestBadSchemaFails(t *testing.T) {
	if _, err := compile([]byte("{not json")); err == nil {
		t.Fatal("compile(bad JSON) succeeded; want an error")
	}
}

// TestSchemaJudges checks that the compiled schema tells a SARIF log from
// something that is not one, so that Validate cannot pass on anything.
func TestSchemaJudges(t *testing.T) {
	schema := Load(t)
	for _, tc := range []struct {
		doc  string
		want bool
	}{
		{`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"contractcheck"}},"results":[]}]}`, true},
		{`{"version":"2.1.0","runs":[{"results":[]}]}`, false},         // a run needs its tool
		{`{"version":"2.0.0","runs":[]}`, false},                       // only 2.1.0
		{`{"version":"2.1.0","runs":[],"unknown":1}`, false},           // additionalProperties: false
		{`{"version":"2.1.0","runs":[{"tool":{"driver":{}}}]}`, false}, // a driver needs its name
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.doc), &v); err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); (err == nil) != tc.want {
			t.Errorf("Validate(%s) = %v, want valid %v", tc.doc, err, tc.want)
		}
	}
}
