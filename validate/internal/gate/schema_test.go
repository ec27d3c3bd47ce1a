package gate

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/internal/contract"
)

// keywordCases are, for each keyword the gate judges, values it accepts,
// values it calls invalid and values it sends on to jsonschema/v5 unsure.
// TestKeywords checks each verdict with jsonschema/v5 too: Valid only where
// it finds nothing, Invalid only where it finds something.
var keywordCases = []struct {
	schema                 string
	oas30                  bool
	valid, unsure, invalid []string
}{
	{schema: `{"type":"string"}`, valid: []string{`""`, `"\u00e9"`}, invalid: []string{`1`, `null`, `true`, `{}`, `[]`}},
	{schema: `{"type":"integer"}`, valid: []string{`0`, `-0`, `12345678901234567890123`},
		unsure: []string{`1.0`, `1e2`, `1.5`, `-2E-1`, `1E1000001`}, invalid: []string{`"1"`, `null`, `false`, `[]`, `{}`}},
	{schema: `{"type":"number"}`, valid: []string{`0`, `1.5`, `-1e-400`, `1E400`}, invalid: []string{`"1"`, `null`}},
	{schema: `{"type":"boolean"}`, valid: []string{`true`, `false`}, invalid: []string{`0`, `"true"`, `null`}},
	{schema: `{"type":"null"}`, valid: []string{`null`}, invalid: []string{`0`, `""`, `false`}},
	{schema: `{"type":"object"}`, valid: []string{`{}`, `{"a":[1]}`}, invalid: []string{`[]`, `null`}},
	{schema: `{"type":"array"}`, valid: []string{`[]`, `[{}]`}, invalid: []string{`{}`, `""`}},
	{schema: `{"type":["string","null"]}`, valid: []string{`null`, `"a"`}, invalid: []string{`1`, `{}`}},
	{schema: `{"type":"string","nullable":true}`, oas30: true, valid: []string{`null`, `"a"`}, invalid: []string{`1`}},
	{schema: `{"type":"string","nullable":true}`, valid: []string{`"a"`}, invalid: []string{`null`}},
	{schema: `{"type":"string"}`, oas30: true, valid: []string{`"a"`}, invalid: []string{`null`}},
	{schema: `{"enum":["a","b\n"]}`, valid: []string{`"a"`, `"b\n"`, `"\u0061"`}, invalid: []string{`"c"`, `"A"`, `null`, `1`, `true`, `{}`, `[]`}},
	{schema: `{"enum":["a",null]}`, valid: []string{`null`, `"a"`}, invalid: []string{`"b"`, `0`}},
	{schema: `{"type":"string","enum":["get","post"],"nullable":true}`, oas30: true, valid: []string{`"get"`, `null`}, invalid: []string{`"GET"`}},
	{schema: `{"type":"string","enum":["get","post"]}`, oas30: true, valid: []string{`"post"`}, invalid: []string{`null`, `"put"`}},
	{schema: `{"minLength":2,"maxLength":3}`, valid: []string{`"ab"`, `"abc"`, `"éé"`, `"\ud83d\ude00\ud83d\ude00"`, `5`, `null`},
		invalid: []string{`""`, `"a"`, `"abcd"`, `"\ud83d\ude00"`, `"ééé\u00e9"`}},
	{schema: `{"type":"string","pattern":"^[a-z]+$"}`, valid: []string{`"abc"`}, invalid: []string{`"abc\n"`, `"ABC"`, `""`}},
	{schema: `{"pattern":"b"}`, valid: []string{`"abc"`, `1`}, invalid: []string{`"xyz"`}},
	{schema: `{"type":"string","pattern":"^WH[0-9a-fA-F]{32}$"}`,
		valid:   []string{`"WH0123456789abcdefABCDEF0123456789"`},
		invalid: []string{`"WH0123456789abcdefABCDEF012345678"`, `"WH0123456789abcdefABCDEF0123456789\n"`, `"wh0123456789abcdefABCDEF0123456789"`, `"WH0123456789abcdefABCDEF012345678g"`}},
	{schema: `{"type":"integer","minimum":-3,"maximum":5}`, valid: []string{`-3`, `0`, `5`},
		unsure: []string{`1.0`, `99999999999999999999`, `4e0`}, invalid: []string{`-4`, `6`}},
	{schema: `{"type":"number","minimum":0,"exclusiveMinimum":false}`, oas30: true, valid: []string{`0`}, unsure: []string{`0.5`, `-0.5`}, invalid: []string{`-1`}},
	{schema: `{"maximum":10}`, valid: []string{`10`, `"11"`}, unsure: []string{`10.5`}, invalid: []string{`11`}},
	{schema: `{"type":"string","format":"uri"}`, valid: []string{`"https://example.com"`, `"http://a.b:8080/c/d?e=f&g=h"`, `"a+b-c.d://x"`},
		unsure: []string{`"mailto:a@b.c"`, `"https://[::1]/"`, `"https://example.com/#frag"`, `"/relative"`, `"not a uri"`, `"https://ex%41mple.com"`}},
	{schema: `{"format":"date-time"}`, valid: []string{`"2016-03-24T21:05:50Z"`, `"2016-02-29T00:00:00.123456789+01:00"`, `1`},
		unsure: []string{`"2016-12-31T23:59:60Z"`, `"2016-03-24t21:05:50z"`, `"2015-02-29T00:00:00Z"`, `"2016-03-24 21:05:50Z"`, `"yesterday"`}},
	{schema: `{"format":"made-up"}`, valid: []string{`"anything"`}},
	{schema: `{"properties":{"a":{"type":"string"},"b":{"type":"integer"}}}`,
		valid:   []string{`{}`, `{"a":"x","c":1}`, `{"a":"y","a":"x"}`, `[]`, `1`},
		invalid: []string{`{"a":1}`, `{"b":"x"}`}, unsure: []string{`{"a":1,"a":"x"}`, `{"a":"x","a":1}`, `{"b":1.0}`}},
	{schema: `{"type":"object","required":["a","z"],"properties":{"a":{}}}`, valid: []string{`{"a":null,"z":{}}`},
		invalid: []string{`{"a":1}`, `{"z":1}`, `{}`}},
	{schema: `{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}`,
		valid: []string{`{}`, `{"a":"x"}`}, invalid: []string{`{"b":1}`, `{"a":"x","A":"x"}`}},
	{schema: `{"type":"object","additionalProperties":{"type":"integer"}}`,
		valid: []string{`{"a":1,"b":2}`}, invalid: []string{`[]`}, unsure: []string{`{"a":"x"}`, `{"a":"x","a":1}`, `{"a":1.0}`}},
	{schema: `{"type":"object","additionalProperties":true}`, valid: []string{`{"a":1}`}},
	{schema: `{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2}`,
		valid: []string{`["a"]`, `["a","b"]`}, invalid: []string{`[]`, `["a","b","c"]`, `[1]`, `["a",null]`}},
	{schema: `{"items":{"type":"integer"}}`, valid: []string{`[]`, `[1,2]`, `{}`}, unsure: []string{`[1.0]`}, invalid: []string{`["1"]`}},
	{schema: `true`, valid: []string{`1`, `{"a":[]}`}},
	{schema: `{}`, valid: []string{`null`, `[1]`}},
	{schema: `{"description":"d","title":"t","example":1,"examples":[1],"default":1,"readOnly":true,"writeOnly":false,"deprecated":true,"$comment":"c","x-vendor":1,"type":"integer"}`,
		valid: []string{`1`}, invalid: []string{`"1"`}},
}

