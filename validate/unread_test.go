package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCheckUnread checks that an exchange whose bodies could not be read is
// checked on everything else (headers, CORS, media types, status), and on
// nothing that needs the bodies.
func TestCheckUnread(t *testing.T) {
	p := embeddedPlan(t)
	rules := func(res Result) []string {
		var ids []string
		for _, f := range res.Findings {
			ids = append(ids, f.Rule)
		}
		return ids
	}
	tests := []struct {
		name   string
		edit   func(*Exchange)
		unread Bodies
		want   []string
	}{
		{name: "clean headers, the response body unread", unread: ResponseBody,
			edit: func(ex *Exchange) { ex.Response.Body = nil }},
		{name: "CORS of an unread response", unread: ResponseBody,
			edit: func(ex *Exchange) {
				ex.Response.Body = nil
				ex.Response.Header.Set("Access-Control-Allow-Origin", "*")
				ex.Response.Header.Set("Access-Control-Allow-Credentials", "true")
			},
			want: []string{RuleCORSCredentials}},
		{name: "the media type of an unread response", unread: ResponseBody,
			edit: func(ex *Exchange) {
				ex.Response.Body = []byte("not read: no finding")
				ex.Response.Header.Set("Content-Type", "text/html")
			},
			want: []string{RuleResponseType}},
		{name: "the status of an unread response", unread: ResponseBody,
			edit: func(ex *Exchange) { ex.Response.Status, ex.Response.Body = 418, nil },
			want: []string{RuleResponseStatus}},
		{name: "an unread request body is not missing its fields", unread: RequestBody,
			edit: func(ex *Exchange) { ex.Request.Body = nil }},
		{name: "the Content-Type of an unread request", unread: RequestBody,
			edit: func(ex *Exchange) {
				ex.Request.Body = nil
				ex.Request.Header.Set("Content-Type", "application/json")
			},
			want: []string{RuleRequestContentType}},
		{name: "both unread, no response", unread: RequestBody | ResponseBody,
			edit: func(ex *Exchange) { ex.Request.Body, ex.Response = nil, Response{} }},
		{name: "nothing unread is Check", unread: 0,
			edit: func(ex *Exchange) { ex.Response.Body = nil },
			want: []string{RuleResponseJSON}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := docsExchange()
			tt.edit(ex)
			res := p.CheckUnread(ex, tt.unread)
			assert.Equal(t, "CreateConversationScopedWebhook", res.Operation)
			assert.Equal(t, tt.want, rules(res))
		})
	}
}
