package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/pb33f/go-yaml"
)

// document is a loaded contract document: its tree as JSON values (numbers as
// json.Number) for reading and compiling, and its YAML node tree for line
// numbers. Both are read-only once built.
type document struct {
	file string
	tree any
	root *yaml.Node
	// lines caches line by pointer: findings of a check ask for the same
	// few schema positions again and again. Pointers come from the
	// document, so the cache is bounded by its size.
	lines sync.Map // string → int
}

// get returns the value at a JSON pointer ("" is the whole document).
func (d *document) get(ptr string) (any, bool) {
	return lookupInstance(d.tree, ptr)
}

// object returns the JSON object at ptr, or nil.
func (d *document) object(ptr string) map[string]any {
	v, _ := d.get(ptr)
	m, _ := v.(map[string]any)
	return m
}

// deref follows local "$ref"s from the object at ptr (as OpenAPI allows for
// parameters, request bodies, responses and headers) and returns the pointer
// of the object finally reached. Cycles and foreign references end the walk
// with an error.
func (d *document) deref(ptr string) (string, error) {
	for hops := 0; hops < 32; hops++ {
		m := d.object(ptr)
		ref, ok := m["$ref"].(string)
		if !ok {
			return ptr, nil
		}
		target, err := localRef(ref)
		if err != nil {
			return "", fmt.Errorf("following $ref at %s: %w", ptr, err)
		}
		if _, ok := d.get(target); !ok {
			return "", fmt.Errorf("following $ref at %s: %q points to nothing", ptr, ref)
		}
		ptr = target
	}
	return "", fmt.Errorf("following $ref at %s: too many hops (a cycle?)", ptr)
}

// localRef turns "#/a/b" into the pointer "/a/b".
func localRef(ref string) (string, error) {
	if !strings.HasPrefix(ref, "#") {
		return "", fmt.Errorf("%q is not a reference within the document; external references are not supported", ref)
	}
	frag, err := url.PathUnescape(ref[1:])
	if err != nil {
		return "", fmt.Errorf("%q is not a valid reference: %w", ref, err)
	}
	return frag, nil
}

// line returns the 1-based line of the value at a JSON pointer: the line of
// its key when it is a member of an object. It walks back up to the nearest
// ancestor that exists, and returns 0 only when the document has no lines.
func (d *document) line(ptr string) int {
	n := d.root
	if n == nil {
		return 0
	}
	line := n.Line
	for _, tok := range splitPointer(ptr) {
		n = unalias(n)
		if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
			n = unalias(n.Content[0])
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

func unalias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// pos returns the contract position of the value at a JSON pointer.
func (d *document) pos(ptr string) SpecPos {
	if l, ok := d.lines.Load(ptr); ok {
		return SpecPos{File: d.file, Line: l.(int)}
	}
	l := d.line(ptr)
	d.lines.Store(ptr, l)
	return SpecPos{File: d.file, Line: l}
}

// splitPointer splits a JSON pointer into unescaped reference tokens.
func splitPointer(ptr string) []string {
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

// joinPointer appends reference tokens to a JSON pointer, escaping them.
func joinPointer(ptr string, toks ...string) string {
	var b strings.Builder
	b.WriteString(ptr)
	for _, t := range toks {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// decodeJSONTree decodes JSON into a tree of any with numbers as json.Number.
func decodeJSONTree(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeWholeJSON decodes data as decodeJSONTree does, or returns nil when
// data is not one well-formed JSON value (left to the caller's slower path
// and its wording of the error).
func decodeWholeJSON(data []byte) any {
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
