package report

import (
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/fingerprint"
)

// Synthetic data shared by the tests of this package.
const (
	testContract = "contracts/conversations_scoped_webhook.yaml"
	testConv     = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testAccount  = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testSecret   = "secrettoken"
	testOp       = "CreateConversationScopedWebhook"
)

// testBasicAuth is the Authorization value of the account and its secret.
var testBasicAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte(testAccount+":"+testSecret))

// exchange returns a synthetic exchange of the operation.
func exchange(entry int, url string, status int) *validate.Exchange {
	return &validate.Exchange{
		Source: "traffic.har",
		Entry:  entry,
		Request: validate.Request{
			Method: http.MethodPost,
			URL:    url,
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:   []byte("Target=webhook&Configuration.Ur=https://example.com"),
		},
		Response: validate.Response{Status: status, Header: http.Header{"Content-Type": {"application/json"}}},
	}
}

var (
	findingUnknownKey = validate.Finding{
		Rule:     validate.RuleFormUnknownKey,
		Severity: validate.SeverityError,
		Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.Ur"},
		Message:  "Configuration.Ur is not a field of the request body.",
		Want:     "a documented field",
		Got:      "Configuration.Ur",
		Hint:     "did you mean Configuration.Url?",
		Spec:     validate.SpecPos{File: testContract, Line: 41},
	}
	findingTargetFit = validate.Finding{
		Rule:     validate.RuleConfigTarget,
		Severity: validate.SeverityWarning,
		Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.Url"},
		Message:  "a webhook target without Configuration.Url never fires.",
		Hint:     "set Configuration.Url",
		Spec:     validate.SpecPos{File: testContract, Line: 41},
	}
	findingStatus = validate.Finding{
		Rule:     validate.RuleResponseStatus,
		Severity: validate.SeverityError,
		Location: validate.Location{Part: validate.PartResponseStatus},
		Message:  "the status is not one the operation documents.",
		Want:     "201",
		Got:      "500\x1b[2J", // a terminal escape from the recording must not reach the screen
		Spec:     validate.SpecPos{File: testContract, Line: 88},
	}
	findingRefused = validate.Finding{
		Rule:     validate.RuleResponseRefused,
		Severity: validate.SeverityInfo,
		Location: validate.Location{Part: validate.PartResponseStatus},
		Message:  "the server rightly refused the request, which breaks form.unknown-key at request.body#/Configuration.Ur",
		Want:     "a 4xx for a request that breaks the contract (201 for one that keeps it)",
		Got:      "400 Bad Request",
		Spec:     validate.SpecPos{File: testContract, Line: 88},
	}
)

// testPairs returns synthetic pairs of every verdict, one of them with
// secrets in its URL and its Authorization header.
func testPairs() []Pair {
	webhooks := "https://conversations.twilio.com/v1/Conversations/" + testConv + "/Webhooks"

	pass := exchange(0, webhooks, 201)
	pass.Line = 0

	fail := exchange(1, webhooks, 201)

	secret := exchange(2, "https://"+testAccount+":"+testSecret+"@conversations.twilio.com/v1/Conversations/"+testConv+"/Webhooks?Token=abc123def&x=1", 500)
	secret.Request.Header.Set("Authorization", testBasicAuth)

	skip := exchange(3, "https://conversations.twilio.com/v1/Services?PageSize=5", 200)
	skip.Request.Method = http.MethodGet

	warn := exchange(4, webhooks, 201)

	refused := exchange(5, webhooks, 400)

	pairs := []Pair{
		NewPair(pass, validate.Result{Operation: testOp}, validate.SeverityError),
		NewPair(fail, validate.Result{Operation: testOp, Findings: []validate.Finding{findingUnknownKey, findingTargetFit}}, validate.SeverityError),
		NewPair(secret, validate.Result{Operation: testOp, Findings: []validate.Finding{findingStatus}}, validate.SeverityError),
		NewPair(skip, validate.Result{Skip: "no operation matches GET /v1/Services"}, validate.SeverityError),
		NewPair(warn, validate.Result{Operation: testOp, Findings: []validate.Finding{findingTargetFit}}, validate.SeverityError),
		NewPair(refused, validate.Result{Operation: testOp, Findings: []validate.Finding{findingUnknownKey, findingRefused}}, validate.SeverityError),
		NewInputError("traffic.ndjson", 5, 6, "request.url", errors.New("missing")),
		NewInputError("missing.har", -1, 0, "", errors.New("open missing.har: no such file or directory")),
	}
	// The CLI gives pairs with findings their shape, for fingerprints.
	for i, ex := range []*validate.Exchange{fail, secret, warn, refused} {
		pairs[[]int{1, 2, 4, 5}[i]].Shape = fingerprint.Shape(ex)
	}
	return pairs
}
