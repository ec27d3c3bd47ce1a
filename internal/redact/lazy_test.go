package redact

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// lazyExchange is an exchange with every kind of secret: the password of
// the URL's user information, a Basic password and a Bearer token, the
// token echoed in the query.
func lazyExchange() (string, http.Header, http.Header) {
	url := "https://ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:urlPassw0rd@conversations.twilio.com/v1/Conversations?echo=bearerTok3n"
	req := http.Header{
		"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:basicPassw0rd"))},
		"X-Auth-Token":  {"Bearer bearerTok3n"},
	}
	resp := http.Header{"Set-Cookie": {"session=c00kieValue"}}
	return url, req, resp
}

// TestLazyTextIsText shows that Lazy.Text is Text with the exchange's
// secrets, that it hides each of them, and that it computes them only for a
// text that may hold one.
func TestLazyTextIsText(t *testing.T) {
	url, req, resp := lazyExchange()
	secrets := Secrets(url, req, resp)
	texts := []string{
		"Target is \"webhook2\", which the contract does not list",
		url,
		"got basicPassw0rd and bearerTok3n and urlPassw0rd and session=c00kieValue",
		"the token bearerTok3n, echoed",
		"quoted \"basic\\u0050assw0rd\" and escaped basicPassw0rd%21",
		"no secret here",
		"",
	}
	for _, s := range texts {
		l := NewLazy(url, req, resp)
		got := l.Text(s)
		assert.Equal(t, Text(s, secrets), got, "Lazy.Text(%q)", s)
		for _, secret := range []string{"urlPassw0rd", "basicPassw0rd", "bearerTok3n", "session=c00kieValue"} {
			assert.NotContains(t, got, secret, "a secret of %q leaked", s)
		}
	}

	// Without user information in the URL, a text that holds no secret
	// needs none computed.
	plainURL := "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks"
	before := Computed()
	l := NewLazy(plainURL, req, resp)
	assert.Equal(t, plainURL, l.Text(plainURL))
	assert.Equal(t, "no secret here", l.Text("no secret here"))
	assert.Equal(t, before, Computed(), "secrets computed for texts that cannot hold one")
	assert.False(t, l.Computed())
	assert.Equal(t, "got "+Redacted, l.Text("got basicPassw0rd"))
	assert.Equal(t, "got "+Redacted, l.Text("got bearerTok3n"))
	assert.Equal(t, before+1, Computed(), "secrets computed once for two texts")
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		l := NewLazy(plainURL, req, resp)
		l.Text(plainURL)
	}), "proving that a text holds no secret allocates")
}

// TestLazyFor shows that For hands secrets on for the same exchange, and
// not once its URL or a credential header field has changed.
func TestLazyFor(t *testing.T) {
	url, req, resp := lazyExchange()
	l := NewLazy(url, req, resp)
	l.Secrets()

	before := Computed()
	same := l.For(url, req, resp)
	assert.True(t, same.Computed())
	assert.Equal(t, l.Secrets(), same.Secrets())
	assert.Equal(t, before, Computed())

	var none *Lazy
	assert.False(t, none.For(url, req, resp).Computed())

	changed := []struct {
		name string
		edit func(url string, req, resp http.Header) string
	}{
		{"the URL", func(url string, _, _ http.Header) string { return url + "&x=1" }},
		{"a value replaced in place", func(url string, req, _ http.Header) string {
			req["X-Auth-Token"][0] = "Bearer n3wToken"
			return url
		}},
		{"a field set", func(url string, req, _ http.Header) string {
			req.Set("Authorization", "Bearer n3wToken")
			return url
		}},
		{"a field added", func(url string, _, resp http.Header) string {
			resp.Add("Set-Cookie", "other=n3wToken")
			return url
		}},
		{"a field removed", func(url string, req, _ http.Header) string {
			req.Del("X-Auth-Token")
			return url
		}},
	}
	for _, c := range changed {
		t.Run(c.name, func(t *testing.T) {
			url, req, resp := lazyExchange()
			l := NewLazy(url, req, resp)
			l.Secrets()
			url = c.edit(url, req, resp)
			next := l.For(url, req, resp)
			assert.False(t, next.Computed(), "secrets of the exchange before it changed")
			got := next.Text("n3wToken " + url)
			assert.Equal(t, Text("n3wToken "+url, Secrets(url, req, resp)), got)
		})
	}
}

// FuzzLazy checks that Lazy.Text is Text with the exchange's secrets, for
// any text and any credential.
func FuzzLazy(f *testing.F) {
	f.Add("https://u:pass@h/x?t=tok1", "Basic "+base64.StdEncoding.EncodeToString([]byte("u:pa ss")), "Bearer tok1", "got tok1 and pa ss")
	f.Add("/v1/x", "Bearer a&b+c", "", "a&amp;b%2Bc and a\\u0026b+c")
	f.Add("/v1/x", "", "session=abcd", "x abcd y")
	f.Fuzz(func(t *testing.T, url, auth, cookie, s string) {
		req := http.Header{"Authorization": {auth}}
		resp := http.Header{"Set-Cookie": {cookie}}
		l := NewLazy(url, req, resp)
		// a second and a third text read what the first left in l.held
		for _, text := range []string{s, "x " + s, auth + s} {
			if got, want := l.Text(text), Text(text, Secrets(url, req, resp)); got != want {
				t.Fatalf("Lazy.Text(%q) = %q, Text = %q", text, got, want)
			}
		}
	})
}

// TestLazyManyCredentials checks Lazy.Text on an exchange with more
// credentials than mayHold keeps (it then reads the header fields for each
// text) and with two Basic passwords, against Text of the secrets.
func TestLazyManyCredentials(t *testing.T) {
	basic := func(user, pass string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}
	req := http.Header{
		"Authorization":       {basic("u", "firstPass&1")},
		"Proxy-Authorization": {basic("v", "secondPass+2")},
		"Cookie":              {"a=cookieOne", "b=cookieTwo"},
		"X-Api-Key":           {`apiKey\3`},
		"X-Auth-Token":        {"authTok4"},
	}
	resp := http.Header{"Set-Cookie": {"s=setCookie5"}, "X-Twilio-Signature": {"sigSix6"}}
	secrets := Secrets("/v1/x", req, resp)
	l := NewLazy("/v1/x", req, resp)
	for _, text := range []string{
		"nothing to see", "firstPass&1", `firstPass\u00261`, "secondPass%2B2", "cookieTwo", `apiKey\\3`, "apiKey\\3",
		"sigSix6", "setCookie5", "authTok4", "plain again",
	} {
		assert.Equal(t, Text(text, secrets), l.Text(text), text)
	}
	assert.True(t, l.Computed())

	one := NewLazy("/v1/x", http.Header{"Authorization": {basic("u", "onlyPass")}}, nil)
	for _, text := range []string{"a", "b onlyPass", "c"} {
		assert.Equal(t, Text(text, Secrets("/v1/x", http.Header{"Authorization": {basic("u", "onlyPass")}}, nil)), one.Text(text), text)
	}
}
