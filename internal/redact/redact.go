// Package redact hides secrets: the one place every value of an exchange
// goes through before contractcheck shows it (in a finding, a report, a
// recording, a log line or a terminal).
package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/contractcheck/contractcheck/internal/ascii"
)

// Redacted replaces a secret wherever contractcheck would otherwise print it.
const Redacted = "[REDACTED]"

// secretHeaders are header fields whose values are credentials.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Auth-Token", "X-Twilio-Signature"}

// secretParams are the names of parameters whose values are credentials,
// wherever they appear (a URL's query, a form, a JSON member, a message):
// compared case-insensitively and without their - and _ (so "api-key",
// "API_KEY" and "apikey" are one name).
var secretParams = map[string]bool{
	"authtoken": true, "token": true, "accesstoken": true, "refreshtoken": true, "idtoken": true, "sessiontoken": true,
	"apikey": true, "key": true, "privatekey": true, "password": true, "passwd": true, "secret": true, "clientsecret": true,
	"signature": true, "sig": true, "xamzsignature": true, "xamzsecuritytoken": true, "sessionid": true, "jsessionid": true,
}

// isSecretName reports whether a parameter name is one of secretParams.
func isSecretName(name string) bool {
	if len(name) > 32 {
		return false
	}
	var buf [32]byte
	n := 0
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '-' || c == '_':
		case 'A' <= c && c <= 'Z':
			buf[n] = c + 'a' - 'A'
			n++
		default:
			buf[n] = c
			n++
		}
	}
	return secretParams[string(buf[:n])]
}

// Secrets returns the credentials an exchange carries: the values of its
// Authorization and similar headers (in any of headers), the password of
// Basic auth, the token of Bearer auth, and the password of the request
// URL's user information, longest first. They are what [Text] hides.
func Secrets(requestURL string, headers ...http.Header) []string {
	computed.Add(1)
	out := make([]string, 0, 4)
	add := func(s string) {
		if s = strings.TrimSpace(s); len(s) >= 4 {
			out = append(out, s)
		}
	}
	eachCredential(headers, func(v, scheme, cred string) bool {
		add(v)
		if cred == "" {
			return false
		}
		add(cred)
		if strings.EqualFold(scheme, "Basic") {
			var buf [96]byte
			if pass, ok := basicPassword(&buf, cred); ok {
				add(string(pass))
			}
		}
		return false
	})
	// Only an authority with an @ has user information.
	if strings.Contains(requestURL, "@") {
		if u, err := url.Parse(requestURL); err == nil && u.User != nil {
			if pass, ok := u.User.Password(); ok {
				add(pass)
			}
		}
	}
	sortLongestFirst(out)
	return out
}

// computed counts the calls of [Secrets] (see [Computed]).
var computed atomic.Int64

// Computed returns how many times the secrets of an exchange were computed
// ([Secrets]) since the program started: tests read it to show that a pair's
// secrets are computed once at most.
func Computed() int64 { return computed.Load() }

// eachCredential calls fn with each value of a credential header field of
// headers, its scheme and its credentials ([SplitCredentials]; cred is ""
// when it does not split), until fn returns true; it reports whether fn did.
func eachCredential(headers []http.Header, fn func(v, scheme, cred string) bool) bool {
	for _, h := range headers {
		for _, name := range secretHeaders {
			for _, v := range h[name] { // the names are canonical
				scheme, cred, ok := SplitCredentials(v)
				if !ok {
					cred = ""
				}
				if fn(v, scheme, cred) {
					return true
				}
			}
		}
	}
	return false
}

// Lazy is the secrets of one exchange ([Secrets] of its request URL and
// headers), computed when a text first needs them: [Lazy.Text] proves,
// without computing them, that most texts hold none. Its URL and headers are
// read when it needs them, so a Lazy is for an exchange that does not change
// meanwhile, and for one goroutine; [Lazy.For] hands secrets computed once
// on to a later reader of the same exchange, checking that it has not
// changed.
type Lazy struct {
	url               string
	request, response http.Header
	secrets           []string
	from              []string // the credential header values secrets were computed from
	done              bool
	held              held // what mayHold compares texts with, read once
}

