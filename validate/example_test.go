package validate_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/contractcheck/contractcheck/validate"
)

// A request that sends the studio flow's SID with a typo, and a response whose
// CORS headers allow any origin with credentials.
func Example() {
	plan, err := validate.Embedded()
	if err != nil {
		panic(err)
	}
	ex := &validate.Exchange{
		Request: validate.Request{
			Method: "POST",
			URL:    "https://conversations.twilio.com/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks",
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:   []byte("Target=studio&Configuration.FlowSid=FW0123456789abcdef0123456789abcde"),
		},
		Response: validate.Response{
			Status: 201,
			Header: http.Header{
				"Content-Type":                     {"application/json"},
				"Access-Control-Allow-Origin":      {"*"},
				"Access-Control-Allow-Credentials": {"true"},
			},
			// Every property the contract lists is there; null counts.
			Body: []byte(`{"sid": "WH0123456789abcdef0123456789abcdef", "account_sid": null, "conversation_sid": "CH0123456789abcdef0123456789abcdef",
				"target": "studio", "configuration": {}, "date_created": null, "date_updated": null,
				"url": "https://conversations.twilio.com/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks/WH0123456789abcdef0123456789abcdef"}`),
		},
	}
	res := plan.Check(ex)
	fmt.Println(res.Operation)
	for _, f := range res.Findings {
		fmt.Printf("%s %s %s\n  want %s\n  got  %s\n", f.Severity, f.Rule, f.Location, f.Want, f.Got)
		if f.Hint != "" {
			fmt.Println("  hint", f.Hint)
		}
		fmt.Println("  from", strings.TrimPrefix(f.Spec.String(), "contracts/"))
	}
	// Output:
	// CreateConversationScopedWebhook
	// error sid.format request.body#/Configuration.FlowSid
	//   want FW followed by 32 hex digits, 34 characters (^FW[0-9a-fA-F]{32}$)
	//   got  "FW0123456789abcdef0123456789abcde" (33 characters)
	//   hint a SID has exactly 34 characters; this has 33 (copied in full?)
	//   from conversations_scoped_webhook.yaml:68
	// error cors.credentials-wildcard response.header/Access-Control-Allow-Origin
	//   want the request's origin, when credentials are allowed
	//   got  "*" with Access-Control-Allow-Credentials: true
	//   hint echo the request's Origin (and add Vary: Origin), or drop Access-Control-Allow-Credentials
	//   from conversations_scoped_webhook.yaml:104
}

// Checking an exchange built from net/http values, as a test or a proxy has
// them.
func ExampleNewExchange() {
	plan, err := validate.Embedded()
	if err != nil {
		panic(err)
	}
	req, _ := http.NewRequest("POST", "https://conversations.twilio.com/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks",
		strings.NewReader("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhooks"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := &http.Response{
		StatusCode: 201,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       http.NoBody,
	}
	ex, err := validate.NewExchange(req, resp)
	if err != nil {
		panic(err)
	}
	for _, f := range plan.Check(ex).Findings {
		fmt.Println(f.Rule, f.Location)
	}
	// Output:
	// response.json response.body
}

// An exchange with a host the contract does not serve is skipped;
// WithServers adds the host, as contractcheck check --server does.
func ExamplePlan_WithServers() {
	plan, err := validate.Embedded()
	if err != nil {
		panic(err)
	}
	const path = "/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks"
	_, reason := plan.Match("POST", "https://staging.example.com"+path)
	fmt.Println(reason)

	staging, err := plan.WithServers("https://staging.example.com")
	if err != nil {
		panic(err)
	}
	op, _ := staging.Match("POST", "https://staging.example.com"+path)
	fmt.Println(op)
	op, _ = staging.Match("POST", "http://127.0.0.1:4010"+path) // loopback, always
	fmt.Println(op)
	// Output:
	// the host staging.example.com is not a server of the contract (https://conversations.twilio.com) or loopback
	// CreateConversationScopedWebhook
	// CreateConversationScopedWebhook
}
