package baseline_test

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/baseline"
	"github.com/contractcheck/contractcheck/validate/fingerprint"
	"github.com/contractcheck/contractcheck/validate/report"
)

// Record today's findings, then accept them in a later run.
func Example() {
	ex := &validate.Exchange{Source: "traffic.har", Request: validate.Request{
		Method: http.MethodPost,
		URL:    "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks",
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:   []byte("Target=studio&Configuration.FlowSid=FW1"),
	}}
	f := validate.Finding{Rule: validate.RuleSIDFormat, Severity: validate.SeverityError, Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.FlowSid"}, Message: "not a flow SID"}
	p := report.NewPair(ex, validate.Result{Operation: "CreateConversationScopedWebhook", Findings: []validate.Finding{f}}, validate.SeverityError)
	p.Shape = fingerprint.Shape(ex)

	rec := baseline.NewRecorder()
	rec.Add(p)
	var file bytes.Buffer
	if _, err := rec.WriteTo(&file); err != nil {
		fmt.Println(err)
		return
	}

	b, err := baseline.Parse("baseline.json", file.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	kept, suppressed := b.Filter(p.Findings, p.Operation, p.Shape)
	fmt.Println(len(kept), "new,", len(suppressed), "accepted,", len(b.Stale()), "stale")
	// Output:
	// 0 new, 1 accepted, 0 stale
}
