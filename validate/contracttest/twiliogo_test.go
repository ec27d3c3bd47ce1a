package contracttest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	twclient "github.com/twilio/twilio-go/client"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// newSDK returns Twilio's own Go SDK, authenticated as the test account,
// sending its requests through rt (which must not let them leave the
// machine).
func newSDK(rt http.RoundTripper) *conversations.ApiService {
	base := &twclient.Client{
		Credentials: twclient.NewCredentials(account, authToken),
		HTTPClient:  &http.Client{Transport: rt, Timeout: 10 * time.Second},
	}
	base.SetAccountSid(account)
	// The Conversations service alone, as twilio.NewRestClientWithParams
	// makes it: the root package would compile every Twilio API's client.
	handler := twclient.NewRequestHandler(base)
	handler.Edge, handler.Region = "", "" // TWILIO_EDGE and TWILIO_REGION would change the host
	return conversations.NewApiService(handler)
}

// sdkCalls are one call of the SDK per Target.
var sdkCalls = []struct {
	target, conversation string
	params               *conversations.CreateConversationScopedWebhookParams
}{
	{"webhook", "CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b", new(conversations.CreateConversationScopedWebhookParams).
		SetTarget("webhook").
		SetConfigurationUrl("https://hooks.example.com/twilio/conversations?tenant=acme&env=prod").
		SetConfigurationMethod("post").
		SetConfigurationFilters([]string{"onMessageAdded", "onConversationRemoved"}).
		SetConfigurationReplayAfter(3)},
	{"trigger", "CH7f1d3b5a9c2e4f6a8b0d2c4e6f8a1b3d", new(conversations.CreateConversationScopedWebhookParams).
		SetTarget("trigger").
		SetConfigurationUrl("https://bots.example.com/keywords").
		SetConfigurationMethod("get").
		SetConfigurationFilters([]string{"onMessageAdded"}).
		SetConfigurationTriggers([]string{"order status", "help"})},
	{"studio", "CHc4e6a8b0d2f4a6c8e1b3d5f7a9c2e4b6", new(conversations.CreateConversationScopedWebhookParams).
		SetTarget("studio").
		SetConfigurationFlowSid("FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a").
		SetConfigurationReplayAfter(0)},
}

// TestTwilioGo: Twilio's SDK creates a webhook of every Target against the
// fake, with the client side checked too; every exchange keeps the contract,
// the SDK reads the answers, and the server recorded what was sent.
func TestTwilioGo(t *testing.T) {
	srv := contracttest.NewServer(t, contracttest.Credentials(account, authToken),
		contracttest.Clock(fixedClock), contracttest.SIDSource(fixedSIDs()),
		contracttest.FailOn(validate.SeverityWarning))
	rc := newSDK(contracttest.Transport(t, srv.Transport(), contracttest.FailOn(validate.SeverityWarning)))
	for _, c := range sdkCalls {
		hook, err := rc.CreateConversationScopedWebhook(c.conversation, c.params)
		require.NoError(t, err, "creating a %s webhook", c.target)
		assert.Equal(t, c.target, *hook.Target)
		assert.Equal(t, c.conversation, *hook.ConversationSid)
		assert.Equal(t, account, *hook.AccountSid)
		assert.Regexp(t, `^WH[0-9a-f]{32}$`, *hook.Sid)
		assert.Equal(t, webhooksURL(c.conversation)+"/"+*hook.Sid, *hook.Url)
		assert.Equal(t, fixedClock(), *hook.DateCreated)
	}
	calls := srv.Calls()
	require.Len(t, calls, len(sdkCalls))
	assert.Equal(t, []string{"onMessageAdded", "onConversationRemoved"}, calls[0].Form()["Configuration.Filters"])
	assert.Equal(t, []string{"order status", "help"}, calls[1].Form()["Configuration.Triggers"])
	assert.Equal(t, "FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a", calls[2].Form().Get("Configuration.FlowSid"))
	for _, c := range calls {
		assert.Empty(t, embedded(t).Check(c.Exchange).Findings)
	}
}

// TestTwilioGoLetsThrough: requests the SDK sends without a complaint but
// the contract forbids get Twilio's 400 from the fake, and fail the test
// once, with a message naming the field: from the server alone, or from
// the Transport in front of it (and then not from the server too).
func TestTwilioGoLetsThrough(t *testing.T) {
	tests := []struct {
		name   string
		params *conversations.CreateConversationScopedWebhookParams
		rule   string
		want   []string // in the failure message
	}{
		{"a Studio execution SID as FlowSid", new(conversations.CreateConversationScopedWebhookParams).
			SetTarget("studio").SetConfigurationFlowSid("FN1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a"),
			validate.RuleSIDFormat, []string{"error sid.format request.body#/Configuration.FlowSid", "Configuration.FlowSid is not an FW SID", `got:  "FN1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a"`}},
		{"a FlowSid one digit short", new(conversations.CreateConversationScopedWebhookParams).
			SetTarget("studio").SetConfigurationFlowSid("FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1"),
			validate.RuleSIDFormat, []string{"error sid.format request.body#/Configuration.FlowSid", "(33 characters)"}},
		{"an unknown Target", new(conversations.CreateConversationScopedWebhookParams).
			SetTarget("sms").SetConfigurationUrl("https://hooks.example.com/sms"),
			validate.RuleEnum, []string{"error value.enum request.body#/Target", `got:  "sms"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, side := range []string{"server", "client"} {
				var sdkErr error
				rt := runT(func(rt *recT) {
					var rc *conversations.ApiService
					if side == "server" {
						rc = newSDK(contracttest.NewServer(rt).Transport())
					} else {
						rc = newSDK(contracttest.Transport(rt, contracttest.NewServer(rt).Transport()))
					}
					_, sdkErr = rc.CreateConversationScopedWebhook(conv, tt.params)
				})
				defer logFailure(t, rt)
				var twErr *twclient.TwilioRestError
				require.ErrorAs(t, sdkErr, &twErr, "the fake refuses it, as Twilio does")
				assert.Equal(t, http.StatusBadRequest, twErr.Status)
				assert.Equal(t, 20001, twErr.Code)
				require.True(t, rt.Failed(), "the %s side lets the exchange pass", side)
				assert.Len(t, rt.errors, 1, "one report of the broken exchange")
				wantSource := map[string]string{"server": "contracttest.Server#0", "client": "contracttest.Transport#0"}[side]
				assert.Contains(t, rt.Errors(), wantSource)
				if side == "client" { // the server checks the request alone
					assert.Contains(t, rt.Errors(), "info response.refused response.status", "the 400 is the right answer, noted")
				}
				assert.NotContains(t, rt.Errors(), "error response.status")
				for _, w := range tt.want {
					assert.Contains(t, rt.Errors(), w, "%s side", side)
				}
				assert.NotContains(t, rt.Errors(), authToken)
			}
		})
	}
}
