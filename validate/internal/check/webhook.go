package check

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/contractcheck/contractcheck/internal/ascii"
	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/finding"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
	"github.com/contractcheck/contractcheck/validate/internal/route"
	"github.com/contractcheck/contractcheck/validate/internal/wire"
)

// webhookOperationID is the operation whose documentation states rules in
// words that no schema holds; webhookPlan checks them.
const webhookOperationID = "CreateConversationScopedWebhook"

func init() {
	registerOwnRules(webhookOperationID, func(doc *contract.Document, op *compiled.Operation) ownRules { return newWebhookPlan(doc, op) })
}

// The form fields and response properties the webhook's own rules read.
const (
	fieldTarget      = "Target"
	fieldURL         = "Configuration.Url"
	fieldMethod      = "Configuration.Method"
	fieldFilters     = "Configuration.Filters"
	fieldTriggers    = "Configuration.Triggers"
	fieldFlowSid     = "Configuration.FlowSid"
	fieldReplayAfter = "Configuration.ReplayAfter"
	pathConversation = "ConversationSid"
)

// configEcho pairs each configuration field of the request with the
// property of the response's configuration that states it back.
var configEcho = [...]struct{ field, prop string }{
	{fieldURL, "url"},
	{fieldMethod, "method"},
	{fieldFilters, "filters"},
	{fieldTriggers, "triggers"},
	{fieldFlowSid, "flow_sid"},
	{fieldReplayAfter, "replay_after"},
}

// webhookPlan holds what the conversation-scoped webhook's own rules need
// from the contract: where each field is documented (for citations) and the
// SID formats, compiled once.
type webhookPlan struct {
	fields map[string]finding.SpecPos // form fields the contract documents → their schemas
	props  map[string]finding.SpecPos // response property → its schema

	// convPrefix and accountPrefix are the prefixes of the conversation's
	// and the account's SIDs: a SID is ^<prefix>[0-9a-fA-F]{32}$.
	convPrefix    string
	convSpec      finding.SpecPos // the conversation SID's pattern
	accountPrefix string
}

// newWebhookPlan reads the webhook rules' anchors from the compiled operation.
func newWebhookPlan(doc *contract.Document, op *compiled.Operation) *webhookPlan {
	wp := &webhookPlan{
		fields: map[string]finding.SpecPos{}, props: map[string]finding.SpecPos{},
		convPrefix: "CH", convSpec: op.Anchors[finding.AnchorPathParams], accountPrefix: "AC",
	}
	if op.Body != nil {
		if mp := compiled.FormMedia(op.Body.Media); mp != nil {
			for name, f := range mp.Form.Fields {
				wp.fields[name] = doc.Pos(f.Ptr)
			}
		}
	}
	if rp := op.Success(); rp != nil {
		for _, mp := range rp.Media {
			if !mp.JSON || mp.Ptr == "" {
				continue
			}
			props, _ := doc.Object(mp.Ptr)["properties"].(map[string]any)
			for name := range props {
				ptr, err := doc.Deref(contract.JoinPointer(mp.Ptr, "properties", name))
				if err != nil {
					continue
				}
				wp.props[name] = doc.Pos(ptr)
				pattern, _ := doc.Object(ptr)["pattern"].(string)
				if m := gate.SIDPattern.FindStringSubmatch(pattern); m != nil {
					switch name {
					case "conversation_sid":
						wp.convPrefix, wp.convSpec = m[1], doc.Pos(contract.JoinPointer(ptr, "pattern"))
					case "account_sid":
						wp.accountPrefix = m[1]
					}
				}
			}
		}
	}
	return wp
}

