package check

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/contractcheck/contractcheck/internal/ascii"
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/finding"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// validateValue is schema.Validate(v), which never panics: jsonschema/v5
// panics on a number whose exponent is too large for math/big to read (such
// as 1E1000001 where the schema wants an integer), and such a value reaches
// it from a recording or a live response. A panic is the value's problem, a
// value.constraint finding (schemaFindings), never the checker's end.
func validateValue(schema *jsonschema.Schema, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = unreadableIn(v)
		}
	}()
	return schema.Validate(v)
}

// unreadableError is why validateValue could not validate a value: a
// number in it that math/big cannot read, at ptr (the first such place in
// pointer order), when found.
type unreadableError struct {
	ptr   string
	found bool
}

func (e *unreadableError) Error() string {
	if e.found {
		return "the number here has an exponent too large to read"
	}
	return "the schema validator cannot read it"
}

// unreadableIn is why jsonschema could not validate v: the first number
// in it that math/big cannot read, when there is one.
func unreadableIn(v any) *unreadableError {
	if nums := contract.UnreadableNumbers(v); len(nums) > 0 {
		return &unreadableError{ptr: nums[0].Pointer, found: true}
	}
	return &unreadableError{}
}

// schemaFindings turns jsonschema's error tree for a value into findings, one
// per failing keyword and place: every violation, not only the first. section
// is the part of the exchange the value is, such as "request.body";
// instance is the value that was validated. skipRequired names fields that
// are present but could not be decoded, already reported.
func (c *checker) schemaFindings(err error, section finding.Location, instance any, skipRequired map[string]bool) {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		loc := section
		if ue, ok := err.(*unreadableError); ok && ue.found {
			loc = section.At(section.Pointer + ue.ptr)
		}
		c.add(finding.Finding{Rule: finding.RuleConstraint, Location: loc,
			Message: "the value could not be validated: " + err.Error(), Spec: c.op.Anchors[finding.AnchorOperation]})
		return
	}
	seen := map[ruleAt]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		kw := lastToken(e.KeywordLocation)
		if len(e.Causes) > 0 && kw != "anyOf" && kw != "oneOf" {
			for _, cause := range e.Causes {
				walk(cause)
			}
			return
		}
		c.keywordFinding(e, kw, section, instance, skipRequired, seen)
	}
	walk(ve)
}

