package ascii

import (
	"strconv"
	"testing"
)

// TestClasses checks each byte against the standard library's reading of it.
func TestClasses(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		v, err := strconv.ParseUint(string(b), 16, 8)
		if IsHex(b) != (err == nil) {
			t.Fatalf("IsHex(%q) = %v", b, IsHex(b))
		}
		if err == nil && Unhex(b) != byte(v) {
			t.Fatalf("Unhex(%q) = %d, want %d", b, Unhex(b), v)
		}
		_, digit := strconv.Atoi(string(b))
		alnum := digit == nil || b == '_' || 'a' <= b|0x20 && b|0x20 <= 'z'
		if IsAlnum(b) != alnum {
			t.Fatalf("IsAlnum(%q) = %v", b, IsAlnum(b))
		}
	}
}
