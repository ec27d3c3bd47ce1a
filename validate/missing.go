package validate

import (
	"maps"
	"slices"
	"strconv"

	"github.com/contractcheck/contractcheck/validate/internal/contract"
)

// Rule response.missing-property: a 2xx body has every property its
// documented response lists. What "lists" means:
//
//   - a property is listed when the schema names it under properties, after
//     following $ref and through allOf (every branch holds, so every
//     branch's properties are listed); oneOf and anyOf list nothing, since
//     which branch a body takes is not known;
//   - the rule looks at the top-level object and, inside it, at every object
//     the body holds whose schema lists properties of its own, and at the
//     items of arrays whose item schema does: the documentation's
//     configuration is untyped and lists nothing, so its url, method,
//     filters or replay_after may be left out (the documentation's own
//     example leaves out replay_after);
//   - a listed property whose value is null is present: a nullable field
//     with no value is written as null, not left out, and a null object has
//     no properties to look into;
//   - a writeOnly property is never in a response, so it is never expected.

// listedProps are the properties a response schema lists, and what the
// schema of each lists in turn.
type listedProps struct {
	names []string       // sorted
	ptrs  []string       // the schema of each name, for the finding's contract line
	subs  []*listedProps // what the value of each name lists; nil for nothing
	items *listedProps   // what each item of an array lists; nil for nothing
}

// maxListedDepth bounds how deep listedOf follows a schema: deeper objects
// list nothing (a recursive schema is followed this far).
const maxListedDepth = 8

// listedOf builds what the schema at ptr lists, or nil when it lists
// nothing.
func listedOf(doc *contract.Document, ptr string, depth int) *listedProps {
	if depth > maxListedDepth {
		return nil
	}
	ptr, err := doc.Deref(ptr)
	if err != nil {
		return nil
	}
	schema := doc.Object(ptr)
	lp := &listedProps{}
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
		lp.names = append(lp.names, name)
		lp.ptrs = append(lp.ptrs, props[name])
		lp.subs = append(lp.subs, listedOf(doc, props[name], depth+1))
	}
	if _, ok := schema["items"].(map[string]any); ok {
		lp.items = listedOf(doc, ptr+"/items", depth+1)
	}
	if len(lp.names) == 0 && lp.items == nil {
		return nil
	}
	return lp
}

// checkListed adds a finding of rule response.missing-property for each
// listed property v leaves out, at the JSON pointer where it is missing
// (ptr is v's).
func (c *checker) checkListed(lp *listedProps, v any, ptr string) {
	switch v := v.(type) {
	case map[string]any:
		for i, name := range lp.names {
			val, ok := v[name]
			if !ok {
				at := contract.JoinPointer(ptr, name)
				// The names and pointer are the contract's, and array indices.
				c.addContract(Finding{Rule: RuleResponseMissing, Location: Location{Part: PartResponseBody, Pointer: at},
					Message: "the response leaves out " + strconv.Quote(name) + ", a property the contract lists",
					Want:    name + " present (null when it has no value)", Got: "absent",
					Hint: "clients read every listed property; write null for one with no value rather than leaving it out",
					Spec: c.p.doc.Pos(lp.ptrs[i])})
				continue
			}
			if lp.subs[i] != nil {
				c.checkListed(lp.subs[i], val, contract.JoinPointer(ptr, name))
			}
		}
	case []any:
		if lp.items == nil {
			return
		}
		for i, item := range v {
			c.checkListed(lp.items, item, contract.JoinPointer(ptr, strconv.Itoa(i)))
		}
	}
}
