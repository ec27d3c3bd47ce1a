package validate

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// Redacted replaces a secret wherever contractcheck would otherwise print it.
const Redacted = "[REDACTED]"

// secretHeaders are header fields whose values are credentials.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Auth-Token", "X-Twilio-Signature"}

// secretParams are query and form parameter names whose values are credentials,
// compared case-insensitively.
var secretParams = map[string]bool{
	"authtoken": true, "auth_token": true, "token": true, "access_token": true, "api_key": true, "apikey": true,
	"password": true, "passwd": true, "secret": true, "client_secret": true, "signature": true, "sig": true,
}

// Secrets returns the credentials an exchange carries: the values of its
// Authorization and similar headers, the password of Basic auth, the token of
// Bearer auth, and the password of a URL's user information. They are what
// [Redact] hides.
func (ex *Exchange) Secrets() []string {
	out := make([]string, 0, 4)
	add := func(s string) {
		if s = strings.TrimSpace(s); len(s) >= 4 {
			out = append(out, s)
		}
	}
	for _, h := range []http.Header{ex.Request.Header, ex.Response.Header} {
		for _, name := range secretHeaders {
			for _, v := range h[name] { // the names are canonical
				add(v)
				scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
				if !ok {
					continue
				}
				cred = strings.TrimSpace(cred)
				add(cred)
				if strings.EqualFold(scheme, "Basic") {
					if pass, ok := basicPassword(cred); ok {
						add(pass)
					}
				}
			}
		}
	}
	// Only an authority with an @ has user information.
	if !strings.Contains(ex.Request.URL, "@") {
		return out
	}
	if u, err := url.Parse(ex.Request.URL); err == nil && u.User != nil {
		if pass, ok := u.User.Password(); ok {
			add(pass)
		}
	}
	return out
}

// basicPassword returns the password of Basic credentials; ok is false when
// they are not base64 or hold no colon. Short credentials are decoded on the
// stack.
func basicPassword(cred string) (pass string, ok bool) {
	var buf [96]byte
	var raw []byte
	if n := base64.StdEncoding.DecodedLen(len(cred)); n <= len(buf) {
		k, err := base64.StdEncoding.Decode(buf[:n], sbytes(cred))
		if err != nil {
			return "", false
		}
		raw = buf[:k]
	} else {
		var err error
		if raw, err = base64.StdEncoding.DecodeString(cred); err != nil {
			return "", false
		}
	}
	_, p, ok := bytes.Cut(raw, colon)
	return string(p), ok
}

// Redact hides secrets in s: every occurrence of one of the given secrets, the
// password of any URL's user information, the credential after "Basic " or
// "Bearer ", and any run of exactly 32 hexadecimal digits that is not part of
// a longer word (the shape of a Twilio auth token; SIDs keep their hex digits,
// which follow a two-letter prefix).
func Redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Redacted)
		}
	}
	s = redactUserinfo(s)
	s = redactAuthScheme(s, "Basic ")
	s = redactAuthScheme(s, "Bearer ")
	return redactHexTokens(s)
}

// RedactURL returns a URL with secrets hidden: the password of its user
// information, values of query parameters named like credentials (token,
// password, secret, signature, ...) and whatever [Redact] hides.
func RedactURL(raw string, secrets []string) string {
	s := Redact(raw, secrets)
	q := strings.IndexByte(s, '?')
	if q < 0 {
		return s
	}
	frag := ""
	query := s[q+1:]
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, frag = query[:h], query[h:]
	}
	parts := strings.Split(query, "&")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if ok && secretParams[strings.ToLower(name)] {
			parts[i] = k + "=" + Redacted
		}
	}
	return s[:q+1] + strings.Join(parts, "&") + frag
}

