package compiled

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

// Problem is a problem found while compiling, at a JSON pointer of the
// document.
type Problem struct {
	Ptr, Message string
}

// loadProblem is a Problem numbered in the walk of the document.
type loadProblem struct {
	ptr, msg string
	seq      int // its place in the walk of the document
}

// Compile compiles the operations of doc, in document order, each with its
// Index; oas30 says that the document is OpenAPI 3.0, whose schemas are
// JSON Schema draft 4 plus "nullable". The schemas are compiled by up to
// cores (at most four) jsonschema.Compilers at once. Compile returns every
// problem found, in the order of the walk of the document; err is why the
// document could not be prepared for jsonschema at all.
func Compile(doc *contract.Document, oas30 bool, cores int) (ops []*Operation, problems []Problem, err error) {
	refs := doc.Operations()
	parts := min(cores, 4, len(refs))
	c := newCompiler(doc, oas30, parts)
	var errs []loadProblem
	for i, ref := range refs {
		c.part = i * len(c.workers) / len(refs)
		op, opErrs := compileOperation(doc, c, ref)
		errs = append(errs, opErrs...)
		if op != nil {
			op.Index = len(ops)
			ops = append(ops, op)
		}
	}
	schemaErrs, err := c.compiled()
	if err != nil {
		return nil, nil, err
	}
	errs = append(errs, schemaErrs...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].seq < errs[j].seq })
	for _, e := range errs {
		problems = append(problems, Problem{Ptr: e.ptr, Message: e.msg})
	}
	return ops, problems, nil
}

// ValueKind is the JSON type a schema declares, as far as decoding form text
// and header values needs it.
type ValueKind uint8

// The kinds of value a schema declares; KindAny when it declares none.
const (
	KindAny ValueKind = iota
	KindString
	KindInteger
	KindNumber
	KindBoolean
	KindArray
	KindObject
)

// String names the kind as a finding says it, such as "integer".
func (k ValueKind) String() string {
	return [...]string{"any value", "string", "integer", "number", "boolean", "array", "object"}[k]
}

// Operation is the compiled form of one operation of the contract.
type Operation struct {
	ID       string // operationId, or "METHOD template"
	Method   string // upper case
	Template string
	Ptr      string // JSON pointer of the operation object
	Segs     []route.Segment
	Anchors  [finding.AnchorCount]finding.SpecPos

	Params    []*Param
	Body      *Body // nil when the operation takes no body
	Responses []*Response
	// Index is the operation's place among the contract's operations, in
	// document order: what a stage above keys its tables of operations by.
	Index int
}

// Param is a compiled path, query or header parameter.
type Param struct {
	Name     string
	In       string // path, query or header
	Required bool
	Kind     ValueKind
	Items    ValueKind // for arrays
	Schema   *jsonschema.Schema
	Ptr      string       // JSON pointer of the parameter's schema
	Canon    string       // canonical header key, for header parameters
	Fast     *gate.Schema // nil when the schema is beyond the gate
}

// Body is a compiled request body.
type Body struct {
	Ptr   string // JSON pointer of the content map
	Media []*Media
}

// Media is one media type of a request or response body.
type Media struct {
	MediaType string // lower case, without parameters; may hold a * wildcard
	Schema    *jsonschema.Schema
	Ptr       string       // JSON pointer of the schema, after $refs
	Form      *FormTable   // for application/x-www-form-urlencoded
	JSON      bool         // application/json or +json
	Fast      *gate.Schema // the schema for the gate; nil when beyond it
	FormGate  *FormGate    // the form for the gate; nil when beyond it
	Listed    *ListedProps // what a response schema lists (response.missing-property); nil for nothing
}

// FormTable is the compiled field table of a form-encoded body: its
// documented fields (TableField) by name, for the checker. The form types,
// from the contract to the wire: FormTable and TableField (compiled at load),
// FormGate (their schemas compiled for the gate), FormBody and FormField
// (what a tool such as probe reads of them), wire.Pair (a key=value pair as
// wire.DecodeForm reads it from a body), fieldValue and formScan (the documented
// pairs of one body, scanned once).
type FormTable struct {
	Fields map[string]*TableField
	Names  []string       // sorted, for suggestions
	List   []*TableField  // the fields in the order of names
	Index  map[string]int // field name → index in list
	Open   bool           // additionalProperties allows undocumented keys

	nearOnce sync.Once
	near     *NearNames // names folded for suggestions, on the first unknown key
}

