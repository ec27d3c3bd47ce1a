// Package ascii classifies and converts ASCII bytes, as the readers of
// forms, JSON and credentials need them, without the tables of package
// unicode.
package ascii

// IsHex reports whether c is a hex digit: 0-9, a-f or A-F.
func IsHex(c byte) bool { return hexDigits[c] }

// hexDigits marks 0-9, a-f and A-F.
var hexDigits = func() (t [256]bool) {
	for c := range 256 {
		t[c] = '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
	}
	return t
}()

// IsAlnum reports whether c is an ASCII letter, a digit or an underscore
// (what counts as part of a word around a token).
func IsAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// Unhex returns the value of the hex digit c; c must be one (see IsHex).
func Unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
