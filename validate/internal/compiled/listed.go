package compiled

import (
	"maps"
	"slices"
	"strconv"

	"github.com/contractcheck/contractcheck/validate/internal/contract"
)

// ListedProps are the properties a response schema lists, and what the
// schema of each lists in turn.
type ListedProps struct {
	Names []string       // sorted
	Ptrs  []string       // the schema of each name, for the finding's contract line
	Subs  []*ListedProps // what the value of each name lists; nil for nothing
	Items *ListedProps   // what each item of an array lists; nil for nothing
}

// maxListedDepth bounds how deep listedOf follows a schema: deeper objects
// list nothing (a recursive schema is followed this far).
const maxListedDepth = 8

// listedOf builds what the schema at ptr lists, or nil when it lists
// nothing.
func listedOf(doc *contract.Document, ptr string, depth int) *ListedProps {
	if depth > maxListedDepth {
		return nil
	}
	ptr, err := doc.Deref(ptr)
	if err != nil {
		return nil
	}
	schema := doc.Object(ptr)
	lp := &ListedProps{}
	props := map[string]string{} // name -> pointer of its schema
	collect := func(sptr string) {
		for name := range doc.Object(sptr + "/properties") {
			pptr := contract.JoinPointer(sptr, "properties", name)
			if _, seen := props[name]; !seen && !doc.WriteOnly(pptr) {
				props[name] = pptr
			}
		}
	}
	collect(ptr)
	if all, ok := schema["allOf"].([]any); ok {
		for i := range all {
			if bptr, err := doc.Deref(contract.JoinPointer(ptr, "allOf", strconv.Itoa(i))); err == nil {
				collect(bptr)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		lp.Names = append(lp.Names, name)
		lp.Ptrs = append(lp.Ptrs, props[name])
		lp.Subs = append(lp.Subs, listedOf(doc, props[name], depth+1))
	}
	if _, ok := schema["items"].(map[string]any); ok {
		lp.Items = listedOf(doc, ptr+"/items", depth+1)
	}
	if len(lp.Names) == 0 && lp.Items == nil {
		return nil
	}
	return lp
}
