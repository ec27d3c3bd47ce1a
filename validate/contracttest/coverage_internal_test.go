package contracttest

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate/coverage"
)

// TestCoverageOfTheHelpers: with coverage on (as RunWithCoverage turns it
// on), the exchanges the assertions check count, and the file written at
// the end holds them; with it off, nothing is recorded.
func TestCoverageOfTheHelpers(t *testing.T) {
	fake, err := NewFake()
	require.NoError(t, err)
	send := func(form string) {
		req := httptest.NewRequest(http.MethodPost, "https://conversations.twilio.com/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)
		req = httptest.NewRequest(http.MethodPost, "https://conversations.twilio.com/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		AssertRecorded(t, req, rec)
	}
	send("Target=trigger&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Triggers=hi") // not recorded: coverage is off

	startCoverage()
	t.Cleanup(func() { covering.Store(false) })
	send("Target=studio&Configuration.FlowSid=FW0123456789abcdef0123456789abcdef")
	file := filepath.Join(t.TempDir(), "coverage.json")
	require.NoError(t, writeCoverage(file))
	send("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com") // not recorded: written and stopped

	rep, err := coverage.ReadFile(file)
	require.NoError(t, err)
	require.Len(t, rep.Operations, 1)
	assert.Equal(t, OperationID, rep.Operations[0].Operation)
	assert.GreaterOrEqual(t, rep.Operations[0].Pairs, 1)
	got := map[string]bool{}
	for _, it := range rep.Operations[0].Items {
		got[it.Kind+" "+it.Name] = it.Covered()
	}
	assert.True(t, got["request.enum Target=studio"])
	assert.True(t, got["request.field Configuration.FlowSid"])
	assert.True(t, got["status 201"])
}
