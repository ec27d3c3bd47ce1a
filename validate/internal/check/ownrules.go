package check

import (
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
)

// ownRules are the rules of one operation's own, beyond those every
// operation takes from its contract (parameters, bodies, schemas, CORS,
// listed properties): what its documentation says in words, and how its
// response must agree with its request. The checker calls them in both of
// its modes, so they decide from the scanned bytes (c.scan, the exchange)
// and build a finding only when one fails (see checker.room).
type ownRules interface {
	// checkPath checks the request's path parameters.
	checkPath(c *checker)
	// checkWords checks a form body read as the operation's form.
	checkWords(c *checker)
	// checkPair checks the response against the request; it runs when
	// both bodies could be read.
	checkPair(c *checker)
}

// ownRulesByOperation holds, by operationId, how to build an operation's own
// rules from its compiled operation; each operation's file registers its
// rules (registerOwnRules) and Load attaches them (attachOwnRules).
var ownRulesByOperation = map[string]func(doc *contract.Document, op *compiled.Operation) ownRules{}

// registerOwnRules registers the own rules of the operation with the given
// operationId; it is called from the init of the operation's file.
func registerOwnRules(operationID string, build func(doc *contract.Document, op *compiled.Operation) ownRules) {
	if _, dup := ownRulesByOperation[operationID]; dup {
		panic("validate: the own rules of " + operationID + " are registered twice")
	}
	ownRulesByOperation[operationID] = build
}

// attachOwnRules builds the own rules of each operation registered for its
// operationId, in a table indexed by the operation's Index; nil for an
// operation without rules of its own.
func attachOwnRules(doc *contract.Document, ops []*compiled.Operation) []ownRules {
	own := make([]ownRules, len(ops))
	for _, op := range ops {
		if build := ownRulesByOperation[op.ID]; build != nil {
			own[op.Index] = build(doc, op)
		}
	}
	return own
}