// keywordFinding reports one failing keyword.
func (c *checker) keywordFinding(e *jsonschema.ValidationError, kw string, section finding.Location, instance any, skipRequired map[string]bool, seen map[ruleAt]bool) {
	k := c.p.keyword(e.AbsoluteKeywordLocation)
	schema := k.schema
	value, _ := contract.LookupInstance(instance, e.InstanceLocation)
	loc := section
	if e.InstanceLocation != "" {
		loc = section.At(section.Pointer + e.InstanceLocation)
	}
	name := fieldName(section, e.InstanceLocation)
	f := finding.Finding{Location: loc, Spec: k.spec, Got: c.show(value)}

	switch kw {
	case "type":
		want := typeText(schema["type"])
		f.Rule = finding.RuleType
		f.Message = fmt.Sprintf("%s is %s; the contract says %s", name, article(jsonTypeOf(value)), want)
		f.Want = want
		f.Got = jsonTypeOf(value) + " " + c.show(value)
		f.Hint = typeHint(value, want, name)
	case "enum", "const":
		f.Rule = finding.RuleEnum
		var options []string
		if kw == "const" {
			options = []string{show(schema["const"])}
		} else {
			for _, o := range schema["enum"].([]any) {
				options = append(options, show(o))
			}
		}
		f.Want = "one of " + strings.Join(options, ", ")
		f.Message = fmt.Sprintf("%s is %s, which the contract does not list", name, c.show(value))
		f.Hint = enumHint(value, schema)
	case "pattern", "minLength", "maxLength":
		if k.sidPrefix != "" {
			if seen[ruleAt{finding.RuleSIDFormat, loc}] {
				return // a short SID fails its length and its pattern: one finding
			}
			f = c.sidFinding(loc, name, k.sidPrefix, value, k.sidSpec)
			break
		}
		if kw == "pattern" {
			f.Rule = finding.RulePattern
			f.Want = "a string matching " + str(schema["pattern"])
			f.Message = fmt.Sprintf("%s does not match the pattern %s", name, str(schema["pattern"]))
		} else {
			f.Rule = finding.RuleLength
			f.Want = lengthText(schema)
			f.Message = fmt.Sprintf("%s has %s; the contract allows %s", name, plural(lengthOf(value), "character", "characters"), lengthText(schema))
		}
	case "format":
		format := str(schema["format"])
		f.Rule = finding.RuleFormat
		f.Want = formatText(format)
		f.Message = fmt.Sprintf("%s is not a valid %s", name, format)
		f.Hint = formatHint(format, value)
	case "required":
		obj, _ := value.(map[string]any)
		for _, r := range compiled.AsStrings(schema["required"]) {
			if _, ok := obj[r]; ok || skipRequired[r] {
				continue
			}
			g := f
			g.Rule = finding.RuleRequired
			g.Location = section.At(section.Pointer + contract.JoinPointer(e.InstanceLocation, r))
			g.Message = fmt.Sprintf("%s is required but missing", r)
			g.Want = r + " present"
			g.Got = "missing"
			g.Hint = requiredHint(section, r)
			c.addOnce(g, seen)
		}
		return
	case "minItems", "maxItems":
		f.Rule = finding.RuleLength
		f.Want = itemsText(schema)
		f.Message = fmt.Sprintf("%s has %s; the contract allows %s", name, plural(lengthOf(value), "item", "items"), itemsText(schema))
	case "anyOf", "oneOf":
		f.Rule = finding.RuleConstraint
		f.Message = fmt.Sprintf("%s matches %s of the contract's alternatives", name, map[string]string{"anyOf": "none", "oneOf": "not exactly one"}[kw])
		f.Want = "exactly one alternative (" + kw + ")"
		if kw == "anyOf" {
			f.Want = "at least one alternative (anyOf)"
		}
	default:
		f.Rule = finding.RuleConstraint
		f.Message = fmt.Sprintf("%s breaks %s: %s", name, kw, e.Message)
		f.Want = kw + " " + show(schema[kw])
	}
	c.addOnce(f, seen)
}

// keyword is what the findings of a failing schema keyword take from the
// contract, worked out once per plan and keyword (see Plan.keyword).
type keyword struct {
	schema    map[string]any  // the schema the keyword is in
	spec      finding.SpecPos // the keyword's line
	sidPrefix string          // the SID prefix, when the schema's pattern is a SID's
	sidSpec   finding.SpecPos // the pattern's line, for a SID
}

// keyword returns the keyword at jsonschema's absolute keyword location.
func (p *Plan) keyword(abs string) *keyword {
	if k, ok := p.keywords.Load(abs); ok {
		return k.(*keyword)
	}
	kwPtr := keywordPointer(abs)
	schemaPtr := parentPointer(kwPtr)
	k := &keyword{schema: p.Doc.Object(schemaPtr), spec: p.Doc.Pos(kwPtr)}
	if m := gate.SIDPattern.FindStringSubmatch(str(k.schema["pattern"])); m != nil {
		k.sidPrefix, k.sidSpec = m[1], p.Doc.Pos(contract.JoinPointer(schemaPtr, "pattern"))
	}
	got, _ := p.keywords.LoadOrStore(abs, k)
	return got.(*keyword)
}

// addOnce adds a finding unless one of the same rule at the same location was
// added through the same error tree (a short SID fails both its length and
// its pattern: one finding).
func (c *checker) addOnce(f finding.Finding, seen map[ruleAt]bool) {
	key := ruleAt{f.Rule, f.Location}
	if seen[key] {
		return
	}
	seen[key] = true
	c.add(f)
}

// ruleAt is a rule at a location.
type ruleAt struct {
	rule string
	loc  finding.Location
}

