// Package specdoc reads the parts of an OpenAPI document that the coverage
// and the drift reports need, from its YAML node tree: its operations and
// the members of its objects. Load a document with validate.Load first: it
// refuses what cannot be read safely (YAML aliases that expand without
// bound); this package follows no alias.
package specdoc

import (
	"errors"

	"github.com/pb33f/go-yaml"
)

// Parse returns the top node of a YAML or JSON document.
func Parse(doc []byte) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, errors.New("not a YAML or JSON document")
	}
	return root.Content[0], nil
}

// Member returns the value of key in the mapping n, or nil.
func Member(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// Operation is an operation of a document.
type Operation struct {
	// ID is its operationId.
	ID string
	// Path and Method (lower case) are where it is under paths.
	Path, Method string
	// Node is the operation object.
	Node *yaml.Node
}

// methods are the keys of a path item that are operations.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Operations returns the operations of the document top that have an
// operationId, in the document's order.
func Operations(top *yaml.Node) []Operation {
	var out []Operation
	paths := Member(top, "paths")
	if paths == nil {
		return nil
	}
	for i := 0; i+1 < len(paths.Content); i += 2 {
		for _, m := range methods {
			op := Member(paths.Content[i+1], m)
			if id := Member(op, "operationId"); id != nil {
				out = append(out, Operation{ID: id.Value, Path: paths.Content[i].Value, Method: m, Node: op})
			}
		}
	}
	return out
}
