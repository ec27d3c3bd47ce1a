package validate

import (
	"fmt"
	"mime"
	"net/textproto"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/finding"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
	"github.com/contractcheck/contractcheck/validate/internal/route"
	"github.com/contractcheck/contractcheck/validate/internal/wire"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// loadProblem is a problem found while compiling, at a JSON pointer.
type loadProblem struct {
	ptr, msg string
	seq      int // its place in the walk of the document
}

// valueKind is the JSON type a schema declares, as far as decoding form text
// and header values needs it.
type valueKind uint8

const (
	kindAny valueKind = iota
	kindString
	kindInteger
	kindNumber
	kindBoolean
	kindArray
	kindObject
)

func (k valueKind) String() string {
	return [...]string{"any value", "string", "integer", "number", "boolean", "array", "object"}[k]
}

// operation is the compiled form of one operation of the contract.
type operation struct {
	id       string // operationId, or "METHOD template"
	method   string // upper case
	template string
	ptr      string // JSON pointer of the operation object
	segs     []route.Segment
	anchors  [finding.AnchorCount]SpecPos

	params    []*param
	body      *bodyPlan // nil when the operation takes no body
	responses []*responsePlan
	own       ownRules // the operation's own rules, nil for most (see registerOwnRules)
}

// param is a compiled path, query or header parameter.
type param struct {
	name     string
	in       string // path, query or header
	required bool
	kind     valueKind
	items    valueKind // for arrays
	schema   *jsonschema.Schema
	ptr      string       // JSON pointer of the parameter's schema
	canon    string       // canonical header key, for header parameters
	fast     *gate.Schema // nil when the schema is beyond the gate
}

// bodyPlan is a compiled request body.
type bodyPlan struct {
	ptr   string // JSON pointer of the content map
	media []*mediaPlan
}

// mediaPlan is one media type of a request or response body.
type mediaPlan struct {
	mediaType string // lower case, without parameters; may hold a * wildcard
	schema    *jsonschema.Schema
	ptr       string       // JSON pointer of the schema, after $refs
	form      *formTable   // for application/x-www-form-urlencoded
	json      bool         // application/json or +json
	fast      *gate.Schema // the schema for the gate; nil when beyond it
	formGate  *formGate    // the form for the gate; nil when beyond it
	listed    *listedProps // what a response schema lists (response.missing-property); nil for nothing
}

// formTable is the compiled field table of a form-encoded body: its
// documented fields (tableField) by name, for the checker. The form types,
// from the contract to the wire: formTable and tableField (compiled at load),
// formGate (their schemas compiled for the gate), FormBody and FormField
// (what a tool such as probe reads of them), wire.Pair (a key=value pair as
// wire.DecodeForm reads it from a body), fieldValue and formScan (the documented
// pairs of one body, scanned once).
type formTable struct {
	fields map[string]*tableField
	names  []string       // sorted, for suggestions
	list   []*tableField  // the fields in the order of names
	index  map[string]int // field name → index in list
	open   bool           // additionalProperties allows undocumented keys

	nearOnce sync.Once
	near     *nearNames // names folded for suggestions, on the first unknown key
}

// nearNames returns the field names folded for suggestions.
func (fp *formTable) nearNames() *nearNames {
	fp.nearOnce.Do(func() { fp.near = newNearNames(fp.names) })
	return fp.near
}

// number lists the fields in the order of their names, by index.
func (fp *formTable) number() {
	for i, name := range fp.names {
		fp.index[name] = i
		fp.list = append(fp.list, fp.fields[name])
	}
}

// lookup finds a documented field by name: a few names are compared in
// turn, more through the map.
func (fp *formTable) lookup(key []byte) (int, bool) {
	if len(fp.list) > contract.SmallTable {
		i, ok := fp.index[wire.String(key)]
		return i, ok
	}
	for i, f := range fp.list {
		if f.name == string(key) {
			return i, true
		}
	}
	return 0, false
}

// tableField is one documented key of a formTable, compiled for checking.
type tableField struct {
	name  string
	kind  valueKind
	items valueKind // for arrays
	ptr   string    // JSON pointer of the field's schema
}

// responsePlan is one documented response of an operation.
type responsePlan struct {
	code    string // "201", "2XX" or "default"
	ptr     string
	headers []*headerPlan
	media   []*mediaPlan
}

// headerPlan is one documented response header.
type headerPlan struct {
	name     string // as the contract spells it
	canon    string // canonical MIME header key
	required bool
	kind     valueKind
	schema   *jsonschema.Schema
	ptr      string       // JSON pointer of the header object
	fast     *gate.Schema // nil when the schema is beyond the gate
}

// compileOperation compiles one operation. It returns every problem found;
// the operation is nil only when it cannot be used at all.
func compileOperation(doc *contract.Document, c *compiler, ref contract.OperationRef) (*operation, []loadProblem) {
	op := &operation{method: ref.Method, template: ref.Template, ptr: ref.Ptr}
	var probs []loadProblem
	problem := func(ptr, format string, args ...any) {
		probs = append(probs, c.problem(ptr, format, args...))
	}
	obj := doc.Object(ref.Ptr)
	if id, ok := obj["operationId"].(string); ok && id != "" {
		op.id = id
	} else {
		op.id = ref.Method + " " + ref.Template
	}
	segs, err := route.ParseTemplate(ref.Template)
	if err != nil {
		problem(contract.JoinPointer("", "paths", ref.Template), "path %q: %v", ref.Template, err)
		return nil, probs
	}
	op.segs = segs

	op.params = compileParams(doc, c, ref, problem)
	op.body = compileBody(doc, c, ref.Ptr, problem)
	op.responses = compileResponses(doc, c, ref.Ptr, problem)
	op.anchors = anchors(doc, op)
	if build := ownRulesByOperation[op.id]; build != nil {
		op.own = build(doc, op)
	}
	return op, probs
}

// compileParams compiles the path item's and the operation's parameters; an
// operation's parameter overrides the path item's of the same name and place.
func compileParams(doc *contract.Document, c *compiler, ref contract.OperationRef, problem func(string, string, ...any)) []*param {
	itemPtr := contract.JoinPointer("", "paths", ref.Template)
	var out []*param
	seen := map[string]int{}
	for _, base := range []string{itemPtr, ref.Ptr} {
		list, _ := doc.Get(base + "/parameters")
		items, _ := list.([]any)
		for i := range items {
			ptr, err := doc.Deref(contract.JoinPointer(base+"/parameters", fmt.Sprint(i)))
			if err != nil {
				problem(base+"/parameters", "%v", err)
				continue
			}
			o := doc.Object(ptr)
			name, _ := o["name"].(string)
			in, _ := o["in"].(string)
			if in == "cookie" || name == "" {
				continue
			}
			pr := &param{name: name, in: in, ptr: ptr + "/schema"}
			pr.required, _ = o["required"].(bool)
			pr.canon = textproto.CanonicalMIMEHeaderKey(name)
			if _, ok := o["schema"]; ok {
				c.compileLater(pr.ptr, &pr.schema, "compiling the schema of parameter %s: %v", name)
				pr.kind, pr.items = kindsOf(doc, pr.ptr)
				pr.fast = c.fast.Compile(pr.ptr)
			}
			key := in + "\x00" + name
			if j, ok := seen[key]; ok {
				out[j] = pr
				continue
			}
			seen[key] = len(out)
			out = append(out, pr)
		}
	}
	return out
}

// compileBody compiles an operation's request body.
func compileBody(doc *contract.Document, c *compiler, opPtr string, problem func(string, string, ...any)) *bodyPlan {
	if _, ok := doc.Get(opPtr + "/requestBody"); !ok {
		return nil
	}
	ptr, err := doc.Deref(opPtr + "/requestBody")
	if err != nil {
		problem(opPtr+"/requestBody", "%v", err)
		return nil
	}
	bp := &bodyPlan{ptr: ptr + "/content"}
	bp.media = compileContent(doc, c, bp.ptr, true, problem)
	return bp
}

// compileContent compiles a content map: one mediaPlan per media type, in a
// stable order.
func compileContent(doc *contract.Document, c *compiler, ptr string, request bool, problem func(string, string, ...any)) []*mediaPlan {
	content := doc.Object(ptr)
	types := make([]string, 0, len(content))
	for mt := range content {
		types = append(types, mt)
	}
	sort.Strings(types)
	var out []*mediaPlan
	for _, mt := range types {
		mp := &mediaPlan{mediaType: normalizeMediaType(mt)}
		mtPtr := contract.JoinPointer(ptr, mt)
		if _, ok := doc.Object(mtPtr)["schema"]; ok {
			sptr, err := doc.Deref(mtPtr + "/schema")
			if err != nil {
				problem(mtPtr+"/schema", "%v", err)
				continue
			}
			mp.ptr = sptr
			c.compileLater(mtPtr+"/schema", &mp.schema, "compiling the schema of %s: %v", mt)
			mp.fast = c.fast.Compile(mtPtr + "/schema")
		}
		switch {
		case mp.mediaType == formMediaType && request:
			mp.form = newFormPlan(doc, mp.ptr)
			mp.formGate = newFastForm(&c.fast, mp, mtPtr+"/schema")
		case isJSONMediaType(mp.mediaType):
			mp.json = true
			if !request && mp.ptr != "" {
				mp.listed = listedOf(doc, mtPtr+"/schema", 0)
			}
		}
		out = append(out, mp)
	}
	return out
}

const formMediaType = "application/x-www-form-urlencoded"

// normalizeMediaType lower-cases a media type and drops its parameters.
func normalizeMediaType(s string) string {
	if mt, _, err := mime.ParseMediaType(s); err == nil {
		return mt
	}
	s, _, _ = strings.Cut(s, ";")
	return strings.ToLower(strings.TrimSpace(s))
}

// isJSONMediaType reports whether a media type is JSON: application/json or
// a +json suffix.
func isJSONMediaType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// newFormPlan builds the field table of a form body from its schema.
func newFormPlan(doc *contract.Document, ptr string) *formTable {
	fp := &formTable{fields: map[string]*tableField{}, index: map[string]int{}}
	defer fp.number()
	if ptr == "" {
		fp.open = true
		return fp
	}
	o := doc.Object(ptr)
	props, _ := o["properties"].(map[string]any)
	for name := range props {
		fptr, err := doc.Deref(contract.JoinPointer(ptr, "properties", name))
		if err != nil {
			fptr = contract.JoinPointer(ptr, "properties", name)
		}
		f := &tableField{name: name, ptr: fptr}
		f.kind, f.items = kindsOf(doc, fptr)
		fp.fields[name] = f
		fp.names = append(fp.names, name)
	}
	sort.Strings(fp.names)
	switch ap := o["additionalProperties"].(type) {
	case bool:
		fp.open = ap
	case map[string]any:
		fp.open = true
	}
	if props == nil {
		fp.open = true
	}
	return fp
}

// compileResponses compiles an operation's responses, in document order of
// their codes as sorted: codes, ranges, then default.
func compileResponses(doc *contract.Document, c *compiler, opPtr string, problem func(string, string, ...any)) []*responsePlan {
	responses := doc.Object(opPtr + "/responses")
	codes := make([]string, 0, len(responses))
	for code := range responses {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool { return codeRank(codes[i]) < codeRank(codes[j]) })
	var out []*responsePlan
	for _, code := range codes {
		if strings.HasPrefix(code, "x-") {
			continue
		}
		ptr, err := doc.Deref(contract.JoinPointer(opPtr, "responses", code))
		if err != nil {
			problem(contract.JoinPointer(opPtr, "responses", code), "%v", err)
			continue
		}
		rp := &responsePlan{code: strings.ToUpper(code), ptr: ptr}
		headers := doc.Object(ptr + "/headers")
		names := make([]string, 0, len(headers))
		for name := range headers {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			hptr, err := doc.Deref(contract.JoinPointer(ptr, "headers", name))
			if err != nil {
				problem(contract.JoinPointer(ptr, "headers", name), "%v", err)
				continue
			}
			hp := &headerPlan{name: name, canon: textproto.CanonicalMIMEHeaderKey(name), ptr: hptr}
			hp.required, _ = doc.Object(hptr)["required"].(bool)
			if _, ok := doc.Object(hptr)["schema"]; ok {
				c.compileLater(hptr+"/schema", &hp.schema, "compiling the schema of header %s: %v", name)
				hp.kind, _ = kindsOf(doc, hptr+"/schema")
				hp.fast = c.fast.Compile(hptr + "/schema")
			}
			rp.headers = append(rp.headers, hp)
		}
		rp.media = compileContent(doc, c, ptr+"/content", false, problem)
		out = append(out, rp)
	}
	return out
}

// codeRank orders response codes: exact codes, then ranges such as 2XX, then
// default.
func codeRank(code string) string {
	switch {
	case strings.EqualFold(code, "default"):
		return "2" + code
	case strings.ContainsAny(code, "xX"):
		return "1" + strings.ToUpper(code)
	}
	return "0" + code
}

// kindsOf returns the type a schema declares and, for arrays, its items' type.
func kindsOf(doc *contract.Document, ptr string) (kind, items valueKind) {
	ptr, err := doc.Deref(ptr)
	if err != nil {
		return kindAny, kindAny
	}
	o := doc.Object(ptr)
	kind = kindFromType(o["type"])
	if kind == kindAny {
		for _, key := range []string{"allOf", "oneOf", "anyOf"} {
			if list, ok := o[key].([]any); ok && len(list) == 1 {
				return kindsOf(doc, contract.JoinPointer(ptr, key, "0"))
			}
		}
	}
	if kind == kindArray {
		items, _ = kindsOf(doc, ptr+"/items")
	}
	return kind, items
}

// kindFromType reads a schema's "type": a string, or an array of which the
// first type other than null counts.
func kindFromType(t any) valueKind {
	switch v := t.(type) {
	case string:
		switch v {
		case "string":
			return kindString
		case "integer":
			return kindInteger
		case "number":
			return kindNumber
		case "boolean":
			return kindBoolean
		case "array":
			return kindArray
		case "object":
			return kindObject
		}
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && s != "null" {
				return kindFromType(s)
			}
		}
	}
	return kindAny
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// anchors resolves where the rules' anchors are in an operation.
func anchors(doc *contract.Document, op *operation) [finding.AnchorCount]SpecPos {
	var a [finding.AnchorCount]SpecPos
	a[finding.AnchorOperation] = doc.Pos(op.ptr)
	a[finding.AnchorPathParams] = doc.Pos(op.ptr + "/parameters")
	a[finding.AnchorRequestBody] = doc.Pos(op.ptr + "/requestBody")
	a[finding.AnchorRequestSchema] = a[finding.AnchorRequestBody]
	if op.body != nil {
		a[finding.AnchorRequestBody] = doc.Pos(op.body.ptr)
		for _, m := range op.body.media {
			if m.form != nil && m.ptr != "" {
				a[finding.AnchorRequestSchema] = doc.Pos(m.ptr)
			}
		}
	}
	a[finding.AnchorResponses] = doc.Pos(op.ptr + "/responses")
	a[finding.AnchorResponseHeaders] = a[finding.AnchorResponses]
	a[finding.AnchorResponseContent] = a[finding.AnchorResponses]
	a[finding.AnchorResponseSchema] = a[finding.AnchorResponses]
	if rp := op.success(); rp != nil {
		a[finding.AnchorResponseHeaders] = doc.Pos(rp.ptr + "/headers")
		a[finding.AnchorResponseContent] = doc.Pos(rp.ptr + "/content")
		a[finding.AnchorResponseSchema] = a[finding.AnchorResponseContent]
		for _, m := range rp.media {
			if m.json && m.ptr != "" {
				a[finding.AnchorResponseSchema] = doc.Pos(m.ptr)
			}
		}
	}
	return a
}

// success returns the operation's first documented 2xx response.
func (op *operation) success() *responsePlan {
	for _, rp := range op.responses {
		if strings.HasPrefix(rp.code, "2") {
			return rp
		}
	}
	return nil
}

// response returns the documented response for a status: the exact code,
// else its range (2XX), else default.
func (op *operation) response(status int) *responsePlan {
	var buf [20]byte
	code := strconv.AppendInt(buf[:0], int64(status), 10)
	var byRange, def *responsePlan
	for _, rp := range op.responses {
		switch {
		case rp.code == string(code):
			return rp
		case len(rp.code) == 3 && rp.code[0] == code[0] && rp.code[1:] == "XX":
			byRange = rp
		case rp.code == "DEFAULT":
			def = rp
		}
	}
	if byRange != nil {
		return byRange
	}
	return def
}
