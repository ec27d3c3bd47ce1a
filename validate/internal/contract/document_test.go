package contract

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLookupInstance: LookupInstance walks the tokens of a pointer as
// SplitPointer reads them, escapes and empty tokens included.
func TestLookupInstance(t *testing.T) {
	doc := map[string]any{"a": []any{"x", map[string]any{"b/c": 1, "": 2, "~": 3}}, "": map[string]any{"": 4}}
	for ptr, want := range map[string]any{"": doc, "/a/0": "x", "/a/1/b~1c": 1, "/a/1/": 2, "/a/1/~0": 3, "//": 4} {
		got, ok := LookupInstance(doc, ptr)
		assert.True(t, ok, ptr)
		assert.Equal(t, want, got, ptr)
	}
	for _, ptr := range []string{"/a/2", "/a/x", "/b", "/a/0/c"} {
		_, ok := LookupInstance(doc, ptr)
		assert.False(t, ok, ptr)
	}
}

// TestUnreadableNumbers checks that the numbers math/big cannot read are
// found at their pointers, in pointer order, and no other.
func TestUnreadableNumbers(t *testing.T) {
	v, err := DecodeJSONTree([]byte(`{"b": [1, 1E1000001, {"c/d": -2e-1000001}], "a": 1e1000000, "z": "1E1000001"}`))
	require.NoError(t, err)
	assert.Equal(t, []UnreadableNumber{{Pointer: "/b/1", Text: "1E1000001"}, {Pointer: "/b/2/c~1d", Text: "-2e-1000001"}}, UnreadableNumbers(v))
	assert.Empty(t, UnreadableNumbers(map[string]any{"n": json.Number("12")}))
}