// NearNames returns the field names folded for suggestions.
func (fp *FormTable) NearNames() *NearNames {
	fp.nearOnce.Do(func() { fp.near = NewNearNames(fp.Names) })
	return fp.near
}

// number lists the fields in the order of their names, by index.
func (fp *FormTable) number() {
	for i, name := range fp.Names {
		fp.Index[name] = i
		fp.List = append(fp.List, fp.Fields[name])
	}
}

// Lookup finds a documented field by name: a few names are compared in
// turn, more through the map.
func (fp *FormTable) Lookup(key []byte) (int, bool) {
	if len(fp.List) > contract.SmallTable {
		i, ok := fp.Index[wire.String(key)]
		return i, ok
	}
	for i, f := range fp.List {
		if f.Name == string(key) {
			return i, true
		}
	}
	return 0, false
}

// TableField is one documented key of a FormTable, compiled for checking.
type TableField struct {
	Name  string
	Kind  ValueKind
	Items ValueKind // for arrays
	Ptr   string    // JSON pointer of the field's schema
}

// Response is one documented response of an operation.
type Response struct {
	Code    string // "201", "2XX" or "default"
	Ptr     string
	Headers []*Header
	Media   []*Media
}

// Header is one documented response header.
type Header struct {
	Name     string // as the contract spells it
	Canon    string // canonical MIME header key
	Required bool
	Kind     ValueKind
	Schema   *jsonschema.Schema
	Ptr      string       // JSON pointer of the header object
	Fast     *gate.Schema // nil when the schema is beyond the gate
}

// compileOperation compiles one operation. It returns every problem found;
// the operation is nil only when it cannot be used at all.
func compileOperation(doc *contract.Document, c *compiler, ref contract.OperationRef) (*Operation, []loadProblem) {
	op := &Operation{Method: ref.Method, Template: ref.Template, Ptr: ref.Ptr}
	var probs []loadProblem
	problem := func(ptr, format string, args ...any) {
		probs = append(probs, c.problem(ptr, format, args...))
	}
	obj := doc.Object(ref.Ptr)
	if id, ok := obj["operationId"].(string); ok && id != "" {
		op.ID = id
	} else {
		op.ID = ref.Method + " " + ref.Template
	}
	segs, err := route.ParseTemplate(ref.Template)
	if err != nil {
		problem(contract.JoinPointer("", "paths", ref.Template), "path %q: %v", ref.Template, err)
		return nil, probs
	}
	op.Segs = segs

	op.Params = compileParams(doc, c, ref, problem)
	op.Body = compileBody(doc, c, ref.Ptr, problem)
	op.Responses = compileResponses(doc, c, ref.Ptr, problem)
	op.Anchors = anchors(doc, op)
	return op, probs
}

