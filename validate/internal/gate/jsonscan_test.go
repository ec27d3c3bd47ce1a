package gate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syntaxCases are documents at the edges of JSON's grammar. want says
// whether the scanner reads the document; encoding/json agrees on each
// (TestScanSyntax checks that too), but for invalid UTF-8 and nesting
// beyond MaxDepth, which the scanner leaves to encoding/json.
var syntaxCases = []struct {
	doc  string
	want bool
}{
	// whitespace
	{" \t\r\n{ \"a\" : [ 1 , 2 ] } \n", true},
	{"\v{}", false}, {"{}\f", false}, {"\u00a0{}", false}, {"", false}, {"   ", false},
	// literals
	{"true", true}, {"false", true}, {"null", true},
	{"tru", false}, {"nul", false}, {"True", false}, {"nulll", false}, {"NaN", false}, {"Infinity", false},
	// numbers
	{"0", true}, {"-0", true}, {"-0.0e-0", true}, {"1E+2", true}, {"1e2", true}, {"123456789012345678901234567890", true},
	{"0.5", true}, {"1e400", true}, {"-1.5E-07", true},
	{"01", false}, {"-01", false}, {"+1", false}, {"-", false}, {"1.", false}, {".5", false}, {"1.e2", false},
	{"1e", false}, {"1e+", false}, {"1E-", false}, {"0x10", false}, {"--1", false}, {"1 2", false}, {"-a", false},
	// strings and escapes
	{`""`, true}, {`"\"\\\/\b\f\n\r\t"`, true}, {`"\u00e9\u20AC"`, true}, {`"\ud83d\ude00"`, true},
	{`"\ud83d"`, true}, {`"\ude00\ud83d"`, true}, {`"\ud83dx"`, true}, {`"\ud83d\u0041"`, true},
	{`"\x"`, false}, {`"\u12"`, false}, {`"\u12g4"`, false}, {`"\U0041"`, false}, {`"\'"`, false},
	{`"\`, false}, {`"\u`, false}, {`"abc`, false}, {`"`, false}, {"\"a\tb\"", false}, {"\"a\nb\"", false},
	{"\"\x00\"", false}, {"\"\x1f\"", false}, {"\"\x7f\"", true},
	{"\"h\u00e9llo \U0001F600\"", true}, {"\"\uFFFD\"", true},
	// UTF-8 the scanner refuses (encoding/json reads it as U+FFFD)
	{"\"\xff\"", false}, {"\"\xc3\"", false}, {"\"\xc0\xaf\"", false}, {"\"\xed\xa0\x80\"", false}, {"\"abcdefgh\x80\"", false},
	// bytes beyond ASCII outside strings
	{"\u00e9", false}, {"[1,\xff]", false},
	// objects and arrays
	{"{}", true}, {"[]", true}, {`{"a":1,"b":[true,{"c":null}]}`, true}, {`[[[]],{}]`, true},
	{`{"a":1,"a":2}`, true}, {`{"":""}`, true}, {`{"\u0061":1}`, true},
	{`{"a"}`, false}, {`{"a":}`, false}, {`{a:1}`, false}, {`{"a":1,}`, false}, {`[1,]`, false}, {`[,1]`, false},
	{`{,}`, false}, {`{"a" 1}`, false}, {`{"a":1 "b":2}`, false}, {`[1 2]`, false}, {`{1:2}`, false},
	{`{"a":1]`, false}, {`[1}`, false}, {`{'a':1}`, false},
	// truncated input
	{`{`, false}, {`[`, false}, {`{"a"`, false}, {`{"a":`, false}, {`{"a":1`, false}, {`{"a":1,`, false},
	{`[1,`, false}, {`[1`, false}, {`{"a":"b`, false}, {`{"a":tr`, false},
	// trailing bytes
	{`{}}`, false}, {`[]]`, false}, {`{} {}`, false}, {`1,`, false}, {"null\x00", false}, {`"a""b"`, false}, {`{}x`, false},
	// nesting
	{strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth), true},
	{strings.Repeat(`{"a":`, MaxDepth) + "0" + strings.Repeat("}", MaxDepth), true},
	{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), false},
	{strings.Repeat("[", 5) + strings.Repeat("]", 4), false},
}

