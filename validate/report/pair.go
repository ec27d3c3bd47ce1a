package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/fingerprint"
)

// Verdict is what checking one pair concluded.
type Verdict string

// The verdicts of a pair.
const (
	// VerdictPass: an operation of the contract matched and no finding
	// reached the fail-on threshold.
	VerdictPass Verdict = "pass"
	// VerdictFail: a finding reached the fail-on threshold.
	VerdictFail Verdict = "fail"
	// VerdictSkip: no operation of the contract describes the exchange, so it
	// was not checked.
	VerdictSkip Verdict = "skip"
	// VerdictInputError: the entry of the recording could not be read.
	VerdictInputError Verdict = "input-error"
)

// Pair is one checked exchange, as reports show it. Other tools read its JSON
// form: the field names are stable.
type Pair struct {
	// Source names the recording the exchange comes from ("-" for standard
	// input).
	Source string `json:"source"`
	// Entry is the exchange's 0-based index within Source, or -1 when the
	// whole source could not be read.
	Entry int `json:"entry"`
	// Line is the 1-based line of Source where the exchange starts, or 0 when
	// unknown.
	Line int `json:"line,omitempty"`
	// Method is the request method.
	Method string `json:"method"`
	// URL is the request URL, with its secrets redacted.
	URL string `json:"url"`
	// Status is the response status code.
	Status int `json:"status"`
	// Operation is the operationId of the operation the exchange matched.
	Operation string `json:"operation,omitempty"`
	// Verdict is what checking the pair concluded.
	Verdict Verdict `json:"verdict"`
	// Reason says why a skipped pair was not checked.
	Reason string `json:"reason,omitempty"`
	// Error is the input error of an input-error pair.
	Error string `json:"error,omitempty"`
	// Findings are the problems found, in the checker's order; never nil in
	// pairs made by [NewPair] or [NewInputError]. The checker caps them
	// ([validate.MaxFindingsPerRule], [validate.MaxFindingsPerPair]).
	Findings []validate.Finding `json:"findings"`
	// Omitted counts, by rule, the findings the caps left out of Findings
	// ([validate.Result].Omitted); every report says how many there were.
	// Their severity is that of their rule's findings in Findings.
	Omitted map[string]int `json:"omitted,omitempty"`

	// Shape is the request's shape ([fingerprint.Shape]) when the pair has
	// findings, or suppressed ones, and "" otherwise; with Operation it
	// identifies the pair's findings across recordings ([Pair.Fingerprint]).
	// Reports do not show it.
	Shape string `json:"-"`
	// Replay is a curl command that sends the request again ([Curl]),
	// for a failing pair; "" for others. The text, Markdown and JUnit
	// reports show it.
	Replay string `json:"-"`
	// Wire is the request and response of a failing pair, secrets redacted,
	// which the HTML report shows. [NewPair] leaves it nil, since only that
	// report needs it: set it with [NewWire] (contractcheck does when it
	// writes an HTML report).
	Wire *Wire `json:"-"`
	// Suppressed are the findings a baseline accepted: they are not in
	// Findings, do not count towards the verdict, and only the summary counts
	// them.
	Suppressed []validate.Finding `json:"-"`
	// SuppressedMore counts the findings the caps left out of Suppressed:
	// the omitted findings of rules whose every finding shown the baseline
	// accepted. Only the summary counts them.
	SuppressedMore int `json:"-"`
}

// OmittedCount is the number of findings the caps left out of the pair's
// Findings.
func (p Pair) OmittedCount() int {
	n := 0
	for _, k := range p.Omitted {
		n += k
	}
	return n
}

// MoreText says how many findings the caps left out of the pair, by rule,
// such as "and 980 more findings not shown (form.unknown-key: 980); a pair
// shows at most 20 findings of a rule and 100 in all", or "" when none was.
func (p Pair) MoreText() string {
	n := p.OmittedCount()
	if n == 0 {
		return ""
	}
	rules := slices.Sorted(maps.Keys(p.Omitted))
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = r + ": " + strconv.Itoa(p.Omitted[r])
	}
	return fmt.Sprintf("and %s not shown (%s); a pair shows at most %d findings of a rule and %d in all",
		plural(n, "more finding"), strings.Join(parts, ", "), validate.MaxFindingsPerRule, validate.MaxFindingsPerPair)
}

// severityOf is the severity of the pair's findings of rule: that of its
// first finding in Findings, or the rule's default.
func (p Pair) severityOf(rule string) validate.Severity {
	for _, f := range p.Findings {
		if f.Rule == rule {
			return f.Severity
		}
	}
	return defaultSeverity(rule)
}

// Fingerprint returns the fingerprint of one of the pair's findings
// ([fingerprint.Of] of the finding, the pair's operation and shape).
func (p Pair) Fingerprint(f validate.Finding) string {
	return fingerprint.Of(f, p.Operation, p.Shape)
}

