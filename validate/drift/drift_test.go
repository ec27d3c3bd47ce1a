package drift_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/drift"
	"github.com/contractcheck/contractcheck/validate/recording"
	"github.com/contractcheck/contractcheck/validate/report"
)

// v2 is the built-in contract with studio removed from Target's enum and
// Configuration.Url required.
var v2 = filepath.Join("..", "..", "testdata", "contracts", "webhook_v2.yaml")

// twilioSpec is Twilio's full Conversations v1 spec, the bench module's test
// data (in the repository, not in the main module's zip).
var twilioSpec = filepath.Join("..", "..", "bench", "testdata", "twilio_conversations_v1.json")

func load(t *testing.T, file string) (*validate.Plan, []byte) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	plan, err := validate.Load(file, data)
	require.NoError(t, err)
	return plan, data
}

func embedded(t *testing.T) (*validate.Plan, []byte) {
	t.Helper()
	plan, err := validate.Embedded()
	require.NoError(t, err)
	return plan, contracts.ScopedWebhook
}

// diff adds every exchange of the recordings to d.
func diff(t *testing.T, d *drift.Differ, names ...string) {
	t.Helper()
	for _, name := range names {
		f, err := os.Open(filepath.Join("..", "..", "testdata", "recordings", name))
		require.NoError(t, err)
		for ex, err := range recording.Read(name, f) {
			require.NoError(t, err)
			d.Add(ex)
		}
		f.Close()
	}
}

// TestDiffV2: the pairs that send Target=studio without Configuration.Url
// pass under the built-in contract and fail under v2, with a value.enum and
// a value.required finding each; the other way round they turn to pass.
func TestDiffV2(t *testing.T) {
	base, bdoc := embedded(t)
	head, hdoc := load(t, v2)
	d := drift.New(base, head)
	diff(t, d, "traffic.har", "valid.har")
	rep := d.Report()
	assert.Equal(t, drift.Counts{Pairs: 22, Unchanged: 18, PassToFail: 3, Other: 1}, rep.Counts)
	assert.True(t, rep.Breaks())
	var broken []string
	for _, p := range rep.Pairs {
		if p.Breaks() {
			broken = append(broken, p.Ref)
			require.Len(t, p.Appeared, 2, p.Ref)
			assert.Equal(t, validate.RuleRequired, p.Appeared[0].Rule)
			assert.Equal(t, "request.body#/Configuration.Url", p.Appeared[0].Location.String())
			assert.Equal(t, validate.RuleEnum, p.Appeared[1].Rule)
			assert.Empty(t, p.Disappeared)
		}
	}
	assert.Equal(t, []string{"traffic.har#3", "valid.har#2", "valid.har#8"}, broken)
	assert.Equal(t, []drift.RuleChange{
		{Rule: validate.RuleEnum, Appeared: 4, Pairs: 4},
		{Rule: validate.RuleRequired, Appeared: 4, Pairs: 4},
	}, rep.Rules)
	assert.Equal(t, []string{"CreateConversationScopedWebhook"}, rep.Operations)

	static, err := drift.Static(base.File(), bdoc, head.File(), hdoc, rep.Operations)
	require.NoError(t, err)
	require.Len(t, static, 2)
	assert.Equal(t, drift.StaticChange{
		Operations: []string{"CreateConversationScopedWebhook"}, Where: "POST /v1/Conversations/{ConversationSid}/Webhooks",
		Property: "required", Change: "added", Head: "Configuration.Url", Breaking: true,
		Position: validate.SpecPos{File: v2, Line: 49},
	}, static[0])
	assert.Equal(t, drift.StaticChange{
		Operations: []string{"CreateConversationScopedWebhook"}, Where: "components.schemas.conversation_scoped_webhook_enum_target",
		Property: "enum", Change: "removed", Base: "studio", Breaking: true,
		Position: validate.SpecPos{File: contracts.ScopedWebhookFile, Line: 145},
	}, static[1])
	none, err := drift.Static(base.File(), bdoc, head.File(), hdoc, []string{"NoSuchOperation"})
	require.NoError(t, err)
	assert.Empty(t, none, "changes of operations the traffic did not use are left out")

	back := drift.New(head, base)
	diff(t, back, "traffic.har", "valid.har")
	rep = back.Report()
	assert.Equal(t, drift.Counts{Pairs: 22, Unchanged: 18, FailToPass: 3, Other: 1}, rep.Counts)
	assert.False(t, rep.Breaks())
}

// TestDiffSame: a contract compared with itself changes nothing.
func TestDiffSame(t *testing.T) {
	base, bdoc := embedded(t)
	d := drift.New(base, base)
	diff(t, d, "traffic.har", "violations.har")
	rep := d.Report()
	assert.Equal(t, rep.Counts.Pairs, rep.Counts.Unchanged)
	assert.Empty(t, rep.Pairs)
	assert.Empty(t, rep.Rules)
	static, err := drift.Static(base.File(), bdoc, base.File(), bdoc, rep.Operations)
	require.NoError(t, err)
	assert.Empty(t, static)
}

// TestDiffTwilio: under Twilio's full spec the pairs of other operations,
// skipped by the built-in contract, are checked; the static changes concern
// only the operations the traffic used.
func TestDiffTwilio(t *testing.T) {
	if _, err := os.Stat(twilioSpec); err != nil {
		t.Skipf("needs %s (a clone of the repository)", twilioSpec)
	}
	base, bdoc := embedded(t)
	head, hdoc := load(t, twilioSpec)
	d := drift.New(base, head)
	diff(t, d, "traffic.har", "valid.har", "violations.har")
	rep := d.Report()
	assert.Equal(t, 0, rep.Counts.PassToFail)
	assert.Equal(t, 4, rep.Counts.Other)
	for _, p := range rep.Pairs {
		assert.Equal(t, report.VerdictSkip, p.Base, p.Ref)
		assert.NotEqual(t, report.VerdictSkip, p.Head, p.Ref)
	}
	static, err := drift.Static(base.File(), bdoc, head.File(), hdoc, []string{"CreateConversationScopedWebhook"})
	require.NoError(t, err)
	require.NotEmpty(t, static)
	for _, s := range static {
		assert.Equal(t, []string{"CreateConversationScopedWebhook"}, s.Operations)
		assert.Contains(t, []string{"POST /v1/Conversations/{ConversationSid}/Webhooks", "/v1/Conversations/{ConversationSid}/Webhooks",
			"components.schemas.conversations.v1.conversation.conversation_scoped_webhook"}, s.Where)
	}
}

// TestDiffMaxPairs: past MaxPairs changed pairs, the others are counted.
func TestDiffMaxPairs(t *testing.T) {
	base, _ := embedded(t)
	head, _ := load(t, v2)
	d := drift.New(base, head)
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "traffic.har"))
	require.NoError(t, err)
	var studio *validate.Exchange
	for ex, err := range recording.Read("traffic.har", bytesReader(data)) {
		require.NoError(t, err)
		if ex.Entry == 3 {
			studio = ex
		}
	}
	require.NotNil(t, studio)
	for range drift.MaxPairs + 5 {
		d.Add(studio)
	}
	rep := d.Report()
	assert.Len(t, rep.Pairs, drift.MaxPairs)
	assert.Equal(t, 5, rep.MorePairs)
	assert.Equal(t, drift.MaxPairs+5, rep.Counts.PassToFail)
}
