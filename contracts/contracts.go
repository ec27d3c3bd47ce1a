// Package contracts holds the OpenAPI documents built into contractcheck, so
// that the binary needs no file to check traffic.
//
// The one contract today is Twilio Conversations' "Create a conversation-scoped
// webhook" operation (CreateConversationScopedWebhook, POST
// /v1/Conversations/{ConversationSid}/Webhooks), written from its documentation
// page and agreeing with Twilio's own OpenAPI description of Conversations v1.
package contracts

import _ "embed"

// ScopedWebhookFile is the embedded contract's file name, relative to the
// repository root; findings cite it with a line number.
const ScopedWebhookFile = "contracts/conversations_scoped_webhook.yaml"

// ScopedWebhook is the OpenAPI 3.0 document of the operation
// CreateConversationScopedWebhook, in YAML.
//
//go:embed conversations_scoped_webhook.yaml
var ScopedWebhook []byte
