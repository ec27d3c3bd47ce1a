package finding

import "slices"

// Rule is one entry of the rule catalogue: every [Finding] names the rule it
// breaks by its ID.
type Rule struct {
	// ID is the rule's stable identifier, such as "form.unknown-key". IDs never
	// change meaning; settings, baselines and other tools refer to them.
	ID string
	// Severity is the severity the rule's findings have unless configured
	// otherwise.
	Severity Severity
	// Summary says in one line what the rule checks.
	Summary string
	// Help explains the rule: why it matters and what the contract or standard
	// says.
	Help string
	// From, for a rule a tool adds (outside the catalogue), is the ID of the
	// catalogue rule whose part of the contract this rule comes from too:
	// the plan's SpecOf resolves the rule to that rule's line of the contract.
	From string
	// anchor is the part of an operation in the contract a catalogue rule
	// comes from (see AnchorOf); the plan resolves it to a line of the
	// loaded contract.
	anchor Anchor
}

// Anchor names a part of an operation in a contract: where the rules of the
// catalogue come from. The compiled contract holds each anchor's position
// per operation, indexed by Anchor.
type Anchor uint8

// The parts of an operation that rules come from.
const (
	AnchorOperation       Anchor = iota // the operation object
	AnchorPathParams                    // the operation's parameters
	AnchorRequestBody                   // the requestBody's content map
	AnchorRequestSchema                 // the request body's schema
	AnchorResponses                     // the responses map
	AnchorResponseHeaders               // the success response's headers
	AnchorResponseContent               // the success response's content map
	AnchorResponseSchema                // the success response body's schema

	AnchorCount // the number of anchors
)

// The IDs of the rules in the catalogue.
const (
	RuleRequestContentType = "request.content-type"
	RuleFormSyntax         = "form.syntax"
	RuleFormUnknownKey     = "form.unknown-key"
	RuleFormDuplicateKey   = "form.duplicate-key"
	RuleRequired           = "value.required"
	RuleType               = "value.type"
	RuleEnum               = "value.enum"
	RuleSIDFormat          = "sid.format"
	RulePattern            = "value.pattern"
	RuleLength             = "value.length"
	RuleFormat             = "value.format"
	RuleConstraint         = "value.constraint"
	RuleConfigURL          = "config.url-absolute"
	RuleConfigTarget       = "config.target-fit"
	RuleResponseStatus     = "response.status"
	RuleResponseRefused    = "response.refused"
	RuleResponseType       = "response.content-type"
	RuleResponseJSON       = "response.json"
	RuleResponseMissing    = "response.missing-property"
	RuleHeaderType         = "header.type"
	RuleCORSAllowOrigin    = "cors.allow-origin"
	RuleCORSCredentials    = "cors.credentials-wildcard"
	RuleCORSOriginMatch    = "cors.origin-match"
	RuleCORSVaryOrigin     = "cors.vary-origin"
	RuleCORSTokenList      = "cors.token-list"
	RulePairConversation   = "pair.conversation"
	RulePairTarget         = "pair.target"
	RulePairConfiguration  = "pair.configuration"
	RulePairURL            = "pair.url"
	RulePairDates          = "pair.dates"
	RulePairAccount        = "pair.account"
	RuleUnmatched          = "operation.unmatched"
)

