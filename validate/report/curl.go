package report

import (
	"fmt"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
)

// The environment variables a replay takes the credentials from.
const (
	accountEnv = "TWILIO_ACCOUNT_SID"
	tokenEnv   = "TWILIO_AUTH_TOKEN"
)

// curlSkipHeaders are request headers a replay leaves to curl: it sets them
// from the URL and the body, or they belong to the recorded connection.
var curlSkipHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Connection": true, "Transfer-Encoding": true, "Keep-Alive": true,
	"Te": true, "Trailer": true, "Upgrade": true, "Expect": true, "Accept-Encoding": true,
}

// Curl returns a curl command that sends the request of ex again: its
// method, URL, headers and body, one option per line (lines end with " \"
// and go on indented by two spaces), for a POSIX shell.
//
// It never holds a recorded secret: credentials are replaced by environment
// variables (Basic auth, from a header or the URL, becomes
// -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"; another Authorization
// "$AUTHORIZATION"), other credential headers (cookies, API keys) are left
// out, and the URL and body are redacted as reports redact them, so a
// redacted value is sent as [redact.Redacted]. Every argument is quoted
// for the shell in single quotes; one that holds a control character, or
// text a terminal would not print as it is, is written with printf's octal
// escapes instead, so that the command is one safe line per option in a
// terminal, a log or a report. A body of such bytes is piped to curl by
// printf, byte for byte.
func Curl(ex *validate.Exchange) string {
	secrets := lazySecrets(ex)
	return curl(ex, &secrets)
}

// lazySecrets returns the secrets of ex, computed when a text first needs
// them.
func lazySecrets(ex *validate.Exchange) redact.Lazy {
	return redact.NewLazy(ex.Request.URL, ex.Request.Header, ex.Response.Header)
}

// curl is [Curl] with the secrets of ex, which NewPair shares.
func curl(ex *validate.Exchange, secrets *redact.Lazy) string {
	// A failing pair's replay has many texts, some that may hold a secret:
	// computing the secrets once costs less than proving each text clean.
	secrets.Secrets()
	req := ex.Request
	target, userinfo := withoutUserinfo(secrets.Text(req.URL))
	clean := ex.WithoutSecrets().Request.Header

	var opts []string
	if strings.ContainsAny(target, "[]{}") {
		opts = append(opts, "--globoff") // brackets and braces in the URL are not curl's ranges
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if method != http.MethodGet || len(req.Body) > 0 {
		opts = append(opts, "-X "+shellQuote(method))
	}
	basic := userinfo
	var headers []string
	for _, name := range slices.Sorted(maps.Keys(req.Header)) {
		if curlSkipHeaders[http.CanonicalHeaderKey(name)] || strings.HasPrefix(name, ":") {
			continue
		}
		for i, v := range req.Header[name] {
			if http.CanonicalHeaderKey(name) == "Authorization" {
				if scheme, _, _ := strings.Cut(strings.TrimSpace(v), " "); strings.EqualFold(scheme, "Basic") {
					basic = true
				} else {
					headers = append(headers, `-H "Authorization: $AUTHORIZATION"`)
				}
				continue
			}
			if i >= len(clean[name]) || clean[name][i] != v || strings.Contains(v, redact.Redacted) {
				continue // a credential (or one a recording redacted already)
			}
			headers = append(headers, "-H "+shellQuote(name+": "+secrets.Text(v)))
		}
	}
	if basic {
		opts = append(opts, fmt.Sprintf(`-u "$%s:$%s"`, accountEnv, tokenEnv))
	}
	opts = append(opts, headers...)

	pipe := ""
	if len(req.Body) > 0 {
		body := redactBody(req.Body, req.Header.Get("Content-Type"), secrets)
		if needsEscapes(body) {
			pipe = "printf " + printfQuote(body) + " |\n  "
			opts = append(opts, "--data-binary @-")
		} else {
			opts = append(opts, "--data-raw "+shellQuote(body))
		}
	}
	var b strings.Builder
	b.WriteString(pipe)
	b.WriteString("curl " + shellQuote(target))
	for _, o := range opts {
		b.WriteString(" \\\n  " + o)
	}
	return b.String()
}

// withoutUserinfo drops the user information of an absolute URL (its
// credentials go in -u), and says whether it had any.
func withoutUserinfo(u string) (string, bool) {
	i := strings.Index(u, "://")
	if i < 0 {
		return u, false
	}
	rest := u[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndexByte(rest[:end], '@')
	if at < 0 {
		return u, false
	}
	return u[:i+3] + rest[at+1:], true
}

// redactBody hides the secrets of a request body: in a form, also the
// values of fields named like credentials, as in a URL's query.
func redactBody(body []byte, contentType string, secrets *redact.Lazy) string {
	if mt, _, _ := mime.ParseMediaType(contentType); mt == "application/x-www-form-urlencoded" {
		return strings.TrimPrefix(secrets.Text("?"+string(body)), "?")
	}
	return secrets.Text(string(body))
}

// needsEscapes reports whether s holds what single quotes cannot show
// safely: bytes that are not UTF-8, control characters (a line break
// included) or other runes a terminal does not print as they are.
func needsEscapes(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0
}

// shellQuote quotes s for a POSIX shell: as it is when it holds only
// characters the shell takes literally, else in single quotes (a single
// quote closes the quotes, is escaped, and opens them again), or, when s
// needs escapes, as "$(printf '…')".
func shellQuote(s string) string {
	switch {
	case needsEscapes(s):
		return `"$(printf ` + printfQuote(s) + `)"`
	case s != "" && strings.Trim(s, shellSafe) == "":
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellSafe are the characters a POSIX shell takes literally in a word.
const shellSafe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,/:@%+"

// printfQuote writes s as a single-quoted printf format that prints s byte
// for byte: % and \ doubled, a single quote escaped outside the quotes, and every byte that is
// not printable ASCII (and every byte of a rune that is not printable) as an
// octal escape.
func printfQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '%':
			b.WriteString("%%")
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\'':
			b.WriteString(`'\''`)
		case r < utf8.RuneSelf && r >= ' ' && r != 0x7f:
			b.WriteByte(byte(r))
		case r != utf8.RuneError && r >= utf8.RuneSelf && unicode.IsPrint(r):
			b.WriteString(s[i : i+size])
		default:
			for _, c := range []byte(s[i : i+size]) {
				fmt.Fprintf(&b, `\%03o`, c)
			}
		}
		i += size
	}
	b.WriteByte('\'')
	return b.String()
}