// checkPath checks the path's ConversationSid when it is meant as a SID: the
// path also takes a conversation's unique name, which is not.
func (wp *webhookPlan) checkPath(c *checker) {
	v, ok := c.pathValue(pathConversation)
	if !ok || !looksLikeSID(v, wp.convPrefix) || gate.IsSID(wire.Bytes(v), wp.convPrefix) || !c.room(finding.RuleSIDFormat) {
		return
	}
	c.add(c.sidFinding(finding.Location{Part: finding.PartRequestPath, Pointer: "/" + pathConversation}, pathConversation, wp.convPrefix, v, wp.convSpec))
}

// looksLikeSID tells a would-be SID from a unique name: it starts with the
// prefix (in any case) or two capitals, and the rest is mostly hex digits.
func looksLikeSID(s, prefix string) bool {
	if len(s) < 16 || len(s) > 40 {
		return false
	}
	if !strings.EqualFold(s[:2], prefix) && !(isUpperLetter(s[0]) && isUpperLetter(s[1])) {
		return false
	}
	hex := 0
	for i := 2; i < len(s); i++ {
		if ascii.IsHex(s[i]) {
			hex++
		} else if !ascii.IsAlnum(s[i]) {
			return false
		}
	}
	return hex*4 >= (len(s)-2)*3
}

// pathValue returns the value of a path parameter.
func (c *checker) pathValue(name string) (string, bool) {
	i := 0
	for _, s := range c.op.Segs {
		if s.Param == "" {
			continue
		}
		if s.Param == name && i < len(c.pathVals) {
			return c.pathVals[i], true
		}
		i++
	}
	return "", false
}

// checkWords checks what the documentation says in words: the
// Configuration.Url is absolute, and the configuration fits the Target.
func (wp *webhookPlan) checkWords(c *checker) {
	fs := &c.scan.form
	if u, ok := fs.first(fs.named(fieldURL)); ok && !gate.IsPlainAbsoluteURL(u) {
		if problem := absoluteURLProblem(wire.String(u)); problem != "" && c.room(finding.RuleConfigURL) {
			s := string(u)
			c.add(finding.Finding{Rule: finding.RuleConfigURL, Location: finding.Location{Part: finding.PartRequestBody, Pointer: "/" + fieldURL},
				Message: fieldURL + " " + problem,
				Want:    "an absolute URL, such as https://example.com/hooks", Got: c.quote(s),
				Hint: absoluteURLHint(s), Spec: wp.fields[fieldURL]})
		}
	}
	target, _ := fs.first(fs.named(fieldTarget))
	need := func(field, why string) {
		if _, documented := wp.fields[field]; !documented || fs.count(fs.named(field)) > 0 || !c.room(finding.RuleConfigTarget) {
			return
		}
		t := string(target)
		c.add(finding.Finding{Rule: finding.RuleConfigTarget, Location: finding.Location{Part: finding.PartRequestBody, Pointer: "/" + field},
			Message: fmt.Sprintf("Target is %s but %s is not set: %s", t, field, why),
			Want:    field + " set for Target=" + t, Got: "missing",
			Hint: fmt.Sprintf("add %s=… to the form body", field), Spec: wp.fields[field]})
	}
	switch string(target) {
	case "studio":
		need(fieldFlowSid, "a studio webhook needs the flow to send events to")
	case "webhook":
		need(fieldURL, "a webhook needs the URL to send events to")
	case "trigger":
		need(fieldURL, "a trigger needs the URL to send events to")
		need(fieldTriggers, "a trigger fires only on the keywords it lists")
	}
}

// absoluteURLProblem says why a URL is not absolute; "" when it is.
func absoluteURLProblem(s string) string {
	u, err := url.Parse(s)
	switch {
	case s == "":
		return "is empty"
	case err != nil:
		// Not err itself: it quotes the whole URL, which Got shows redacted.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "is not a URL: " + err.Error()
	case u.Scheme == "":
		return "is not absolute: it has no scheme"
	case u.Host == "":
		return "is not absolute: it has no host"
	}
	return ""
}