// rules is the catalogue, in the order reports list it.
var rules = []Rule{
	{RuleRequestContentType, SeverityError, "The request's Content-Type is the contract's media type (application/x-www-form-urlencoded; parameters such as charset allowed).",
		"A form body sent as JSON or without a Content-Type is not read as a form by the server: every field is lost.", "", AnchorRequestBody},
	{RuleFormSyntax, SeverityError, "The form body is well formed: every % starts a two-digit hex escape and every decoded key and value is UTF-8.",
		"A bad escape such as %zz or a lone % makes the whole body unreadable to strict servers; the finding names the field it is in.", "", AnchorRequestBody},
	{RuleFormUnknownKey, SeverityError, "Every key of the form body is a documented field (keys are case-sensitive; arrays are repeated keys, not key[]).",
		"An undocumented key is ignored by the server, so a misspelt Configuration.Url silently creates a webhook that goes nowhere. Near misses get a did-you-mean.", "", AnchorRequestSchema},
	{RuleFormDuplicateKey, SeverityError, "A scalar field of the form body is given at most once.",
		"Only array fields repeat their key; a second value for a scalar field is either ignored or overrides the first, depending on the server.", "", AnchorRequestSchema},
	{RuleRequired, SeverityError, "Every field the contract requires is present.",
		"The request body requires Target.", "", AnchorRequestSchema},
	{RuleType, SeverityError, "Every value has the documented type: integers as decimal text in a form, JSON types in a body, arrays where the contract says array.",
		"Form values are text: an integer is its decimal digits (Configuration.ReplayAfter=7). A JSON body must use the JSON type the schema names; null only where the schema says nullable.", "", AnchorRequestSchema},
	{RuleEnum, SeverityError, "Every enumerated value is one the contract lists, in the contract's case.",
		"Target is webhook, trigger or studio and Configuration.Method is get or post, written exactly so; a hint says when only the case differs.", "", AnchorRequestSchema},
	{RuleSIDFormat, SeverityError, "Every SID has its documented two-letter prefix, 32 hex digits and 34 characters (WH, AC, CH, FW), in the form, the path and the response.",
		"A SID of the wrong prefix or length names no resource: the server answers 404 or 400.", "", AnchorRequestSchema},
	{RulePattern, SeverityError, "Every string with a documented pattern matches it.",
		"Patterns other than SID formats.", "", AnchorRequestSchema},
	{RuleLength, SeverityError, "Every string and array with documented length limits keeps them.",
		"Length limits other than those of SIDs.", "", AnchorRequestSchema},
	{RuleFormat, SeverityError, "Every string with a documented format has it (uri is absolute, date-time is RFC 3339).",
		"Formats are asserted, not merely annotated.", "", AnchorResponseSchema},
	{RuleConstraint, SeverityError, "Every other constraint of the contract's schemas holds (minimum, maximum, items, properties).",
		"Schema keywords without a rule of their own.", "", AnchorRequestSchema},
	{RuleConfigURL, SeverityError, "Configuration.Url is an absolute URL (scheme and host), as the documentation says.",
		"A relative URL or a bare host name cannot be called back; the documentation asks for \"the absolute url the webhook request should be sent to\".", "", AnchorRequestSchema},
	{RuleConfigTarget, SeverityWarning, "The configuration fits the Target: studio names Configuration.FlowSid, webhook and trigger name Configuration.Url, trigger names Configuration.Triggers.",
		"The configuration \"is defined based on target\": a studio webhook without a flow, or a webhook without a URL, is created but never fires. Warnings, since the schema requires none of them.", "", AnchorRequestSchema},
	{RuleResponseStatus, SeverityError, "The response status is one the contract documents for the operation (201).",
		"Any other status, an error included, is outside the documented contract; its body is not checked.", "", AnchorResponses},
	{RuleResponseRefused, SeverityInfo, "A 4xx answering a request that breaks the contract is the right answer: a note naming the request's findings, never a failure.",
		"The request is the defect and the server was right to refuse it, so the undocumented 4xx is not a second error; the request's own findings fail the pair. A 4xx to a request that keeps the contract stays a response.status error.", "", AnchorResponses},
	{RuleResponseType, SeverityError, "The response's Content-Type is the documented media type (application/json).",
		"Clients decide how to read the body from its Content-Type.", "", AnchorResponseContent},
	{RuleResponseJSON, SeverityError, "The response body is well-formed UTF-8 JSON.",
		"A truncated or non-JSON body cannot be decoded by any client.", "", AnchorResponseContent},
	{RuleResponseMissing, SeverityWarning, "A 2xx response body has every property its documented response lists (null counts as present).",
		"The contract requires no response property, so a 201 whose body is {} keeps every schema; this rule says what is missing. " +
			"A property is listed when the response schema names it under properties (after $ref, and in every branch of allOf; oneOf and anyOf list nothing). " +
			"Nested objects are looked into only where their schema lists properties of their own: configuration lists none, so url, method, filters, triggers, flow_sid and replay_after may each be left out (the documentation's own example leaves out replay_after). " +
			"A listed property whose value is null is present: nullable fields are written as null, not left out; writeOnly properties are never expected. " +
			"A warning, not an error, by default: the contract marks no property required, and a server may leave out one it has no value for; " +
			"set it to error (--rule response.missing-property=error, or in contractcheck.yaml) when your clients rely on every property.", "", AnchorResponseSchema},
	{RuleHeaderType, SeverityError, "Every documented response header has its documented type (Access-Control-Allow-Credentials is true or false).",
		"Header values are text; a boolean header is the literal true or false.", "", AnchorResponseHeaders},
	{RuleCORSAllowOrigin, SeverityError, "Access-Control-Allow-Origin holds one value: a single origin (scheme://host[:port]), * or null.",
		"The Fetch standard compares the header byte for byte with the request's origin: a list, a path or a second header line never matches.", "", AnchorResponseHeaders},
	{RuleCORSCredentials, SeverityError, "Access-Control-Allow-Origin is not * when Access-Control-Allow-Credentials is true.",
		"The Fetch standard fails a credentialed request whose response allows the origin *.", "", AnchorResponseHeaders},
	{RuleCORSOriginMatch, SeverityError, "When the request has an Origin, Access-Control-Allow-Origin is * or that origin.",
		"Any other origin makes the browser discard the response.", "", AnchorResponseHeaders},
	{RuleCORSVaryOrigin, SeverityWarning, "A response that echoes the request's origin in Access-Control-Allow-Origin says Vary: Origin.",
		"Without it a shared cache may serve one origin's response to another (Fetch standard, CORS protocol and HTTP caches).", "", AnchorResponseHeaders},
	{RuleCORSTokenList, SeverityError, "Access-Control-Allow-Methods, -Allow-Headers and -Expose-Headers are comma-separated lists of tokens.",
		"The Fetch standard parses these headers as lists of method and header-name tokens; spaces or semicolons as separators make the whole header fail.", "", AnchorResponseHeaders},
	{RulePairConversation, SeverityError, "The response's conversation_sid is the conversation of the request's path.",
		"A webhook created on another conversation than the one addressed.", "", AnchorResponseSchema},
	{RulePairTarget, SeverityError, "The response's target is the request's Target.",
		"The created webhook has another target than the one asked for.", "", AnchorResponseSchema},
	{RulePairConfiguration, SeverityError, "Every value the response's configuration states agrees with what the request set (url, method, filters, triggers, flow_sid, replay_after).",
		"A value the response leaves out is not a finding (the documentation's own example omits replay_after); one it states differently is.", "", AnchorResponseSchema},
	{RulePairURL, SeverityError, "The response's url is the request's path followed by the new webhook's sid.",
		"The url is the created resource's address: /v1/Conversations/{ConversationSid}/Webhooks/{sid}.", "", AnchorResponseSchema},
	{RulePairDates, SeverityError, "The response's date_updated is not before its date_created.",
		"A resource cannot be updated before it was created.", "", AnchorResponseSchema},
	{RulePairAccount, SeverityError, "The response's account_sid is the account of the request's Basic-auth user when that user is an account SID.",
		"A resource created under another account than the one that authenticated.", "", AnchorResponseSchema},
	{RuleUnmatched, SeverityError, "Every exchange is one of an operation the contract describes (only with --fail-on-unmatched).",
		"By default exchanges of operations the contract does not describe are skipped.", "", AnchorOperation},
}

