package report

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/fingerprint"
)

// The secrets of secretExchange, none of which a report may show.
const (
	urlPassword   = "urlPassw0rd"
	basicPassword = "basicPassw0rd"
	bearerToken   = "bearerTok3n"
)

// secretExchange is an exchange of the webhook operation whose response
// keeps the contract, with every kind of secret: the password of the URL's
// user information, a Basic password, a Bearer token echoed in the query.
// Its request is valid when target is "webhook".
func secretExchange(target string) *validate.Exchange {
	return &validate.Exchange{
		Source: "traffic.har",
		Request: validate.Request{
			Method: http.MethodPost,
			URL:    "https://" + testAccount + ":" + urlPassword + "@conversations.twilio.com/v1/Conversations/" + testConv + "/Webhooks?echo=" + bearerToken,
			Header: http.Header{
				"Content-Type":  {"application/x-www-form-urlencoded"},
				"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(testAccount+":"+basicPassword))},
				"X-Auth-Token":  {"Bearer " + bearerToken},
			},
			Body: []byte("Target=" + target + "&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=get"),
		},
		Response: validate.Response{
			Status: 201,
			Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
			Body: []byte(`{"account_sid": "` + testAccount + `", "conversation_sid": "` + testConv + `", "sid": "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
 "target": "webhook", "configuration": {"url": "https://example.com", "method": "get"},
 "date_created": "2016-03-24T21:05:50Z", "date_updated": "2016-03-24T21:05:50Z",
 "url": "https://conversations.twilio.com/v1/Conversations/` + testConv + `/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`),
		},
	}
}

// reportOf checks ex and reports it as the CLI does: its pair (with its
// replay), its shape, its wire, all in a text report.
func reportOf(t *testing.T, plan *validate.Plan, ex *validate.Exchange, res validate.Result) (Pair, string) {
	t.Helper()
	p := NewPair(ex, res, validate.SeverityError)
	var out bytes.Buffer
	w := NewText(&out, Options{})
	require.NoError(t, w.WritePair(p))
	return p, out.String()
}

// TestCheckedSecretsOnce counts how many times the secrets of a pair are
// computed from Check to its report: never for a passing pair whose URL
// cannot hold one, once for a failing pair whose findings and report need
// them.
func TestCheckedSecretsOnce(t *testing.T) {
	plan, err := validate.Embedded()
	require.NoError(t, err)

	pass := secretExchange("webhook")
	pass.Request.URL = "https://conversations.twilio.com/v1/Conversations/" + testConv + "/Webhooks"
	before := redact.Computed()
	p, _ := reportOf(t, plan, pass, plan.Check(pass))
	require.Equal(t, VerdictPass, p.Verdict, "%+v", p.Findings)
	assert.Equal(t, pass.Request.URL, p.URL)
	assert.Equal(t, before, redact.Computed(), "the secrets of a passing pair were computed")

	fail := secretExchange(bearerToken) // the token echoed in a value the checker shows
	before = redact.Computed()
	res := plan.Check(fail)
	p, text := reportOf(t, plan, fail, res)
	require.Equal(t, VerdictFail, p.Verdict)
	assert.Equal(t, before+1, redact.Computed(), "the secrets of a failing pair were computed more than once from check to report")
	assert.NotEmpty(t, p.Replay)
	assert.Contains(t, text, redact.Redacted)
}

// TestCheckedSecretsNeverShown shows that no secret of a pair reaches its
// report through the secrets the check hands on, nor once the exchange has
// changed between Check and NewPair (the report then computes them again).
func TestCheckedSecretsNeverShown(t *testing.T) {
	plan, err := validate.Embedded()
	require.NoError(t, err)
	assertHidden := func(t *testing.T, ex *validate.Exchange, res validate.Result, secrets ...string) {
		t.Helper()
		p, text := reportOf(t, plan, ex, res)
		require.Equal(t, VerdictFail, p.Verdict)
		wire := NewWire(ex)
		shown := []string{text, p.URL, p.Replay, fingerprint.Shape(ex), wire.Request, wire.Response}
		for _, f := range p.Findings {
			shown = append(shown, f.Message, f.Got, f.Want)
		}
		for _, s := range shown {
			for _, secret := range secrets {
				assert.NotContains(t, s, secret, "a secret reached the report")
			}
		}
	}

	ex := secretExchange(bearerToken)
	assertHidden(t, ex, plan.Check(ex), urlPassword, basicPassword, bearerToken)

	// The exchange changes after Check: new secrets in the headers or the
	// URL, which the check never saw, echoed in the body.
	for _, edit := range []func(ex *validate.Exchange){
		func(ex *validate.Exchange) { ex.Request.Header["X-Auth-Token"][0] = "Bearer n3wS3cret" },
		func(ex *validate.Exchange) { ex.Request.Header.Set("Authorization", "Bearer n3wS3cret") },
		func(ex *validate.Exchange) { ex.Response.Header.Set("Set-Cookie", "n3wS3cret") },
		func(ex *validate.Exchange) {
			ex.Request.URL = "https://" + testAccount + ":n3wS3cret@conversations.twilio.com/v1/Conversations/" + testConv + "/Webhooks"
		},
	} {
		ex := secretExchange(bearerToken)
		res := plan.Check(ex)
		edit(ex)
		ex.Request.Body = append(ex.Request.Body, "&Echo=n3wS3cret"...) // shown in the replay and the wire
		assertHidden(t, ex, res, "n3wS3cret")
	}
}
