package validate

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/stretchr/testify/assert"
)

func TestExchangeSecretsTab(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("ACxyz:tabbed-token"))
	ex := &Exchange{Request: Request{Header: http.Header{"Authorization": {"Basic\t" + basic}}}}
	assert.Contains(t, ex.Secrets(), "tabbed-token")
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("ACxyz:"+redact.Redacted)), ex.WithoutSecrets().Request.Header.Get("Authorization"))
}

func TestExchangeSecrets(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("ACxyz:the-token"))
	ex := &Exchange{Request: Request{
		URL:    "https://u:urlpass@h/",
		Header: http.Header{"Authorization": {"Basic " + basic}, "Cookie": {"session=abcd"}},
	}}
	s := ex.Secrets()
	assert.Contains(t, s, "Basic "+basic)
	assert.Contains(t, s, basic)
	assert.Contains(t, s, "the-token")
	assert.Contains(t, s, "urlpass")
	assert.Contains(t, s, "session=abcd")
	assert.NotContains(t, s, "ACxyz", "the account SID is not a secret")
}

func TestWithoutSecrets(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("AC0123456789abcdef0123456789abcdef:0123456789abcdef0123456789abcdef"))
	ex := &Exchange{
		Request: Request{Method: "POST", URL: "https://user:hunter22@example.com/v1/x?token=abcd1234&x=1",
			Header: http.Header{"Authorization": {basic}, "Cookie": {"session=abcdef"}, "Content-Type": {"text/plain"}}},
		Response: Response{Status: 200, Header: http.Header{"Set-Cookie": {"session=abcdef; Path=/"}, "X-Other": {"keep"}}},
	}
	got := ex.WithoutSecrets()
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("AC0123456789abcdef0123456789abcdef:[REDACTED]")), got.Request.Header.Get("Authorization"))
	assert.Equal(t, "[REDACTED]", got.Request.Header.Get("Cookie"))
	assert.Equal(t, "text/plain", got.Request.Header.Get("Content-Type"))
	assert.Equal(t, "[REDACTED]", got.Response.Header.Get("Set-Cookie"))
	assert.Equal(t, "keep", got.Response.Header.Get("X-Other"))
	assert.NotContains(t, got.Request.URL, "hunter22")
	assert.NotContains(t, got.Request.URL, "abcd1234")
	assert.Equal(t, basic, ex.Request.Header.Get("Authorization"), "the original is unchanged")

	for in, want := range map[string]string{
		"Bearer abc.def.ghi": "Bearer [REDACTED]",
		"sometoken":          "[REDACTED]",
		"Basic !!notbase64":  "Basic [REDACTED]",
	} {
		ex := &Exchange{Request: Request{Header: http.Header{"Authorization": {in}}}}
		assert.Equal(t, want, ex.WithoutSecrets().Request.Header.Get("Authorization"), in)
	}
}