// TestKeywords runs keywordCases.
func TestKeywords(t *testing.T) {
	for _, tc := range keywordCases {
		p := inlinePair(t, tc.schema, tc.oas30)
		if tc.valid == nil && tc.unsure == nil && tc.invalid == nil {
			assert.Nil(t, p.fast, "the gate leaves %s to jsonschema/v5", tc.schema)
			continue
		}
		require.NotNil(t, p.fast, "the gate compiles %s", tc.schema)
		for want, docs := range map[Verdict][]string{Valid: tc.valid, Unsure: tc.unsure, Invalid: tc.invalid} {
			for _, doc := range docs {
				v, ok := checkScan(t, p, []byte(doc))
				assert.True(t, ok, "%s: %s", tc.schema, doc)
				assert.Equal(t, want, v, "%s (oas30 %v): %s", tc.schema, tc.oas30, doc)
			}
		}
	}
}

// TestLeftToJSONSchema: schemas with keywords the gate does not judge, or
// that it cannot judge exactly, compile to no gate Schema; jsonschema/v5
// compiles each of them.
func TestLeftToJSONSchema(t *testing.T) {
	many := func(n int) string {
		props := make([]string, n)
		for i := range props {
			props[i] = fmt.Sprintf(`"p%d":{}`, i)
		}
		return `{"properties":{` + strings.Join(props, ",") + `}}`
	}
	for _, tc := range []struct {
		schema string
		oas30  bool
	}{
		{schema: `{"allOf":[{"type":"string"}]}`}, {schema: `{"anyOf":[{"type":"string"}]}`},
		{schema: `{"oneOf":[{"type":"string"}]}`}, {schema: `{"not":{"type":"string"}}`},
		{schema: `{"const":"a"}`}, {schema: `{"multipleOf":2}`}, {schema: `{"minProperties":1}`},
		{schema: `{"maxProperties":1}`}, {schema: `{"patternProperties":{"^a":{}}}`},
		{schema: `{"propertyNames":{"maxLength":1}}`}, {schema: `{"uniqueItems":true}`},
		{schema: `{"prefixItems":[{}]}`}, {schema: `{"contains":{}}`}, {schema: `{"if":{},"then":{}}`},
		{schema: `{"dependentRequired":{"a":["b"]}}`}, {schema: `{"exclusiveMinimum":1}`},
		{schema: `{"type":"number","minimum":0,"exclusiveMinimum":true}`, oas30: true},
		{schema: `{"items":[{}]}`, oas30: true}, {schema: `{"format":"email"}`}, {schema: `{"format":"uuid"}`},
		{schema: `{"minimum":1.5}`}, {schema: `{"maximum":1e300}`}, {schema: `{"minLength":1.0}`},
		{schema: `{"enum":[1]}`}, {schema: `{"enum":["a",true]}`}, {schema: `{"enum":[{}]}`},
		{schema: `{"type":"string","discriminator":{"propertyName":"a"}}`, oas30: true},
		{schema: `false`}, {schema: `{"properties":{"a":false}}`}, {schema: `{"items":false}`},
		{schema: `{"additionalProperties":false,"required":["a"]}`},
		{schema: `{"additionalProperties":{"type":"string"},"required":["a"]}`},
		{schema: `{"$ref":"#/s/$defs/a","type":"string","$defs":{"a":{}}}`},
		{schema: `{"$defs":{"a":{}},"properties":{"b":{"$ref":"#/s/$defs/a"}}}`},
		{schema: many(65)},
	} {
		p := inlinePair(t, tc.schema, tc.oas30)
		assert.Nil(t, p.fast, "%s (oas30 %v)", tc.schema, tc.oas30)
	}
	assert.NotNil(t, inlinePair(t, many(64), false).fast, "64 properties are judged")
}

