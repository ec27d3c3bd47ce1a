package probe

import "github.com/contractcheck/contractcheck/validate"

// RuleRefusal is the ID of the rule a negative case breaks when the server
// does not refuse it with a 4xx.
const RuleRefusal = "probe.refusal"

// refusalRule is the probe's rule. Its contract position is that of the
// responses map, where rule response.status comes from.
var refusalRule = validate.Rule{
	ID:       RuleRefusal,
	Severity: validate.SeverityError,
	Summary:  "A request made to break one constraint of the contract is refused with a 4xx status (contractcheck probe only).",
	Help:     "contractcheck probe sends requests that each break one documented constraint (a missing Target, an unknown enum value, a bad SID, a non-integer, a JSON body); a server that accepts one would create a webhook the contract forbids.",
	From:     validate.RuleResponseStatus,
}

// Rules returns the rules the probe adds to the catalogue of
// [validate.Rules], in the order reports list them after it. The slice is a
// copy.
func Rules() []validate.Rule {
	return []validate.Rule{refusalRule}
}