// sidFinding reports a value that is not a SID of the given prefix.
func (c *checker) sidFinding(loc finding.Location, name, prefix string, value any, spec finding.SpecPos) finding.Finding {
	f := finding.Finding{
		Rule: finding.RuleSIDFormat, Location: loc, Spec: spec,
		Want:    prefix + " followed by 32 hex digits, 34 characters (^" + prefix + "[0-9a-fA-F]{32}$)",
		Message: name + " is not " + sidArticle(prefix) + " SID",
	}
	s, ok := value.(string)
	if !ok {
		f.Got = c.show(value)
		return f
	}
	shown := c.redact(s)
	f.Got = quoteShort(shown) + " (" + plural(len(s), "character", "characters") + ")"
	f.Hint = sidHint(s, shown, prefix)
	return f
}

// sidArticle puts "a" or "an" before a SID prefix as it is read aloud,
// letter by letter: "an AC SID", "a CH SID", "an FW SID".
func sidArticle(prefix string) string {
	if prefix != "" && strings.IndexByte("AEFHILMNORSX", prefix[0]) >= 0 {
		return "an " + prefix
	}
	return "a " + prefix
}

// sidHint says what is wrong with a would-be SID; shown is s redacted, and
// the hint quotes s only when that hid nothing.
func sidHint(s, shown, prefix string) string {
	switch {
	case len(s) >= 2 && strings.EqualFold(s[:2], prefix) && s[:2] != prefix:
		if shown != s {
			return "the prefix is upper case: write " + prefix
		}
		return "the prefix is upper case: " + prefix + s[2:min(len(s), 6)] + "…"
	case len(s) >= 2 && s[:2] != prefix && isUpperLetter(s[0]) && isUpperLetter(s[1]):
		return fmt.Sprintf("it starts with %s, the prefix of another kind of resource; this field takes %s SID", s[:2], sidArticle(prefix))
	case len(s) == 32 && allHex(s):
		return fmt.Sprintf("the %s prefix is missing: write %s before the 32 hex digits", prefix, prefix)
	case len(s) != 34:
		return "a SID has exactly 34 characters; this has " + strconv.Itoa(len(s)) + " (copied in full?)"
	}
	for i := 2; i < len(s); i++ {
		if !ascii.IsHex(s[i]) {
			return fmt.Sprintf("character %d, %q, is not a hex digit", i+1, s[i])
		}
	}
	return ""
}

func isUpperLetter(c byte) bool { return 'A' <= c && c <= 'Z' }

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !ascii.IsHex(s[i]) {
			return false
		}
	}
	return true
}

// keywordPointer extracts the JSON pointer from an absolute keyword location
// such as "mem://contract.json#/components/schemas/x/pattern".
func keywordPointer(abs string) string {
	_, frag, _ := strings.Cut(abs, "#")
	if !strings.ContainsAny(frag, "%+") {
		return frag
	}
	if p, err := url.PathUnescape(frag); err == nil {
		return p
	}
	return frag
}

func parentPointer(ptr string) string {
	if i := strings.LastIndexByte(ptr, '/'); i >= 0 {
		return ptr[:i]
	}
	return ""
}

func lastToken(ptr string) string {
	return finding.UnescapeToken(ptr[strings.LastIndexByte(ptr, '/')+1:])
}

