package redact

import (
	"encoding/base64"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
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
		assert.Equal(t, tt.want, Text(tt.in, tt.secrets), tt.in)
		assert.Equal(t, tt.want, Text(Text(tt.in, tt.secrets), tt.secrets), "idempotent: %s", tt.in)
	}
}

func TestTextURL(t *testing.T) {
	assert.Equal(t, "https://x.example/a?AuthToken=[REDACTED]&Page=2&sig=[REDACTED]",
		Text("https://x.example/a?AuthToken=abc&Page=2&sig=zz", nil))
	assert.Equal(t, "/a?b=1#frag", Text("/a?b=1#frag", nil))
	assert.Equal(t, "https://AC:[REDACTED]@h/p", Text("https://AC:tok@h/p", nil))
}

// secretAlphabet is what FuzzRedact builds secrets from: printable ASCII
// with the characters that quoting escapes, but without those of
// [Redacted], so that a replacement can never spell a secret.
const secretAlphabet = `abcdefghijklmnopqrstuvwxyz0123456789"\'%&<>+ _-.~!$*(),:`

// FuzzRedact plants a secret in arbitrary text and checks that Text hides
// it, whatever surrounds it: an exact secret (raw, Go- or JSON-quoted,
// percent- or HTML-encoded), a 32-hex token standing alone, the value of a
// credential-named parameter, Basic credentials after white space, and a
// token inside layers of percent-encoding.
func FuzzRedact(f *testing.F) {
	f.Add("the server says: ", " is not valid", uint8(0), uint8(0), `pa"ss\word`)
	f.Add(strings.Repeat("x", 39), strings.Repeat("y", 60), uint8(1), uint8(0), "")
	f.Add("/hook", "&x=1", uint8(2), uint8(3), "abc123")
	f.Add(`parse "https://example.com/a`, `": invalid`, uint8(2), uint8(1), "tok")
	f.Add("Authorization:", "", uint8(3), uint8(1), "ACxyz:pa\tss")
	f.Add("/cb", "#frag", uint8(4), uint8(2), "")
	f.Add("%3D%2", "%", uint8(1), uint8(5), "")
	f.Fuzz(func(t *testing.T, prefix, suffix string, kind, variant uint8, seed string) {
		var secret string
		for i := 0; i < len(seed) && len(secret) < 24; i++ {
			secret += string(secretAlphabet[int(seed[i])%len(secretAlphabet)])
		}
		for len(secret) < 6 {
			secret += string(secretAlphabet[len(secret)*7%26])
		}
		hex := fmt.Sprintf("%032x", []byte(secret)[:6]) // 12 digits, padded to 32 with zeros
		hex = hex[len(hex)-32:]
		delims := ` /:;"'<>,()[]{}`
		delim := string(delims[int(variant)%len(delims)])
		var planted string
		var secrets, mustGo []string
		switch kind % 5 {
		case 0: // an exact secret, in one of its forms
			q := strconv.Quote(secret)
			forms := []string{secret, q[1 : len(q)-1], url.QueryEscape(secret), url.PathEscape(secret), html.EscapeString(secret)}
			planted = forms[int(variant)%len(forms)]
			secrets, mustGo = []string{secret}, forms
		case 1: // a 32-hex token standing alone
			planted = delim + hex + delim
			mustGo = []string{hex}
		case 2: // a credential-named parameter
			names := []string{"token", "AuthToken", "api-key", "apikey", "key", "X-Amz-Signature", "sessionid", "password", "client_secret"}
			value := strings.Map(func(r rune) rune {
				if isValueEnd(byte(r)) || r == '%' {
					return 'v'
				}
				return r
			}, secret)
			name := names[int(variant)%len(names)]
			planted = "?" + name + "=" + value + "&"
			mustGo = []string{name + "=" + value}
		case 3: // Basic credentials after white space
			cred := base64.StdEncoding.EncodeToString([]byte(secret))
			planted = " Basic" + []string{" ", "\t", " \t "}[int(variant)%3] + cred + delim
			mustGo = []string{cred}
		case 4: // a token inside layers of percent-encoding
			v := "https://x/?token=" + hex
			for range 1 + int(variant)%3 {
				v = url.QueryEscape(v)
			}
			planted = "?state=" + v + "&"
			mustGo = []string{hex}
		}
		out := Text(prefix+planted+suffix, secrets)
		for _, s := range mustGo {
			if strings.Contains(out, s) {
				t.Fatalf("%q survived in %q", s, out)
			}
		}
		if again := Text(out, secrets); again != out {
			t.Fatalf("Text is not idempotent:\n%q\n%q", out, again)
		}
	})
}

// FuzzPlain: what plain passes, every step of Text would leave as it is;
// plain is only a shortcut.
func FuzzPlain(f *testing.F) {
	f.Add("Target is \"Webhook\", which the contract does not list", "")
	f.Add("0bearer x", "")
	f.Add("id 0123456789abcdef0123456789abcdef.", "")
	f.Add("a secret word here", "secret word")
	f.Add("see https://u:p@h/", "")
	f.Add(`{"token": "x"}`, "")
	f.Add("Basic\tQUJD", "")
	f.Fuzz(func(t *testing.T, s, secret string) {
		secrets := []string{secret}
		if plain(s, secrets) {
			if got := redactAll(s, secrets); got != s {
				t.Fatalf("plain passed %q, which Text makes %q", s, got)
			}
		}
	})
}
