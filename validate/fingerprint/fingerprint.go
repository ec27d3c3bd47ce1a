// Package fingerprint gives findings an identity that survives re-recording:
// the same problem in the same kind of request has the same fingerprint
// tomorrow, whatever SIDs, timestamps, hosts or credentials the new recording
// holds. Baselines and SARIF's partialFingerprints use it.
//
// A fingerprint hashes four things: the finding's rule, its location (such as
// request.body#/Configuration.FlowSid), the operation the exchange matched,
// and the request's [Shape]: its method, its path with every identifier
// replaced by a placeholder, and the sorted names of its form (or JSON) body
// fields. Values never enter a shape, so no secret can.
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/url"
	"slices"
	"strings"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
)

// Of returns the fingerprint of a finding of an exchange that matched
// operation (empty when none did) and has the given shape: 16 hex digits of
// the SHA-256 of rule, location, operation and shape.
func Of(f validate.Finding, operation, shape string) string {
	h := sha256.New()
	for _, s := range [...]string{f.Rule, f.Location.String(), operation, shape} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Shape returns the request's shape, such as
//
//	POST /v1/Conversations/{sid}/Webhooks Configuration.Url,Target
//
// the method, the [PathTemplate] of its URL, and the sorted, distinct names
// of the fields of its body: form keys for a form body, the top-level keys of
// a JSON object body, none for other bodies. Field names that hold one of the
// exchange's secrets are redacted.
func Shape(ex *validate.Exchange) string {
	keys := bodyKeys(ex.Request.Header.Get("Content-Type"), ex.Request.Body)
	if len(keys) > 0 {
		secrets := redact.NewLazy(ex.Request.URL, ex.Request.Header, ex.Response.Header)
		for i, k := range keys {
			keys[i] = secrets.Text(k)
		}
	}
	return ex.Request.Method + " " + PathTemplate(ex.Request.URL) + " " + strings.Join(keys, ",")
}

// PathTemplate returns the path of a URL (absolute, or an origin-form target)
// without scheme, host, query and fragment, with each segment that looks like
// an identifier replaced: a Twilio SID (two letters and 32 hex digits) by
// {sid}, a decimal number by {n}, a UUID by {uuid}.
func PathTemplate(raw string) string {
	path := raw
	if i := strings.Index(path, "://"); i >= 0 && !strings.ContainsAny(path[:i], "/?#") {
		path = path[i+3:]
		j := strings.IndexByte(path, '/')
		if j < 0 {
			path = "/"
		} else {
			path = path[j:]
		}
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case isSID(s):
			segs[i] = "{sid}"
		case isNumber(s):
			segs[i] = "{n}"
		case isUUID(s):
			segs[i] = "{uuid}"
		}
	}
	return strings.Join(segs, "/")
}

// bodyKeys returns the sorted, distinct field names of a body.
func bodyKeys(contentType string, body []byte) []string {
	if len(body) == 0 {
		return nil
	}
	media, _, _ := mime.ParseMediaType(contentType)
	var keys []string
	switch {
	case media == "application/json" || strings.HasSuffix(media, "+json"):
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) != nil {
			return nil
		}
		for k := range obj {
			keys = append(keys, k)
		}
	case media == "application/x-www-form-urlencoded" || media == "":
		if media == "" && (body[0] == '{' || body[0] == '[') {
			return nil
		}
		for part := range strings.SplitSeq(string(body), "&") {
			k, _, _ := strings.Cut(part, "=")
			if dec, err := url.QueryUnescape(k); err == nil {
				k = dec
			}
			if k != "" {
				keys = append(keys, k)
			}
		}
	default:
		return nil
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

func isSID(s string) bool {
	if len(s) != 34 || !isLetter(s[0]) || !isLetter(s[1]) {
		return false
	}
	return isHexString(s[2:])
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return false
			}
		} else if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isHexString(s string) bool {
	for i := range len(s) {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' }

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
