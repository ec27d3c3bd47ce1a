package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCatalogueFillsSeverity shows that a rule's findings take their
// severity from the catalogue: the call sites name only the rule.
func TestCatalogueFillsSeverity(t *testing.T) {
	c := &checker{ex: docsExchange()}
	rules := Rules()
	for _, r := range rules {
		c.add(Finding{Rule: r.ID, Location: Location{Part: PartRequestBody}})
	}
	c.add(Finding{Rule: RuleConfigTarget, Severity: SeverityError, Location: Location{Part: PartRequestBody}})
	if assert.Len(t, c.findings, len(rules)+1) {
		for i, r := range rules {
			assert.Equal(t, r.Severity, c.findings[i].Severity, r.ID)
		}
		assert.Equal(t, SeverityError, c.findings[len(rules)].Severity, "a severity given is kept")
	}
	p := embeddedPlan(t)
	ex := docsExchange()
	ex.Request.URL = "https://conversations.twilio.com/v1/Nothing"
	assert.Equal(t, SeverityError, p.Unmatched(ex, p.Check(ex)).Severity)
}

// TestSpecPositionsAreLookedUpOnce shows that the contract position of a
// pointer is found once per plan: the findings of later checks read it back
// without walking the document again.
func TestSpecPositionsAreLookedUpOnce(t *testing.T) {
	p := embeddedPlan(t)
	op := p.opByID(webhookOperationID)
	ptr := op.Body.Media[0].Form.List[0].Ptr
	first := p.doc.Pos(ptr)
	assert.NotZero(t, first.Line)
	assert.Equal(t, p.doc.Line(ptr), first.Line)
	assert.Zero(t, testing.AllocsPerRun(100, func() { p.doc.Pos(ptr) }))
}
