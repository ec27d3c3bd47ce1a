package fingerprint

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/contractcheck/contractcheck/validate"
)

func TestPathTemplate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks", "/v1/Conversations/{sid}/Webhooks"},
		{"https://user:pw@other.example:8443/v1/Conversations/CH0123456789ABCDEF0123456789abcdef/Webhooks?x=1#f", "/v1/Conversations/{sid}/Webhooks"},
		{"/v1/Conversations/CHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/Webhooks", "/v1/Conversations/{sid}/Webhooks"},
		{"/v1/Items/12/x/123e4567-e89b-12d3-a456-426614174000", "/v1/Items/{n}/x/{uuid}"},
		{"https://host", "/"},
		{"/v1/Conversations/CHnotasid/Webhooks", "/v1/Conversations/CHnotasid/Webhooks"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, PathTemplate(tt.in), tt.in)
	}
}

func exchange(url, contentType, body string) *validate.Exchange {
	ex := &validate.Exchange{Request: validate.Request{Method: http.MethodPost, URL: url, Header: http.Header{}, Body: []byte(body)}}
	if contentType != "" {
		ex.Request.Header.Set("Content-Type", contentType)
	}
	return ex
}

func TestShape(t *testing.T) {
	const url = "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks"
	tests := []struct {
		name, contentType, body, want string
	}{
		{"form keys sorted and distinct", "application/x-www-form-urlencoded; charset=utf-8", "Target=webhook&Filters=a&Filters=b&Configuration.Url=https%3A%2F%2Fx", "POST /v1/Conversations/{sid}/Webhooks Configuration.Url,Filters,Target"},
		{"escaped key", "application/x-www-form-urlencoded", "Configuration%2EUrl=x", "POST /v1/Conversations/{sid}/Webhooks Configuration.Url"},
		{"json keys", "application/json", `{"Target":"webhook","Configuration.Url":"x"}`, "POST /v1/Conversations/{sid}/Webhooks Configuration.Url,Target"},
		{"json without type has no keys", "", `{"Target":"webhook"}`, "POST /v1/Conversations/{sid}/Webhooks "},
		{"other media type", "text/plain", "secret=1", "POST /v1/Conversations/{sid}/Webhooks "},
		{"no body", "", "", "POST /v1/Conversations/{sid}/Webhooks "},
		{"bad json", "application/json", `{`, "POST /v1/Conversations/{sid}/Webhooks "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Shape(exchange(url, tt.contentType, tt.body)))
		})
	}
}

func TestShapeRedactsSecretKeys(t *testing.T) {
	const token = "0123456789abcdef0123456789abcdef"
	ex := exchange("https://ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:"+token+"@conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks",
		"application/x-www-form-urlencoded", token+"&Target=webhook")
	got := Shape(ex)
	assert.NotContains(t, got, token)
	assert.Contains(t, got, "Target")
}

func TestOfIsStableAcrossRecordings(t *testing.T) {
	f := validate.Finding{Rule: validate.RuleSIDFormat, Severity: validate.SeverityError, Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.FlowSid"}, Message: "FW1 is not a SID"}
	a := exchange("https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks", "application/x-www-form-urlencoded", "Target=studio&Configuration.FlowSid=FW1")
	b := exchange("https://eu1.example/v1/Conversations/CHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/Webhooks", "application/x-www-form-urlencoded", "Configuration.FlowSid=FW2&Target=studio")
	g := f
	g.Message = "FW2 is not a SID"
	fa, fb := Of(f, "op", Shape(a)), Of(g, "op", Shape(b))
	assert.Equal(t, fa, fb, "SIDs, hosts, values and key order must not change the fingerprint")
	assert.Len(t, fa, 16)
	assert.Equal(t, strings.ToLower(fa), fa)

	other := f
	other.Location = validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.Url"}
	assert.NotEqual(t, fa, Of(other, "op", Shape(a)), "the location is part of the fingerprint")
	other = f
	other.Rule = validate.RulePattern
	assert.NotEqual(t, fa, Of(other, "op", Shape(a)), "the rule is part of the fingerprint")
	assert.NotEqual(t, fa, Of(f, "", Shape(a)), "the operation is part of the fingerprint")
	c := exchange(a.Request.URL, "application/x-www-form-urlencoded", "Target=studio&Configuration.FlowSid=FW1&Configuration.Url=x")
	assert.NotEqual(t, fa, Of(f, "op", Shape(c)), "the form keys are part of the fingerprint")
	// Fields cannot run into each other.
	assert.NotEqual(t, Of(validate.Finding{Rule: "ab", Location: validate.Location{Pointer: "c"}}, "", ""), Of(validate.Finding{Rule: "a", Location: validate.Location{Pointer: "bc"}}, "", ""))
}