// compileParams compiles the path item's and the operation's parameters; an
// operation's parameter overrides the path item's of the same name and place.
func compileParams(doc *contract.Document, c *compiler, ref contract.OperationRef, problem func(string, string, ...any)) []*Param {
	itemPtr := contract.JoinPointer("", "paths", ref.Template)
	var out []*Param
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
			pr := &Param{Name: name, In: in, Ptr: ptr + "/schema"}
			pr.Required, _ = o["required"].(bool)
			pr.Canon = textproto.CanonicalMIMEHeaderKey(name)
			if _, ok := o["schema"]; ok {
				c.compileLater(pr.Ptr, &pr.Schema, "compiling the schema of parameter %s: %v", name)
				pr.Kind, pr.Items = kindsOf(doc, pr.Ptr)
				pr.Fast = c.fast.Compile(pr.Ptr)
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
func compileBody(doc *contract.Document, c *compiler, opPtr string, problem func(string, string, ...any)) *Body {
	if _, ok := doc.Get(opPtr + "/requestBody"); !ok {
		return nil
	}
	ptr, err := doc.Deref(opPtr + "/requestBody")
	if err != nil {
		problem(opPtr+"/requestBody", "%v", err)
		return nil
	}
	bp := &Body{Ptr: ptr + "/content"}
	bp.Media = compileContent(doc, c, bp.Ptr, true, problem)
	return bp
}

// compileContent compiles a content map: one Media per media type, in a
// stable order.
func compileContent(doc *contract.Document, c *compiler, ptr string, request bool, problem func(string, string, ...any)) []*Media {
	content := doc.Object(ptr)
	types := make([]string, 0, len(content))
	for mt := range content {
		types = append(types, mt)
	}
	sort.Strings(types)
	var out []*Media
	for _, mt := range types {
		mp := &Media{MediaType: NormalizeMediaType(mt)}
		mtPtr := contract.JoinPointer(ptr, mt)
		if _, ok := doc.Object(mtPtr)["schema"]; ok {
			sptr, err := doc.Deref(mtPtr + "/schema")
			if err != nil {
				problem(mtPtr+"/schema", "%v", err)
				continue
			}
			mp.Ptr = sptr
			c.compileLater(mtPtr+"/schema", &mp.Schema, "compiling the schema of %s: %v", mt)
			mp.Fast = c.fast.Compile(mtPtr + "/schema")
		}
		switch {
		case mp.MediaType == FormMediaType && request:
			mp.Form = newFormPlan(doc, mp.Ptr)
			mp.FormGate = newFormGate(&c.fast, mp, mtPtr+"/schema")
		case IsJSONMediaType(mp.MediaType):
			mp.JSON = true
			if !request && mp.Ptr != "" {
				mp.Listed = listedOf(doc, mtPtr+"/schema", 0)
			}
		}
		out = append(out, mp)
	}
	return out
}

const FormMediaType = "application/x-www-form-urlencoded"

// NormalizeMediaType lower-cases a media type and drops its parameters.
func NormalizeMediaType(s string) string {
	if mt, _, err := mime.ParseMediaType(s); err == nil {
		return mt
	}
	s, _, _ = strings.Cut(s, ";")
	return strings.ToLower(strings.TrimSpace(s))
}

// IsJSONMediaType reports whether a media type is JSON: application/json or
// a +json suffix.
func IsJSONMediaType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// newFormPlan builds the field table of a form body from its schema.
func newFormPlan(doc *contract.Document, ptr string) *FormTable {
	fp := &FormTable{Fields: map[string]*TableField{}, Index: map[string]int{}}
	defer fp.number()
	if ptr == "" {
		fp.Open = true
		return fp
	}
	o := doc.Object(ptr)
	props, _ := o["properties"].(map[string]any)
	for name := range props {
		fptr, err := doc.Deref(contract.JoinPointer(ptr, "properties", name))
		if err != nil {
			fptr = contract.JoinPointer(ptr, "properties", name)
		}
		f := &TableField{Name: name, Ptr: fptr}
		f.Kind, f.Items = kindsOf(doc, fptr)
		fp.Fields[name] = f
		fp.Names = append(fp.Names, name)
	}
	sort.Strings(fp.Names)
	switch ap := o["additionalProperties"].(type) {
	case bool:
		fp.Open = ap
	case map[string]any:
		fp.Open = true
	}
	if props == nil {
		fp.Open = true
	}
	return fp
}

// compileResponses compiles an operation's responses, in document order of
// their codes as sorted: codes, ranges, then default.
func compileResponses(doc *contract.Document, c *compiler, opPtr string, problem func(string, string, ...any)) []*Response {
	responses := doc.Object(opPtr + "/responses")
	codes := make([]string, 0, len(responses))
	for code := range responses {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool { return codeRank(codes[i]) < codeRank(codes[j]) })
	var out []*Response
	for _, code := range codes {
		if strings.HasPrefix(code, "x-") {
			continue
		}
		ptr, err := doc.Deref(contract.JoinPointer(opPtr, "responses", code))
		if err != nil {
			problem(contract.JoinPointer(opPtr, "responses", code), "%v", err)
			continue
		}
		rp := &Response{Code: strings.ToUpper(code), Ptr: ptr}
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
			hp := &Header{Name: name, Canon: textproto.CanonicalMIMEHeaderKey(name), Ptr: hptr}
			hp.Required, _ = doc.Object(hptr)["required"].(bool)
			if _, ok := doc.Object(hptr)["schema"]; ok {
				c.compileLater(hptr+"/schema", &hp.Schema, "compiling the schema of header %s: %v", name)
				hp.Kind, _ = kindsOf(doc, hptr+"/schema")
				hp.Fast = c.fast.Compile(hptr + "/schema")
			}
			rp.Headers = append(rp.Headers, hp)
		}
		rp.Media = compileContent(doc, c, ptr+"/content", false, problem)
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
func kindsOf(doc *contract.Document, ptr string) (kind, items ValueKind) {
	ptr, err := doc.Deref(ptr)
	if err != nil {
		return KindAny, KindAny
	}
	o := doc.Object(ptr)
	kind = kindFromType(o["type"])
	if kind == KindAny {
		for _, key := range []string{"allOf", "oneOf", "anyOf"} {
			if list, ok := o[key].([]any); ok && len(list) == 1 {
				return kindsOf(doc, contract.JoinPointer(ptr, key, "0"))
			}
		}
	}
	if kind == KindArray {
		items, _ = kindsOf(doc, ptr+"/items")
	}
	return kind, items
}

// kindFromType reads a schema's "type": a string, or an array of which the
// first type other than null counts.
func kindFromType(t any) ValueKind {
	switch v := t.(type) {
	case string:
		switch v {
		case "string":
			return KindString
		case "integer":
			return KindInteger
		case "number":
			return KindNumber
		case "boolean":
			return KindBoolean
		case "array":
			return KindArray
		case "object":
			return KindObject
		}
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && s != "null" {
				return kindFromType(s)
			}
		}
	}
	return KindAny
}

// AsStrings returns the strings of a decoded JSON array, leaving out its
// other members.
func AsStrings(v any) []string {
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
func anchors(doc *contract.Document, op *Operation) [finding.AnchorCount]finding.SpecPos {
	var a [finding.AnchorCount]finding.SpecPos
	a[finding.AnchorOperation] = doc.Pos(op.Ptr)
	a[finding.AnchorPathParams] = doc.Pos(op.Ptr + "/parameters")
	a[finding.AnchorRequestBody] = doc.Pos(op.Ptr + "/requestBody")
	a[finding.AnchorRequestSchema] = a[finding.AnchorRequestBody]
	if op.Body != nil {
		a[finding.AnchorRequestBody] = doc.Pos(op.Body.Ptr)
		for _, m := range op.Body.Media {
			if m.Form != nil && m.Ptr != "" {
				a[finding.AnchorRequestSchema] = doc.Pos(m.Ptr)
			}
		}
	}
	a[finding.AnchorResponses] = doc.Pos(op.Ptr + "/responses")
	a[finding.AnchorResponseHeaders] = a[finding.AnchorResponses]
	a[finding.AnchorResponseContent] = a[finding.AnchorResponses]
	a[finding.AnchorResponseSchema] = a[finding.AnchorResponses]
	if rp := op.Success(); rp != nil {
		a[finding.AnchorResponseHeaders] = doc.Pos(rp.Ptr + "/headers")
		a[finding.AnchorResponseContent] = doc.Pos(rp.Ptr + "/content")
		a[finding.AnchorResponseSchema] = a[finding.AnchorResponseContent]
		for _, m := range rp.Media {
			if m.JSON && m.Ptr != "" {
				a[finding.AnchorResponseSchema] = doc.Pos(m.Ptr)
			}
		}
	}
	return a
}

// Success returns the operation's first documented 2xx response.
func (op *Operation) Success() *Response {
	for _, rp := range op.Responses {
		if strings.HasPrefix(rp.Code, "2") {
			return rp
		}
	}
	return nil
}

// Response returns the documented response for a status: the exact code,
// else its range (2XX), else default.
func (op *Operation) Response(status int) *Response {
	var buf [20]byte
	code := strconv.AppendInt(buf[:0], int64(status), 10)
	var byRange, def *Response
	for _, rp := range op.Responses {
		switch {
		case rp.Code == string(code):
			return rp
		case len(rp.Code) == 3 && rp.Code[0] == code[0] && rp.Code[1:] == "XX":
			byRange = rp
		case rp.Code == "DEFAULT":
			def = rp
		}
	}
	if byRange != nil {
		return byRange
	}
	return def
}

// FormMedia returns the form-encoded one of media, or nil.
func FormMedia(media []*Media) *Media {
	for _, m := range media {
		if m.Form != nil {
			return m
		}
	}
	return nil
}