// TestEmbedded201: the embedded contract's 201 response schema compiles for
// the gate, which calls the documentation's example valid, and judges the
// properties the contract lists as jsonschema/v5 does.
func TestEmbedded201(t *testing.T) {
	p := embeddedPair(t)
	require.NotNil(t, p.fast)
	body := documented201(t)
	v, ok := checkScan(t, p, body)
	require.True(t, ok)
	assert.Equal(t, Valid, v)

	sid := `"WH0123456789abcdef0123456789abcdef"`
	for doc, want := range map[string]Verdict{
		`{}`:                              Valid,
		`{"sid":null,"configuration":[]}`: Valid,
		`{"sid":` + sid + `}`:             Valid,
		`{"sid":"WH0"}`:                   Invalid,
		`{"sid":"AC0123456789abcdef0123456789abcdef"}`: Invalid,
		`{"target":7}`:                                 Invalid,
		`{"url":"https://example.com/a?b=c"}`:          Valid,
		`{"url":"https://example.com/%20"}`:            Unsure,
		`{"date_created":"2016-03-24T21:05:50+01:00"}`: Valid,
		`{"date_created":"2016-03-24"}`:                Unsure,
		`{"date_updated":1}`:                           Invalid,
		`{"extra":{"any":"thing"}}`:                    Valid,
		`[]`:                                           Invalid,
		`null`:                                         Invalid,
	} {
		got, ok := checkScan(t, p, []byte(doc))
		assert.True(t, ok, doc)
		assert.Equal(t, want, got, doc)
	}
}

// TestListed: with Listed, an object that leaves out a property its schema
// lists (not writeOnly) is unsure, for rule response.missing-property.
func TestListed(t *testing.T) {
	tree := map[string]any{"s": map[string]any{"type": "object", "properties": map[string]any{
		"a": map[string]any{}, "w": map[string]any{"writeOnly": true},
	}}}
	p := compilePair(t, "listed", tree, "/s", true)
	require.NotNil(t, p.fast)
	for doc, want := range map[string]Verdict{`{"a":1}`: Valid, `{"a":1,"w":2}`: Valid, `{"w":2}`: Unsure, `{}`: Unsure} {
		sc := Scanner{Listed: true}
		v, ok := sc.ScanJSON(p.fast, []byte(doc))
		assert.True(t, ok)
		assert.Equal(t, want, v, doc)
	}
	full := embeddedPair(t)
	sc := Scanner{Listed: true}
	v, _ := sc.ScanJSON(full.fast, documented201(t))
	assert.Equal(t, Valid, v, "the documented body lists every property")
	v, _ = sc.ScanJSON(full.fast, []byte(`{"sid":null}`))
	assert.Equal(t, Unsure, v)
}

