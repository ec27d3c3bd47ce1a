package validate

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

// webhookOperationID is the operation whose documentation states rules in
// words that no schema holds; webhookPlan checks them.
const webhookOperationID = "CreateConversationScopedWebhook"

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
var configEcho = []struct {
	field, prop string
	compare     func(sent []string, got any) bool
}{
	{fieldURL, "url", sameString},
	{fieldMethod, "method", sameFold},
	{fieldFilters, "filters", sameSet},
	{fieldTriggers, "triggers", sameSet},
	{fieldFlowSid, "flow_sid", sameString},
	{fieldReplayAfter, "replay_after", sameNumber},
}

// webhookPlan holds what the conversation-scoped webhook's own rules need
// from the contract: where each field is documented (for citations) and the
// SID formats, compiled once.
type webhookPlan struct {
	fields map[string]SpecPos // form fields the contract documents → their schemas
	props  map[string]SpecPos // response property → its schema

	convSID    *regexp.Regexp // the conversation SID format
	convPrefix string
	convSpec   SpecPos
	accountSID *regexp.Regexp
	// accountPrefix is the account SID's prefix: accountSID is
	// ^<accountPrefix>[0-9a-fA-F]{32}$, as convSID is with convPrefix.
	accountPrefix string
}

// newWebhookPlan reads the webhook rules' anchors from the compiled operation.
func newWebhookPlan(doc *document, op *operation) *webhookPlan {
	wp := &webhookPlan{
		fields: map[string]SpecPos{}, props: map[string]SpecPos{},
		convSID: regexp.MustCompile(`^CH[0-9a-fA-F]{32}$`), convPrefix: "CH", convSpec: op.anchors[AnchorPathParams],
		accountSID: regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`), accountPrefix: "AC",
	}
	if op.body != nil {
		if mp := formMedia(op.body.media); mp != nil {
			for name, f := range mp.form.fields {
				wp.fields[name] = doc.pos(f.ptr)
			}
		}
	}
	if rp := op.success(); rp != nil {
		for _, mp := range rp.media {
			if !mp.json || mp.ptr == "" {
				continue
			}
			props, _ := doc.object(mp.ptr)["properties"].(map[string]any)
			for name := range props {
				ptr, err := doc.deref(joinPointer(mp.ptr, "properties", name))
				if err != nil {
					continue
				}
				wp.props[name] = doc.pos(ptr)
				pattern, _ := doc.object(ptr)["pattern"].(string)
				if m := sidPattern.FindStringSubmatch(pattern); m != nil {
					switch name {
					case "conversation_sid":
						wp.convSID, wp.convPrefix, wp.convSpec = regexp.MustCompile(pattern), m[1], doc.pos(joinPointer(ptr, "pattern"))
					case "account_sid":
						wp.accountSID, wp.accountPrefix = regexp.MustCompile(pattern), m[1]
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
	if !ok || !looksLikeSID(v, wp.convPrefix) || wp.convSID.MatchString(v) {
		return
	}
	c.add(c.sidFinding("request.path#/"+pathConversation, pathConversation, wp.convPrefix, v, wp.convSpec))
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
		if isHex(s[i]) {
			hex++
		} else if !isAlnum(s[i]) {
			return false
		}
	}
	return hex*4 >= (len(s)-2)*3
}

// pathValue returns the value of a path parameter.
func (c *checker) pathValue(name string) (string, bool) {
	i := 0
	for _, s := range c.op.segs {
		if s.param == "" {
			continue
		}
		if s.param == name && i < len(c.pathVals) {
			return c.pathVals[i], true
		}
		i++
	}
	return "", false
}

// checkWords checks what the documentation says in words: the
// Configuration.Url is absolute, and the configuration fits the Target.
func (wp *webhookPlan) checkWords(c *checker) {
	if vals := c.form[fieldURL]; len(vals) > 0 {
		if problem := absoluteURLProblem(vals[0]); problem != "" {
			c.add(Finding{Rule: RuleConfigURL, Severity: SeverityError, Location: "request.body#/" + fieldURL,
				Message: fieldURL + " " + problem,
				Want:    "an absolute URL, such as https://example.com/hooks", Got: c.quote(vals[0]),
				Hint: absoluteURLHint(vals[0]), Spec: wp.fields[fieldURL]})
		}
	}
	target := first(c.form[fieldTarget])
	need := func(field, why string) {
		if _, documented := wp.fields[field]; !documented || len(c.form[field]) > 0 {
			return
		}
		c.add(Finding{Rule: RuleConfigTarget, Severity: SeverityWarning, Location: "request.body#/" + field,
			Message: fmt.Sprintf("Target is %s but %s is not set: %s", target, field, why),
			Want:    field + " set for Target=" + target, Got: "missing",
			Hint: fmt.Sprintf("add %s=… to the form body", field), Spec: wp.fields[field]})
	}
	switch target {
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
// the authenticated account.
func (wp *webhookPlan) checkPair(c *checker) {
	body := c.respBody
	if body == nil || c.respPlan == nil || !strings.HasPrefix(c.respPlan.code, "2") {
		return
	}
	pathConv, _ := c.pathValue(pathConversation)
	convIsSID := wp.convSID.MatchString(pathConv)
	respConv, _ := body["conversation_sid"].(string)
	if convIsSID && respConv != "" && respConv != pathConv {
		c.add(Finding{Rule: RulePairConversation, Severity: SeverityError, Location: "response.body#/conversation_sid",
			Message: "the webhook was created on another conversation than the request's path names",
			Want:    c.quote(pathConv) + " (the request's path)", Got: c.quote(respConv),
			Spec: wp.props["conversation_sid"]})
	}
	if c.formOK {
		if target, ok := body["target"].(string); ok && len(c.form[fieldTarget]) > 0 && target != c.form[fieldTarget][0] {
			c.add(Finding{Rule: RulePairTarget, Severity: SeverityError, Location: "response.body#/target",
				Message: "the response's target is not the request's Target",
				Want:    c.quote(c.form[fieldTarget][0]) + " (the request's Target)", Got: c.quote(target),
				Spec: wp.props["target"]})
		}
		wp.checkConfiguration(c, body["configuration"])
	}
	wp.checkURL(c, body, pathConv, convIsSID, respConv)
	wp.checkDates(c, body)
	if user := basicUser(c.ex.Request.Header.Get("Authorization")); wp.accountSID.MatchString(user) {
		if acct, ok := body["account_sid"].(string); ok && acct != user {
			c.add(Finding{Rule: RulePairAccount, Severity: SeverityError, Location: "response.body#/account_sid",
				Message: "the webhook belongs to another account than the one that authenticated",
				Want:    c.quote(user) + " (the Basic-auth user)", Got: c.quote(acct),
				Spec: wp.props["account_sid"]})
		}
	}
}

// checkConfiguration compares what the response's configuration states with
// what the request set. A value the response leaves out is not a finding.
func (wp *webhookPlan) checkConfiguration(c *checker, cfg any) {
	if cfg == nil {
		return
	}
	obj, isObj := cfg.(map[string]any)
	for _, e := range configEcho {
		sent := c.form[e.field]
		if len(sent) == 0 {
			continue
		}
		if !isObj {
			c.add(Finding{Rule: RulePairConfiguration, Severity: SeverityError, Location: "response.body#/configuration",
				Message: fmt.Sprintf("the response's configuration is %s, so it cannot state the configuration the request set", article(jsonTypeOf(cfg))),
				Want:    "an object with the request's configuration", Got: c.show(cfg),
				Spec: wp.props["configuration"]})
			return
		}
		got, ok := obj[e.prop]
		if !ok || got == nil {
			continue
		}
		if !e.compare(sent, got) {
			want := c.quote(sent[0])
			if e.field == fieldFilters || e.field == fieldTriggers {
				want = c.show(anySlice(sent))
			}
			c.add(Finding{Rule: RulePairConfiguration, Severity: SeverityError, Location: "response.body#/configuration/" + e.prop,
				Message: fmt.Sprintf("configuration.%s does not agree with the request's %s", e.prop, e.field),
				Want:    want + " (the request's " + e.field + ")", Got: c.show(got),
				Spec: wp.props["configuration"]})
		}
	}
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}

func sameString(sent []string, got any) bool {
	s, ok := got.(string)
	return ok && s == sent[0]
}

// sameFold compares methods: HTTP method names differ from the contract's
// lower case only in case.
func sameFold(sent []string, got any) bool {
	s, ok := got.(string)
	return ok && strings.EqualFold(s, sent[0])
}

// sameSet compares lists regardless of order.
func sameSet(sent []string, got any) bool {
	list, ok := got.([]any)
	if !ok || len(list) != len(sent) {
		return false
	}
	a := append([]string(nil), sent...)
	b := make([]string, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			return false
		}
		b[i] = s
	}
	sort.Strings(a)
	sort.Strings(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sameNumber compares an integer sent as text with a JSON number or a
// numeric string.
func sameNumber(sent []string, got any) bool {
	switch v := got.(type) {
	case json.Number:
		return numbersEqual(sent[0], v.String())
	case string:
		return numbersEqual(sent[0], v)
	}
	return false
}

func numbersEqual(a, b string) bool {
	x, err1 := json.Number(a).Float64()
	y, err2 := json.Number(b).Float64()
	return err1 == nil && err2 == nil && x == y
}

// checkURL checks that the response's url is the request's path followed by
// the new webhook's sid.
func (wp *webhookPlan) checkURL(c *checker, body map[string]any, pathConv string, convIsSID bool, respConv string) {
	raw, ok1 := body["url"].(string)
	sid, ok2 := body["sid"].(string)
	if !ok1 || !ok2 || sid == "" {
		return
	}
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	conv := pathConv
	if !convIsSID {
		if respConv == "" {
			return
		}
		conv = respConv
	}
	want := strings.Replace(requestPath(c.ex.Request.URL), "/"+url.PathEscape(pathConv)+"/", "/"+conv+"/", 1) + "/" + sid
	if strings.HasSuffix(u.EscapedPath(), want) {
		return
	}
	c.add(Finding{Rule: RulePairURL, Severity: SeverityError, Location: "response.body#/url",
		Message: "the response's url is not the address of the webhook it created",
		Want:    "a URL ending in " + want, Got: c.quote(raw),
		Spec: wp.props["url"]})
}

// checkDates checks that date_updated is not before date_created.
func (wp *webhookPlan) checkDates(c *checker, body map[string]any) {
	cs, ok1 := body["date_created"].(string)
	us, ok2 := body["date_updated"].(string)
	if !ok1 || !ok2 {
		return
	}
	created, err1 := time.Parse(time.RFC3339Nano, cs)
	updated, err2 := time.Parse(time.RFC3339Nano, us)
	if err1 != nil || err2 != nil || !updated.Before(created) {
		return
	}
	c.add(Finding{Rule: RulePairDates, Severity: SeverityError, Location: "response.body#/date_updated",
		Message: "date_updated is before date_created",
		Want:    "no earlier than " + cs, Got: us,
		Spec: wp.props["date_updated"]})
}

// basicUser returns the user of a Basic Authorization header value.
func basicUser(auth string) string {
	scheme, cred, ok := splitCredentials(auth)
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return ""
	}
	raw, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		return ""
	}
	user, _, _ := strings.Cut(string(raw), ":")
	return user
}
