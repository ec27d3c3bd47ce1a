// Package badserver holds a server of the conversation-scoped webhook that
// breaks its contract on purpose, for the tests of the probe, the proxy and
// the CLI: a test double that must be caught.
package badserver

import (
	"encoding/json"
	"net/http"
	"strings"
)

// SID is the webhook SID every answer of AcceptAll names.
const SID = "WH0123456789abcdef0123456789abcdef"

// Account is the account every answer of AcceptAll names.
const Account = "AC0123456789abcdef0123456789abcdef"

// AcceptAll answers every POST with 201 and a body that keeps the
// response schema and names the path's conversation and the form's Target,
// but accepts any request, whatever it breaks, and allows the origin * with
// credentials (rule cors.credentials-wildcard).
func AcceptAll(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	conv := "CH0123456789abcdef0123456789abcdef"
	if parts := strings.Split(r.URL.Path, "/"); len(parts) > 3 && strings.HasPrefix(parts[3], "CH") {
		conv = parts[3]
	}
	target := r.PostForm.Get("Target")
	if target == "" {
		target = "webhook"
	}
	body, _ := json.Marshal(map[string]any{
		"account_sid": Account, "conversation_sid": conv, "sid": SID, "target": target,
		"configuration": map[string]any{}, "date_created": "2026-01-02T03:04:05Z", "date_updated": "2026-01-02T03:04:05Z",
		"url": "https://conversations.twilio.com/v1/Conversations/" + conv + "/Webhooks/" + SID,
	})
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(body)
}
