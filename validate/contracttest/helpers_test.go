package contracttest_test

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// The account the tests authenticate as, its auth token, and conversations.
const (
	account   = "AC6e2b9d4f1a7c3e5b8d0f2a4c6e8b1d3f"
	authToken = "4b9f1c7e2a8d6035e1f7c9a2b4d6e8f0"
	conv      = "CH3a9e5c1b7d2f4a6c8e0b1d3f5a7c9e2b"
	flowSid   = "FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a"
	twilioURL = "https://conversations.twilio.com"
)

// webhooksURL is the operation's URL for a conversation.
func webhooksURL(conversation string) string {
	return twilioURL + "/v1/Conversations/" + conversation + "/Webhooks"
}

// The forms of one valid request per Target.
var validForms = map[string]url.Values{
	"webhook": {"Target": {"webhook"}, "Configuration.Url": {"https://hooks.example.com/twilio?tenant=acme"},
		"Configuration.Method": {"post"}, "Configuration.Filters": {"onMessageAdded", "onConversationRemoved"},
		"Configuration.ReplayAfter": {"3"}},
	"trigger": {"Target": {"trigger"}, "Configuration.Url": {"https://bots.example.com/keywords"},
		"Configuration.Method": {"get"}, "Configuration.Filters": {"onMessageAdded"},
		"Configuration.Triggers": {"order status", "help"}},
	"studio": {"Target": {"studio"}, "Configuration.FlowSid": {flowSid}, "Configuration.ReplayAfter": {"0"}},
}

// newRequest is a POST of the form to u, authenticated as the test account.
func newRequest(t testing.TB, u string, form url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(account, authToken)
	return req
}

// fixedClock is the clock of deterministic tests.
func fixedClock() time.Time { return time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC) }

// fixedSIDs is a deterministic SID source.
func fixedSIDs() *rand.ChaCha8 { return rand.NewChaCha8([32]byte{1}) }

// embedded is the embedded contract's plan.
func embedded(t testing.TB) *validate.Plan {
	t.Helper()
	p, err := validate.Embedded()
	require.NoError(t, err)
	return p
}

// twilioSpec is Twilio's full Conversations description, the bench module's
// test data (in the repository, not in the main module's zip).
var twilioSpec = filepath.Join("..", "..", "bench", "testdata", "twilio_conversations_v1.json")

// twilioPlan loads Twilio's full spec once, or skips the test where it is
// absent.
func twilioPlan(t testing.TB) *validate.Plan {
	t.Helper()
	if _, err := os.Stat(twilioSpec); err != nil {
		t.Skipf("Twilio's full spec is not at %s (a run from the module's zip): %v", twilioSpec, err)
	}
	fullSpec.once.Do(func() { fullSpec.plan, fullSpec.err = validate.LoadFile(twilioSpec) })
	require.NoError(t, fullSpec.err)
	return fullSpec.plan
}

var fullSpec struct {
	once sync.Once
	plan *validate.Plan
	err  error
}
