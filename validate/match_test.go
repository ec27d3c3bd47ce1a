package validate_test

import (
	"strings"
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
		// Hosts: the contract's server, in any case, with its default port
		// or a trailing dot; loopback; nothing else.
		{"server in upper case", "POST", "https://CONVERSATIONS.Twilio.com" + path, "CreateConversationScopedWebhook"},
		{"server with a port", "POST", "https://conversations.twilio.com:443" + path, "CreateConversationScopedWebhook"},
		{"server with a trailing dot", "POST", "https://conversations.twilio.com." + path, "CreateConversationScopedWebhook"},
		{"server with user information", "POST", "https://ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:secret@conversations.twilio.com" + path, "CreateConversationScopedWebhook"},
		{"127.0.0.1", "POST", "http://127.0.0.1:4010" + path, "CreateConversationScopedWebhook"},
		{"127.0.0.0/8", "POST", "http://127.12.0.9" + path, "CreateConversationScopedWebhook"},
		{"::1", "POST", "http://[::1]:8080" + path, "CreateConversationScopedWebhook"},
		{"localhost", "POST", "http://LocalHost:4010" + path, "CreateConversationScopedWebhook"},
		{"other host", "POST", "https://api.example.com" + path, ""},
		{"a host that starts like the server", "POST", "https://conversations.twilio.com.example.net" + path, ""},
		{"the server as user information", "POST", "https://conversations.twilio.com@api.example.com" + path, ""},
		{"a private address", "POST", "http://10.0.0.7:4010" + path, ""},
		{"a name like localhost", "POST", "http://localhost.example.com" + path, ""},
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

// TestMatchServers routes with servers added by WithServers, with a
// contract's own servers, and with AnyHost; Check always agrees with Match.
func TestMatchServers(t *testing.T) {
	embedded, err := validate.Embedded()
	require.NoError(t, err)
	gateway, err := embedded.WithServers("https://gateway.example.com/twilio/", "http://staging.example.com:8080")
	require.NoError(t, err)
	prefixed, err := validate.Load("prefixed.yaml", []byte(prefixedContract))
	require.NoError(t, err)
	noServers, err := validate.Load("none.yaml", []byte(strings.NewReplacer(prefixServers, "", pathServers, "").Replace(prefixedContract)))
	require.NoError(t, err)
	const path = "/v1/Conversations/CH4955f63b9fdc72ff492dccd43a5a9754/Webhooks"
	tests := []struct {
		name   string
		plan   *validate.Plan
		target string
		want   bool
		reason string // a part of the skip reason
	}{
		{"an added server", gateway, "https://gateway.example.com/twilio" + path, true, ""},
		{"an added server without its prefix", gateway, "https://gateway.example.com" + path, false, "no operation at " + path + " (https://gateway.example.com/twilio/ serves its operations under /twilio)"},
		{"an added server's port", gateway, "http://staging.example.com:8080" + path, true, ""},
		{"another port of an added server", gateway, "http://staging.example.com:9090" + path, false, "the host staging.example.com:9090 is not a server of the contract (https://conversations.twilio.com, https://gateway.example.com/twilio/, http://staging.example.com:8080) or loopback"},
		{"the contract's server still", gateway, "https://conversations.twilio.com" + path, true, ""},
		{"loopback with the prefix", gateway, "http://127.0.0.1:4010/twilio" + path, true, ""},
		{"loopback without it", gateway, "http://127.0.0.1:4010" + path, true, ""},
		{"still not another host", gateway, "https://api.example.com" + path, false, "the host api.example.com is not"},
		{"the embedded plan is unchanged", embedded, "https://gateway.example.com/twilio" + path, false, "the host gateway.example.com is not"},
		{"a contract's prefix", prefixed, "https://eu1.api.example.com/conversations" + path, true, ""},
		{"a contract's server variable", prefixed, "https://us1.api.example.com/conversations" + path, true, ""},
		{"a variable is one label", prefixed, "https://a.b.api.example.com/conversations" + path, false, "is not a server"},
		{"a contract's prefix left out", prefixed, "https://eu1.api.example.com" + path, false, "no operation at"},
		{"a path server's host", prefixed, "https://paths.example.com" + path, true, ""},
		{"no servers: any host", noServers, "https://api.example.com" + path, true, ""},
		{"any host", embedded.AnyHost(), "https://api.example.com" + path, true, ""},
		{"any host, still the path", embedded.AnyHost(), "https://api.example.com/v1/Other", false, "no operation at /v1/Other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, reason := tt.plan.Match("POST", tt.target)
			assert.Equal(t, tt.want, op != "", "reason: %s", reason)
			assert.Contains(t, reason, tt.reason)
			res := tt.plan.Check(&validate.Exchange{Request: validate.Request{Method: "POST", URL: tt.target}})
			assert.Equal(t, op, res.Operation)
			assert.Equal(t, reason, res.Skip)
		})
	}
}

func TestWithServersRefusesBadURLs(t *testing.T) {
	plan, err := validate.Embedded()
	require.NoError(t, err)
	for _, u := range []string{"api.example.com", "/twilio", "https://", "https://u:p@api.example.com", "https://api.example.com/?x=1", "https://api.example.com/#top"} {
		_, err := plan.WithServers(u)
		assert.Error(t, err, u)
	}
}

// prefixServers are the servers of prefixedContract.
const prefixServers = `servers:
  - url: https://{region}.api.example.com/conversations
    variables:
      region:
        default: eu1
`

// pathServers are the servers of prefixedContract's path.
const pathServers = `    servers:
      - url: https://paths.example.com
`

// prefixedContract describes the webhook operation under servers of its
// own: one with a variable and a path prefix, one of the path.
const prefixedContract = `openapi: 3.0.1
info: {title: prefixed, version: "1"}
` + prefixServers + `paths:
  /v1/Conversations/{ConversationSid}/Webhooks:
` + pathServers + `    post:
      operationId: CreateWebhook
      parameters:
        - {name: ConversationSid, in: path, required: true, schema: {type: string}}
      responses:
        "201": {description: Created}
`

// TestMatchDoesNotAllocate: routing a request allocates nothing, whatever
// its host and server prefix (the path's values go to room on the stack).
func TestMatchDoesNotAllocate(t *testing.T) {
	plan, err := validate.Embedded()
	require.NoError(t, err)
	gateway, err := plan.WithServers("https://gateway.example.com/twilio")
	require.NoError(t, err)
	const path = "/v1/Conversations/CH4955f63b9fdc72ff492dccd43a5a9754/Webhooks"
	for _, target := range []string{"https://conversations.twilio.com" + path, "http://127.0.0.1:4010" + path, "http://[::1]:80" + path, path} {
		allocs := testing.AllocsPerRun(100, func() {
			if op, _ := plan.Match("POST", target); op == "" {
				t.Fatal("no match")
			}
		})
		assert.Zero(t, allocs, target)
	}
	prefixed := "https://gateway.example.com/twilio" + path
	allocs := testing.AllocsPerRun(100, func() { gateway.Match("POST", prefixed) })
	assert.Zero(t, allocs, "a server's prefix")
}
