package check

import (
	"testing"

	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/stretchr/testify/assert"
)

// countingRules counts the calls of an operation's own rules.
type countingRules struct{ path, words, pair int }

func (r *countingRules) checkPath(*checker)  { r.path++ }
func (r *countingRules) checkWords(*checker) { r.words++ }
func (r *countingRules) checkPair(*checker)  { r.pair++ }

// TestOwnRulesRegistered: an operation's own rules are found by its
// operationId at load, and the checker calls them through the registry
// alone, in both of its modes.
func TestOwnRulesRegistered(t *testing.T) {
	p := embeddedPlan(t)
	assert.Equal(t, webhookOperationID, p.Main.ID, "the operation with rules of its own is the plan's main")
	_, isWebhook := p.own[p.Main.Index].(*webhookPlan)
	assert.True(t, isWebhook, "the webhook operation's rules are attached at load")

	saved := ownRulesByOperation[webhookOperationID]
	t.Cleanup(func() { ownRulesByOperation[webhookOperationID] = saved })
	rules := &countingRules{}
	ownRulesByOperation[webhookOperationID] = func(*contract.Document, *compiled.Operation) ownRules { return rules }
	p = embeddedPlan(t)
	assert.Empty(t, p.Check(*docsExchange(), true).Findings)
	assert.Equal(t, countingRules{path: 1, words: 1, pair: 1}, *rules, "the gate calls each once on a clean pair")

	ex := docsExchange()
	ex.Status = 500
	p.Check(*ex, true)
	assert.Equal(t, 3, rules.path, "the gate, then the full run")

	assert.Panics(t, func() { registerOwnRules(webhookOperationID, nil) }, "an operation's rules are registered once")
}