// TestScanSyntax: the scanner reads exactly the documents encoding/json
// reads, but for invalid UTF-8 and nesting beyond MaxDepth, which it
// refuses as "unsure"; with no schema, a document it reads is valid.
func TestScanSyntax(t *testing.T) {
	anyValue := pair{name: "no schema"}
	for _, tc := range syntaxCases {
		v, ok := checkScan(t, anyValue, []byte(tc.doc))
		assert.Equal(t, tc.want, ok, "%q", tc.doc)
		if ok {
			assert.Equal(t, Valid, v, "%q", tc.doc)
		}
	}
}

// TestScanDeep: Deep follows nesting beyond MaxDepth.
func TestScanDeep(t *testing.T) {
	doc := []byte(strings.Repeat("[", 2*MaxDepth) + strings.Repeat("]", 2*MaxDepth))
	sc := Scanner{Deep: true}
	v, ok := sc.ScanJSON(nil, doc)
	assert.True(t, ok)
	assert.Equal(t, Valid, v)
	sc = Scanner{}
	_, ok = sc.ScanJSON(nil, doc)
	assert.False(t, ok)
}

// TestReadsNumber: one JSON number and nothing more, as encoding/json reads
// numbers; no input makes it panic.
func TestReadsNumber(t *testing.T) {
	for _, tc := range syntaxCases {
		dec := json.NewDecoder(strings.NewReader(tc.doc))
		dec.UseNumber()
		var x any
		isNumber := false
		if dec.Decode(&x) == nil && !dec.More() {
			_, isNumber = x.(json.Number)
		}
		want := isNumber && json.Valid([]byte(tc.doc)) && tc.doc == strings.TrimSpace(tc.doc)
		assert.Equal(t, want, ReadsNumber([]byte(tc.doc)), "%q", tc.doc)
	}
	assert.False(t, ReadsNumber(nil))
	assert.False(t, ReadsNumber([]byte{}))
}

// escapedStrings are JSON strings whose decoding the scanner does itself.
var escapedStrings = []string{
	`""`, `"plain"`, `"\"\\\/\b\f\n\r\t"`, `"\u0000\u001f\u007f"`, `"caf\u00e9 \u20ac"`,
	`"\ud83d\ude00"`, `"\uD83D\uDE00!"`, `"\ud83d"`, `"\ude00"`, `"\ude00\ud83d"`, `"\ud83dx"`,
	`"\ud83d\u0041"`, `"\ud83d\ud83d\ude00"`, `"\ud83d\\ude00"`, `"a\ud83d\n"`, `"\ud83d\u00"` + `41"`,
	"\"h\u00e9\\u006Cl\\u006f \U0001F600\"",
}

// TestText: a recorded string decodes as encoding/json decodes it, lone
// and misordered surrogates becoming U+FFFD.
func TestText(t *testing.T) {
	for _, s := range escapedStrings {
		doc := []byte(`{"k":` + s + `}`)
		var want map[string]string
		if json.Unmarshal(doc, &want) != nil {
			continue // not a string encoding/json reads: TestScanSyntax's business
		}
		sc := Scanner{Want: []string{"k"}, Got: make([]Span, 1)}
		_, ok := sc.ScanJSON(nil, doc)
		require.True(t, ok, "%s", doc)
		got, isText := sc.Text(sc.At(sc.Got[0]))
		assert.True(t, isText)
		assert.Equal(t, want["k"], string(got), "%s", s)
	}
}

// TestScanKeysDecoded: escaped keys are compared decoded, as jsonschema/v5
// compares the keys encoding/json decodes.
func TestScanKeysDecoded(t *testing.T) {
	p := inlinePair(t, `{"type":"object","properties":{"é":{"type":"string"}},"additionalProperties":false,"required":["é"]}`, false)
	require.NotNil(t, p.fast)
	for doc, want := range map[string]Verdict{
		`{"\u00e9":"x"}`: Valid, `{"é":"x"}`: Valid, `{"\u00e9":1}`: Invalid, `{"e\u0301":"x"}`: Invalid,
	} {
		v, ok := checkScan(t, p, []byte(doc))
		assert.True(t, ok)
		assert.Equal(t, want, v, "%s", doc)
	}
}