// held is what [Lazy.mayHold] compares a text with, read from the
// credential header fields the first time it is needed: each value and its
// credentials, trimmed, and a Basic password, in fixed room so that reading
// them allocates nothing. A failing pair has a dozen texts to show, and
// reading the fields (and decoding base64) for each cost a third of its
// check.
type held struct {
	read     bool
	overflow bool // more than fits: mayHold reads the fields each time
	escapes  bool // one of them has a character some escaping changes
	n        int
	vals     [6]string
	passLen  int
	pass     [96]byte
}

// readHeld fills l.held from the exchange's credential header fields.
func (l *Lazy) readHeld() *held {
	h := &l.held
	if h.read {
		return h
	}
	h.read = true
	add := func(secret string) {
		secret = strings.TrimSpace(secret)
		if len(secret) < 4 {
			return
		}
		if h.n == len(h.vals) {
			h.overflow = true
			return
		}
		h.vals[h.n] = secret
		h.n++
		h.escapes = h.escapes || needsEscape(secret)
	}
	eachCredential([]http.Header{l.request, l.response}, func(v, scheme, cred string) bool {
		add(v)
		if cred != "" {
			add(cred)
		}
		if cred != "" && strings.EqualFold(scheme, "Basic") {
			var buf [96]byte
			if pass, ok := basicPassword(&buf, cred); ok {
				if trimmed := bytes.TrimSpace(pass); len(trimmed) >= 4 {
					if h.passLen > 0 || len(trimmed) > len(h.pass) {
						h.overflow = true
					} else {
						h.passLen = copy(h.pass[:], trimmed)
						h.escapes = h.escapes || needsEscape(unsafe.String(unsafe.SliceData(trimmed), len(trimmed)))
					}
				}
			}
		}
		return h.overflow
	})
	return h
}

// NewLazy returns the secrets of the exchange with the given request URL
// and headers, not computed yet.
func NewLazy(requestURL string, request, response http.Header) Lazy {
	return Lazy{url: requestURL, request: request, response: response}
}

// Secrets returns the secrets, computing them the first time.
func (l *Lazy) Secrets() []string {
	if !l.done {
		l.secrets, l.done = Secrets(l.url, l.request, l.response), true
		l.from = nil
		eachCredential([]http.Header{l.request, l.response}, func(v, _, _ string) bool {
			l.from = append(l.from, v)
			return false
		})
	}
	return l.secrets
}

// Computed reports whether the secrets have been computed.
func (l Lazy) Computed() bool { return l.done }

// For returns the secrets of the exchange with the given request URL and
// headers: those of l when l computed them for the same URL and the same
// values of the credential header fields (the whole input of [Secrets]),
// and otherwise a new Lazy that computes them when a text needs them. It
// never hands on secrets of an exchange that has changed since: only
// computing them again costs more.
func (l *Lazy) For(requestURL string, request, response http.Header) Lazy {
	fresh := NewLazy(requestURL, request, response)
	if l == nil || !l.done || l.url != requestURL {
		return fresh
	}
	i := 0
	changed := eachCredential([]http.Header{request, response}, func(v, _, _ string) bool {
		if i >= len(l.from) || l.from[i] != v {
			return true
		}
		i++
		return false
	})
	if changed || i != len(l.from) {
		return fresh
	}
	fresh.secrets, fresh.from, fresh.done = l.secrets, l.from, true
	return fresh
}

// Text is [Text] of s and the secrets; it computes them only when s may hold
// one of them ([Lazy.mayHold]), and otherwise gives Text(s, nil), which is
// then the same text.
func (l *Lazy) Text(s string) string {
	if !l.done && !l.mayHold(s) {
		return Text(s, nil)
	}
	return Text(s, l.Secrets())
}

