package validate

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate/internal/check"
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/finding"
	"github.com/contractcheck/contractcheck/validate/internal/route"
)

// Plan is a compiled contract. [Load] builds it once: the path matchers, the
// form field tables, the compiled JSON Schemas, the header rules and the
// regular expressions of every operation. A Plan is immutable and safe for
// concurrent use by any number of goroutines; [Plan.Check] never compiles
// anything and never does I/O.
type Plan struct {
	// chk is the compiled operations with their rules, as the checker
	// reads them.
	chk     check.Plan
	title   string
	version string
}

// Result is what checking one exchange gives.
type Result struct {
	// Operation is the operationId of the operation the exchange matched (or
	// "METHOD /template" when the operation has no ID), or "" when no
	// operation of the contract describes the exchange.
	Operation string
	// Skip says why the exchange was not checked, when Operation is "".
	Skip string
	// Findings are the problems found, in a stable order: the request's path,
	// headers and body, then the response's status, headers and body. They
	// are capped ([MaxFindingsPerRule], [MaxFindingsPerPair]).
	Findings []Finding
	// Omitted counts, by rule ID, the findings the caps left out of Findings:
	// they were counted as they were found, never built. Every rule it names
	// has a finding in Findings, which tells the rule's severity and where
	// its findings start. Nil when nothing was left out.
	Omitted map[string]int

	// secrets are the exchange's secrets when the check computed them (to
	// redact a finding's values), or nil: the report of the pair takes them
	// ([Exchange.reportSecrets]) rather than computing them again.
	secrets *redact.Lazy
}

// The caps on the findings of one exchange, so that its report stays
// bounded whatever the exchange holds (a megabyte of unknown form keys would
// otherwise give a hundred thousand findings).
const (
	// MaxFindingsPerRule is how many findings of one rule a [Result] holds;
	// the others are counted in Result.Omitted.
	MaxFindingsPerRule = check.MaxFindingsPerRule
	// MaxFindingsPerPair is how many findings a [Result] holds in all, but
	// that every rule that fires keeps its first finding, so that the
	// findings shown name every rule broken and decide the verdict alone:
	// a Result holds at most MaxFindingsPerPair findings plus one per rule
	// of the catalogue.
	MaxFindingsPerPair = check.MaxFindingsPerPair
)

// OmittedCount is the number of findings the caps left out of Findings.
func (r Result) OmittedCount() int {
	n := 0
	for _, k := range r.Omitted {
		n += k
	}
	return n
}

// Skipped reports whether no operation of the contract describes the exchange.
func (r Result) Skipped() bool { return r.Operation == "" }

// Problem is one reason a contract cannot be used, at a line of it.
type Problem struct {
	// Line and Column are 1-based; 0 when unknown.
	Line, Column int
	// Message says what is wrong.
	Message string
}

// LoadError is returned by [Load] when a contract cannot be used: it is not
// OpenAPI 3, or it breaks the OpenAPI specification, or a schema in it does not
// compile. It lists every problem found.
type LoadError struct {
	// File is the contract's file name.
	File string
	// Problems lists what is wrong, in document order.
	Problems []Problem
}

// Error lists the problems, one per line, each as "file:line:column: message".
func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "loading contract %s: ", e.File)
	if len(e.Problems) == 1 {
		b.WriteString("1 problem")
	} else {
		fmt.Fprintf(&b, "%d problems", len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(e.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
			if p.Column > 0 {
				fmt.Fprintf(&b, ":%d", p.Column)
			}
		}
		b.WriteString(": ")
		b.WriteString(p.Message)
	}
	return b.String()
}

// LoadFile reads a contract, YAML or JSON, and compiles it with [Load].
func LoadFile(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading contract: %w", err)
	}
	return Load(path, b)
}

var embedded struct {
	once sync.Once
	plan *Plan
	err  error
}