// TestWantGot: the scanner records the last occurrence of each wanted
// top-level key (encoding/json keeps the last), and nothing of keys
// nested deeper or of a document it refuses.
func TestWantGot(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want map[string]string // key → value as written; absent keys are not recorded
	}{
		{`{"a":1,"b":"x"}`, map[string]string{"a": "1", "b": `"x"`}},
		{`{"a":1,"a":{"b":2}}`, map[string]string{"a": `{"b":2}`}},
		{`{"c":{"a":1,"b":2}}`, nil},
		{`[{"a":1}]`, nil},
		{`{ "\u0061" : [1, 2] , "b":null}`, map[string]string{"a": "[1, 2]", "b": "null"}},
	} {
		sc := Scanner{Want: []string{"a", "b"}, Got: []Span{{1, 2}, {1, 2}}} // stale spans are cleared
		_, ok := sc.ScanJSON(nil, []byte(tc.doc))
		require.True(t, ok, tc.doc)
		for k, key := range sc.Want {
			assert.Equal(t, tc.want[key], string(sc.At(sc.Got[k])), "%s in %s", key, tc.doc)
		}
	}
}

// TestEach: Each walks an object's members and an array's elements in
// order, keys decoded, and refuses a value of the other kind.
func TestEach(t *testing.T) {
	doc := []byte(`{"o":{"\u0061":1, "b" : [2,3] ,"a":"x"},"l":[ {"k":1}, "y" ,null ],"e":{},"n":[]}`)
	sc := Scanner{Want: []string{"o", "l", "e", "n"}, Got: make([]Span, 4)}
	_, ok := sc.ScanJSON(nil, doc)
	require.True(t, ok)
	collect := func(k int, open byte) (keys, vals []string, isKind bool) {
		isKind = sc.Each(sc.At(sc.Got[k]), open, func(key []byte, val Value) bool {
			keys, vals = append(keys, string(key)), append(vals, string(val))
			return true
		})
		return keys, vals, isKind
	}
	keys, vals, ok := collect(0, '{')
	assert.True(t, ok)
	assert.Equal(t, []string{"a", "b", "a"}, keys)
	assert.Equal(t, []string{"1", "[2,3]", `"x"`}, vals)
	_, vals, ok = collect(1, '[')
	assert.True(t, ok)
	assert.Equal(t, []string{`{"k":1}`, `"y"`, "null"}, vals)
	for k, open := range map[int]byte{2: '{', 3: '['} {
		_, vals, ok := collect(k, open)
		assert.True(t, ok)
		assert.Empty(t, vals)
	}
	_, _, ok = collect(1, '{')
	assert.False(t, ok, "an array is not an object")
	_, _, ok = collect(0, '[')
	assert.False(t, ok, "an object is not an array")
	var n int
	sc.Each(sc.At(sc.Got[1]), '[', func([]byte, Value) bool { n++; return false })
	assert.Equal(t, 1, n, "Each stops when fn returns false")
}

// TestValueKind: what a recorded value says of itself.
func TestValueKind(t *testing.T) {
	for _, tc := range []struct {
		v      string
		kind   byte
		number bool
	}{{"", 0, false}, {`"a"`, '"', false}, {"-1", '-', true}, {"7", '7', true}, {"{}", '{', false}, {"null", 'n', false}} {
		assert.Equal(t, tc.kind, Value(tc.v).Kind(), tc.v)
		assert.Equal(t, tc.number, Value(tc.v).IsNumber(), tc.v)
	}
	var sc Scanner
	_, ok := sc.Text(Value("1"))
	assert.False(t, ok)
}

// TestHasSpecial: the eight-byte test finds a special byte in every
// position, and none in plain text.
func TestHasSpecial(t *testing.T) {
	plain := []byte("abcdefgh")
	le := func(b []byte) uint64 {
		var x uint64
		for i := 7; i >= 0; i-- {
			x = x<<8 | uint64(b[i])
		}
		return x
	}
	assert.False(t, hasSpecial(le(plain)))
	for c := range 256 {
		for pos := range 8 {
			b := []byte("~~~~~~~~")
			b[pos] = byte(c)
			assert.Equal(t, jsonSpecial[c], hasSpecial(le(b)), "byte %#x at %d", c, pos)
		}
	}
}