func absoluteURLHint(s string) string {
	switch {
	case strings.HasPrefix(s, "/"):
		return "this is a path: give the whole URL, with scheme and host"
	case strings.HasPrefix(s, "www.") || !strings.Contains(s, "://") && strings.Contains(s, "."):
		return "add the scheme: https://" + s
	}
	return ""
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// checkPair checks that the response agrees with the request: the same
// conversation, target and configuration, its own url, dates in order and
// the authenticated account. It reads the response's scanned properties and
// the scanned form.
func (wp *webhookPlan) checkPair(c *checker) {
	if !c.respObject || c.respPlan == nil || !strings.HasPrefix(c.respPlan.Code, "2") {
		return
	}
	st := c.scan
	sc := &st.sc
	pathConv, _ := c.pathValue(pathConversation)
	convIsSID := gate.IsSID(wire.Bytes(pathConv), wp.convPrefix)
	respConv, _ := sc.Text(st.prop(propConversation))
	if convIsSID && len(respConv) > 0 && string(respConv) != pathConv && c.room(finding.RulePairConversation) {
		c.add(finding.Finding{Rule: finding.RulePairConversation, Location: finding.Location{Part: finding.PartResponseBody, Pointer: "/conversation_sid"},
			Message: "the webhook was created on another conversation than the request's path names",
			Want:    c.quote(pathConv) + " (the request's path)", Got: c.quote(string(respConv)),
			Spec: wp.props["conversation_sid"]})
	}
	if c.formOK {
		fs := &st.form
		if target, ok := sc.Text(st.prop(propTarget)); ok {
			if sent, ok := fs.first(fs.named(fieldTarget)); ok && !bytes.Equal(target, sent) && c.room(finding.RulePairTarget) {
				c.add(finding.Finding{Rule: finding.RulePairTarget, Location: finding.Location{Part: finding.PartResponseBody, Pointer: "/target"},
					Message: "the response's target is not the request's Target",
					Want:    c.quote(string(sent)) + " (the request's Target)", Got: c.quote(string(target)),
					Spec: wp.props["target"]})
			}
		}
		wp.checkConfiguration(c)
	}
	wp.checkURL(c, pathConv, convIsSID, respConv)
	wp.checkDates(c)
	var buf [128]byte
	if user := basicUserBytes(c.ex.ReqHeader.Get("Authorization"), buf[:]); gate.IsSID(user, wp.accountPrefix) {
		if acct, ok := sc.Text(st.prop(propAccount)); ok && !bytes.Equal(acct, user) && c.room(finding.RulePairAccount) {
			c.add(finding.Finding{Rule: finding.RulePairAccount, Location: finding.Location{Part: finding.PartResponseBody, Pointer: "/account_sid"},
				Message: "the webhook belongs to another account than the one that authenticated",
				Want:    c.quote(string(user)) + " (the Basic-auth user)", Got: c.quote(string(acct)),
				Spec: wp.props["account_sid"]})
		}
	}
}

// checkConfiguration compares what the response's configuration states with
// what the request set. A value the response leaves out is not a finding.
func (wp *webhookPlan) checkConfiguration(c *checker) {
	st := c.scan
	sc, fs := &st.sc, &st.form
	cfg := st.prop(propConfiguration)
	if k := cfg.Kind(); k == 0 || k == 'n' {
		return
	}
	var echoed [len(configEcho)]gate.Value // the last occurrence of each property
	isObject := sc.Each(cfg, '{', func(key []byte, val gate.Value) bool {
		for k, e := range configEcho {
			if string(key) == e.prop {
				echoed[k] = val
			}
		}
		return true
	})
	for k, e := range configEcho {
		field := fs.named(e.field)
		sent, ok := fs.first(field)
		if !ok {
			continue
		}
		if !isObject {
			if c.room(finding.RulePairConfiguration) {
				v := decodeValue(cfg)
				c.add(finding.Finding{Rule: finding.RulePairConfiguration, Location: finding.Location{Part: finding.PartResponseBody, Pointer: "/configuration"},
					Message: fmt.Sprintf("the response's configuration is %s, so it cannot state the configuration the request set", article(jsonTypeOf(v))),
					Want:    "an object with the request's configuration", Got: c.show(v),
					Spec: wp.props["configuration"]})
			}
			return
		}
		got := echoed[k]
		if k := got.Kind(); k == 0 || k == 'n' || st.echoes(e.field, field, sent, got) || !c.room(finding.RulePairConfiguration) {
			continue
		}
		want := c.quote(string(sent))
		if e.field == fieldFilters || e.field == fieldTriggers {
			want = c.show(anySlice(fs.values(field)))
		}
		c.add(finding.Finding{Rule: finding.RulePairConfiguration, Location: finding.Location{Part: finding.PartResponseBody, Pointer: "/configuration/" + e.prop},
			Message: fmt.Sprintf("configuration.%s does not agree with the request's %s", e.prop, e.field),
			Want:    want + " (the request's " + e.field + ")", Got: c.show(decodeValue(got)),
			Spec: wp.props["configuration"]})
	}
}

// echoes reports whether a recorded configuration property states back
// the value the request sent for a field (sent is its first value): the
// same string (the method in any case), the same set of strings, or the
// same number.
func (st *pairScan) echoes(name string, field int, sent []byte, got gate.Value) bool {
	sc := &st.sc
	switch name {
	case fieldURL, fieldFlowSid:
		s, ok := sc.Text(got)
		return ok && bytes.Equal(s, sent)
	case fieldMethod:
		s, ok := sc.Text(got)
		return ok && bytes.EqualFold(s, sent)
	case fieldFilters, fieldTriggers:
		return st.sameSet(field, got)
	case fieldReplayAfter:
		other := []byte(got)
		if s, ok := sc.Text(got); ok {
			other = s
		} else if !got.IsNumber() {
			return false
		}
		return numbersEqual(wire.String(sent), wire.String(other))
	}
	return false
}

// sameSet reports whether a recorded array holds the field's values of the
// form, as many times each, in any order.
func (st *pairScan) sameSet(field int, got gate.Value) bool {
	fs, sc := &st.form, &st.sc
	var backA, backB [16][]byte
	sent, list := backA[:0], backB[:0]
	for _, p := range fs.pairs {
		if p.field == field {
			sent = append(sent, p.val)
		}
	}
	ok := true
	isArray := sc.Each(got, '[', func(_ []byte, v gate.Value) bool {
		var s []byte
		s, ok = sc.Text(v)
		list = append(list, s)
		return ok
	})
	if !isArray || !ok || len(list) != len(sent) {
		return false
	}
	slices.SortFunc(sent, bytes.Compare)
	slices.SortFunc(list, bytes.Compare)
	return slices.EqualFunc(sent, list, bytes.Equal)
}

// decodeValue decodes a recorded value for a finding.
func decodeValue(jv gate.Value) any {
	dec := json.NewDecoder(bytes.NewReader(jv))
	dec.UseNumber()
	var v any
	_ = dec.Decode(&v) // a recorded value is well-formed
	return v
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}

func numbersEqual(a, b string) bool {
	x, err1 := json.Number(a).Float64()
	y, err2 := json.Number(b).Float64()
	return err1 == nil && err2 == nil && x == y
}

// checkURL checks that the response's url is the request's path followed by
// the new webhook's sid.
func (wp *webhookPlan) checkURL(c *checker, pathConv string, convIsSID bool, respConv []byte) {
	st := c.scan
	raw, ok1 := st.sc.Text(st.prop(propURL))
	sid, ok2 := st.sc.Text(st.prop(propSID))
	if !ok1 || !ok2 || len(sid) == 0 {
		return
	}
	var ep []byte
	if gate.IsPlainAbsoluteURL(raw) {
		ep = urlPath(raw) // as url.Parse and EscapedPath read it
	} else {
		u, err := url.Parse(string(raw))
		if err != nil {
			return
		}
		ep = []byte(u.EscapedPath())
	}
	conv := wire.Bytes(pathConv)
	if !convIsSID {
		if len(respConv) == 0 {
			return
		}
		conv = respConv
	}
	var buf [256]byte
	want := webhookPath(buf[:0], route.RequestPath(c.ex.URL), url.PathEscape(pathConv), conv, sid)
	if bytes.HasSuffix(ep, want) || !c.room(finding.RulePairURL) {
		return
	}
	c.add(finding.Finding{Rule: finding.RulePairURL, Location: finding.Location{Part: finding.PartResponseBody, Pointer: "/url"},
		Message: "the response's url is not the address of the webhook it created",
		Want:    "a URL ending in " + string(want), Got: c.quote(string(raw)),
		Spec: wp.props["url"]})
}

// webhookPath appends the path of a new webhook to dst: the request's path
// with its first "/<esc>/" made "/<conv>/", then "/" and the webhook's sid.
func webhookPath(dst []byte, path, esc string, conv, sid []byte) []byte {
	for k := 0; k+len(esc)+2 <= len(path); k++ {
		if path[k] == '/' && strings.HasPrefix(path[k+1:], esc) && path[k+1+len(esc)] == '/' {
			dst = append(append(dst, path[:k+1]...), conv...)
			path = path[k+1+len(esc):]
			break
		}
	}
	return append(append(append(dst, path...), '/'), sid...)
}

// urlPath returns the path of a plain absolute URL.
func urlPath(u []byte) []byte {
	rest := u[bytes.Index(u, gate.ColonSlashes)+3:]
	i := bytes.IndexByte(rest, '/')
	if i < 0 {
		return nil
	}
	rest = rest[i:]
	if j := bytes.IndexByte(rest, '?'); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

var colon = []byte{':'}

// checkDates checks that date_updated is not before date_created.
func (wp *webhookPlan) checkDates(c *checker) {
	st := c.scan
	cs, ok1 := st.sc.Text(st.prop(propDateCreated))
	us, ok2 := st.sc.Text(st.prop(propDateUpdated))
	if !ok1 || !ok2 {
		return
	}
	var before bool
	if len(cs) == 20 && len(us) == 20 && cs[19] == 'Z' && us[19] == 'Z' && gate.IsPlainDateTime(cs) && gate.IsPlainDateTime(us) {
		before = bytes.Compare(us, cs) < 0 // the same layout in UTC: the text orders as the time
	} else {
		created, err1 := time.Parse(time.RFC3339Nano, wire.String(cs))
		updated, err2 := time.Parse(time.RFC3339Nano, wire.String(us))
		before = err1 == nil && err2 == nil && updated.Before(created)
	}
	if !before || !c.room(finding.RulePairDates) {
		return
	}
	c.add(finding.Finding{Rule: finding.RulePairDates, Location: finding.Location{Part: finding.PartResponseBody, Pointer: "/date_updated"},
		Message: "date_updated is before date_created",
		Want:    "no earlier than " + string(cs), Got: string(us),
		Spec: wp.props["date_updated"]})
}

// basicUser returns the user of a Basic Authorization header value.
func basicUser(auth string) string {
	return string(basicUserBytes(auth, nil))
}

// basicUserBytes returns the user of a Basic Authorization header value,
// decoded into buf when it is large enough.
func basicUserBytes(auth string, buf []byte) []byte {
	scheme, cred, found := redact.SplitCredentials(auth)
	if !found || !strings.EqualFold(scheme, "Basic") {
		return nil
	}
	if n := base64.StdEncoding.DecodedLen(len(cred)); n > len(buf) {
		buf = make([]byte, n)
	}
	n, err := base64.StdEncoding.Decode(buf, wire.Bytes(cred))
	if err != nil {
		return nil
	}
	user, _, _ := bytes.Cut(buf[:n], colon)
	return user
}