// AnchorOf returns the part of an operation a rule comes from:
// AnchorOperation for a rule outside the catalogue.
func AnchorOf(r Rule) Anchor { return r.anchor }

var ruleIndex = func() map[string]int {
	m := make(map[string]int, len(rules))
	for i, r := range rules {
		m[r.ID] = i
	}
	return m
}()

// Rules returns the rule catalogue in a stable order. The slice is a copy.
// It holds the checker's rules; a tool that adds rules of its own (such as
// contractcheck probe) defines them in its package, and a program that runs
// the tool lists them after these.
func Rules() []Rule {
	return append([]Rule(nil), rules...)
}

// Order returns a rule's place in the catalogue, the order reports list
// rules in: 0 for the first rule and for a rule outside the catalogue.
func Order(id string) int { return ruleIndex[id] }

// Catalogued fills in what the catalogue says of a finding's rule: its
// severity, unless the finding has one.
func Catalogued(f Finding) Finding {
	if i, ok := ruleIndex[f.Rule]; ok && f.Severity == 0 {
		f.Severity = rules[i].Severity
	}
	return f
}

// LookupRule returns the rule with the given ID, of the catalogue or else of
// tools, the rules a tool adds to it (such as contractcheck probe's).
func LookupRule(id string, tools ...Rule) (Rule, bool) {
	if i, ok := ruleIndex[id]; ok {
		return rules[i], true
	}
	if i := slices.IndexFunc(tools, func(r Rule) bool { return r.ID == id }); i >= 0 {
		return tools[i], true
	}
	return Rule{}, false
}