// dateTimes are date-times at the edges of RFC 3339 and of the gate's
// plainest form, and whether they are in that form.
var dateTimes = map[string]bool{
	"2016-03-24T21:05:50Z": true, "2016-03-24T21:05:50.1Z": true, "2016-03-24T21:05:50.123456789Z": true,
	"2016-03-24T21:05:50+23:59": true, "2016-03-24T21:05:50-00:00": true, "2000-02-29T00:00:00Z": true,
	"0000-01-01T00:00:00Z": true, "9999-12-31T23:59:59Z": true,
	"2016-03-24T21:05:50.1234567891Z": false, "2016-03-24T21:05:50+24:00": false, "2016-03-24T21:05:50+01:60": false,
	"1900-02-29T00:00:00Z": false, "2016-04-31T00:00:00Z": false, "2016-13-01T00:00:00Z": false, "2016-00-01T00:00:00Z": false,
	"2016-01-00T00:00:00Z": false, "2016-01-01T24:00:00Z": false, "2016-01-01T00:60:00Z": false, "2016-01-01T00:00:60Z": false,
	"2016-12-31T23:59:60Z": false, "2016-01-01t00:00:00z": false, "2016-01-01 00:00:00Z": false, "2016-01-01T00:00:00": false,
	"2016-01-01T00:00:00.Z": false, "2016-01-01T00:00:00+0100": false, "2016-1-01T00:00:00Z": false,
	"２016-01-01T00:00:00Z": false, "2016-01-01T00:00:00ZZ": false, "-016-01-01T00:00:00Z": false,
	"2016-01-01T0a:00:00Z": false, "2016-01-01T00:00:00.1.2Z": false, "": false,
}

// plainDateTimeHolds checks a date-time IsPlainDateTime accepts.
func plainDateTimeHolds(t testing.TB, s string) {
	t.Helper()
	if !jsonschema.Formats["date-time"](s) {
		t.Errorf("jsonschema/v5 refuses the plain date-time %q", s)
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		t.Errorf("the plain date-time %q: %v", s, err)
	}
}

// uris are URLs at the edges of the gate's plainest form, and whether they
// are in that form.
var uris = map[string]bool{
	"https://example.com": true, "https://example.com/": true, "a://b": true, "A1+-.://b": true, "https://example.com?": true,
	"https://example.com:443/a/b.c~d_e-f?g=h&i=j+k,l:m;n@o!p$q'r(s)t*u": true,
	"https://example.com:": false, "https://example.com:123456": false, "https://:80": false, "https:///a": false,
	"https://ex ample.com": false, "https://example.com/a b": false, "https://example.com/%41": false,
	"https://example.com/?a=%41": false, "https://example.com/#f": false, "https://[::1]": false,
	"https://user@example.com": false, "1https://example.com": false, "+a://b": false, "https:/example.com": false,
	"example.com": false, "mailto:a@b.c": false, "urn:isbn:0451450523": false, "https://example.com/a?b?c": false,
	"https://example.com/é": false, "https://exämple.com": false, "https://example.com/a\\b": false, "": false,
}

// TestPlainForms: what IsPlainDateTime accepts, jsonschema/v5's date-time
// format and time.Parse with time.RFC3339Nano accept; what
// IsPlainAbsoluteURL accepts, url.Parse reads with a scheme and a host and
// gives back as written, and jsonschema/v5's uri format accepts.
func TestPlainForms(t *testing.T) {
	for _, form := range []struct {
		cases map[string]bool
		is    func([]byte) bool
		holds func(testing.TB, string)
	}{{dateTimes, IsPlainDateTime, plainDateTimeHolds}, {uris, IsPlainAbsoluteURL, plainURLHolds}} {
		for s, plain := range form.cases {
			assert.Equal(t, plain, form.is([]byte(s)), "%q", s)
			if plain {
				form.holds(t, s)
			}
		}
	}
}

