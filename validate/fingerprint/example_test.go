package fingerprint_test

import (
	"fmt"
	"net/http"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/fingerprint"
)

// The shape of a request leaves out its SIDs, host and values; the
// fingerprint of a finding hashes it with the rule, location and operation.
func Example() {
	ex := &validate.Exchange{Request: validate.Request{
		Method: http.MethodPost,
		URL:    "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks",
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:   []byte("Target=studio&Configuration.FlowSid=FW1"),
	}}
	shape := fingerprint.Shape(ex)
	fmt.Println(shape)
	f := validate.Finding{Rule: validate.RuleSIDFormat, Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.FlowSid"}}
	fmt.Println(len(fingerprint.Of(f, "CreateConversationScopedWebhook", shape)))
	// Output:
	// POST /v1/Conversations/{sid}/Webhooks Configuration.FlowSid,Target
	// 16
}
