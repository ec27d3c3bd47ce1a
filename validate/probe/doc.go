// Package probe checks a live server of an operation by sending it requests
// and checking what comes back, as contractcheck probe does.
//
// [Cases] writes the requests from the contract itself: each of the
// contract's examples of the form body, one valid request per value of the
// Target enum (its configuration completed until the plan has nothing to say
// about it), and negative requests that each break one documented constraint
// (a missing required field, an unknown enum value, a SID of the wrong form,
// a non-integer, a JSON body instead of a form). Every case is checked with
// [validate.Plan.CheckRequest] before it is returned: a valid case has no
// error finding, and a negative one has the finding of the rule it is meant
// to break, so the probe never blames a server for its own mistake.
//
// [Send] sends a case and records the exchange; [Judge] checks it. A valid
// case is judged as any recorded pair ([validate.Plan.Check]). A negative case
// must be refused with a 4xx: its request findings are the probe's doing and
// are dropped, and a status outside 4xx is a finding of rule
// [RuleRefusal].
package probe