// fieldName names the value at an instance location for a message:
// "Configuration.FlowSid", "configuration.url", "Configuration.Filters[1]",
// or the section itself.
func fieldName(section finding.Location, instLoc string) string {
	toks := contract.SplitPointer(instLoc)
	if len(toks) == 0 {
		switch section.Part {
		case finding.PartRequestBody:
			return "the request body"
		case finding.PartResponseBody:
			return "the response body"
		case finding.PartResponseHeader, finding.PartRequestHeader:
			if section.Name != "" {
				return section.Name
			}
		}
		return section.String()
	}
	if len(toks) == 1 {
		return toks[0]
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && atoiOK(t) {
			b.WriteString("[" + t + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t)
	}
	return b.String()
}

// atoiOK reports whether strconv.Atoi accepts s, without the error it
// allocates for a word.
func atoiOK(s string) bool {
	digits := s
	if s != "" && (s[0] == '+' || s[0] == '-') {
		digits = s[1:]
	}
	if digits == "" || len(digits) > 18 {
		_, err := strconv.Atoi(s)
		return err == nil
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func article(typ string) string {
	switch typ {
	case "null":
		return "null"
	case "array", "object", "integer":
		return "an " + typ
	}
	return "a " + typ
}

// typeText renders a schema's "type" for a finding: "string", "string or null".
func typeText(t any) string {
	switch v := t.(type) {
	case string:
		return v
	case []any:
		return orList(compiled.AsStrings(v))
	}
	return "any value"
}

func typeHint(value any, want, name string) string {
	switch v := value.(type) {
	case nil:
		return "the contract does not mark " + name + " nullable: send a " + want + " or leave the field out"
	case string:
		if strings.Contains(want, "integer") || strings.Contains(want, "number") {
			if _, err := strconv.ParseFloat(v, 64); err == nil {
				return "send the number without quotes"
			}
		}
		if strings.Contains(want, "boolean") && (v == "true" || v == "false") {
			return "send true or false without quotes"
		}
		if strings.Contains(want, "array") {
			return "send a JSON array, even of one element"
		}
	case []any:
		if len(v) == 1 && !strings.Contains(want, "array") {
			return "send the single value, not an array"
		}
	}
	return ""
}

func enumHint(value any, schema map[string]any) string {
	s, ok := value.(string)
	if !ok {
		return ""
	}
	var options []string
	for _, o := range schema["enum"].([]any) {
		if os, ok := o.(string); ok {
			if strings.EqualFold(os, s) {
				return fmt.Sprintf("only the case differs: the contract writes %q", os)
			}
			options = append(options, os)
		}
	}
	if near := suggest(s, options); len(near) > 0 {
		return "did you mean " + orList(quoteAll(near)) + "?"
	}
	return ""
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, e := range s {
		out[i] = strconv.Quote(e)
	}
	return out
}

func lengthText(schema map[string]any) string {
	lo, hasLo := schema["minLength"]
	hi, hasHi := schema["maxLength"]
	switch {
	case hasLo && hasHi && show(lo) == show(hi):
		return "exactly " + show(lo) + " characters"
	case hasLo && hasHi:
		return show(lo) + " to " + show(hi) + " characters"
	case hasLo:
		return "at least " + show(lo) + " characters"
	}
	return "at most " + show(hi) + " characters"
}

func itemsText(schema map[string]any) string {
	lo, hasLo := schema["minItems"]
	hi, hasHi := schema["maxItems"]
	switch {
	case hasLo && hasHi:
		return show(lo) + " to " + show(hi) + " items"
	case hasLo:
		return "at least " + show(lo) + " items"
	}
	return "at most " + show(hi) + " items"
}

func lengthOf(v any) int {
	switch t := v.(type) {
	case string:
		return len([]rune(t))
	case []any:
		return len(t)
	}
	return 0
}

func formatText(format string) string {
	switch format {
	case "uri":
		return "an absolute URI (RFC 3986), such as https://conversations.twilio.com/v1/…"
	case "date-time":
		return "an RFC 3339 date-time, such as 2016-03-24T21:05:50Z"
	case "date":
		return "an RFC 3339 full-date, such as 2016-03-24"
	case "email":
		return "an email address"
	case "uuid":
		return "a UUID"
	}
	return "a string of format " + format
}

func formatHint(format string, value any) string {
	s, _ := value.(string)
	switch format {
	case "uri":
		if strings.HasPrefix(s, "/") {
			return "this is a path; the contract wants the absolute URL, with scheme and host"
		}
		if !strings.Contains(s, "://") && s != "" {
			return "add the scheme, such as https://"
		}
	case "date-time":
		switch {
		case strings.Contains(s, ","):
			return "this looks like an HTTP date (RFC 1123); the contract wants RFC 3339"
		case strings.Contains(s, " "):
			return "separate the date and the time with T, not a space"
		case len(s) >= 19 && !strings.ContainsAny(s[19:], "Zz+-"):
			return "add the time zone offset, such as Z for UTC"
		}
	}
	return ""
}

func requiredHint(section finding.Location, name string) string {
	if section.Part == finding.PartRequestBody {
		return "add " + name + "=… to the form body"
	}
	return ""
}
