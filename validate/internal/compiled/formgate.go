package compiled

import "github.com/contractcheck/contractcheck/validate/internal/gate"

// FormGate is a form body's schema compiled for the gate: for each field
// of its plan (by index), the schema its value must meet.
type FormGate struct {
	Table    *FormTable
	Schemas  []*gate.Schema // per field; nil accepts any value
	Root     *gate.Schema   // nil when the body has no schema
	Required []int          // field indexes
}

// newFormGate compiles a form media type for the gate; nil when its schema
// is beyond the fast schemas.
func newFormGate(fc *gate.Compiler, mp *Media, schemaPtr string) *FormGate {
	ff := &FormGate{Table: mp.Form}
	ff.Schemas = make([]*gate.Schema, len(ff.Table.List))
	if mp.Ptr == "" { // no schema (mp.schema is being compiled)
		return ff
	}
	root := fc.Compile(schemaPtr)
	if root == nil || root.AnyValue {
		ff.Root = root
		return ff
	}
	if !root.Allows(gate.TypeObject) {
		return nil // never clean: left to the full path
	}
	ff.Root = root
	for i, f := range ff.Table.List {
		if k, ok := root.Props[f.Name]; ok {
			ff.Schemas[i] = root.PropList[k]
			continue
		}
		if root.Closed {
			return nil
		}
		ff.Schemas[i] = root.Extra
	}
	for name, k := range root.Props {
		for _, r := range root.Required {
			if r != k {
				continue
			}
			i, ok := ff.Table.Index[name]
			if !ok {
				return nil // required but not a form field: never clean
			}
			ff.Required = append(ff.Required, i)
		}
	}
	return ff
}
