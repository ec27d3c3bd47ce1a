package validate

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedact(t *testing.T) {
	token := "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	tests := []struct {
		in      string
		secrets []string
		want    string
	}{
		{"plain text", nil, "plain text"},
		{"token " + token + " here", nil, "token [REDACTED] here"},
		{"WH" + token + " is a SID", nil, "WH" + token + " is a SID"},
		{"AC" + token, nil, "AC" + token},
		{token + "ff", nil, token + "ff"},
		{"https://AC1:" + "s3cret@api.example.com/x", nil, "https://AC1:[REDACTED]@api.example.com/x"},
		{"https://user@example.com/", nil, "https://user@example.com/"},
		{"Authorization: Basic QUM6dG9r", nil, "Authorization: Basic [REDACTED]"},
		{"bearer eyJhbGciOi.payload.sig", nil, "bearer [REDACTED]"},
		{"my password is hunter22!", []string{"hunter22"}, "my password is [REDACTED]!"},
		// Basic and Bearer after any HTTP white space, but not inside a word.
		{"Authorization: Basic\tQUM6dG9r", nil, "Authorization: Basic\t[REDACTED]"},
		{"Basic \t QUM6dG9r;", nil, "Basic \t [REDACTED];"},
		{"the Basic-auth user", nil, "the Basic-auth user"},
		{"Basicly fine", nil, "Basicly fine"},
		// Credential-named parameters, wherever they are.
		{`"/hook?token=abc123"`, nil, `"/hook?token=[REDACTED]"`},
		{"https://example.com/h?signature=c2lnbmF0dXJl&x=1", nil, "https://example.com/h?signature=[REDACTED]&x=1"},
		{`parse "https://example.com/%zz?token=abc123": invalid URL escape "%zz"`, nil, `parse "https://example.com/%zz?token=[REDACTED]": invalid URL escape "%zz"`},
		{"/a?api-key=k1&apikey=k2&key=k3&X-Amz-Signature=k4&SessionId=k5&API_KEY=k6", nil,
			"/a?api-key=[REDACTED]&apikey=[REDACTED]&key=[REDACTED]&X-Amz-Signature=[REDACTED]&SessionId=[REDACTED]&API_KEY=[REDACTED]"},
		{"/a?Auth%54oken=abc", nil, "/a?Auth%54oken=[REDACTED]"},
		{"/a?monkey=banana&keys=1&token=", nil, "/a?monkey=banana&keys=1&token="},
		{"session=abcd; Path=/", nil, "session=abcd; Path=/"},
		{"sessionid=abcd; Path=/", nil, "sessionid=[REDACTED]; Path=/"},
		{`{"password": "pa\"ss", "user": "u"}`, nil, `{"password": "[REDACTED]", "user": "u"}`},
		// A token inside a percent-encoded value, one layer or two.
		{"/cb?state=https%3A%2F%2Fx%2F%3Ftoken%3D" + token, nil, "/cb?state=[REDACTED]"},
		{"/cb?state=https%253A%252F%252Fx%252F%253Ftoken%253Dabc", nil, "/cb?state=[REDACTED]"},
		{"/cb?next=%2F" + token + "&a=b", nil, "/cb?next=[REDACTED]&a=b"},
		{"/cb?next=https%3A%2F%2Fexample.com%2Fa&b=c%20d", nil, "/cb?next=https%3A%2F%2Fexample.com%2Fa&b=c%20d"},
		// A secret with quotes and backslashes, in its escaped forms too.
		{`a pa"ss\wd b`, []string{`pa"ss\wd`}, "a [REDACTED] b"},
		{`"a pa\"ss\\wd b"`, []string{`pa"ss\wd`}, `"a [REDACTED] b"`},
		{`a pa%22ss%5Cwd b`, []string{`pa"ss\wd`}, "a [REDACTED] b"},
		{`a pa&#34;ss\wd b`, []string{`pa"ss\wd`}, "a [REDACTED] b"},
		{`{"m":"pa\u003css"}`, []string{`pa<ss`}, `{"m":"[REDACTED]"}`},
		// The longer secret goes first, whatever the order given.
		{"xx abcdefgh xx", []string{"abcd", "abcdefgh"}, "xx [REDACTED] xx"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Redact(tt.in, tt.secrets), tt.in)
		assert.Equal(t, tt.want, Redact(Redact(tt.in, tt.secrets), tt.secrets), "idempotent: %s", tt.in)
	}
}

func TestRedactURL(t *testing.T) {
	assert.Equal(t, "https://x.example/a?AuthToken=[REDACTED]&Page=2&sig=[REDACTED]",
		RedactURL("https://x.example/a?AuthToken=abc&Page=2&sig=zz", nil))
	assert.Equal(t, "/a?b=1#frag", RedactURL("/a?b=1#frag", nil))
	assert.Equal(t, "https://AC:[REDACTED]@h/p", RedactURL("https://AC:tok@h/p", nil))
}

func TestExchangeSecretsTab(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("ACxyz:tabbed-token"))
	ex := &Exchange{Request: Request{Header: http.Header{"Authorization": {"Basic\t" + basic}}}}
	assert.Contains(t, ex.Secrets(), "tabbed-token")
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("ACxyz:"+Redacted)), ex.WithoutSecrets().Request.Header.Get("Authorization"))
	assert.Equal(t, "ACxyz", basicUser("Basic\t"+basic))
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
