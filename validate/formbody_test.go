package validate_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

func TestFormBody(t *testing.T) {
	plan, err := validate.Embedded()
	require.NoError(t, err)
	fb, ok := plan.FormBody("CreateConversationScopedWebhook")
	require.True(t, ok)
	assert.Equal(t, "POST", fb.Method)
	assert.Equal(t, "/v1/Conversations/{ConversationSid}/Webhooks", fb.Path)
	assert.Equal(t, []string{"ConversationSid"}, fb.PathParams)
	var names []string
	for _, f := range fb.Fields {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"Configuration.Filters", "Configuration.FlowSid", "Configuration.Method",
		"Configuration.ReplayAfter", "Configuration.Triggers", "Configuration.Url", "Target"}, names)

	tests := []struct {
		name string
		want validate.FormField
	}{
		{"Target", validate.FormField{Name: "Target", Type: "string", Required: true, Enum: []string{"webhook", "trigger", "studio"}, MinLength: -1, MaxLength: -1}},
		{"Configuration.Method", validate.FormField{Name: "Configuration.Method", Type: "string", Enum: []string{"get", "post"}, MinLength: -1, MaxLength: -1}},
		{"Configuration.FlowSid", validate.FormField{Name: "Configuration.FlowSid", Type: "string", Pattern: "^FW[0-9a-fA-F]{32}$", MinLength: 34, MaxLength: 34}},
		{"Configuration.Filters", validate.FormField{Name: "Configuration.Filters", Type: "array", Items: "string", MinLength: -1, MaxLength: -1}},
		{"Configuration.ReplayAfter", validate.FormField{Name: "Configuration.ReplayAfter", Type: "integer", MinLength: -1, MaxLength: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := fb.Field(tt.name)
			require.True(t, ok)
			assert.NotZero(t, got.Spec.Line, "the field's contract line")
			got.Spec = validate.SpecPos{}
			assert.Equal(t, tt.want, got)
		})
	}
	_, ok = fb.Field("Configuration.Nope")
	assert.False(t, ok)

	require.Len(t, fb.Examples, 1)
	assert.Equal(t, "create", fb.Examples[0].Name)
	assert.Equal(t, url.Values{
		"Target": {"webhook"}, "Configuration.Url": {"https://example.com"}, "Configuration.Method": {"get"},
		"Configuration.Filters": {"onMessageSent", "onConversationDestroyed"}, "Configuration.ReplayAfter": {"7"},
	}, fb.Examples[0].Values)

	_, ok = plan.FormBody("NoSuchOperation")
	assert.False(t, ok)
}
