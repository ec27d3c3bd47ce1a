package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/contractcheck/contractcheck/validate/internal/finding"
	"github.com/pb33f/go-yaml"
)

// Document is a loaded contract document: its tree as JSON values (numbers as
// json.Number) for reading and compiling, and its YAML node tree for line
// numbers. Both are read-only once built; a Document is safe for concurrent
// use.
type Document struct {
	// File names the document in findings' contract positions.
	File string
	// Tree is the document as JSON values, numbers as json.Number.
	Tree any
	// Root is the document's YAML node tree, for line numbers.
	Root *yaml.Node
	// lines caches line by pointer: findings of a check ask for the same
	// few schema positions again and again. Pointers come from the
	// document, so the cache is bounded by its size.
	lines sync.Map // string → int
}

// Get returns the value at a JSON pointer ("" is the whole document).
func (d *Document) Get(ptr string) (any, bool) {
	return LookupInstance(d.Tree, ptr)
}

// Object returns the JSON Object at ptr, or nil.
func (d *Document) Object(ptr string) map[string]any {
	v, _ := d.Get(ptr)
	m, _ := v.(map[string]any)
	return m
}

// Deref follows local "$ref"s from the object at ptr (as OpenAPI allows for
// parameters, request bodies, responses and headers) and returns the pointer
// of the object finally reached. Cycles and foreign references end the walk
// with an error.
func (d *Document) Deref(ptr string) (string, error) {
	for hops := 0; hops < 32; hops++ {
		m := d.Object(ptr)
		ref, ok := m["$ref"].(string)
		if !ok {
			return ptr, nil
		}
		target, err := LocalRef(ref)
		if err != nil {
			return "", fmt.Errorf("following $ref at %s: %w", ptr, err)
		}
		if _, ok := d.Get(target); !ok {
			return "", fmt.Errorf("following $ref at %s: %q points to nothing", ptr, ref)
		}
		ptr = target
	}
	return "", fmt.Errorf("following $ref at %s: too many hops (a cycle?)", ptr)
}

// LocalRef turns "#/a/b" into the pointer "/a/b".
func LocalRef(ref string) (string, error) {
	if !strings.HasPrefix(ref, "#") {
		return "", fmt.Errorf("%q is not a reference within the document; external references are not supported", ref)
	}
	frag, err := url.PathUnescape(ref[1:])
	if err != nil {
		return "", fmt.Errorf("%q is not a valid reference: %w", ref, err)
	}
	return frag, nil
}

// Line returns the 1-based Line of the value at a JSON pointer: the Line of
// its key when it is a member of an object. It walks back up to the nearest
// ancestor that exists, and returns 0 only when the document has no lines.
func (d *Document) Line(ptr string) int {
	n := d.Root
	if n == nil {
		return 0
	}
	line := n.Line
	for _, tok := range SplitPointer(ptr) {
		n = Unalias(n)
		if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
			n = Unalias(n.Content[0])
		}
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					line = n.Content[i].Line
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

// Unalias follows a YAML alias to the node it names.
func Unalias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// Pos returns the contract position of the value at a JSON pointer.
func (d *Document) Pos(ptr string) finding.SpecPos {
	if l, ok := d.lines.Load(ptr); ok {
		return finding.SpecPos{File: d.File, Line: l.(int)}
	}
	l := d.Line(ptr)
	d.lines.Store(ptr, l)
	return finding.SpecPos{File: d.File, Line: l}
}

// SplitPointer splits a JSON pointer into unescaped reference tokens.
func SplitPointer(ptr string) []string {
	ptr = strings.TrimPrefix(ptr, "/")
	if ptr == "" {
		return nil
	}
	toks := strings.Split(ptr, "/")
	for i, t := range toks {
		if strings.Contains(t, "~") {
			toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		}
	}
	return toks
}

// JoinPointer appends reference tokens to a JSON pointer, escaping them.
func JoinPointer(ptr string, toks ...string) string {
	var b strings.Builder
	b.WriteString(ptr)
	for _, t := range toks {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// DecodeJSONTree decodes JSON into a tree of any with numbers as json.Number.
func DecodeJSONTree(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// DecodeWholeJSON decodes data as DecodeJSONTree does, or returns nil when
// data is not one well-formed JSON value (left to the caller's slower path
// and its wording of the error).
func DecodeWholeJSON(data []byte) any {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || v == nil {
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil
	}
	return v
}

// LookupInstance finds the value at a JSON pointer in a decoded JSON value:
// an instance being validated, or the contract document itself.
func LookupInstance(v any, ptr string) (any, bool) {
	// The tokens of SplitPointer, read in place: Load looks up thousands
	// of pointers.
	rest := strings.TrimPrefix(ptr, "/")
	for more := rest != ""; more; {
		var tok string
		tok, rest, more = strings.Cut(rest, "/")
		tok = finding.UnescapeToken(tok)
		switch t := v.(type) {
		case map[string]any:
			next, ok := t[tok]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			v = t[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// SmallTable is the size up to which looking a name up in a compiled table
// by comparing it with each is faster than hashing it.
const SmallTable = 12

// WriteOnly reports whether the schema at ptr (after $ref) is writeOnly.
func (d *Document) WriteOnly(ptr string) bool {
	if p, err := d.Deref(ptr); err == nil {
		ptr = p
	}
	return d.Object(ptr)["writeOnly"] == true
}

// UnreadableNumber is a number of a decoded JSON value that math/big cannot
// read (its exponent is beyond 1,000,000), on which jsonschema panics.
type UnreadableNumber struct {
	// Pointer is where it is in the value.
	Pointer string
	// Text is the number as written.
	Text string
}

// UnreadableNumbers returns the numbers of v (decoded by DecodeJSONTree)
// that math/big cannot read, in pointer order.
func UnreadableNumbers(v any) []UnreadableNumber {
	var out []UnreadableNumber
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(x, JoinPointer(ptr, k))
			}
		case []any:
			for i, x := range v {
				walk(x, JoinPointer(ptr, strconv.Itoa(i)))
			}
		case json.Number:
			if _, ok := new(big.Rat).SetString(string(v)); !ok {
				out = append(out, UnreadableNumber{Pointer: ptr, Text: string(v)})
			}
		}
	}
	walk(v, "")
	slices.SortFunc(out, func(a, b UnreadableNumber) int { return strings.Compare(a.Pointer, b.Pointer) })
	return out
}
