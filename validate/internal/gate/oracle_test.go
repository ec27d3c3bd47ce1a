package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"unicode/utf8"

	"github.com/pb33f/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
)

// The oracles of the gate's tests: encoding/json for syntax and
// jsonschema/v5, compiled as package validate compiles it (format
// assertions on, draft 4 with nullable for OpenAPI 3.0, 2020-12 otherwise),
// for schema verdicts.

// pair is one schema compiled both ways: for the gate (nil when the gate
// leaves the schema to jsonschema) and for jsonschema/v5.
type pair struct {
	name  string
	fast  *Schema
	js    *jsonschema.Schema
	oas30 bool
}

// compilePair compiles the schema at ptr of a decoded document tree (numbers
// as json.Number) for the gate and for jsonschema/v5.
func compilePair(t testing.TB, name string, tree any, ptr string, oas30 bool) pair {
	t.Helper()
	fc := Compiler{Doc: &contract.Document{File: name, Tree: tree}, OAS30: oas30}
	jc := jsonschema.NewCompiler()
	jc.AssertFormat = true
	jc.Draft = jsonschema.Draft2020
	if oas30 {
		jc.Draft = jsonschema.Draft4
	}
	src, err := json.Marshal(withNull(tree, oas30))
	require.NoError(t, err)
	const url = "mem://schema.json"
	require.NoError(t, jc.AddResource(url, bytes.NewReader(src)))
	js, err := jc.Compile(url + "#" + ptr)
	require.NoError(t, err, "jsonschema/v5 compiles %s", name)
	return pair{name: name, fast: fc.Compile(ptr), js: js, oas30: oas30}
}

// inlinePair compiles a schema given as JSON text.
func inlinePair(t testing.TB, schema string, oas30 bool) pair {
	t.Helper()
	tree, err := contract.DecodeJSONTree([]byte(`{"s":` + schema + `}`))
	require.NoError(t, err, "schema %s", schema)
	return compilePair(t, schema, tree, "/s", oas30)
}

// withNull returns OpenAPI 3.0's schema dialect as JSON Schema draft 4: a
// "nullable" schema with a named type takes null too (as a type and as an
// enum member). Other trees are returned as they are.
func withNull(v any, oas30 bool) any {
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = withNull(e, oas30)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = withNull(e, oas30)
		}
		if typ, named := t["type"].(string); oas30 && named && t["nullable"] == true {
			out["type"] = []any{typ, "null"}
			if enum, ok := t["enum"].([]any); ok && !containsNil(enum) {
				out["enum"] = append(append([]any{}, enum...), nil)
			}
		}
		return out
	}
	return v
}

func containsNil(list []any) bool {
	for _, e := range list {
		if e == nil {
			return true
		}
	}
	return false
}

// embeddedTree is the embedded contract as JSON values.
func embeddedTree(t testing.TB) any {
	t.Helper()
	var y any
	require.NoError(t, yaml.Unmarshal(contracts.ScopedWebhook, &y))
	b, err := json.Marshal(y)
	require.NoError(t, err)
	tree, err := contract.DecodeJSONTree(b)
	require.NoError(t, err)
	return tree
}

// webhookSchema is the pointer of the embedded contract's 201 response schema.
const webhookSchema = "/components/schemas/conversations.v1.conversation.conversation_scoped_webhook"

// embeddedPair compiles the embedded contract's 201 response schema.
func embeddedPair(t testing.TB) pair {
	t.Helper()
	return compilePair(t, "the 201 response", embeddedTree(t), webhookSchema, true)
}

// documented201 is the documentation's 201 response example, as the
// embedded contract holds it, indented as the documentation shows it.
func documented201(t testing.TB) []byte {
	t.Helper()
	ex, ok := contract.LookupInstance(embeddedTree(t),
		"/paths/~1v1~1Conversations~1{ConversationSid}~1Webhooks/post/responses/201/content/application~1json/examples/create/value")
	require.True(t, ok, "the contract holds the 201 example")
	b, err := json.MarshalIndent(ex, "", "  ")
	require.NoError(t, err)
	return b
}

// errNotJSON is what authority says of a document encoding/json (or UTF-8)
// refuses.
var errNotJSON = errors.New("not one JSON value in UTF-8")

// errPanicked is what authority says when jsonschema/v5 panics: it does on
// a number big.Rat cannot read (1E1000001) against "type": "integer".
var errPanicked = errors.New("jsonschema/v5 panicked")

// authority is the full path's verdict on doc: nil when it is valid
// against js (nil js accepts any value), errNotJSON when it is not one
// well-formed JSON value, errPanicked, or jsonschema/v5's error.
func authority(js *jsonschema.Schema, doc []byte) (err error) {
	if !utf8.Valid(doc) {
		return errNotJSON
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return errNotJSON
	}
	if _, err := dec.Token(); err != io.EOF {
		return errNotJSON
	}
	if js == nil {
		return nil
	}
	defer func() {
		if recover() != nil {
			err = errPanicked
		}
	}()
	return js.Validate(x)
}

// depth is the deepest nesting of arrays and objects in a well-formed doc.
func depth(doc []byte) int {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return 0
	}
	return depthOf(v)
}

func depthOf(v any) int {
	deepest := 0
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			deepest = max(deepest, depthOf(e))
		}
	case map[string]any:
		for _, e := range t {
			deepest = max(deepest, depthOf(e))
		}
	default:
		return 0
	}
	return deepest + 1
}

// checkScan scans doc with p's gate schema and holds the verdict to the
// gate's promises: ok only for well-formed JSON in UTF-8, and for every
// such document not nested beyond MaxDepth; Valid only where jsonschema/v5
// finds nothing (not where it panics), Invalid only where it finds
// something. It returns the verdict.
func checkScan(t testing.TB, p pair, doc []byte) (Verdict, bool) {
	t.Helper()
	var sc Scanner
	v, ok := sc.ScanJSON(p.fast, doc)
	auth := authority(p.js, doc)
	switch {
	case ok && auth == errNotJSON:
		t.Fatalf("%s: the scanner read %q, which encoding/json (or UTF-8) refuses", p.name, doc)
	case !ok && auth != errNotJSON && depth(doc) <= MaxDepth:
		t.Fatalf("%s: the scanner refused %q, well-formed JSON nested %d deep", p.name, doc, depth(doc))
	case !ok:
		if v != Unsure {
			t.Fatalf("%s: the scanner refused %q but says %v", p.name, doc, v)
		}
	case p.fast == nil:
	case v == Valid && auth != nil:
		t.Fatalf("%s: the gate calls %q valid; jsonschema/v5 says %v", p.name, doc, auth)
	case v == Invalid && auth == nil:
		t.Fatalf("%s: the gate calls %q invalid; jsonschema/v5 finds nothing", p.name, doc)
	}
	return v, ok
}

// String names a verdict in test failures.
func (v Verdict) String() string {
	switch v {
	case Valid:
		return "valid"
	case Unsure:
		return "unsure"
	case Invalid:
		return "invalid"
	}
	return "verdict(?)"
}
