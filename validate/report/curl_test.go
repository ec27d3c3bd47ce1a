package report

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

const (
	curlAccount = "AC0123456789abcdef0123456789abcdef"
	curlToken   = "f00dfacef00dfacef00dfacef00dface"
)

// basicAuth is the Authorization value of the test account.
var basicAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte(curlAccount+":"+curlToken))

// curlExchange is a request of the operation to base, with credentials of
// every kind and values that need quoting.
func curlExchange(base string) *validate.Exchange {
	return &validate.Exchange{Request: validate.Request{
		Method: "POST",
		URL:    base + "/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks?PageSize=5&token=s3cr3t-query",
		Header: http.Header{
			"Content-Type":   {"application/x-www-form-urlencoded"},
			"Authorization":  {basicAuth},
			"Cookie":         {"session=c00k1e-value"},
			"X-Api-Key":      {"k3y-value"},
			"X-Note":         {"it's a $HOME `date` \"quote\""},
			"X-Bell":         {"ring\x07\x1b[31mred"},
			"User-Agent":     {"twilio-go/1.0"},
			"Content-Length": {"999"},
		},
		Body: []byte("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2F%3Fa%3D1%26b%3D%27x%27&Configuration.Filters=onMessageAdded&Configuration.Filters=on%25Message&password=hunter2&Note=" + curlToken),
	}}
}

func TestCurl(t *testing.T) {
	cmd := Curl(curlExchange("https://conversations.twilio.com"))
	for _, secret := range []string{curlToken, "s3cr3t-query", "c00k1e-value", "k3y-value", "hunter2", base64.StdEncoding.EncodeToString([]byte(curlAccount + ":" + curlToken))} {
		assert.NotContains(t, cmd, secret, "a recorded secret")
	}
	assert.Contains(t, cmd, `-u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"`)
	assert.Contains(t, cmd, "curl 'https://conversations.twilio.com/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks?PageSize=5&token=[REDACTED]' \\\n")
	assert.Contains(t, cmd, "\n  --globoff \\\n  -X POST \\\n", "a URL with brackets, as a redacted one has")
	assert.Contains(t, cmd, `-H 'X-Note: it'\''s a $HOME `+"`date`"+` "quote"'`, "single quotes keep $, backticks and double quotes literal")
	assert.Contains(t, cmd, `-H "$(printf 'X-Bell: ring\007\033[31mred')"`, "control characters as printf escapes")
	assert.Contains(t, cmd, "--data-raw 'Target=webhook&")
	assert.Contains(t, cmd, "&password=[REDACTED]&Note=[REDACTED]'")
	assert.NotContains(t, cmd, "Cookie")
	assert.NotContains(t, cmd, "X-Api-Key")
	assert.NotContains(t, cmd, "Content-Length", "curl sets it")
	assertPrintable(t, cmd)

	bearer := &validate.Exchange{Request: validate.Request{Method: "GET", URL: "https://AC1:pw@api.example.com/x",
		Header: http.Header{"Authorization": {"Bearer eyJ.abc.def"}}}}
	cmd = Curl(bearer)
	assert.Equal(t, "curl https://api.example.com/x \\\n  -u \"$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN\" \\\n  -H \"Authorization: $AUTHORIZATION\"", cmd,
		"a GET needs no -X; the URL's user information is -u; another scheme comes from $AUTHORIZATION")

	binary := &validate.Exchange{Request: validate.Request{Method: "PUT", URL: "http://127.0.0.1:1/up",
		Header: http.Header{"Content-Type": {"application/octet-stream"}}, Body: []byte("a'b%c\\d\x00\xff\n")}}
	cmd = Curl(binary)
	assert.True(t, strings.HasPrefix(cmd, `printf 'a'\''b%%c\\d\000\377\012' |`+"\n  curl "), cmd)
	assert.Contains(t, cmd, "--data-binary @-")
	assertPrintable(t, cmd)
}

// assertPrintable asserts that s holds no control character but line
// breaks, and nothing a terminal would not print as it is.
func assertPrintable(t *testing.T, s string) {
	t.Helper()
	assert.True(t, utf8.ValidString(s))
	for _, r := range s {
		if r != '\n' && !unicode.IsPrint(r) && r != ' ' {
			t.Errorf("%q holds %U", s, r)
		}
	}
}