// NewPair builds the report of an exchange checked with the result res.
// The pair fails when one of its findings has a severity at or above failOn
// (with [validate.SeverityWarning], a warning fails the pair); a zero failOn
// means [validate.SeverityError]. A pair that no operation matched and that
// has no failing finding is skipped.
//
// The URL is redacted with [redact.Text], and so is the skip reason
// (the URL wherever it quotes it, the rest with [redact.Text]); the findings are taken as they are, since the checker
// redacts them. The exchange's secrets are those res carries when the check
// computed them and ex has not changed since in its URL or its credential
// header fields (otherwise they are computed again, and only when a text may
// hold one), so ex may change between Check and NewPair without a secret
// showing. A finding with no valid severity gets its rule's default
// severity (error for an unknown rule), so that every report can render it.
func NewPair(ex *validate.Exchange, res validate.Result, failOn validate.Severity) Pair {
	if failOn != validate.SeverityWarning {
		failOn = validate.SeverityError
	}
	secrets := checkedSecrets(ex, res)
	p := Pair{
		Source:    ex.Source,
		Entry:     ex.Entry,
		Line:      ex.Line,
		Method:    ex.Request.Method,
		URL:       secrets.Text(ex.Request.URL),
		Status:    ex.Response.Status,
		Operation: res.Operation,
		Findings:  normalize(res.Findings),
		Omitted:   res.Omitted,
	}
	switch {
	case fails(p.Findings, failOn):
		p.Verdict = VerdictFail
		p.Replay = curl(ex, &secrets)
	case res.Operation == "":
		p.Verdict = VerdictSkip
		p.Reason = redactReason(res.Skip, ex.Request.URL, p.URL, &secrets)
	default:
		p.Verdict = VerdictPass
	}
	return p
}

// checkedSecrets returns the secrets of ex for its report: those the check
// that gave res computed, when ex has not changed since, or else secrets
// computed when a text first needs one (never, for most passing pairs).
func checkedSecrets(ex *validate.Exchange, res validate.Result) redact.Lazy {
	return redact.Checked.(func(*validate.Exchange, validate.Result) redact.Lazy)(ex, res)
}

// NewInputError builds the report of an entry of a recording that could not
// be read: entry is its 0-based index (-1 when the whole source could not be
// read), line the 1-based line where it starts (0 when unknown), field the part
// of the entry at fault ("" when none). The error text is redacted with
// [redact.Text].
func NewInputError(source string, entry, line int, field string, err error) Pair {
	msg := "unknown error"
	if err != nil {
		msg = err.Error()
	}
	if field != "" {
		msg = field + ": " + msg
	}
	return Pair{
		Source:   source,
		Entry:    entry,
		Line:     line,
		Verdict:  VerdictInputError,
		Error:    redact.Text(msg, nil),
		Findings: []validate.Finding{},
	}
}

// Request is the pair's request line as reports show it: the method, then
// the path and query of the (redacted) URL, such as
// "POST /v1/Conversations/CH…/Webhooks".
func (p Pair) Request() string {
	return p.Method + " " + pathAndQuery(p.URL)
}

// Ref names the pair as "source#entry", or "source" alone when the whole
// source is at fault.
func (p Pair) Ref() string {
	if p.Entry < 0 {
		return p.Source
	}
	return p.Source + "#" + strconv.Itoa(p.Entry)
}

// RefLine is [Pair.Ref] followed by " (line N)" when the line is known.
func (p Pair) RefLine() string {
	if p.Line <= 0 {
		return p.Ref()
	}
	return p.Ref() + " (line " + strconv.Itoa(p.Line) + ")"
}

// redactReason hides the secrets of a skip reason: the raw URL, where quoted,
// becomes the redacted one, and [redact.Text] hides the rest.
func redactReason(reason, rawURL, redactedURL string, secrets *redact.Lazy) string {
	if rawURL != "" && rawURL != redactedURL {
		reason = strings.ReplaceAll(reason, rawURL, redactedURL)
	}
	return secrets.Text(reason)
}

// InputErrorLine tells the input error of an input-error pair on one line,
// "source#entry (line N): field: message", escaped ([escape.LineStart]) so
// that it is safe to print on a terminal or in a CI log.
func (p Pair) InputErrorLine() string {
	return escape.LineStart(p.RefLine() + ": " + p.Error)
}

// fails reports whether a finding has a severity at or above failOn.
func fails(findings []validate.Finding, failOn validate.Severity) bool {
	for _, f := range findings {
		if f.Severity >= failOn {
			return true
		}
	}
	return false
}

// normalize returns the findings with every invalid severity replaced by its
// rule's default, copying them only when one needs it; nil becomes empty.
func normalize(findings []validate.Finding) []validate.Finding {
	if findings == nil {
		return []validate.Finding{}
	}
	for i, f := range findings {
		if validSeverity(f.Severity) {
			continue
		}
		out := append([]validate.Finding(nil), findings...)
		for j := i; j < len(out); j++ {
			if !validSeverity(out[j].Severity) {
				out[j].Severity = defaultSeverity(out[j].Rule)
			}
		}
		return out
	}
	return findings
}

func validSeverity(s validate.Severity) bool {
	return s == validate.SeverityError || s == validate.SeverityWarning || s == validate.SeverityInfo
}

// defaultSeverity is the catalogue's severity of a rule, error when unknown.
func defaultSeverity(rule string) validate.Severity {
	if r, ok := validate.LookupRule(rule); ok && validSeverity(r.Severity) {
		return r.Severity
	}
	return validate.SeverityError
}
