package report_test

import (
	"net/http"
	"os"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/report"
)

// A text report of one synthetic exchange whose form body misspells a field,
// sent with the auth token in the URL: the report never shows the token (its
// replay takes the credentials from the environment), and ends with the
// summary line.
func Example() {
	ex := &validate.Exchange{
		Source: "traffic.har",
		Entry:  12,
		Request: validate.Request{
			Method: http.MethodPost,
			URL:    "https://ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:secrettoken@conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks",
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:   []byte("Target=webhook&Configuration.Ur=https://example.com"),
		},
		Response: validate.Response{Status: 201},
	}
	res := validate.Result{
		Operation: "CreateConversationScopedWebhook",
		Findings: []validate.Finding{{
			Rule:     validate.RuleFormUnknownKey,
			Severity: validate.SeverityError,
			Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.Ur"},
			Message:  "Configuration.Ur is not a field of the request body.",
			Got:      "Configuration.Ur",
			Hint:     "did you mean Configuration.Url?",
			Spec:     validate.SpecPos{File: "contracts/conversations_scoped_webhook.yaml", Line: 41},
		}},
	}

	pair := report.NewPair(ex, res, validate.SeverityError)
	w := report.NewText(os.Stdout, report.Options{})
	var summary report.Summary
	summary.Add(pair)
	if err := w.WritePair(pair); err != nil {
		panic(err)
	}
	if err := w.Finish(summary); err != nil {
		panic(err)
	}
	// Output:
	// traffic.har#12 POST /v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks -> 201
	//   error form.unknown-key request.body#/Configuration.Ur
	//     Configuration.Ur is not a field of the request body.
	//     got:  Configuration.Ur
	//     hint: did you mean Configuration.Url?
	//     contract: contracts/conversations_scoped_webhook.yaml:41
	//   replay:
	//     curl https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks \
	//       -X POST \
	//       -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" \
	//       -H 'Content-Type: application/x-www-form-urlencoded' \
	//       --data-raw 'Target=webhook&Configuration.Ur=https://example.com'
	//
	// 1 pair: 0 passed, 1 failed, 0 skipped, 0 input errors; 1 error, 0 warnings
}
