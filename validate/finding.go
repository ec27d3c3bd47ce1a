package validate

import "github.com/contractcheck/contractcheck/validate/internal/finding"

// The findings model lives in internal/finding, where both the compiled
// contract and the checker import it; these are its names for users of
// validate.

// Severity says how much a finding matters: a [SeverityError] breaks the
// contract, a [SeverityWarning] is something the contract's words suggest
// but its schema does not require, and a [SeverityInfo] is a note that
// explains other findings. Severities are ordered: info < warning < error.
type Severity = finding.Severity

const (
	// SeverityInfo marks a note: it never fails a pair, whatever the severity
	// that fails one (such as the server's right refusal of a request that
	// breaks the contract, rule response.refused).
	SeverityInfo = finding.SeverityInfo
	// SeverityWarning marks a finding that does not break the schema but is
	// likely a mistake.
	SeverityWarning = finding.SeverityWarning
	// SeverityError marks a finding that breaks the contract.
	SeverityError = finding.SeverityError
)

// ParseSeverity parses "error", "warning" or "info". Only error and warning
// can fail a pair: callers that parse a threshold refuse info.
func ParseSeverity(s string) (Severity, error) { return finding.ParseSeverity(s) }

// SpecPos is a place in a contract document: the file and a 1-based line.
// The zero value means the place is unknown.
type SpecPos = finding.SpecPos

// Finding is one way an exchange breaks its contract. Every check reports
// findings, and every report renders them; nothing else crosses that line.
//
// The strings of a finding never hold a secret of the exchange: values of
// Authorization headers, Basic-auth passwords and auth tokens are redacted
// before a finding is made.
type Finding = finding.Finding

// Part is a part of an exchange that a finding can be located in. Parts are
// ordered as a report lists them: the request's path, query, headers and
// body, the request as a whole, then the response's status, headers and
// body and the response as a whole.
type Part = finding.Part

const (
	// PartRequestPath is the request's path parameters ("request.path").
	PartRequestPath = finding.PartRequestPath
	// PartRequestQuery is the request's query ("request.query").
	PartRequestQuery = finding.PartRequestQuery
	// PartRequestHeader is the request's headers ("request.header").
	PartRequestHeader = finding.PartRequestHeader
	// PartRequestBody is the request's body ("request.body").
	PartRequestBody = finding.PartRequestBody
	// PartRequest is the request as a whole ("request").
	PartRequest = finding.PartRequest
	// PartResponseStatus is the response's status code ("response.status").
	PartResponseStatus = finding.PartResponseStatus
	// PartResponseHeader is the response's headers ("response.header").
	PartResponseHeader = finding.PartResponseHeader
	// PartResponseBody is the response's body ("response.body").
	PartResponseBody = finding.PartResponseBody
	// PartResponse is the response as a whole ("response").
	PartResponse = finding.PartResponse
)

// Location is where in an exchange a finding is: a part, the header's name
// for a header, and a JSON pointer (RFC 6901) into the part's value, such as
// "/Configuration.FlowSid" in the request body or "/ConversationSid" in the
// path. Its string form is the part, "/" and the name if any, "#" and the
// pointer if any: "request.body#/Configuration.FlowSid",
// "request.header/Content-Type", "response.status".
type Location = finding.Location

// ParseLocation parses the string form of a location, as [Location.String]
// renders it; "" is the zero location.
func ParseLocation(s string) (Location, error) { return finding.ParseLocation(s) }

// Rule is one entry of the rule catalogue: every [Finding] names the rule it
// breaks by its ID.
type Rule = finding.Rule

// The IDs of the rules in the catalogue.
const (
	RuleRequestContentType = finding.RuleRequestContentType
	RuleFormSyntax         = finding.RuleFormSyntax
	RuleFormUnknownKey     = finding.RuleFormUnknownKey
	RuleFormDuplicateKey   = finding.RuleFormDuplicateKey
	RuleRequired           = finding.RuleRequired
	RuleType               = finding.RuleType
	RuleEnum               = finding.RuleEnum
	RuleSIDFormat          = finding.RuleSIDFormat
	RulePattern            = finding.RulePattern
	RuleLength             = finding.RuleLength
	RuleFormat             = finding.RuleFormat
	RuleConstraint         = finding.RuleConstraint
	RuleConfigURL          = finding.RuleConfigURL
	RuleConfigTarget       = finding.RuleConfigTarget
	RuleResponseStatus     = finding.RuleResponseStatus
	RuleResponseRefused    = finding.RuleResponseRefused
	RuleResponseType       = finding.RuleResponseType
	RuleResponseJSON       = finding.RuleResponseJSON
	RuleResponseMissing    = finding.RuleResponseMissing
	RuleHeaderType         = finding.RuleHeaderType
	RuleCORSAllowOrigin    = finding.RuleCORSAllowOrigin
	RuleCORSCredentials    = finding.RuleCORSCredentials
	RuleCORSOriginMatch    = finding.RuleCORSOriginMatch
	RuleCORSVaryOrigin     = finding.RuleCORSVaryOrigin
	RuleCORSTokenList      = finding.RuleCORSTokenList
	RulePairConversation   = finding.RulePairConversation
	RulePairTarget         = finding.RulePairTarget
	RulePairConfiguration  = finding.RulePairConfiguration
	RulePairURL            = finding.RulePairURL
	RulePairDates          = finding.RulePairDates
	RulePairAccount        = finding.RulePairAccount
	RuleUnmatched          = finding.RuleUnmatched
)

// Rules returns the rule catalogue in a stable order. The slice is a copy.
// It holds the checker's rules; a tool that adds rules of its own (such as
// contractcheck probe) defines them in its package, and a program that runs
// the tool lists them after these.
func Rules() []Rule { return finding.Rules() }

// LookupRule returns the rule with the given ID, of the catalogue or else of
// tools, the rules a tool adds to it (such as contractcheck probe's).
func LookupRule(id string, tools ...Rule) (Rule, bool) { return finding.LookupRule(id, tools...) }