// Embedded returns the plan of the contract built into contractcheck
// ([contracts.ScopedWebhook]). It is compiled on first use and shared.
func Embedded() (*Plan, error) {
	embedded.once.Do(func() {
		embedded.plan, embedded.err = load(contracts.ScopedWebhookFile, contracts.ScopedWebhook, false)
	})
	return embedded.plan, embedded.err
}

// File returns the contract's file name, as findings cite it.
func (p *Plan) File() string { return p.chk.Doc.File }

// Title returns the contract's info.title.
func (p *Plan) Title() string { return p.title }

// Version returns the contract's OpenAPI version, such as "3.0.1".
func (p *Plan) Version() string { return p.version }

// Operations returns the IDs of the operations the plan checks, in document
// order.
func (p *Plan) Operations() []string {
	ids := make([]string, len(p.chk.Ops))
	for i, op := range p.chk.Ops {
		ids[i] = op.ID
	}
	return ids
}

// Match returns the operation that describes a request with this method and
// target (an absolute URL, or a path with its query), named as
// [Result.Operation] names it, or "" and the reason [Result.Skip] would give
// when no operation does: [Plan.Check] routes the same way. The host of an
// absolute URL must be one of the contract's servers, loopback, or one added
// with [Plan.WithServers] (unless the plan is [Plan.AnyHost]'s); a path
// without a host is routed by its path alone. It routes only: nothing is
// checked, and routing a request the contract describes allocates nothing.
// Wrappers use it to leave other traffic untouched.
func (p *Plan) Match(method, target string) (operation, reason string) {
	var room [route.MaxValues]string
	op, _, reason := p.chk.Router.MatchInto(strings.ToUpper(method), target, room[:0])
	if op == nil {
		return "", reason
	}
	return op.ID, ""
}

// WithServers returns a plan that also checks exchanges sent to the given
// servers, besides the contract's own (its servers, at the top, of a path
// or of an operation) and loopback. Each is an absolute URL, such as
// https://api.example.com, or https://gateway.example.com/twilio for a
// server that serves the operations under a path prefix (a request there
// must have the prefix). Exchanges with other hosts are skipped. The plan
// returned shares everything else with p; p is unchanged.
func (p *Plan) WithServers(urls ...string) (*Plan, error) {
	servers := slices.Clip(p.chk.Router.Servers)
	for _, u := range urls {
		if !strings.Contains(u, "://") {
			return nil, fmt.Errorf("server %q: want an absolute URL, such as https://api.example.com", u)
		}
		s, err := route.ParseServer(u)
		if err != nil {
			return nil, err
		}
		servers = append(servers, s)
	}
	q := *p
	q.chk.Router.Servers = servers
	return &q, nil
}

// AnyHost returns a plan that routes exchanges by method and path alone,
// whatever host their URL names, for code that receives only requests
// addressed to it: a server under test, a fake of the endpoint, a proxy.
// The host such a request names is whatever the client called the server.
// The plan returned shares everything else with p; p is unchanged.
func (p *Plan) AnyHost() *Plan {
	q := *p
	q.chk.Router.AnyHost = true
	return &q
}

// WithRulesOff returns a plan for settings that turn the given rules off
// (contractcheck's --rule ID=off): a request's findings of these rules no
// longer explain a 4xx as the server's right refusal (rule
// response.refused), so a 4xx to a request whose only faults are of rules
// turned off is judged as it would be without them, as a response.status
// error. The findings themselves are still returned, for the settings to
// drop. The plan returned shares everything else with p; p is unchanged.
func (p *Plan) WithRulesOff(ids ...string) *Plan {
	q := *p
	q.chk.Off = make(map[string]bool, len(ids))
	for _, id := range ids {
		q.chk.Off[id] = true
	}
	return &q
}

// RuleSpec returns where in the contract a rule comes from, for the
// conversation-scoped webhook operation (or the first operation of a contract
// without it). The zero SpecPos is returned for an unknown rule.
func (p *Plan) RuleSpec(id string) SpecPos {
	r, ok := LookupRule(id)
	if !ok || p.chk.Main == nil {
		return SpecPos{}
	}
	return p.chk.Main.Anchors[finding.AnchorOf(r)]
}

