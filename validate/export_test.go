package validate

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
)

// FastAndFull runs the fast path and the full path separately on one
// exchange: whether the fast path calls it clean, and every finding of the
// full path. Tests use it to prove that the fast path never hides a finding.
func (p *Plan) FastAndFull(ex *Exchange) (fastClean bool, full Result) {
	op, vals, reason := p.chk.Router.Match(strings.ToUpper(ex.Request.Method), ex.Request.URL)
	if op == nil {
		return false, Result{Skip: reason}
	}
	return p.fastClean(op, vals, ex, true), p.fullCheck(op, vals, ex, true)
}

// Verdicts of ResponseSchemaVerdicts.
const (
	VerdictValid   = "valid"
	VerdictInvalid = "invalid"
	VerdictUnsure  = "unsure"
	VerdictNotJSON = "not JSON"
)

// ResponseSchemaVerdicts judges a response body against the JSON schema of
// operation id's response to status, twice: with the fast path's scanner and
// with encoding/json and jsonschema/v5, the authority.
func (p *Plan) ResponseSchemaVerdicts(id string, status int, body []byte) (fast, authority string) {
	op := p.opByID(id)
	var mp *compiled.Media
	for _, m := range op.Response(status).Media {
		if m.JSON {
			mp = m
		}
	}
	var sc gate.Scanner
	v, ok := sc.ScanJSON(mp.Fast, body)
	fast = [...]string{VerdictValid, VerdictUnsure, VerdictInvalid}[v]
	if !ok {
		fast = VerdictNotJSON
	}
	if !utf8.Valid(body) {
		return fast, VerdictNotJSON
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return fast, VerdictNotJSON
	}
	if _, err := dec.Token(); err != io.EOF {
		return fast, VerdictNotJSON
	}
	if err := mp.Schema.Validate(x); err != nil {
		return fast, VerdictInvalid
	}
	return fast, VerdictValid
}

// webhookOperationID is the operationId of the conversation-scoped webhook.
const webhookOperationID = "CreateConversationScopedWebhook"

// fullCheck checks an exchange of op with every rule and returns all its
// findings, without the gate.
func (p *Plan) fullCheck(op *compiled.Operation, vals []string, ex *Exchange, withResponse bool) Result {
	return result(p.chk.FullCheck(op, vals, checkable(ex), withResponse))
}

// fastClean reports whether the gate calls the exchange clean.
func (p *Plan) fastClean(op *compiled.Operation, vals []string, ex *Exchange, withResponse bool) bool {
	return p.chk.Gate(op, vals, checkable(ex), withResponse)
}
