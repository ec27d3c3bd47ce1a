package drift

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/what-changed/model"

	"github.com/contractcheck/contractcheck/internal/specdoc"
	"github.com/contractcheck/contractcheck/validate"
)

// StaticChange is one change between the two documents that concerns an
// operation the traffic used: in the operation itself, or in a schema of
// components that it uses, directly or through other schemas.
type StaticChange struct {
	// Operations are the operations it concerns.
	Operations []string `json:"operations"`
	// Where is the operation ("POST /path") or the schema
	// ("components.schemas.NAME") that changed.
	Where string `json:"where"`
	// Property is what changed in it, such as "required" or "enum".
	Property string `json:"property"`
	// Change is "modified", "added" or "removed".
	Change string `json:"change"`
	// Base and Head are the values before and after ("" when none).
	Base string `json:"base,omitempty"`
	Head string `json:"head,omitempty"`
	// Breaking is libopenapi's verdict: the change can break a client.
	Breaking bool `json:"breaking"`
	// Position is where the change is: in the head document, or in the
	// base one for what was removed.
	Position validate.SpecPos `json:"position"`
}

// Static returns the changes from the base document to the head document
// (libopenapi's what-changed) that concern the operations named (by
// operationId), sorted by place. Load both documents with [validate.Load]
// first: it refuses a document whose YAML aliases would expand without
// bound, which libopenapi would expand.
func Static(baseFile string, base []byte, headFile string, head []byte, operations []string) ([]StaticChange, error) {
	bdoc, err := libopenapi.NewDocument(base)
	if err != nil {
		return nil, fmt.Errorf("reading %s for its changes: %w", baseFile, err)
	}
	hdoc, err := libopenapi.NewDocument(head)
	if err != nil {
		return nil, fmt.Errorf("reading %s for its changes: %w", headFile, err)
	}
	changes, err := libopenapi.CompareDocuments(bdoc, hdoc)
	if err != nil {
		return nil, fmt.Errorf("comparing %s with %s: %w", baseFile, headFile, err)
	}
	out := []StaticChange{}
	if changes == nil {
		return out, nil
	}
	bops, err := operationsOf(base)
	if err != nil {
		return nil, fmt.Errorf("reading %s for its changes: %w", baseFile, err)
	}
	hops, err := operationsOf(head)
	if err != nil {
		return nil, fmt.Errorf("reading %s for its changes: %w", headFile, err)
	}
	files := [2]string{baseFile, headFile}
	schemas := map[string][]string{} // schema name -> operations using it
	byPath := map[string][]string{}  // path -> operations used on it
	for _, id := range operations {
		for _, ops := range []map[string]operation{bops, hops} {
			op, ok := ops[id]
			if !ok {
				continue
			}
			for name := range op.schemas {
				if !slices.Contains(schemas[name], id) {
					schemas[name] = append(schemas[name], id)
				}
			}
		}
		op, ok := hops[id]
		if !ok {
			op = bops[id]
		}
		if op.path == "" || changes.PathsChanges == nil {
			continue
		}
		byPath[op.path] = append(byPath[op.path], id)
		pc := changes.PathsChanges.PathItemsChanges[op.path]
		oc := methodChanges(pc, op.method)
		if oc == nil {
			continue
		}
		where := strings.ToUpper(op.method) + " " + op.path
		for _, c := range oc.GetAllChanges() {
			out = append(out, newStaticChange([]string{id}, where, c, files))
		}
	}
	// Changes of the path items themselves (an operation or a parameter
	// added or removed), once for each path, and paths added or removed.
	for path, ids := range byPath {
		slices.Sort(ids)
		var cs []*model.Change
		for _, c := range changes.PathsChanges.Changes {
			if c.Property == path {
				cs = append(cs, c)
			}
		}
		if pc := changes.PathsChanges.PathItemsChanges[path]; pc != nil {
			if pc.PropertyChanges != nil {
				cs = append(cs, pc.Changes...)
			}
			for _, p := range pc.ParameterChanges {
				cs = append(cs, p.GetAllChanges()...)
			}
		}
		for _, c := range cs {
			out = append(out, newStaticChange(ids, path, c, files))
		}
	}
	if changes.ComponentsChanges != nil {
		for name, sc := range changes.ComponentsChanges.SchemaChanges {
			ids, ok := schemas[name]
			if !ok || sc == nil {
				continue
			}
			slices.Sort(ids)
			for _, c := range sc.GetAllChanges() {
				out = append(out, newStaticChange(ids, "components.schemas."+name, c, files))
			}
		}
	}
	slices.SortStableFunc(out, func(a, b StaticChange) int {
		if n := strings.Compare(a.Where, b.Where); n != 0 {
			return n
		}
		return a.Position.Line - b.Position.Line
	})
	return out, nil
}

