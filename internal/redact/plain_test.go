package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPlainURLs shows that plain passes the URLs of most exchanges (a
// scheme without user information, Twilio SIDs, whose 32 hex digits follow
// two letters), and only when Text leaves them as they are: every
// combination of a scheme, user information, a SID and a run of 32 hex
// digits standing alone, and what follows it.
func TestPlainURLs(t *testing.T) {
	hex := strings.Repeat("0a", 16)
	passed := 0
	for _, scheme := range []string{"", "https://", "https:/", "x://"} {
		for _, user := range []string{"", "AC" + hex + "@", "u:p@", "user:pass@"} {
			for _, seg := range []string{"CH" + hex, hex, "9" + hex, hex + "z", "C" + hex, "-" + hex + "-", "CH" + hex + "0"} {
				for _, tail := range []string{"", "/Webhooks", "?PageSize=5", "#frag", "@x", "x"} {
					s := scheme + user + "conversations.twilio.com/v1/" + seg + tail
					if plain(s, nil) {
						passed++
						assert.Equal(t, s, redactAll(s, nil), "plain passed %q", s)
					}
				}
			}
		}
	}
	url := "https://conversations.twilio.com/v1/Conversations/CH" + hex + "/Webhooks"
	assert.True(t, plain(url, nil), "a URL of a SID needs no redaction")
	assert.False(t, plain("https://AC"+hex+":"+hex+"@conversations.twilio.com/", nil))
	assert.Greater(t, passed, 50)
}
