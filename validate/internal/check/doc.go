// Package check is the checker: one walk over an exchange that applies
// every rule of the contract to it ([Plan.Check]), first as a gate that
// builds no finding and stops at the first rule that fails, then, unless
// the gate is sure the pair is clean, with every rule, each building its
// finding. The rules are grouped by concern, one file each: the form and
// values (check.go), schema findings in the project's words (schemaerr.go),
// CORS (cors.go), listed response properties (missing.go), and the
// conversation-scoped webhook's own rules (webhook.go), registered for its
// operation (ownrules.go).
//
// It reads the compiled contract (package compiled) and knows nothing of
// recordings or reports; package validate is its face.
package check