// methodChanges are the changes of one method of a path item, or nil.
func methodChanges(pc *model.PathItemChanges, method string) *model.OperationChanges {
	if pc == nil {
		return nil
	}
	switch strings.ToUpper(method) {
	case http.MethodGet:
		return pc.GetChanges
	case http.MethodPut:
		return pc.PutChanges
	case http.MethodPost:
		return pc.PostChanges
	case http.MethodDelete:
		return pc.DeleteChanges
	case http.MethodOptions:
		return pc.OptionsChanges
	case http.MethodHead:
		return pc.HeadChanges
	case http.MethodPatch:
		return pc.PatchChanges
	case http.MethodTrace:
		return pc.TraceChanges
	}
	return nil
}

// newStaticChange converts a change of libopenapi's.
func newStaticChange(ops []string, where string, c *model.Change, files [2]string) StaticChange {
	s := StaticChange{Operations: ops, Where: where, Property: c.Property, Base: c.Original, Head: c.New, Breaking: c.Breaking}
	switch c.ChangeType {
	case model.Modified:
		s.Change = "modified"
	case model.PropertyAdded, model.ObjectAdded:
		s.Change = "added"
	case model.PropertyRemoved, model.ObjectRemoved:
		s.Change = "removed"
	default:
		s.Change = fmt.Sprintf("change %d", c.ChangeType)
	}
	if ctx := c.Context; ctx != nil {
		switch {
		case ctx.NewLine != nil:
			s.Position = validate.SpecPos{File: files[1], Line: *ctx.NewLine}
		case ctx.OriginalLine != nil:
			s.Position = validate.SpecPos{File: files[0], Line: *ctx.OriginalLine}
		}
	}
	return s
}

// operation is where an operation is in a document, and the schemas of
// components it uses.
type operation struct {
	path, method string
	schemas      map[string]bool
}

// schemaRef is the prefix of a reference to a schema of components.
const schemaRef = "#/components/schemas/"

// operationsOf indexes the operations of a document by operationId.
func operationsOf(doc []byte) (map[string]operation, error) {
	top, err := specdoc.Parse(doc)
	if err != nil {
		return nil, err
	}
	components := specdoc.Member(specdoc.Member(top, "components"), "schemas")
	out := map[string]operation{}
	for _, o := range specdoc.Operations(top) {
		op := operation{path: o.Path, method: o.Method, schemas: map[string]bool{}}
		refs(o.Node, components, op.schemas)
		out[o.ID] = op
	}
	return out, nil
}

// refs adds the schemas of components that n refers to, and those they
// refer to, to seen.
func refs(n, components *yaml.Node, seen map[string]bool) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value != "$ref" {
				continue
			}
			name, ok := strings.CutPrefix(n.Content[i+1].Value, schemaRef)
			if !ok || seen[name] {
				continue
			}
			seen[name] = true
			refs(specdoc.Member(components, name), components, seen)
		}
	}
	for _, c := range n.Content {
		refs(c, components, seen)
	}
}
