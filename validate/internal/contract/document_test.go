package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
