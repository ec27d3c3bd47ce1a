package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUnmatchedSeverity shows that the finding of an unmatched exchange
// takes its severity from the catalogue.
func TestUnmatchedSeverity(t *testing.T) {
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
	first := p.chk.Doc.Pos(ptr)
	assert.NotZero(t, first.Line)
	assert.Equal(t, p.chk.Doc.Line(ptr), first.Line)
	assert.Zero(t, testing.AllocsPerRun(100, func() { p.chk.Doc.Pos(ptr) }))
}
