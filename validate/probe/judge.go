package probe

import (
	"fmt"
	"net/http"

	"github.com/contractcheck/contractcheck/validate"
)

// Judge checks the exchange of a case. A valid case or an example is
// checked as any recorded pair: [validate.Plan.Check]. A negative case must
// be refused with a 4xx: the findings of its request are the probe's own
// doing and are dropped, and so is rule response.status (the contract
// documents only the success); any other status gives a finding of rule
// [RuleRefusal], and the response's own findings (its body
// and headers, when the server created the webhook) are kept.
func Judge(plan *validate.Plan, c Case, ex *validate.Exchange) validate.Result {
	res := plan.Check(ex)
	if c.Kind != Negative || res.Skipped() {
		return res
	}
	status := ex.Response.Status
	refused := status >= 400 && status < 500
	var kept []validate.Finding
	if !refused {
		kept = append(kept, refusal(plan, c, status))
	}
	for _, f := range res.Findings {
		if f.Location.Part.Response() && f.Rule != validate.RuleResponseStatus && !refused {
			kept = append(kept, f)
		}
	}
	res.Findings = kept
	return res
}

// refusal is the finding of a negative case that was not refused.
func refusal(plan *validate.Plan, c Case, status int) validate.Finding {
	b := c.Breaks
	verb := "accepted"
	if status >= 500 {
		verb = "failed on"
	} else if status < 200 || status >= 300 {
		verb = "did not refuse"
	}
	return validate.Finding{
		Rule:     RuleRefusal,
		Severity: refusalRule.Severity,
		Location: validate.Location{Part: validate.PartResponseStatus},
		Message:  fmt.Sprintf("the server %s a request that breaks rule %s (probe %s): %s", verb, b.Rule, c.Name, b.Message),
		Want:     fmt.Sprintf("a 4xx status, such as Twilio's 400 (code 20001), for a request that breaks %s at %s", b.Rule, b.Location),
		Got:      fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Hint:     refusalHint(b),
		Spec:     plan.SpecOf(refusalRule),
	}
}

// refusalHint says how a server comes to refuse the request.
func refusalHint(b validate.Finding) string {
	const h = "check each request against the contract before acting on it"
	if b.Hint == "" {
		return h
	}
	return h + " (the request's own finding says: " + b.Hint + ")"
}
