package check

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"testing"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/finding"
	"github.com/contractcheck/contractcheck/validate/internal/spec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCapPerPair: past MaxFindingsPerPair findings a rule keeps only its
// first finding, so that every rule that fires is shown.
func TestCapPerPair(t *testing.T) {
	c := &checker{ex: &Exchange{}}
	rules := []string{finding.RuleFormUnknownKey, finding.RuleFormSyntax, finding.RuleType, finding.RuleEnum, finding.RuleSIDFormat, finding.RulePattern, finding.RuleLength, finding.RuleFormat}
	for _, rule := range rules {
		for i := range 30 {
			c.add(finding.Finding{Rule: rule, Location: finding.Location{Part: finding.PartRequestBody, Pointer: fmt.Sprint("/", i)}})
		}
	}
	per := map[string]int{}
	for _, f := range c.findings {
		per[f.Rule]++
	}
	assert.Len(t, c.findings, MaxFindingsPerPair+3, "5 rules of 20, then the first finding of the 3 others")
	omitted := 0
	for i, rule := range rules {
		want := MaxFindingsPerRule
		if i >= MaxFindingsPerPair/MaxFindingsPerRule {
			want = 1
		}
		assert.Equal(t, want, per[rule], rule)
		assert.Equal(t, 30-want, c.omitted[rule], rule)
		omitted += c.omitted[rule]
	}
	assert.Equal(t, len(rules)*30, len(c.findings)+omitted)
}

// TestCatalogueFillsSeverity shows that a rule's findings take their
// severity from the catalogue: the call sites name only the rule.
func TestCatalogueFillsSeverity(t *testing.T) {
	c := &checker{ex: docsExchange()}
	rules := finding.Rules()
	for _, r := range rules {
		c.add(finding.Finding{Rule: r.ID, Location: finding.Location{Part: finding.PartRequestBody}})
	}
	c.add(finding.Finding{Rule: finding.RuleConfigTarget, Severity: finding.SeverityError, Location: finding.Location{Part: finding.PartRequestBody}})
	if assert.Len(t, c.findings, len(rules)+1) {
		for i, r := range rules {
			assert.Equal(t, r.Severity, c.findings[i].Severity, r.ID)
		}
		assert.Equal(t, finding.SeverityError, c.findings[len(rules)].Severity, "a severity given is kept")
	}
}

// TestBasicUserTab: the user of Basic credentials is read after a tab too.
func TestBasicUserTab(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("ACxyz:tabbed-token"))
	assert.Equal(t, "ACxyz", basicUser("Basic\t"+basic))
}

// docsExchange is the documentation's own example pair, with Basic auth.
func docsExchange() *Exchange {
	return &Exchange{
		Method: "POST",
		URL:    "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks",
		ReqHeader: http.Header{
			"Content-Type":  {"application/x-www-form-urlencoded"},
			"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:0f1e2d3c4b5a69788796a5b4c3d2e1f0"))},
		},
		ReqBody:    []byte("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=get&Configuration.Filters=onMessageSent&Configuration.Filters=onConversationDestroyed&Configuration.ReplayAfter=7"),
		Status:     201,
		RespHeader: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		RespBody: []byte(`{"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "conversation_sid": "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "sid": "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "target": "webhook",
  "configuration": {"url": "https://example.com", "method": "get", "filters": ["onMessageSent", "onConversationDestroyed"]},
  "date_created": "2016-03-24T21:05:50Z", "date_updated": "2016-03-24T21:05:50Z",
  "url": "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`),
	}
}

// embeddedPlan is the plan of the embedded contract, read as validate's
// Load reads it (without the specification check) and compiled.
func embeddedPlan(t testing.TB) *Plan {
	t.Helper()
	sd, err := spec.Read(contracts.ScopedWebhook)
	require.NoError(t, err)
	tree, err := sd.JSONTree(nil)
	require.NoError(t, err)
	doc := &contract.Document{File: contracts.ScopedWebhookFile, Tree: tree, Root: sd.Root}
	ops, probs, err := compiled.Compile(doc, sd.Format == spec.OpenAPI30, 1)
	require.NoError(t, err)
	require.Empty(t, probs)
	p := New(doc, ops, compiled.NewRouter(ops, compiled.Servers(doc)))
	return &p
}