// redactUserinfo hides the password in "scheme://user:password@host".
func redactUserinfo(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is written to b, once anything is redacted
	for pos := 0; ; {
		i := strings.Index(s[pos:], "://")
		if i < 0 {
			break
		}
		i += pos
		rest := s[i+3:]
		end := strings.IndexAny(rest, "/?# \t\r\n\"'<>")
		if end < 0 {
			end = len(rest)
		}
		authority := rest[:end]
		at := strings.LastIndexByte(authority, '@')
		colon := strings.IndexByte(authority, ':')
		if at < 0 || colon < 0 || colon > at || authority[colon+1:at] == Redacted {
			pos = i + 3
			continue
		}
		b.WriteString(s[done : i+3])
		b.WriteString(authority[:colon+1])
		b.WriteString(Redacted)
		done = i + 3 + at
		pos = done
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// redactAuthScheme hides the credential after an authorization scheme name
// such as "Basic ", up to the next space or quote.
func redactAuthScheme(s, scheme string) string {
	var b strings.Builder
	for {
		i := indexFold(s, scheme)
		if i < 0 {
			break
		}
		rest := s[i+len(scheme):]
		end := strings.IndexAny(rest, " \t\r\n\"',;")
		if end < 0 {
			end = len(rest)
		}
		b.WriteString(s[:i+len(scheme)])
		if end > 0 && rest[:end] != Redacted {
			b.WriteString(Redacted)
		} else {
			b.WriteString(rest[:end])
		}
		s = rest[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	// An ASCII letter but k and s folds only to its other case: skip the
	// places that cannot start a match without calling EqualFold.
	first := byte(0)
	if len(sub) > 0 {
		if c := sub[0] | 0x20; 'a' <= c && c <= 'z' && c != 'k' && c != 's' {
			first = c
		}
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if first != 0 && s[i]|0x20 != first {
			continue
		}
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// redactHexTokens hides runs of exactly 32 hex digits that stand alone.
func redactHexTokens(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isHex(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isHex(s[j]) {
			j++
		}
		if j-i == 32 && (i == 0 || !isAlnum(s[i-1])) && (j == len(s) || !isAlnum(s[j])) {
			b.WriteString(s[last:i])
			b.WriteString(Redacted)
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isHex(c byte) bool { return hexDigits[c] }

// hexDigits marks 0-9, a-f and A-F.
var hexDigits = func() (t [256]bool) {
	for c := range 256 {
		t[c] = '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
	}
	return t
}()

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// WithoutSecrets returns a copy of the exchange fit to be written to a
// recording: the values of its Authorization and similar headers are
// [Redacted], except that Basic credentials keep their user (an account SID
// is no secret, and rule pair.account needs it) with the password redacted,
// and its URL has its secrets hidden as [RedactURL] hides them. Bodies are
// shared with ex, not copied.
func (ex *Exchange) WithoutSecrets() *Exchange {
	out := *ex
	out.Request.URL = RedactURL(ex.Request.URL, nil)
	out.Request.Header = headerWithoutSecrets(ex.Request.Header)
	out.Response.Header = headerWithoutSecrets(ex.Response.Header)
	return &out
}

// headerWithoutSecrets returns h, or a copy of it with its secret fields
// redacted.
func headerWithoutSecrets(h http.Header) http.Header {
	has := false
	for _, name := range secretHeaders {
		if _, ok := h[name]; ok {
			has = true
		}
	}
	if !has {
		return h
	}
	h = h.Clone()
	for _, name := range secretHeaders {
		for i, v := range h[name] {
			h[name][i] = credentialWithoutSecret(v)
		}
	}
	return h
}

// credentialWithoutSecret redacts one credential header value: "Basic" keeps
// its user, another scheme keeps its name.
func credentialWithoutSecret(v string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || strings.ContainsAny(scheme, "=;") {
		return Redacted
	}
	if strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred)); err == nil {
			if user, _, ok := strings.Cut(string(raw), ":"); ok {
				return scheme + " " + base64.StdEncoding.EncodeToString([]byte(user+":"+Redacted))
			}
		}
	}
	return scheme + " " + Redacted
}