// plainURLHolds checks a URL IsPlainAbsoluteURL accepts.
func plainURLHolds(t testing.TB, s string) {
	t.Helper()
	u, err := url.Parse(s)
	switch {
	case err != nil:
		t.Errorf("the plain URL %q: %v", s, err)
	case u.Scheme == "" || u.Host == "" || u.Fragment != "" || u.User != nil:
		t.Errorf("the plain URL %q reads as %#v", s, u)
	case u.EscapedPath() != u.Path:
		t.Errorf("the plain URL %q: EscapedPath gives %q for %q", s, u.EscapedPath(), u.Path)
	}
	if !jsonschema.Formats["uri"](s) {
		t.Errorf("jsonschema/v5 refuses the plain URL %q", s)
	}
}

// TestIsSID: a two-letter prefix and 32 hex digits, as the pattern
// ^XX[0-9a-fA-F]{32}$ reads, and SIDPattern captures the prefix of such
// patterns only.
func TestIsSID(t *testing.T) {
	re := `^WH[0-9a-fA-F]{32}$`
	m := SIDPattern.FindStringSubmatch(re)
	require.Len(t, m, 2)
	assert.Equal(t, "WH", m[1])
	for _, p := range []string{`^WH[0-9a-f]{32}$`, `^WH[0-9a-fA-F]{32}`, `WH[0-9a-fA-F]{32}$`, `^wh[0-9a-fA-F]{32}$`, `^WHX[0-9a-fA-F]{32}$`} {
		assert.Nil(t, SIDPattern.FindStringSubmatch(p), p)
	}
	p := inlinePair(t, `{"pattern":"`+re+`"}`, false)
	for _, s := range []string{
		"WH0123456789abcdefABCDEF0123456789", "WH0123456789abcdefABCDEF012345678", "WH0123456789abcdefABCDEF01234567890",
		"AC0123456789abcdefABCDEF0123456789", "WH0123456789abcdefABCDEF012345678G", "WH0123456789abcdefABCDEF012345678\n", "",
	} {
		want := p.js.Validate(s) == nil
		assert.Equal(t, want, IsSID([]byte(s), "WH"), "%q", s)
	}
}

// TestCompileShares: the operations of a contract share their components:
// a schema met twice compiles once; one that refers to itself, never.
func TestCompileShares(t *testing.T) {
	tree, err := contract.DecodeJSONTree([]byte(`{"a":{"$ref":"#/c"},"b":{"$ref":"#/c"},"c":{"type":"string"},"self":{"items":{"$ref":"#/self"}}}`))
	require.NoError(t, err)
	fc := Compiler{Doc: &contract.Document{Tree: tree}}
	a, b := fc.Compile("/a"), fc.Compile("/b")
	require.NotNil(t, a)
	assert.Same(t, a, b)
	assert.Nil(t, fc.Compile("/self"))
	assert.Nil(t, fc.Compile("/missing"))
}

// TestSmallInt: integers a keyword may hold, within ±2^53.
func TestSmallInt(t *testing.T) {
	for v, want := range map[any]bool{
		json.Number("0"): true, json.Number("-7"): true, json.Number("9007199254740991"): true,
		json.Number("9007199254740992"): false, json.Number("1.0"): false, json.Number("1e2"): false, 7: false, "7": false,
	} {
		_, ok := SmallInt(v)
		assert.Equal(t, want, ok, "%v (%T)", v, v)
	}
}

// TestRequiredBeyond64: the gate keeps the properties an object has seen
// in 64 bits; required names that are not properties take bits too, so a
// schema that needs more than 64 goes to jsonschema/v5 instead of calling
// every object that has them all invalid.
func TestRequiredBeyond64(t *testing.T) {
	for _, n := range []int{62, 63, 64} {
		props, doc := make([]string, n), make([]string, n)
		for i := range props {
			props[i], doc[i] = fmt.Sprintf(`"p%d":{}`, i), fmt.Sprintf(`"p%d":%d`, i, i)
		}
		schema := `{"type":"object","properties":{` + strings.Join(props, ",") + `},"required":["p0","x","y"]}`
		p := inlinePair(t, schema, false)
		full := []byte(`{` + strings.Join(doc, ",") + `,"x":1,"y":2}`)
		v, ok := checkScan(t, p, full)
		assert.True(t, ok)
		if p.fast != nil {
			assert.Equal(t, Valid, v, "%d properties and two required names besides", n)
			assert.LessOrEqual(t, len(p.fast.PropList), 64)
		}
		v, _ = checkScan(t, p, []byte(`{"x":1}`))
		if p.fast != nil {
			assert.Equal(t, Invalid, v, "%d properties: p0 and y are missing", n)
		}
	}
}
