package contract

import (
	"maps"
	"slices"
	"strings"

	"github.com/pb33f/go-yaml"
)

// OperationRef locates one operation in a document.
type OperationRef struct {
	Template string // the path template, such as /v1/Things/{Sid}
	Method   string // upper case
	Ptr      string // JSON pointer of the operation object
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Operations lists the document's operations in document order (the
// order of the YAML/JSON source, which a Go map does not keep).
func (d *Document) Operations() []OperationRef {
	var refs []OperationRef
	paths := mappingAt(d.Root, "paths")
	if paths == nil {
		return nil
	}
	for i := 0; i+1 < len(paths.Content); i += 2 {
		template := paths.Content[i].Value
		item := Unalias(paths.Content[i+1])
		if item.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			m := item.Content[j].Value
			if slices.Contains(httpMethods, m) {
				refs = append(refs, OperationRef{Template: template, Method: strings.ToUpper(m), Ptr: JoinPointer("", "paths", template, m)})
			}
		}
	}
	return refs
}

// mappingAt returns the mapping node under key of the document's root.
func mappingAt(root *yaml.Node, key string) *yaml.Node {
	if root == nil {
		return nil
	}
	n := Unalias(root)
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = Unalias(n.Content[0])
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := Unalias(n.Content[i+1])
			if v.Kind == yaml.MappingNode {
				return v
			}
		}
	}
	return nil
}

// ServerURLs returns the URLs of the document's servers: those of the
// top-level servers, then those of each path and operation that names its
// own (paths and methods in sorted order), each once. Without any, a
// contract is served at "/" of any host, as OpenAPI says.
func (d *Document) ServerURLs() []string {
	var urls []string
	add := func(v any) {
		list, _ := v.([]any)
		for _, s := range list {
			if u, ok := s.(map[string]any)["url"].(string); ok && !slices.Contains(urls, u) {
				urls = append(urls, u)
			}
		}
	}
	root, _ := d.Tree.(map[string]any)
	add(root["servers"])
	paths, _ := root["paths"].(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(paths)) {
		item, _ := paths[name].(map[string]any)
		add(item["servers"])
		for _, method := range slices.Sorted(maps.Keys(item)) {
			if op, ok := item[method].(map[string]any); ok {
				add(op["servers"])
			}
		}
	}
	if len(urls) == 0 {
		urls = []string{"/"}
	}
	return urls
}