// TestCurlSendsTheSameRequest runs the command of a failing pair with sh
// and curl against a local server, and wants the request it gets to be the
// recorded one: method, path and query, headers, body byte for byte, and
// the credentials of the environment.
func TestCurlSendsTheSameRequest(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("needs curl")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("needs sh")
	}
	type received struct {
		req  *http.Request
		body []byte
	}
	requests := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		requests <- received{r, body}
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()

	for _, tt := range []struct {
		name string
		ex   *validate.Exchange
	}{
		{"a form with every kind of value", withoutHeader(curlExchange(srv.URL), "X-Bell")}, // net/http refuses control characters in headers
		{"a binary body", &validate.Exchange{Request: validate.Request{Method: "PUT", URL: srv.URL + "/up?a=%20b",
			Header: http.Header{"Content-Type": {"application/octet-stream"}, "X-Tab": {"a\tb"}}, Body: []byte("a'b%c\\d\x00\xff\n\n")}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex := tt.ex
			p := NewPair(ex, validate.Result{Operation: "Op", Findings: []validate.Finding{{Rule: validate.RuleSIDFormat, Severity: validate.SeverityError}}}, validate.SeverityError)
			require.Equal(t, VerdictFail, p.Verdict)
			require.NotEmpty(t, p.Replay)
			cmd := exec.Command(sh, "-c", p.Replay+" --silent --show-error --output /dev/null")
			cmd.Env = append(os.Environ(), "TWILIO_ACCOUNT_SID="+curlAccount, "TWILIO_AUTH_TOKEN="+curlToken)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s\n%s", p.Replay, out)
			var r received
			select {
			case r = <-requests:
			default:
				t.Fatal("the server got no request")
			}
			got, gotBody := r.req, r.body

			assert.Equal(t, ex.Request.Method, got.Method)
			wantPath := strings.TrimPrefix(redact.Text(ex.Request.URL, nil), srv.URL)
			assert.Equal(t, wantPath, got.URL.RequestURI())
			secrets := redact.NewLazy(ex.Request.URL, ex.Request.Header, ex.Response.Header)
			wantBody := redactBody(ex.Request.Body, ex.Request.Header.Get("Content-Type"), &secrets)
			assert.Equal(t, []byte(wantBody), gotBody, "the body, byte for byte (secrets redacted)")
			for name, vals := range ex.Request.Header {
				switch name {
				case "Authorization":
					user, pass, ok := got.BasicAuth()
					assert.True(t, ok)
					assert.Equal(t, curlAccount, user)
					assert.Equal(t, curlToken, pass, "the token of the environment")
				case "Cookie", "X-Api-Key":
					assert.Empty(t, got.Header.Values(name), "a credential is not replayed")
				case "Content-Length":
					assert.Equal(t, len(gotBody), int(got.ContentLength))
				default:
					assert.Equal(t, vals, got.Header.Values(name), "header %s", name)
				}
			}
		})
	}
}

// withoutHeader deletes a request header.
func withoutHeader(ex *validate.Exchange, name string) *validate.Exchange {
	ex.Request.Header.Del(name)
	return ex
}

// FuzzCurl: whatever the request, the command is printable, and each
// argument it quotes reads back, as sh and printf would read it, as the
// text it was made of.
func FuzzCurl(f *testing.F) {
	f.Add("POST", "/v1/x?a=b", "X-A", "it's", []byte("a=1&b=%20"))
	f.Add("GET", "https://u:p@h/x", "X-B", "\x1b[2J\u202e", []byte("\x00\xff'\\%"))
	f.Fuzz(func(t *testing.T, method, url, name, value string, body []byte) {
		ex := &validate.Exchange{Request: validate.Request{Method: method, URL: url, Header: http.Header{name: {value}}, Body: body}}
		cmd := Curl(ex)
		assertPrintable(t, cmd)
		for _, s := range []string{value, string(body), method} {
			if got, ok := unquote(shellQuote(s)); !ok || got != s {
				t.Fatalf("shellQuote(%q) = %s reads back as %q", s, shellQuote(s), got)
			}
		}
	})
}

// unquote reads back what shellQuote writes: a bare word, a single-quoted
// word whose single quotes are escaped between quotes, or "$(printf '…')"
// with printf's escapes.
func unquote(q string) (string, bool) {
	if inner, ok := strings.CutPrefix(q, `"$(printf `); ok {
		inner, ok = strings.CutSuffix(inner, `)"`)
		if !ok {
			return "", false
		}
		format, ok := unquote(inner)
		if !ok {
			return "", false
		}
		return printf(format)
	}
	if len(q) < 2 || q[0] != '\'' || q[len(q)-1] != '\'' {
		return q, q != "" && strings.Trim(q, shellSafe) == ""
	}
	parts := strings.Split(q[1:len(q)-1], `'\''`)
	for _, part := range parts {
		if strings.Contains(part, "'") {
			return "", false
		}
	}
	return strings.Join(parts, "'"), true
}

// printf interprets the escapes printfQuote writes: %%, \\ and \ooo.
func printf(format string) (string, bool) {
	var b bytes.Buffer
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '%' && i+1 < len(format) && format[i+1] == '%':
			b.WriteByte('%')
			i++
		case c == '\\' && i+1 < len(format) && format[i+1] == '\\':
			b.WriteByte('\\')
			i++
		case c == '\\' && i+3 < len(format):
			n := 0
			for _, d := range format[i+1 : i+4] {
				if d < '0' || d > '7' {
					return "", false
				}
				n = n*8 + int(d-'0')
			}
			b.WriteByte(byte(n))
			i += 3
		case c == '%' || c == '\\':
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}