// mayHold reports whether Text(s, secrets) may differ from Text(s, nil),
// without computing the secrets nor allocating: s holds one of them, or
// could hold one encoded (s has a %, or an escape character and a secret
// has a character some escaping changes), or the URL has user information.
// It is false only when the two are the same: [Text] then finds no secret
// in s, whole or escaped, and has no percent-encoded piece to decode.
func (l *Lazy) mayHold(s string) bool {
	if strings.IndexByte(s, '%') >= 0 || strings.IndexByte(l.url, '@') >= 0 {
		return true
	}
	escaped := strings.ContainsAny(s, "\\&+")
	if h := l.readHeld(); !h.overflow {
		if escaped && h.escapes {
			return true
		}
		for _, v := range h.vals[:h.n] {
			if strings.Contains(s, v) {
				return true
			}
		}
		return h.passLen > 0 && strings.Contains(s, unsafe.String(&h.pass[0], h.passLen))
	}
	holds := func(secret string) bool {
		secret = strings.TrimSpace(secret)
		return len(secret) >= 4 && (strings.Contains(s, secret) || escaped && needsEscape(secret))
	}
	return eachCredential([]http.Header{l.request, l.response}, func(v, scheme, cred string) bool {
		if holds(v) || cred != "" && holds(cred) {
			return true
		}
		if cred != "" && strings.EqualFold(scheme, "Basic") {
			var buf [96]byte
			if pass, ok := basicPassword(&buf, cred); ok && holds(unsafe.String(unsafe.SliceData(pass), len(pass))) {
				return true
			}
		}
		return false
	})
}

// Checked hands the secrets the check of a pair computed on to the report
// of the same pair, without adding a name to package validate's API. Package
// validate sets it, when it is initialized, to a
//
//	func(*validate.Exchange, validate.Result) Lazy
//
// that returns the exchange's secrets as [Lazy.For] hands them on from the
// check that gave the result (validate.Result carries them in a field of
// its own). It is an any since this package cannot name validate's types.
var Checked any

// SplitCredentials splits an Authorization value into its scheme and its
// credentials at the first run of HTTP white space (spaces and tabs, RFC
// 9110's OWS); ok is false when there is none.
func SplitCredentials(v string) (scheme, cred string, ok bool) {
	v = strings.Trim(v, " \t")
	i := strings.IndexAny(v, " \t")
	if i < 0 {
		return v, "", false
	}
	return v[:i], strings.Trim(v[i:], " \t"), true
}

// basicPassword returns the password of Basic credentials, in buf when they
// are short enough; ok is false when they are not base64 or hold no colon.
func basicPassword(buf *[96]byte, cred string) (pass []byte, ok bool) {
	var raw []byte
	if n := base64.StdEncoding.DecodedLen(len(cred)); n <= len(buf) {
		k, err := base64.StdEncoding.Decode(buf[:n], unsafe.Slice(unsafe.StringData(cred), len(cred)))
		if err != nil {
			return nil, false
		}
		raw = buf[:k]
	} else {
		var err error
		if raw, err = base64.StdEncoding.DecodeString(cred); err != nil {
			return nil, false
		}
	}
	_, p, ok := bytes.Cut(raw, []byte{':'})
	return p, ok
}

// sortLongestFirst orders secrets so that a secret is replaced before any
// shorter one it contains.
func sortLongestFirst(secrets []string) {
	slices.SortStableFunc(secrets, func(a, b string) int { return len(b) - len(a) })
}

// Text hides secrets in s, and is the one function every value goes
// through before contractcheck shows it (whole: before it is shortened or
// quoted). It replaces with [Redacted]:
//
//   - every occurrence of one of the given secrets, and of the forms it
//     takes once quoted or escaped (Go and JSON string escapes, percent- and
//     HTML-encoding);
//   - the password of any URL's user information;
//   - the credentials after an authorization scheme ("Basic", "Bearer") and
//     white space;
//   - the value of every parameter named like a credential (token, password,
//     secret, signature, api-key, key, x-amz-signature, sessionid, ...): "name=value"
//     in a query, a form or a cookie, and the JSON member "name": "value";
//   - any run of exactly 32 hexadecimal digits that is not part of a longer
//     word (the shape of a Twilio auth token; SIDs keep their hex digits,
//     which follow a two-letter prefix);
//   - any percent-encoded text (a query parameter's value, a path segment)
//     in which, once decoded (layer after layer), one of the above appears.
//
// Text(Text(s)) is Text(s).
func Text(s string, secrets []string) string {
	if plain(s, secrets) {
		return s
	}
	return redactAll(s, secrets)
}

