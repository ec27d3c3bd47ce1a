package check

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/contractcheck/contractcheck/validate/internal/finding"
)

// The CORS response headers, as the contract documents them.
const (
	hdrAllowOrigin      = "Access-Control-Allow-Origin"
	hdrAllowCredentials = "Access-Control-Allow-Credentials"
	hdrAllowMethods     = "Access-Control-Allow-Methods"
	hdrAllowHeaders     = "Access-Control-Allow-Headers"
	hdrExposeHeaders    = "Access-Control-Expose-Headers"
)

// checkCORS applies the Fetch standard's rules for CORS response headers.
// They hold for every response of a described operation, whatever its status,
// because browsers apply them to every response.
func (c *checker) checkCORS() {
	h := c.ex.RespHeader
	origins := headerValues(h, hdrAllowOrigin)
	creds := false
	for _, v := range headerValues(h, hdrAllowCredentials) {
		creds = creds || trimOWS(v) == "true"
	}
	origin := ""
	switch len(origins) {
	case 0:
	case 1:
		origin = trimOWS(origins[0])
		if problem := originProblem(origin); problem != "" {
			c.add(finding.Finding{Rule: finding.RuleCORSAllowOrigin, Location: finding.Location{Part: finding.PartResponseHeader, Name: hdrAllowOrigin},
				Message: hdrAllowOrigin + " " + problem,
				Want:    "one origin (scheme://host[:port]), * or null",
				Got:     c.quote(origins[0]),
				Hint:    originHint(origin),
				Spec:    c.corsSpec(hdrAllowOrigin)})
			origin = ""
		}
	default:
		c.add(finding.Finding{Rule: finding.RuleCORSAllowOrigin, Location: finding.Location{Part: finding.PartResponseHeader, Name: hdrAllowOrigin},
			Message: fmt.Sprintf("%s is sent %d times; browsers combine the lines into one value, which matches no origin", hdrAllowOrigin, len(origins)),
			Want:    "one header line with one origin, * or null",
			Got:     c.quote(strings.Join(origins, ", ")),
			Hint:    "send the header once, with the request's origin when it is allowed",
			Spec:    c.corsSpec(hdrAllowOrigin)})
	}
	if origin == "*" && creds {
		c.add(finding.Finding{Rule: finding.RuleCORSCredentials, Location: finding.Location{Part: finding.PartResponseHeader, Name: hdrAllowOrigin},
			Message: hdrAllowOrigin + " is * while " + hdrAllowCredentials + " is true: browsers fail every credentialed request",
			Want:    "the request's origin, when credentials are allowed",
			Got:     `"*" with ` + hdrAllowCredentials + `: true`,
			Hint:    "echo the request's Origin (and add Vary: Origin), or drop " + hdrAllowCredentials,
			Spec:    c.corsSpec(hdrAllowCredentials)})
	}
	reqOrigin := c.ex.ReqHeader.Get("Origin")
	if origin != "" && origin != "*" && reqOrigin != "" {
		if origin != reqOrigin {
			hint := "echo the request's Origin exactly, or send *"
			if strings.EqualFold(origin, reqOrigin) || strings.TrimSuffix(origin, "/") == reqOrigin {
				hint = "browsers compare byte for byte: echo the Origin exactly as the request sent it"
			}
			c.add(finding.Finding{Rule: finding.RuleCORSOriginMatch, Location: finding.Location{Part: finding.PartResponseHeader, Name: hdrAllowOrigin},
				Message: hdrAllowOrigin + " does not match the request's Origin: the browser discards the response",
				Want:    c.quote(reqOrigin) + " or *", Got: c.quote(origin), Hint: hint,
				Spec: c.corsSpec(hdrAllowOrigin)})
		} else if !varies(headerValues(c.ex.RespHeader, "Vary"), "Origin") {
			c.add(finding.Finding{Rule: finding.RuleCORSVaryOrigin, Location: finding.Location{Part: finding.PartResponseHeader, Name: "Vary"},
				Message: "the response echoes the request's Origin but does not say Vary: Origin",
				Want:    "Vary: Origin", Got: c.quote(strings.Join(headerValues(c.ex.RespHeader, "Vary"), ", ")),
				Hint: "add Vary: Origin, so that caches keep one response per origin",
				Spec: c.corsSpec(hdrAllowOrigin)})
		}
	}
	for _, list := range []struct{ name, what string }{
		{hdrAllowMethods, "method"},
		{hdrAllowHeaders, "header name"},
		{hdrExposeHeaders, "header name"},
	} {
		vals := headerValues(h, list.name)
		for _, v := range vals {
			if bad := badTokens(v); len(bad) > 0 {
				c.add(finding.Finding{Rule: finding.RuleCORSTokenList, Location: finding.Location{Part: finding.PartResponseHeader, Name: list.name},
					Message: fmt.Sprintf("%s is not a comma-separated list of %ss: %s", list.name, list.what, strings.Join(c.quoteAll(bad), ", ")),
					Want:    "tokens separated by commas, such as " + tokenExample(list.name),
					Got:     c.quote(v), Hint: tokenHint(bad),
					Spec: c.corsSpec(list.name)})
			}
		}
		if creds && hasWildcard(vals) {
			c.add(finding.Finding{Rule: finding.RuleCORSCredentials, Location: finding.Location{Part: finding.PartResponseHeader, Name: list.name},
				Message: list.name + " holds * while credentials are allowed: for credentialed requests browsers read * as a literal name, not a wildcard",
				Want:    "the " + list.what + "s listed by name", Got: c.quote(strings.Join(vals, ", ")),
				Hint: "list the " + list.what + "s explicitly", Spec: c.corsSpec(list.name)})
		}
	}
}

