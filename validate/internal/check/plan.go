package check

import (
	"net/http"
	"sync"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/finding"
)

// Plan is what the checker checks an exchange against: the compiled
// operations of a contract with their own rules attached, and what the
// checker learns of the contract as it goes (the failing schema keywords).
// validate's Plan wraps it; a copy shares everything but the fields it sets.
type Plan struct {
	// Doc is the contract document.
	Doc *contract.Document
	// Ops are the compiled operations, in document order.
	Ops []*compiled.Operation
	// Router finds the operation of a request.
	Router compiled.Router
	// Main is the operation rules are cited from when a finding has no
	// operation of its own: the first with rules of its own (the
	// conversation-scoped webhook) when the contract has one, otherwise the
	// first operation.
	Main *compiled.Operation
	// Off holds the rules the user turned off: a request's findings of these
	// rules do not explain a 4xx (rule response.refused).
	Off map[string]bool

	// own holds each operation's own rules, by the operation's Index; nil
	// for most (see registerOwnRules).
	own []ownRules
	// keywords holds the failing schema keywords met so far, by jsonschema's
	// absolute keyword location (see Plan.keyword).
	keywords *sync.Map
}

// New returns the plan of ops (not empty), the compiled operations of doc
// routed by router, with the own rules registered for each operation
// attached.
func New(doc *contract.Document, ops []*compiled.Operation, router compiled.Router) Plan {
	p := Plan{Doc: doc, Ops: ops, Router: router, Main: ops[0], keywords: new(sync.Map)}
	p.own = attachOwnRules(doc, ops)
	for _, op := range ops {
		if p.own[op.Index] != nil {
			p.Main = op
			break
		}
	}
	return p
}

// Exchange is an exchange as the checker reads it: validate's Exchange
// without where it came from, its two halves side by side.
type Exchange struct {
	// Method and URL are the request's method, as sent, and its target, as
	// recorded.
	Method, URL string
	// ReqHeader and ReqBody are the request's header fields and body.
	ReqHeader http.Header
	ReqBody   []byte
	// Status is the response's status code; 0 when there is no response.
	Status int
	// RespHeader and RespBody are the response's header fields and body.
	RespHeader http.Header
	RespBody   []byte
}

// Result is what checking one exchange gives: validate's Result, with the
// exchange's secrets when the check computed them.
type Result struct {
	Operation string
	Skip      string
	Findings  []finding.Finding
	Omitted   map[string]int
	// Secrets are the exchange's secrets when the check computed them (to
	// redact a finding's values), or nil.
	Secrets *redact.Lazy
}

// Bodies names bodies of an exchange, for [Plan.CheckUnread].
type Bodies uint8

// The bodies of an exchange.
const (
	// RequestBody is the request's body.
	RequestBody Bodies = 1 << iota
	// ResponseBody is the response's body.
	ResponseBody
)

// The caps on the findings of one exchange (see validate's
// MaxFindingsPerRule and MaxFindingsPerPair).
const (
	// MaxFindingsPerRule is how many findings of one rule a Result holds.
	MaxFindingsPerRule = 20
	// MaxFindingsPerPair is how many findings a Result holds in all, but
	// that every rule that fires keeps its first finding.
	MaxFindingsPerPair = 100
)
