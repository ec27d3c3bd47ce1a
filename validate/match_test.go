package validate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

func TestMatch(t *testing.T) {
	plan, err := validate.Embedded()
	require.NoError(t, err)
	const path = "/v1/Conversations/CH4955f63b9fdc72ff492dccd43a5a9754/Webhooks"
	tests := []struct {
		name, method, target, want string
	}{
		{"absolute URL", "POST", "https://conversations.twilio.com" + path, "CreateConversationScopedWebhook"},
		{"path only", "POST", path, "CreateConversationScopedWebhook"},
		{"method in lower case", "post", path, "CreateConversationScopedWebhook"},
		{"with a query", "POST", path + "?PageSize=2", "CreateConversationScopedWebhook"},
		{"unique name for the conversation", "POST", "/v1/Conversations/my-room/Webhooks", "CreateConversationScopedWebhook"},
		{"other method", "GET", path, ""},
		{"preflight", "OPTIONS", path, ""},
		{"other path", "POST", "/v1/Conversations/CH4955f63b9fdc72ff492dccd43a5a9754/Messages", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, reason := plan.Match(tt.method, tt.target)
			assert.Equal(t, tt.want, op)
			// Match names the operation exactly as Check does, and gives the
			// same reason for a skip.
			res := plan.Check(&validate.Exchange{Request: validate.Request{Method: tt.method, URL: tt.target}})
			assert.Equal(t, res.Operation, op)
			assert.Equal(t, res.Skip, reason)
			if op == "" {
				assert.NotEmpty(t, reason, "a skip says why")
			}
		})
	}
}