// trimOWS is strings.Trim(s, " \t"): it drops the optional whitespace
// around a header value (RFC 9110, section 5.6.3).
func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// headerValues returns the lines of a header given by its canonical name,
// without canonicalizing it again.
func headerValues(h http.Header, canon string) []string { return h[canon] }

// corsSpec cites the documented header, or the responses when the matched
// response does not document it.
func (c *checker) corsSpec(name string) finding.SpecPos {
	if c.respPlan != nil {
		for _, hp := range c.respPlan.Headers {
			if strings.EqualFold(hp.Name, name) {
				return c.p.Doc.Pos(hp.Ptr)
			}
		}
	}
	if rp := c.op.Success(); rp != nil {
		for _, hp := range rp.Headers {
			if strings.EqualFold(hp.Name, name) {
				return c.p.Doc.Pos(hp.Ptr)
			}
		}
	}
	return c.op.Anchors[finding.AnchorResponseHeaders]
}

// originProblem says why a value of Access-Control-Allow-Origin is not a
// single serialized origin, *, or null; "" when it is one.
func originProblem(v string) string {
	if v == "*" || v == "null" {
		return ""
	}
	if v == "" {
		return "is empty"
	}
	if strings.ContainsAny(v, ", ") {
		return "holds a list; it allows one origin at a time"
	}
	scheme, rest, ok := strings.Cut(v, "://")
	if !ok || scheme == "" {
		return "is not an origin: it has no scheme"
	}
	for i := 0; i < len(scheme); i++ {
		c := scheme[i]
		if !('a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return "is not an origin: its scheme is not in lower case letters"
		}
	}
	if rest == "" {
		return "is not an origin: it has no host"
	}
	if strings.ContainsAny(rest, "/?#") {
		return "is not an origin: an origin has no path, query or trailing slash"
	}
	if strings.Contains(rest, "@") {
		return "is not an origin: an origin has no user information"
	}
	if strings.ToLower(rest) != rest {
		return "never matches: browsers send origins with lower-case hosts"
	}
	return ""
}

func originHint(v string) string {
	switch {
	case strings.ContainsAny(v, ", "):
		return "check the request's Origin against your list and echo the one that matches"
	case strings.HasSuffix(v, "/"):
		return "drop the trailing slash: " + strings.TrimRight(v, "/")
	}
	return "send the request's origin as the browser sent it, such as https://app.example.com"
}

// varies reports whether a response's Vary header lines name a field (or *).
func varies(lines []string, field string) bool {
	for _, line := range lines {
		for f := range strings.SplitSeq(line, ",") {
			f = trimOWS(f)
			if f == "*" || strings.EqualFold(f, field) {
				return true
			}
		}
	}
	return false
}

// badTokens returns the elements of a comma-separated header list that are
// not tokens (RFC 9110, section 5.6.2). Empty elements are allowed.
func badTokens(v string) []string {
	var bad []string
	for e := range strings.SplitSeq(v, ",") {
		e = trimOWS(e)
		if e != "" && !isToken(e) {
			bad = append(bad, e)
		}
	}
	return bad
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

func hasWildcard(vals []string) bool {
	for _, v := range vals {
		for e := range strings.SplitSeq(v, ",") {
			if trimOWS(e) == "*" {
				return true
			}
		}
	}
	return false
}

func tokenExample(name string) string {
	if name == hdrAllowMethods {
		return "POST, OPTIONS"
	}
	return "Content-Type, Authorization"
}

func tokenHint(bad []string) string {
	for _, b := range bad {
		switch {
		case strings.ContainsAny(b, " \t"):
			return "separate the elements with commas, not spaces"
		case strings.Contains(b, ";"):
			return "separate the elements with commas, not semicolons"
		case strings.ContainsAny(b, `"'`):
			return "send the names without quotes"
		}
	}
	return "each element must be a token: letters, digits and !#$%&'*+-.^_`|~"
}
