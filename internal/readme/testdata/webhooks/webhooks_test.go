package webhooks

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/twilio/twilio-go/client"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/contractcheck/contractcheck/validate/contracttest"
)

const conversation = "CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b"

func TestCreateStudioWebhook(t *testing.T) {
	srv := contracttest.NewServer(t)                       // fakes the operation, checking every request
	httpClient := &http.Client{Transport: srv.Transport()} // sends any host to the fake
	form := url.Values{"Target": {"studio"}, "Configuration.FlowSid": {"FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a"}}
	resp, err := httpClient.PostForm("https://conversations.twilio.com/v1/Conversations/"+conversation+"/Webhooks", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || srv.Calls()[0].Form().Get("Target") != "studio" {
		t.Fatalf("creating the webhook: %s", resp.Status)
	}
}

func TestTwilioGo(t *testing.T) {
	const account, token = "AC6e2b9d4f1a7c3e5b8d0f2a4c6e8b1d3f", "4b9f1c7e2a8d6035e1f7c9a2b4d6e8f0"
	srv := contracttest.NewServer(t, contracttest.Credentials(account, token), contracttest.ExpectViolation("value.enum"))
	base := &client.Client{Credentials: client.NewCredentials(account, token), HTTPClient: &http.Client{Transport: srv.Transport()}}
	base.SetAccountSid(account)
	svc := conversations.NewApiService(client.NewRequestHandler(base)) // or twilio.NewRestClientWithParams(…).ConversationsV1
	params := (&conversations.CreateConversationScopedWebhookParams{}).SetTarget("webhook").SetConfigurationUrl("https://hooks.example.com/events")
	if _, err := svc.CreateConversationScopedWebhook(conversation, params); err != nil {
		t.Fatal(err)
	}
	// Target is case-sensitive: the fake answers Twilio's 400 (code 20001), as the test expects.
	_, err := svc.CreateConversationScopedWebhook(conversation, params.SetTarget("Webhook"))
	if twErr := (*client.TwilioRestError)(nil); !errors.As(err, &twErr) || twErr.Code != 20001 {
		t.Errorf("want Twilio's error 20001, got %v", err)
	}
}
