package contracttest

import (
	"bytes"
	"slices"
	"strings"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/report"
)

// verdict is what the findings of one exchange mean for the test.
type verdict struct {
	// failing are the findings that fail the test: at or above the
	// threshold and not expected.
	failing []validate.Finding
	// shown are the findings a message lists: every finding but the
	// expected ones, in the checker's order.
	shown []validate.Finding
	// expected lists the expected rules the findings break.
	expected []string
}

// judge sorts an exchange's findings by what they mean for the test. The
// rules of also (those a Server behind a Transport expects) count as
// expected too, but need not occur.
func (c *config) judge(findings []validate.Finding, also []string) verdict {
	var v verdict
	for _, f := range findings {
		if slices.Contains(c.expect, f.Rule) || slices.Contains(also, f.Rule) {
			if !slices.Contains(v.expected, f.Rule) {
				v.expected = append(v.expected, f.Rule)
			}
			continue
		}
		v.shown = append(v.shown, f)
		if f.Severity >= c.failOn {
			v.failing = append(v.failing, f)
		}
	}
	return v
}

// missing returns the expected rules not in seen, in the order expected.
func (c *config) missing(seen func(rule string) bool) []string {
	var out []string
	for _, id := range c.expect {
		if !seen(id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// render tells an exchange and findings as contractcheck's text report
// does: a header line naming the exchange (source#entry, method, path,
// status), then each finding on indented lines. The URL and the findings
// are redacted (the checker redacts findings; report.NewPair the URL).
func render(ex *validate.Exchange, operation string, findings []validate.Finding) string {
	// SeverityWarning makes every listed finding render: the text report
	// shows failed pairs only.
	p := report.NewPair(ex, validate.Result{Operation: operation, Findings: findings}, validate.SeverityWarning)
	p.Replay = "" // the test has the request in hand; a curl command would go to its server, gone
	var buf bytes.Buffer
	if err := report.NewText(&buf, report.Options{}).WritePair(p); err != nil {
		// A bytes.Buffer does not fail; say so rather than lose the findings.
		return "rendering the findings: " + err.Error()
	}
	return strings.TrimRight(buf.String(), "\n")
}

// failureMessage is the message of an exchange that fails the test.
func (c *config) failureMessage(ex *validate.Exchange, operation string, v verdict) string {
	var b strings.Builder
	b.WriteString("the exchange breaks the contract ")
	b.WriteString(c.plan.File())
	b.WriteString(":\n")
	b.WriteString(render(ex, operation, v.shown))
	return b.String()
}

// expectedMessage says which expected violations did not occur.
func expectedMessage(missing []string, where string) string {
	return "expected a violation of " + strings.Join(missing, ", ") + " " + where + ", but none occurred"
}
