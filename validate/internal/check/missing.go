package check

import (
	"strconv"

	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/finding"
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

// checkListed adds a finding of rule response.missing-property for each
// listed property v leaves out, at the JSON pointer where it is missing
// (ptr is v's).
func (c *checker) checkListed(lp *compiled.ListedProps, v any, ptr string) {
	switch v := v.(type) {
	case map[string]any:
		for i, name := range lp.Names {
			val, ok := v[name]
			if !ok {
				at := contract.JoinPointer(ptr, name)
				// The names and pointer are the contract's, and array indices.
				c.addContract(finding.Finding{Rule: finding.RuleResponseMissing, Location: finding.Location{Part: finding.PartResponseBody, Pointer: at},
					Message: "the response leaves out " + strconv.Quote(name) + ", a property the contract lists",
					Want:    name + " present (null when it has no value)", Got: "absent",
					Hint: "clients read every listed property; write null for one with no value rather than leaving it out",
					Spec: c.p.Doc.Pos(lp.Ptrs[i])})
				continue
			}
			if lp.Subs[i] != nil {
				c.checkListed(lp.Subs[i], val, contract.JoinPointer(ptr, name))
			}
		}
	case []any:
		if lp.Items == nil {
			return
		}
		for i, item := range v {
			c.checkListed(lp.Items, item, contract.JoinPointer(ptr, strconv.Itoa(i)))
		}
	}
}