// redactAll is [Text] without the test of [plain].
func redactAll(s string, secrets []string) string {
	if !slices.IsSortedFunc(secrets, func(a, b string) int { return len(b) - len(a) }) {
		secrets = slices.Clone(secrets)
		sortLongestFirst(secrets)
	}
	s = redactExact(s, secrets)
	s = redactEncoded(s, secrets)
	return redactShapes(s)
}

// plain reports whether Text would leave s as it is, in one pass over s:
// it holds none of the secrets, and none of what the other steps look for
// (a %XX escape or an escape character, "://" and an @, an authorization
// scheme's name, "=", a JSON member's quote and colon, a run of 32 hex
// digits that stands alone, as a Twilio SID's does not).
func plain(s string, secrets []string) bool {
	var seen byte      // the classes of the bytes of s
	run := 0           // the hex digits before s[i]
	runInWord := false // whether the run follows a letter or a digit
	authority := false // whether s has a "://"
	for i := 0; i < len(s); i++ {
		cl := byteClass[s[i]]
		seen |= cl
		if cl&classHex != 0 {
			if run == 0 {
				runInWord = i > 0 && byteClass[s[i-1]]&classAlnum != 0
			}
			run++
			if cl&classB != 0 && (hasPrefixFold(s[i:], "basic") || hasPrefixFold(s[i:], "bearer")) {
				return false
			}
			continue
		}
		if run == 32 && !runInWord && cl&classAlnum == 0 || cl&classStop != 0 {
			return false
		}
		if cl&classColon != 0 && strings.HasPrefix(s[i+1:], "//") {
			authority = true
		}
		run = 0
	}
	if run == 32 && !runInWord || seen&(classQuote|classColon) == classQuote|classColon || authority && seen&classAt != 0 {
		return false
	}
	for _, secret := range secrets {
		if secret != "" && strings.Contains(s, secret) {
			return false
		}
	}
	return true
}

// The classes of bytes that plain looks for.
const (
	classHex   = 1 << iota // 0-9 a-f A-F
	classB                 // b or B, which starts Basic and Bearer
	classStop              // % = \ & +: a step of Text may apply
	classQuote             // "
	classColon             // :
	classAt                // @, which ends a URL's user information
	classAlnum             // 0-9 a-z A-Z, next to which 32 hex digits are no token
)

var byteClass = func() (t [256]byte) {
	for c := range 256 {
		if ascii.IsHex(byte(c)) {
			t[c] |= classHex
		}
	}
	t['b'] |= classB
	t['B'] |= classB
	for _, c := range `%=\&+` {
		t[c] |= classStop
	}
	t['"'] |= classQuote
	t[':'] |= classColon
	t['@'] |= classAt
	for c := range 256 {
		if ascii.IsAlnum(byte(c)) {
			t[c] |= classAlnum
		}
	}
	return t
}()

// hasPrefixFold is strings.HasPrefix ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// redactShapes hides what has the shape of a credential, whatever the
// exchange: the steps of [Text] but the exact secrets and the decoding.
func redactShapes(s string) string {
	s = redactUserinfo(s)
	s = redactAuthScheme(s, "Basic")
	s = redactAuthScheme(s, "Bearer")
	s = redactParams(s)
	s = redactJSONMembers(s)
	return redactHexTokens(s)
}

// redactExact replaces the secrets, and their escaped forms where s holds
// the characters that start an escape.
func redactExact(s string, secrets []string) string {
	escaped := strings.ContainsAny(s, "\\%&+")
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Redacted)
		}
		if escaped && needsEscape(secret) {
			for _, v := range escapedForms(secret) {
				if v != secret && strings.Contains(s, v) {
					s = strings.ReplaceAll(s, v, Redacted)
				}
			}
		}
	}
	return s
}

// needsEscape reports whether a secret has a character that some quoting or
// escaping changes.
func needsEscape(secret string) bool {
	for i := 0; i < len(secret); i++ {
		if c := secret[i]; !ascii.IsAlnum(c) && c != '-' && c != '.' && c != '~' {
			return true
		}
	}
	return false
}