// SpecOf returns where in the contract rule r comes from: [Plan.RuleSpec]
// of a catalogue rule, and of the catalogue rule r.From names for a rule a
// tool adds. The zero SpecPos is returned for a rule of neither kind.
func (p *Plan) SpecOf(r Rule) SpecPos {
	if r.From != "" {
		return p.RuleSpec(r.From)
	}
	return p.RuleSpec(r.ID)
}

// Unmatched returns the finding of rule operation.unmatched for an exchange
// that no operation of the contract describes; the CLI adds it with
// --fail-on-unmatched (and its hint names the CLI's --spec).
func (p *Plan) Unmatched(ex *Exchange, res Result) Finding {
	secrets := ex.reportSecrets(res)
	return finding.Catalogued(Finding{
		Rule:     RuleUnmatched,
		Location: Location{Part: PartRequest},
		Message:  "no operation of the contract describes this exchange: " + secrets.Text(res.Skip),
		Want:     "an operation of " + p.chk.Doc.File,
		Got:      ex.Request.Method + " " + secrets.Text(route.RequestPath(ex.Request.URL)),
		Hint:     "check the method and path, or load a contract that describes this operation",
		Spec:     p.RuleSpec(RuleUnmatched),
	})
}

// opByID returns the operation with the given ID, or nil.
func (p *Plan) opByID(id string) *compiled.Operation {
	for _, op := range p.chk.Ops {
		if op.ID == id {
			return op
		}
	}
	return nil
}

// Check checks one exchange against the contract and returns its findings.
// An exchange of an operation the contract does not describe is skipped
// (Result.Operation is ""). Check never compiles and never does I/O; it is
// safe to call from many goroutines at once.
func (p *Plan) Check(ex *Exchange) Result {
	return p.check(ex, true)
}

// CheckRequest checks only the request half of an exchange: its path,
// headers and body. Use it to judge a request before it is answered, as a
// validating proxy does.
func (p *Plan) CheckRequest(ex *Exchange) Result {
	return p.check(ex, false)
}

// Bodies names bodies of an exchange, for [Plan.CheckUnread].
type Bodies uint8

// CheckUnread checks an exchange some of whose bodies could not be read
// whole: too large to hold, or encoded in a way the caller cannot decode. It
// applies every rule that does not need the unread bodies (parameters,
// headers, the CORS rules, media types, the status) and none that does, so
// that its findings say nothing either way of what was not read; the caller
// must say that the exchange was not fully checked. A checking proxy uses it
// for an answer it passes on without holding its body. An exchange without a
// response (Status 0) is checked as [Plan.CheckRequest] checks it.
func (p *Plan) CheckUnread(ex *Exchange, unread Bodies) Result {
	if unread == 0 {
		return p.check(ex, ex.Response.Status != 0)
	}
	return result(p.chk.CheckUnread(checkable(ex), check.Bodies(unread), ex.Response.Status != 0))
}

// The bodies of an exchange.
const (
	// RequestBody is the request's body.
	RequestBody Bodies = 1 << iota
	// ResponseBody is the response's body.
	ResponseBody
)

// check checks an exchange, its response too when withResponse.
func (p *Plan) check(ex *Exchange, withResponse bool) Result {
	return result(p.chk.Check(checkable(ex), withResponse))
}

// checkable is the exchange as the checker reads it.
func checkable(ex *Exchange) check.Exchange {
	return check.Exchange{
		Method: ex.Request.Method, URL: ex.Request.URL, ReqHeader: ex.Request.Header, ReqBody: ex.Request.Body,
		Status: ex.Response.Status, RespHeader: ex.Response.Header, RespBody: ex.Response.Body,
	}
}

// result is the checker's result as a Result.
func result(r check.Result) Result {
	return Result{Operation: r.Operation, Skip: r.Skip, Findings: r.Findings, Omitted: r.Omitted, secrets: r.Secrets}
}
