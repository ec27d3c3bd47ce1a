package validate

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
)

// FormBody describes the form-encoded request body of one operation as the
// contract declares it: enough for a tool to write requests that keep the
// contract, or that break one constraint of it (contractcheck probe does).
// It is read from the loaded document; nothing in it is compiled.
type FormBody struct {
	// Operation is the operation, named as [Result.Operation] names it.
	Operation string
	// Method is the operation's method in upper case, such as "POST".
	Method string
	// Path is the operation's path template, such as
	// "/v1/Conversations/{ConversationSid}/Webhooks".
	Path string
	// PathParams are the names of the template's parameters, in order.
	PathParams []string
	// Fields are the documented fields of the form, sorted by name.
	Fields []FormField
	// Examples are the contract's examples of the body, sorted by name: the
	// media type's named examples, or its single example named "example".
	Examples []FormExample
	// Spec is where the form's schema is in the contract.
	Spec SpecPos
}

// FormField is one documented field of a form body.
type FormField struct {
	// Name is the form key, such as "Configuration.FlowSid".
	Name string
	// Type is the declared JSON type: "string", "integer", "number",
	// "boolean", "array", "object", or "" when the schema declares none.
	Type string
	// Items is the type of an array's items, "" for other fields.
	Items string
	// Required reports whether the schema requires the field.
	Required bool
	// Enum lists the allowed values (of the items, for an array), as text;
	// nil when the schema lists none.
	Enum []string
	// Pattern is the schema's pattern, "" when it has none.
	Pattern string
	// Format is the schema's format, "" when it has none.
	Format string
	// MinLength and MaxLength are the schema's length limits, -1 when unset.
	MinLength, MaxLength int
	// Spec is where the field's schema is in the contract.
	Spec SpecPos
}

// Field returns the field of the given name.
func (b FormBody) Field(name string) (FormField, bool) {
	i := sort.Search(len(b.Fields), func(i int) bool { return b.Fields[i].Name >= name })
	if i < len(b.Fields) && b.Fields[i].Name == name {
		return b.Fields[i], true
	}
	return FormField{}, false
}

// FormExample is one example of a form body from the contract.
type FormExample struct {
	// Name is the example's name in the contract.
	Name string
	// Values are the example's fields as form values: an array is its
	// elements, numbers and booleans their JSON text.
	Values url.Values
}

// FormBody returns the form body of the operation with the given name (as
// [Plan.Operations] lists them), or false when the plan has no such
// operation or it takes no application/x-www-form-urlencoded body.
func (p *Plan) FormBody(operation string) (FormBody, bool) {
	op := p.opByID(operation)
	if op == nil || op.Body == nil {
		return FormBody{}, false
	}
	var mp *compiled.Media
	for _, m := range op.Body.Media {
		if m.Form != nil {
			mp = m
		}
	}
	if mp == nil {
		return FormBody{}, false
	}
	d := p.chk.Doc
	fb := FormBody{Operation: op.ID, Method: op.Method, Path: op.Template, Spec: d.Pos(mp.Ptr)}
	for _, s := range op.Segs {
		if s.Param != "" {
			fb.PathParams = append(fb.PathParams, s.Param)
		}
	}
	required := map[string]bool{}
	if mp.Ptr != "" {
		for _, name := range compiled.AsStrings(d.Object(mp.Ptr)["required"]) {
			required[name] = true
		}
	}
	for _, name := range mp.Form.Names {
		ff := mp.Form.Fields[name]
		fb.Fields = append(fb.Fields, describeField(d, ff, required[name]))
	}
	fb.Examples = formExamples(d, op.Body.Ptr, mp.MediaType)
	return fb, true
}

// describeField describes one field of a form table of d for a tool.
func describeField(d *contract.Document, ff *compiled.TableField, required bool) FormField {
	f := FormField{Name: ff.Name, Required: required, MinLength: -1, MaxLength: -1, Spec: d.Pos(ff.Ptr)}
	if ff.Kind != compiled.KindAny {
		f.Type = ff.Kind.String()
	}
	o := d.Object(ff.Ptr)
	enumOf := o
	if ff.Kind == compiled.KindArray {
		if ff.Items != compiled.KindAny {
			f.Items = ff.Items.String()
		}
		if iptr, err := d.Deref(ff.Ptr + "/items"); err == nil {
			enumOf = d.Object(iptr)
		}
	}
	if list, ok := enumOf["enum"].([]any); ok {
		f.Enum = make([]string, 0, len(list))
		for _, v := range list {
			f.Enum = append(f.Enum, formText(v))
		}
	}
	f.Pattern, _ = o["pattern"].(string)
	f.Format, _ = o["format"].(string)
	if n, ok := gate.SmallInt(o["minLength"]); ok {
		f.MinLength = int(n)
	}
	if n, ok := gate.SmallInt(o["maxLength"]); ok {
		f.MaxLength = int(n)
	}
	return f
}

// formExamples reads the examples of the media type mediaType in the content
// map at contentPtr of d.
func formExamples(d *contract.Document, contentPtr, mediaType string) []FormExample {
	var mtPtr string
	for key := range d.Object(contentPtr) {
		if compiled.NormalizeMediaType(key) == mediaType {
			mtPtr = contract.JoinPointer(contentPtr, key)
		}
	}
	media := d.Object(mtPtr)
	var out []FormExample
	if v, ok := media["example"]; ok {
		if vals, ok := formValues(v); ok {
			out = append(out, FormExample{Name: "example", Values: vals})
		}
	}
	examples, _ := media["examples"].(map[string]any)
	for name := range examples {
		ptr, err := d.Deref(contract.JoinPointer(mtPtr, "examples", name))
		if err != nil {
			continue
		}
		if v, ok := d.Object(ptr)["value"]; ok {
			if vals, ok := formValues(v); ok {
				out = append(out, FormExample{Name: name, Values: vals})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// formValues turns an example's object into form values.
func formValues(v any) (url.Values, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	vals := url.Values{}
	for k, e := range obj {
		if list, ok := e.([]any); ok {
			for _, x := range list {
				vals.Add(k, formText(x))
			}
			continue
		}
		vals.Set(k, formText(e))
	}
	return vals, true
}

// formText writes a JSON value as form text.
func formText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case nil:
		return ""
	case bool:
		return fmt.Sprint(x)
	}
	b, _ := json.Marshal(v)
	return strings.TrimSpace(string(b))
}