// escapedForms returns the forms a secret takes inside a Go or JSON string
// literal, once percent-encoded (as a query value or a path) and once
// escaped for HTML or XML.
func escapedForms(secret string) []string {
	q := strconv.Quote(secret)
	forms := []string{q[1 : len(q)-1], url.QueryEscape(secret), url.PathEscape(secret), html.EscapeString(secret)}
	var b bytes.Buffer
	for _, escapeHTML := range []bool{true, false} {
		b.Reset()
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		if enc.Encode(secret) == nil {
			j := bytes.TrimSpace(b.Bytes())
			forms = append(forms, string(j[1:len(j)-1]))
		}
	}
	return forms
}

// spans rebuilds a string with some of its spans replaced by [Redacted],
// copying it only when one is.
type spans struct {
	s    string
	b    strings.Builder
	last int // s[:last] is written to b
}

// hide replaces s[i:j], which follows the spans hidden before.
func (r *spans) hide(i, j int) {
	r.b.WriteString(r.s[r.last:i])
	r.b.WriteString(Redacted)
	r.last = j
}

// String returns s with the spans hidden.
func (r *spans) String() string {
	if r.last == 0 {
		return r.s
	}
	r.b.WriteString(r.s[r.last:])
	return r.b.String()
}

// maxDecodeLayers bounds how many layers of percent-encoding redactEncoded
// takes off one piece of text.
const maxDecodeLayers = 8

