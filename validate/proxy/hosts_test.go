package proxy_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// TestProxyChecksAnyHost: a client may call the proxy by any name (here
// gateway.internal, neither the contract's server nor loopback); every
// request goes to the upstream, so every one is checked.
func TestProxyChecksAnyHost(t *testing.T) {
	base, rec, _ := setup(t, nil, false, 0)
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(badForm))
	require.NoError(t, err)
	req.Host = "gateway.internal"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	e := rec.wait(t, 1)[0]
	assert.Empty(t, e.NotChecked)
	assert.Equal(t, "http://gateway.internal"+path, e.Exchange.Request.URL)
	assert.Equal(t, "CreateConversationScopedWebhook", e.Result.Operation)
	assert.Equal(t, []string{validate.RuleSIDFormat, validate.RuleResponseRefused}, rulesOf(e.Result.Findings))
}
