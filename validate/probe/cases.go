package probe

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/contractcheck/contractcheck/validate"
)

// Kind says what a case is for.
type Kind uint8

// The kinds of case.
const (
	// Example is one of the contract's own examples of the body.
	Example Kind = iota
	// Valid is a request that keeps the contract, written from the schema.
	Valid
	// Negative is a request that breaks one documented constraint and must
	// be refused with a 4xx.
	Negative
)

// String returns "example", "valid" or "negative".
func (k Kind) String() string {
	switch k {
	case Example:
		return "example"
	case Valid:
		return "valid"
	case Negative:
		return "negative"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// DefaultConversation is the conversation the cases address when none is
// given: a well-formed CH SID that names no real conversation.
const DefaultConversation = "CH00000000000000000000000000000000"

// Case is one request of a probe.
type Case struct {
	// Name identifies the case, stable across runs, such as "valid.studio"
	// or "negative.sid.Configuration.FlowSid".
	Name string
	// Kind is what the case is for.
	Kind Kind
	// Method is the request method, such as "POST".
	Method string
	// Path is the request path, the conversation filled in.
	Path string
	// ContentType is the request's Content-Type.
	ContentType string
	// Body is the request body.
	Body []byte
	// Breaks is, for a negative case, the finding its request has by design:
	// the rule it breaks, where and how. Zero for other cases.
	Breaks validate.Finding
}

// Form returns the case's body as form values, or nil when it is not a form.
func (c Case) Form() url.Values {
	if c.ContentType != formType {
		return nil
	}
	v, _ := url.ParseQuery(string(c.Body))
	return v
}

const (
	formType = "application/x-www-form-urlencoded"
	jsonType = "application/json"
	// sampleURL is the URL the cases give where a field takes one.
	sampleURL = "https://example.com/contractcheck-probe"
	// sampleText is the text the cases give to a free string.
	sampleText = "contractcheck-probe"
)

// sidPattern recognises the pattern of a Twilio SID, such as
// ^FW[0-9a-fA-F]{32}$, and captures its prefix.
var sidPattern = regexp.MustCompile(`^\^([A-Z]{2})\[0-9a-fA-F\]\{32\}\$$`)

// Cases writes the requests of a probe of operation in plan, addressed to
// conversation (DefaultConversation when ""): the examples, the valid cases
// and the negative cases, in that order. It fails when the operation takes
// no form body, or when a request written from the contract does not keep
// it (the contract is then beyond what the probe can write). A negative case
// whose request does not break its rule under this contract is left out.
func Cases(plan *validate.Plan, operation, conversation string) ([]Case, error) {
	fb, ok := plan.FormBody(operation)
	if !ok {
		return nil, fmt.Errorf("writing probe requests: %s takes no form body in %s", operation, plan.File())
	}
	if conversation == "" {
		conversation = DefaultConversation
	}
	w := writer{plan: plan, fb: fb, path: fillPath(fb.Path, conversation)}
	for _, ex := range fb.Examples {
		w.examples = append(w.examples, ex.Values)
	}
	var cases []Case
	for _, ex := range fb.Examples {
		c := w.formCase("example."+ex.Name, Example, ex.Values)
		if err := w.mustKeep(c); err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	valid, err := w.validCases()
	if err != nil {
		return nil, err
	}
	cases = append(cases, valid...)
	return append(cases, w.negativeCases(valid)...), nil
}

// writer writes the cases of one operation.
type writer struct {
	plan     *validate.Plan
	fb       validate.FormBody
	path     string
	examples []url.Values // the contract's examples, where values are taken from first
}

// fillPath fills a path template: the conversation for ConversationSid (and
// any parameter named like a SID of a conversation), a sample for others.
func fillPath(template, conversation string) string {
	var b strings.Builder
	for rest := template; ; {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest, '}')
		if open < 0 || end < open {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:open])
		value := sampleText
		if name := rest[open+1 : end]; name == "ConversationSid" || strings.EqualFold(name, "conversation") {
			value = conversation
		}
		b.WriteString(url.PathEscape(value))
		rest = rest[end+1:]
	}
}

// formCase makes a case of a form body.
func (w *writer) formCase(name string, kind Kind, form url.Values) Case {
	return Case{Name: name, Kind: kind, Method: w.fb.Method, Path: w.path, ContentType: formType, Body: []byte(form.Encode())}
}

// exchange is the request of a case as the plan checks it.
func (w *writer) exchange(c Case) *validate.Exchange {
	return &validate.Exchange{Source: "probe", Request: validate.Request{
		Method: c.Method, URL: c.Path, Header: http.Header{"Content-Type": {c.ContentType}}, Body: c.Body}}
}

// mustKeep fails when the request of c has an error finding.
func (w *writer) mustKeep(c Case) error {
	for _, f := range w.plan.CheckRequest(w.exchange(c)).Findings {
		if f.Severity == validate.SeverityError {
			return fmt.Errorf("writing probe request %s: the request written from the contract breaks it: %s", c.Name, f)
		}
	}
	return nil
}

// value returns values for a field that keep the contract: an example's,
// else one written from its schema.
func (w *writer) value(f validate.FormField) []string {
	for _, ex := range w.examples {
		if v, ok := ex[f.Name]; ok {
			return v
		}
	}
	switch {
	case len(f.Enum) > 0:
		return []string{f.Enum[0]}
	case sidPattern.MatchString(f.Pattern):
		return []string{sampleSID(sidPattern.FindStringSubmatch(f.Pattern)[1], f.Name)}
	}
	kind := f.Type
	if kind == "array" {
		kind = f.Items
	}
	switch {
	case kind == "integer" || kind == "number":
		return []string{"0"}
	case kind == "boolean":
		return []string{"true"}
	case f.Format == "uri" || strings.HasSuffix(strings.ToLower(f.Name), "url"):
		return []string{sampleURL}
	}
	s := sampleText
	for len(s) < f.MinLength {
		s += "-" + sampleText
	}
	if f.MaxLength >= 0 && len(s) > f.MaxLength {
		s = s[:f.MaxLength]
	}
	return []string{s}
}

// sampleSID is a SID of the given prefix, the same for the same field on
// every run.
func sampleSID(prefix, field string) string {
	h := sha256.Sum256([]byte("contractcheck probe " + field))
	return prefix + hex.EncodeToString(h[:16])
}

// validCases writes one valid case per value of the Target enum (one case
// when the form has no Target): the required fields, then each field the
// plan asks for (a finding naming a missing field), until the plan finds
// nothing more to ask.
func (w *writer) validCases() ([]Case, error) {
	targets := []string{""}
	if f, ok := w.fb.Field("Target"); ok && len(f.Enum) > 0 {
		targets = f.Enum
	}
	var out []Case
	for _, target := range targets {
		form := url.Values{}
		name := "valid"
		if target != "" {
			form.Set("Target", target)
			name += "." + target
		}
		for _, f := range w.fb.Fields {
			if f.Required && form[f.Name] == nil {
				form[f.Name] = w.value(f)
			}
		}
		c, err := w.complete(name, form)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// complete adds to form the fields the plan's findings ask for and returns
// the case once the plan has nothing more to say.
func (w *writer) complete(name string, form url.Values) (Case, error) {
	for range len(w.fb.Fields) + 1 {
		c := w.formCase(name, Valid, form)
		findings := w.plan.CheckRequest(w.exchange(c)).Findings
		if len(findings) == 0 {
			return c, nil
		}
		added := false
		for _, f := range findings {
			field, ok := fieldOf(f.Location)
			if !ok || form[field] != nil || (f.Rule != validate.RuleConfigTarget && f.Rule != validate.RuleRequired) {
				continue
			}
			if ff, ok := w.fb.Field(field); ok {
				form[field] = w.value(ff)
				added = true
			}
		}
		if !added {
			return Case{}, fmt.Errorf("writing probe request %s: the request written from the contract breaks it: %s", name, findings[0])
		}
	}
	return Case{}, fmt.Errorf("writing probe request %s: the plan keeps asking for more fields", name)
}

// fieldOf returns the form field a finding's location names:
// "request.body#/Configuration.FlowSid" gives "Configuration.FlowSid".
func fieldOf(loc validate.Location) (string, bool) {
	if loc.Part != validate.PartRequestBody {
		return "", false
	}
	field := loc.Field()
	return field, field != ""
}

// negativeCases writes the negative cases from the valid ones: for each
// required field, the first valid case without it; for each enum field, an
// unknown value; for each SID field, a SID that is too short; for each
// integer field, a word; and the first valid case as a JSON body.
func (w *writer) negativeCases(valid []Case) []Case {
	if len(valid) == 0 {
		return nil
	}
	// base returns the form of the first valid case that has field, else of
	// the first valid case.
	base := func(field string) url.Values {
		for _, c := range valid {
			if f := c.Form(); f[field] != nil {
				return f
			}
		}
		return valid[0].Form()
	}
	var out []Case
	add := func(c Case, rule, field string) {
		for _, f := range w.plan.CheckRequest(w.exchange(c)).Findings {
			if f.Rule == rule && (field == "" || f.Location.Pointer == "/"+field) {
				c.Breaks = f
				out = append(out, c)
				return
			}
		}
	}
	for _, f := range w.fb.Fields {
		if !f.Required {
			continue
		}
		form := base(f.Name)
		form.Del(f.Name)
		add(w.formCase("negative.missing."+f.Name, Negative, form), validate.RuleRequired, f.Name)
	}
	for _, f := range w.fb.Fields {
		if len(f.Enum) == 0 || f.Type == "array" {
			continue
		}
		unknown := "unknown"
		for slices.Contains(f.Enum, unknown) {
			unknown += "-value"
		}
		form := base(f.Name)
		form.Set(f.Name, unknown)
		add(w.formCase("negative.enum."+f.Name, Negative, form), validate.RuleEnum, f.Name)
	}
	for _, f := range w.fb.Fields {
		m := sidPattern.FindStringSubmatch(f.Pattern)
		if m == nil || f.Type == "array" {
			continue
		}
		form := base(f.Name)
		form.Set(f.Name, m[1]+"123")
		add(w.formCase("negative.sid."+f.Name, Negative, form), validate.RuleSIDFormat, f.Name)
	}
	for _, f := range w.fb.Fields {
		if f.Type != "integer" {
			continue
		}
		form := base(f.Name)
		form.Set(f.Name, "seven")
		add(w.formCase("negative.integer."+f.Name, Negative, form), validate.RuleType, f.Name)
	}
	if body, err := jsonBody(w.fb, valid[0].Form()); err == nil {
		c := Case{Name: "negative.json-body", Kind: Negative, Method: w.fb.Method, Path: w.path, ContentType: jsonType, Body: body}
		add(c, validate.RuleRequestContentType, "")
	}
	return out
}

// jsonBody writes form values as the JSON object a client that gets the
// encoding wrong would send: arrays as arrays, integers as numbers.
func jsonBody(fb validate.FormBody, form url.Values) ([]byte, error) {
	obj := make(map[string]any, len(form))
	for k, vals := range form {
		f, _ := fb.Field(k)
		switch {
		case f.Type == "array":
			obj[k] = vals
		case f.Type == "integer" && json.Valid([]byte(vals[0])):
			obj[k] = json.RawMessage(vals[0])
		default:
			obj[k] = vals[0]
		}
	}
	if len(obj) == 0 {
		return nil, errors.New("no fields")
	}
	return json.Marshal(obj)
}
