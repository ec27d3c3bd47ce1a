package coverage

import (
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"

	"github.com/contractcheck/contractcheck/internal/specdoc"
)

// opModel is what an operation of the contract documents: the items that
// traffic can cover.
type opModel struct {
	id       string
	statuses []string            // documented statuses, such as "201"
	fields   []string            // request body fields
	enums    map[string][]string // request field -> its enum values
	response []string            // success response fields, nested ones as "a.b"
}

// readModel reads the operations of a contract document (YAML or JSON).
func readModel(doc []byte) (map[string]*opModel, error) {
	top, err := specdoc.Parse(doc)
	if err != nil {
		return nil, err
	}
	r := resolver{top: top}
	out := map[string]*opModel{}
	for _, op := range specdoc.Operations(top) {
		om := &opModel{id: op.ID, enums: map[string][]string{}}
		r.request(om, op.Node)
		r.responses(om, op.Node)
		out[om.id] = om
	}
	return out, nil
}

// resolver follows local references of a document.
type resolver struct{ top *yaml.Node }

// resolve follows n's $ref, if any, a few levels deep.
func (r resolver) resolve(n *yaml.Node) *yaml.Node {
	for range 8 {
		ref := specdoc.Member(n, "$ref")
		if ref == nil {
			return n
		}
		path, ok := strings.CutPrefix(ref.Value, "#/")
		if !ok {
			return nil
		}
		n = r.top
		for part := range strings.SplitSeq(path, "/") {
			n = specdoc.Member(n, strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~"))
		}
	}
	return n
}

// schemaOf returns the resolved schema of the first media type of a content
// map whose name contains want, or of the first one.
func (r resolver) schemaOf(content *yaml.Node, want string) *yaml.Node {
	content = r.resolve(content)
	if content == nil || content.Kind != yaml.MappingNode || len(content.Content) < 2 {
		return nil
	}
	media := content.Content[1]
	for i := 0; i+1 < len(content.Content); i += 2 {
		if strings.Contains(content.Content[i].Value, want) {
			media = content.Content[i+1]
			break
		}
	}
	return r.resolve(specdoc.Member(r.resolve(media), "schema"))
}

// request reads the request body's fields and their enum values.
func (r resolver) request(om *opModel, op *yaml.Node) {
	body := r.resolve(specdoc.Member(op, "requestBody"))
	schema := r.schemaOf(specdoc.Member(body, "content"), "form")
	props := specdoc.Member(schema, "properties")
	if props == nil {
		return
	}
	for i := 0; i+1 < len(props.Content); i += 2 {
		name := props.Content[i].Value
		om.fields = append(om.fields, name)
		prop := r.resolve(props.Content[i+1])
		if items := specdoc.Member(prop, "items"); items != nil {
			prop = r.resolve(items)
		}
		if enum := specdoc.Member(prop, "enum"); enum != nil {
			for _, v := range enum.Content {
				om.enums[name] = append(om.enums[name], v.Value)
			}
		}
	}
}

// responses reads the documented statuses and the success response's
// fields (one level of nesting).
func (r resolver) responses(om *opModel, op *yaml.Node) {
	resps := specdoc.Member(op, "responses")
	if resps == nil {
		return
	}
	var success *yaml.Node
	for i := 0; i+1 < len(resps.Content); i += 2 {
		status := resps.Content[i].Value
		om.statuses = append(om.statuses, status)
		if n, err := strconv.Atoi(status); err == nil && n >= 200 && n < 300 && success == nil {
			success = r.resolve(resps.Content[i+1])
		}
	}
	schema := r.schemaOf(specdoc.Member(success, "content"), "json")
	props := specdoc.Member(schema, "properties")
	if props == nil {
		return
	}
	for i := 0; i+1 < len(props.Content); i += 2 {
		name := props.Content[i].Value
		om.response = append(om.response, name)
		if sub := specdoc.Member(r.resolve(props.Content[i+1]), "properties"); sub != nil {
			for j := 0; j+1 < len(sub.Content); j += 2 {
				om.response = append(om.response, name+"."+sub.Content[j].Value)
			}
		}
	}
	slices.Sort(om.statuses)
}
