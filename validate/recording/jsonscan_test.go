package recording

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJSONScanner checks the scanner against encoding/json on valid and
// broken documents, fed whole and a byte at a time.
func TestJSONScanner(t *testing.T) {
	docs := []string{
		`0`, `-0`, `12`, `-1.5e+3`, `1E9`, `0.25`, `true`, `false`, `null`, `""`, `"a\"b\\\/\b\f\n\r\t\u00e9"`,
		`[]`, `{}`, `[1,2,[3,{}]]`, `{"a":{"b":[true,null]},"c":"d"}`, " \t\n[ 1 , \"x\" ] \r\n",
		`01`, `-`, `1.`, `1.e3`, `1e`, `1e+`, `.5`, `+1`, `tru`, `trUe`, `nul`, `[1,]`, `[,1]`, `{"a"}`, `{"a":}`,
		`{"a":1,}`, `{,}`, `{1:2}`, `{"a" 1}`, `[1 2]`, `{"a":1 "b":2}`, `"\x"`, `"\u12g4"`, "\"a\x01\"", `"abc`,
		`[`, `{"a":[1,2}`, `[1}`, `{]`, `1 2`, `{} x`, "\"\xff\"", `nulll`, `[-]`, `[1.5.5]`, `{"a":tx}`,
	}
	for _, doc := range docs {
		want := json.Unmarshal([]byte(doc), new(json.RawMessage))
		got := validJSON([]byte(doc))
		if want == nil {
			assert.NoError(t, got, "%q", doc)
			continue
		}
		require.Error(t, got, "%q", doc)
		assert.Equal(t, want.Error(), got.Error(), "%q", doc)

		// A byte at a time gives the same result.
		var s jsonScanner
		var err error
		for i := 0; i < len(doc) && err == nil && !s.done(); i++ {
			_, err = s.scan([]byte{doc[i]})
		}
		if err == nil && !s.done() {
			err = s.end()
		}
		if err == nil {
			err = validJSON([]byte(doc)) // trailing data, found by validJSON
		}
		assert.Error(t, err, "%q a byte at a time", doc)
	}
}

// TestJSONScannerDeep checks that nesting is not limited, and costs a bit a
// level.
func TestJSONScannerDeep(t *testing.T) {
	const depth = 1 << 20
	doc := strings.Repeat(`[{"a":`, depth) + "1" + strings.Repeat("}]", depth)
	require.Error(t, json.Unmarshal([]byte(doc), new(json.RawMessage)), "encoding/json has a limit")
	var s jsonScanner
	n, err := s.scan([]byte(doc))
	require.NoError(t, err)
	assert.True(t, s.done())
	assert.Equal(t, len(doc), n)
	assert.LessOrEqual(t, cap(s.stack)*8, 2*(2*depth)/8+64, "the stack takes a bit a level")
}

// FuzzJSONScanner checks that the scanner agrees with encoding/json on
// whether a document is JSON, and on the message when it is not, wherever
// encoding/json's nesting limit is not reached.
func FuzzJSONScanner(f *testing.F) {
	for _, s := range []string{`{"a":[1,-2.5e+3,true,null,"x\u00e9"]}`, `[1,]`, `"\ud800"`, `{"a" 1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		want := json.Unmarshal(doc, new(json.RawMessage))
		got := validJSON(doc)
		if want == nil {
			require.NoError(t, got)
			return
		}
		if strings.Contains(want.Error(), "exceeded max depth") {
			return
		}
		require.Error(t, got)
		require.Equal(t, want.Error(), got.Error())
	})
}