// redactEncoded hides percent-encoded pieces of s that hide a secret: each
// run of text between the delimiters of URLs and prose that holds a %XX
// escape is decoded, layer after layer, and replaced whole when a layer
// holds a secret or the shape of one.
func redactEncoded(s string, secrets []string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	r := spans{s: s}
	for i := 0; i < len(s); {
		if isPieceDelim(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && !isPieceDelim(s[j]) {
			j++
		}
		if piece := s[i:j]; hidesSecret(piece, secrets) {
			r.hide(i, j)
		}
		i = j
	}
	return r.String()
}

// isPieceDelim reports whether c ends a piece of text redactEncoded decodes:
// the delimiters of a URL's path and query, white space and quotes.
func isPieceDelim(c byte) bool {
	switch c {
	case '/', '?', '#', '&', '=', ';', ',', ' ', '\t', '\r', '\n', '"', '\'', '<', '>', '\\':
		return true
	}
	return false
}

// hidesSecret reports whether percent-decoding piece, once or more, shows
// a secret or the shape of one.
func hidesSecret(piece string, secrets []string) bool {
	for range maxDecodeLayers {
		decoded, ok := percentDecode(piece)
		if !ok {
			return false
		}
		if redactExact(decoded, secrets) != decoded || redactShapes(decoded) != decoded {
			return true
		}
		piece = decoded
	}
	return false
}

// percentDecode decodes the %XX escapes of s, leaving a % that starts no
// escape as it is; ok is false when s has no escape.
func percentDecode(s string) (string, bool) {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && ascii.IsHex(s[i+1]) && ascii.IsHex(s[i+2]) {
			if b == nil {
				b = make([]byte, 0, len(s))
				b = append(b, s[:i]...)
			}
			b = append(b, ascii.Unhex(s[i+1])<<4|ascii.Unhex(s[i+2]))
			i += 2
			continue
		}
		if b != nil {
			b = append(b, s[i])
		}
	}
	if b == nil {
		return s, false
	}
	return string(b), true
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

// redactAuthScheme hides the credentials after an authorization scheme name
// such as "Basic" and white space, up to the next white space, quote or
// separator.
func redactAuthScheme(s, scheme string) string {
	var b strings.Builder
	for {
		i := indexFold(s, scheme)
		if i < 0 {
			break
		}
		rest := s[i+len(scheme):]
		ws := 0
		for ws < len(rest) && (rest[ws] == ' ' || rest[ws] == '\t') {
			ws++
		}
		if ws == 0 || i > 0 && ascii.IsAlnum(s[i-1]) {
			// Not the scheme: a word that starts or ends like it.
			b.WriteString(s[:i+len(scheme)])
			s = rest
			continue
		}
		cred := rest[ws:]
		end := strings.IndexAny(cred, " \t\r\n\"',;\\")
		if end < 0 {
			end = len(cred)
		}
		b.WriteString(s[:i+len(scheme)+ws])
		if end > 0 && cred[:end] != Redacted {
			b.WriteString(Redacted)
		} else {
			b.WriteString(cred[:end])
		}
		s = cred[end:]
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

// isNameByte reports whether c can be part of a parameter's name as
// redactParams reads it (a percent-encoded name included).
func isNameByte(c byte) bool { return ascii.IsAlnum(c) || c == '-' || c == '.' || c == '%' }

// redactParams hides the value of every "name=value" whose name is one of
// secretParams, wherever it is: a query, a form, a cookie, a message. The
// value ends at the next &, #, ;, white space, quote or backslash.
func redactParams(s string) string {
	if !strings.Contains(s, "=") {
		return s
	}
	r := spans{s: s}
	for i := strings.IndexByte(s, '='); i >= 0; {
		start := i
		for start > 0 && isNameByte(s[start-1]) {
			start--
		}
		end := i + 1
		for end < len(s) && !isValueEnd(s[end]) {
			end++
		}
		if start < i && end > i+1 && s[i+1:end] != Redacted && isSecretName(paramName(s[start:i])) {
			r.hide(i+1, end)
		}
		next := strings.IndexByte(s[i+1:], '=')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return r.String()
}

// paramName decodes a percent-encoded parameter name; one that does not
// decode is taken as written.
func paramName(raw string) string {
	if strings.IndexByte(raw, '%') < 0 {
		return raw
	}
	if name, err := url.PathUnescape(raw); err == nil {
		return name
	}
	return raw
}

// isValueEnd reports whether c ends the value of a parameter.
func isValueEnd(c byte) bool {
	switch c {
	case '&', '#', ';', ' ', '\t', '\r', '\n', '"', '\'', '<', '>', '\\':
		return true
	}
	return false
}

// redactJSONMembers hides the string value of every JSON member whose name
// is one of secretParams: "password": "..." becomes "password": "[REDACTED]".
func redactJSONMembers(s string) string {
	if !strings.Contains(s, `"`) || !strings.Contains(s, ":") {
		return s
	}
	r := spans{s: s}
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			continue
		}
		// A name: "name" then white space, a colon, white space and a quote.
		j := i + 1
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != '"' || !isSecretName(s[i+1:j]) {
			continue
		}
		k := skipJSONSpace(s, j+1)
		if k >= len(s) || s[k] != ':' {
			continue
		}
		k = skipJSONSpace(s, k+1)
		if k >= len(s) || s[k] != '"' {
			continue
		}
		end := k + 1
		for end < len(s) && s[end] != '"' {
			if s[end] == '\\' {
				end++
			}
			end++
		}
		end = min(end, len(s))
		if end > k+1 && s[k+1:end] != Redacted {
			r.hide(k+1, end)
		}
		i = end
	}
	return r.String()
}

func skipJSONSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// redactHexTokens hides runs of exactly 32 hex digits that stand alone.
func redactHexTokens(s string) string {
	r := spans{s: s}
	for i := 0; i < len(s); {
		if !ascii.IsHex(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && ascii.IsHex(s[j]) {
			j++
		}
		if j-i == 32 && (i == 0 || !ascii.IsAlnum(s[i-1])) && (j == len(s) || !ascii.IsAlnum(s[j])) {
			r.hide(i, j)
		}
		i = j
	}
	return r.String()
}

// Header returns h fit to be written to a recording: h itself, or a copy
// of it in which the values of Authorization and similar fields are
// [Redacted], except that Basic credentials keep their user (an account SID
// is no secret) with the password redacted.
func Header(h http.Header) http.Header {
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
	scheme, cred, ok := SplitCredentials(v)
	if !ok || strings.ContainsAny(scheme, "=;") {
		return Redacted
	}
	if strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
			if user, _, ok := strings.Cut(string(raw), ":"); ok {
				return scheme + " " + base64.StdEncoding.EncodeToString([]byte(user+":"+Redacted))
			}
		}
	}
	return scheme + " " + Redacted
}
