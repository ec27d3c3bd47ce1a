package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/coverage"
)

// DefaultHTMLMaxPairs is how many failing pairs of each rule the HTML report
// lists when [Options].HTMLMaxPairs is zero.
const DefaultHTMLMaxPairs = 50

// inputErrorRule is the name under which the HTML report files the pairs
// that could not be read, beside the rules.
const inputErrorRule = "input-error"

// htmlWriter keeps the counts by rule and the pairs it lists (rendered, in a
// spool), and writes the page at the end.
type htmlWriter struct {
	w        io.Writer
	contract string
	maxPairs int
	byRule   ruleCounts
	listed   map[string]int // failing pairs listed, by rule
	unlisted map[string]int // failing pairs not listed, by rule
	shown    int            // pairs listed
	pairs    spool          // the listed pairs' HTML
	buf      bytes.Buffer
	tools    []validate.Rule // the rules a tool adds to the catalogue
}

// NewHTML returns a writer of the HTML report: one self-contained page (its
// CSS, its SVG chart and its script inline; it loads nothing) with the
// summary, the findings by rule as a bar chart and a table, a filter by rule
// and severity, and the failing pairs: for each, its findings (want, got,
// hint, contract line), its request and response ([Pair].Wire) and its curl
// replay. It lists the first opts.HTMLMaxPairs failing pairs of each rule
// ([DefaultHTMLMaxPairs] when zero) and says how many more there were, so
// that the page of an audit of 100,000 pairs stays usable. Every value is
// HTML-escaped (html/template) after its control characters are escaped
// ([escape.Line]); the pairs listed wait in memory, or in a temporary file
// past a few megabytes, until Finish.
func NewHTML(w io.Writer, opts Options) Writer {
	n := opts.HTMLMaxPairs
	if n <= 0 {
		n = DefaultHTMLMaxPairs
	}
	return &htmlWriter{
		w: w, contract: opts.Contract, maxPairs: n, byRule: ruleCounts{}, tools: opts.ToolRules,
		listed: map[string]int{}, unlisted: map[string]int{}, pairs: spool{limit: spoolLimit},
	}
}

// htmlFinding is one row of a pair's findings.
type htmlFinding struct {
	Rule, Severity, Location, Message, Want, Got, Hint, Spec string
}

// htmlPair is a listed pair, as the template renders it.
type htmlPair struct {
	Key, Ref, Request, Verdict string
	Status                     int
	Rules, Severities          string // space-separated, for the filter
	Findings                   []htmlFinding
	More                       string
	Wire                       *Wire
	Replay                     string
}

// WritePair counts the pair's findings and renders it if it is among the
// first failing pairs of one of its rules.
func (h *htmlWriter) WritePair(p Pair) error {
	h.byRule.add(p)
	if p.Verdict != VerdictFail && p.Verdict != VerdictInputError {
		return nil
	}
	rules := pairRules(p)
	list := false
	for _, r := range rules {
		list = list || h.listed[r] < h.maxPairs
	}
	for _, r := range rules {
		if list {
			h.listed[r]++
		} else {
			h.unlisted[r]++
		}
	}
	if !list {
		return nil
	}
	h.shown++
	h.buf.Reset()
	if err := htmlTemplates.ExecuteTemplate(&h.buf, "pair", newHTMLPair(p, rules)); err != nil {
		return fmt.Errorf("rendering pair %s of the HTML report: %w", p.Ref(), err)
	}
	if _, err := h.pairs.Write(h.buf.Bytes()); err != nil {
		return fmt.Errorf("writing pair %s of the HTML report: %w", p.Ref(), err)
	}
	return nil
}

// pairRules are the distinct rules of a failing pair's findings, in order,
// or inputErrorRule for a pair that could not be read.
func pairRules(p Pair) []string {
	if p.Verdict == VerdictInputError {
		return []string{inputErrorRule}
	}
	var rules []string
	for _, f := range p.Findings {
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	return rules
}

// newHTMLPair prepares a pair for the template, each value on one line.
func newHTMLPair(p Pair, rules []string) htmlPair {
	hp := htmlPair{
		Key: escape.Line(p.Ref()), Ref: escape.Line(p.RefLine()), Request: escape.Line(p.Request()), Verdict: string(p.Verdict), Status: p.Status,
		Rules: strings.Join(rules, " "), More: escape.Line(p.MoreText()), Wire: p.Wire, Replay: p.Replay,
	}
	var sevs []string
	if p.Verdict == VerdictInputError {
		hp.Findings = []htmlFinding{{Rule: inputErrorRule, Severity: "error", Message: escape.Line(p.Error)}}
		sevs = []string{"error"}
	}
	for _, f := range p.Findings {
		sev := f.Severity.String()
		if !slices.Contains(sevs, sev) {
			sevs = append(sevs, sev)
		}
		hp.Findings = append(hp.Findings, htmlFinding{
			Rule: escape.Line(f.Rule), Severity: sev, Location: escape.Line(f.Location.String()), Message: escape.Line(f.Message),
			Want: escape.Line(f.Want), Got: escape.Line(f.Got), Hint: escape.Line(f.Hint), Spec: escape.Line(f.Spec.String()),
		})
	}
	hp.Severities = strings.Join(sevs, " ")
	return hp
}

// htmlRule is a row of the findings by rule, and a bar of the chart.
type htmlRule struct {
	Rule, Severity           string
	Findings, Pairs          int
	Listed, Unlisted         int
	BarY, BarWidth, TextY    int
	BarLabelX                int
	Summary                  string
	NotListedText            string
	HasFindings, HasUnlisted bool
}

// htmlPage is the page but for its pairs.
type htmlPage struct {
	Contract, Headline string
	Summary            Summary
	Rules              []htmlRule
	ChartHeight        int
	Severities         []string
	Listed             int
	MaxPairs           int
	Coverage           *htmlCoverage
}

// htmlCoverage is the coverage section of the page.
type htmlCoverage struct {
	Headline   string
	Operations []htmlCoverageOp
}

// htmlCoverageOp is the coverage of one operation: a row per kind of item.
type htmlCoverageOp struct {
	Operation string
	Percent   string
	Rows      []htmlCoverageRow
}

// htmlCoverageRow lists the items of one kind, covered and not.
type htmlCoverageRow struct {
	Kind             string
	Covered, Missing []string
}

// newHTMLCoverage prepares the coverage for the template.
func newHTMLCoverage(c *coverage.Report) *htmlCoverage {
	if c == nil {
		return nil
	}
	out := &htmlCoverage{Headline: c.Headline()}
	for _, op := range c.Operations {
		hop := htmlCoverageOp{Operation: escape.Line(op.Operation), Percent: fmt.Sprintf("%.1f%%", op.Percent)}
		for _, it := range op.Items {
			if n := len(hop.Rows); n == 0 || hop.Rows[n-1].Kind != it.Kind {
				hop.Rows = append(hop.Rows, htmlCoverageRow{Kind: it.Kind})
			}
			row := &hop.Rows[len(hop.Rows)-1]
			if it.Covered() {
				row.Covered = append(row.Covered, escape.Line(it.Name))
			} else {
				row.Missing = append(row.Missing, escape.Line(it.Name))
			}
		}
		out.Operations = append(out.Operations, hop)
	}
	return out
}

// Chart geometry: a bar per rule.
const (
	chartBarHeight = 18
	chartGap       = 6
	chartWidth     = 360
)

// Finish writes the page: the head, the summary and the chart, then the
// listed pairs.
func (h *htmlWriter) Finish(s Summary) error {
	defer h.pairs.Close()
	page := htmlPage{Contract: escape.Line(h.contract), Headline: headline(s), Summary: s, Listed: h.shown, MaxPairs: h.maxPairs, Coverage: newHTMLCoverage(s.Coverage)}
	counts := h.byRule.sorted()
	if n := h.unlisted[inputErrorRule] + h.listed[inputErrorRule]; n > 0 {
		counts = append(counts, &ruleCount{rule: inputErrorRule, severity: validate.SeverityError, pairs: n})
	}
	most := 1
	for _, c := range counts {
		most = max(most, c.findings)
	}
	for i, c := range counts {
		y := i * (chartBarHeight + chartGap)
		r := htmlRule{
			Rule: escape.Line(c.rule), Severity: c.severity.String(), Findings: c.findings, Pairs: c.pairs,
			Listed: h.listed[c.rule], Unlisted: h.unlisted[c.rule], HasFindings: c.findings > 0, HasUnlisted: h.unlisted[c.rule] > 0,
			BarY: y, TextY: y + chartBarHeight - 5, BarWidth: max(1, c.findings*chartWidth/most),
		}
		r.BarLabelX = r.BarWidth + 6
		if rule, ok := validate.LookupRule(c.rule, h.tools...); ok {
			r.Summary = escape.Line(rule.Summary)
		}
		if r.HasUnlisted {
			r.NotListedText = fmt.Sprintf("and %s of rule %s not listed (the report lists the first %d of each rule: --html-max-pairs)",
				plural(r.Unlisted, "more failing pair"), r.Rule, h.maxPairs)
		}
		page.Rules = append(page.Rules, r)
		if !slices.Contains(page.Severities, r.Severity) {
			page.Severities = append(page.Severities, r.Severity)
		}
	}
	slices.SortFunc(page.Severities, func(a, b string) int { return severityRank(b) - severityRank(a) })
	page.ChartHeight = max(chartBarHeight, len(counts)*(chartBarHeight+chartGap))
	h.buf.Reset()
	if err := htmlTemplates.ExecuteTemplate(&h.buf, "head", page); err != nil {
		return fmt.Errorf("rendering the HTML report: %w", err)
	}
	if _, err := h.w.Write(h.buf.Bytes()); err != nil {
		return fmt.Errorf("writing the HTML report: %w", err)
	}
	if _, err := h.pairs.WriteTo(h.w); err != nil {
		return fmt.Errorf("writing the pairs of the HTML report: %w", err)
	}
	if _, err := io.WriteString(h.w, htmlTail); err != nil {
		return fmt.Errorf("writing the HTML report: %w", err)
	}
	return nil
}

// severityRank orders severities' names: error first.
func severityRank(s string) int {
	v, err := validate.ParseSeverity(s)
	if err != nil {
		return 0
	}
	return int(v)
}

// headline says what the run found in a few words, as the Markdown summary
// does.
func headline(s Summary) string {
	head := fmt.Sprintf("no pair failed (%s checked)", plural(s.Pairs, "pair"))
	if s.Passed+s.Failed == 0 {
		head = fmt.Sprintf("no pair was checked (%d skipped)", s.Skipped)
	}
	if s.Failed > 0 {
		head = fmt.Sprintf("%d of %s failed", s.Failed, plural(s.Pairs, "pair"))
	}
	if s.InputErrors > 0 {
		head = plural(s.InputErrors, "input error") + ", " + head
	}
	return head
}

var htmlTemplates = template.Must(template.New("html").Parse(htmlSource))

// htmlTail closes the page.
const htmlTail = "</main>\n<script>" + htmlScript + "</script>\n</body>\n</html>\n"

// htmlScript filters the pairs: a pair shows when one of its findings is of
// the chosen rule (or any) and of a checked severity; so does a finding.
const htmlScript = `
(function () {
  var rule = document.getElementById("filter-rule");
  var sevs = document.querySelectorAll("input.filter-severity");
  function apply() {
    var want = {};
    sevs.forEach(function (s) { want[s.value] = s.checked; });
    var shown = 0;
    document.querySelectorAll("section.pair").forEach(function (p) {
      var any = false;
      p.querySelectorAll("tr.finding").forEach(function (f) {
        var ok = (rule.value === "" || f.dataset.rule === rule.value) && want[f.dataset.severity] === true;
        f.hidden = !ok;
        any = any || ok;
      });
      p.hidden = !any;
      if (any) { shown++; }
    });
    document.getElementById("shown").textContent = String(shown);
  }
  rule.addEventListener("change", apply);
  sevs.forEach(function (s) { s.addEventListener("change", apply); });
  apply();
})();
`

const htmlSource = `{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>contractcheck: {{.Headline}}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 2rem; color: #1f2328; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1rem; margin: 0 0 .5rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid #d0d7de; padding: .2rem .5rem; text-align: left; vertical-align: top; } td code { overflow-wrap: anywhere; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font: 12px/1.4 ui-monospace, monospace; } pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.error { color: #cf222e; } .warning { color: #9a6700; } .info { color: #0969da; }
rect.error { fill: #cf222e; } rect.warning { fill: #d4a72c; } rect.info { fill: #0969da; }
section.pair { border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem; margin: .75rem 0; }
.filter { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #d0d7de; }
.more { color: #57606a; } code.missing { color: #cf222e; } code.covered { color: #1a7f37; }
</style>
</head>
<body>
<header>
<h1>contractcheck: {{.Headline}}</h1>
<p>Contract: <code>{{.Contract}}</code></p>
</header>
<main>
<h2>Summary</h2>
<table id="summary">
<tr><th class="n">Pairs</th><th class="n">Passed</th><th class="n">Failed</th><th class="n">Skipped</th><th class="n">Input errors</th><th class="n">Errors</th><th class="n">Warnings</th><th class="n">Infos</th><th class="n">Suppressed</th></tr>
<tr><td class="n" data-count="pairs">{{.Summary.Pairs}}</td><td class="n" data-count="passed">{{.Summary.Passed}}</td><td class="n" data-count="failed">{{.Summary.Failed}}</td><td class="n" data-count="skipped">{{.Summary.Skipped}}</td><td class="n" data-count="input_errors">{{.Summary.InputErrors}}</td><td class="n" data-count="errors">{{.Summary.Errors}}</td><td class="n" data-count="warnings">{{.Summary.Warnings}}</td><td class="n" data-count="infos">{{.Summary.Infos}}</td><td class="n" data-count="suppressed">{{.Summary.Suppressed}}</td></tr>
</table>
{{if .Rules}}<h2>Findings by rule</h2>
<svg id="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="findings by rule" width="760" height="{{.ChartHeight}}" viewBox="0 0 760 {{.ChartHeight}}">
{{range .Rules}}{{if .HasFindings}}<g class="bar" data-rule="{{.Rule}}" data-findings="{{.Findings}}" transform="translate(260 0)"><text x="-8" y="{{.TextY}}" text-anchor="end" font-size="12">{{.Rule}}</text><rect class="{{.Severity}}" x="0" y="{{.BarY}}" width="{{.BarWidth}}" height="18"><title>{{.Rule}}: {{.Findings}}</title></rect><text x="{{.BarLabelX}}" y="{{.TextY}}" font-size="12">{{.Findings}}</text></g>
{{end}}{{end}}</svg>
<table id="rules">
<tr><th>Rule</th><th>Severity</th><th class="n">Findings</th><th class="n">Pairs</th><th class="n">Failing pairs listed</th><th class="n">not listed</th><th>What it checks</th></tr>
{{range .Rules}}<tr data-rule="{{.Rule}}"><td><code>{{.Rule}}</code></td><td class="{{.Severity}}">{{.Severity}}</td><td class="n" data-count="findings">{{.Findings}}</td><td class="n" data-count="pairs">{{.Pairs}}</td><td class="n" data-count="listed">{{.Listed}}</td><td class="n" data-count="unlisted">{{.Unlisted}}</td><td>{{.Summary}}</td></tr>
{{end}}</table>
{{range .Rules}}{{if .HasUnlisted}}<p class="more" data-rule="{{.Rule}}">{{.NotListedText}}</p>
{{end}}{{end}}{{end}}
{{with .Coverage}}<h2>Contract coverage: <span id="coverage-headline">{{.Headline}}</span></h2>
{{range .Operations}}<h3><code>{{.Operation}}</code>: <span class="coverage-percent">{{.Percent}}</span></h3>
<table class="coverage" data-operation="{{.Operation}}">
<tr><th>Kind</th><th>Covered</th><th>Not covered</th></tr>
{{range .Rows}}<tr><td>{{.Kind}}</td><td>{{range .Covered}}<code class="covered">{{.}}</code> {{end}}</td><td>{{range .Missing}}<code class="missing">{{.}}</code> {{end}}</td></tr>
{{end}}</table>
{{end}}{{end}}
<h2>Failing pairs</h2>
<form class="filter" onsubmit="return false">
<label>Rule <select id="filter-rule"><option value="">all rules</option>{{range .Rules}}<option value="{{.Rule}}">{{.Rule}}</option>{{end}}</select></label>
{{range .Severities}}<label><input type="checkbox" class="filter-severity" value="{{.}}" checked> {{.}}</label>
{{end}}<span><span id="shown">{{.Listed}}</span> of {{.Listed}} listed pairs shown</span>
</form>
{{end}}

{{define "pair"}}<section class="pair" data-ref="{{.Key}}" data-rules="{{.Rules}}" data-severities="{{.Severities}}">
<h3>{{.Ref}}{{if .Status}} <code>{{.Request}}</code> → {{.Status}}{{end}} <span class="verdict">{{.Verdict}}</span></h3>
<table class="findings">
<tr><th>Severity</th><th>Rule</th><th>Location</th><th>Problem</th><th>Want</th><th>Got</th><th>Hint</th><th>Contract</th></tr>
{{range .Findings}}<tr class="finding" data-rule="{{.Rule}}" data-severity="{{.Severity}}"><td class="{{.Severity}}">{{.Severity}}</td><td><code>{{.Rule}}</code></td><td><code>{{.Location}}</code></td><td>{{.Message}}</td><td><code>{{.Want}}</code></td><td><code>{{.Got}}</code></td><td>{{.Hint}}</td><td><code>{{.Spec}}</code></td></tr>
{{end}}</table>
{{if .More}}<p class="more">{{.More}}</p>
{{end}}{{with .Wire}}<details><summary>request and response</summary>
<pre class="request">{{.Request}}</pre>
<pre class="response">{{.Response}}</pre>
</details>
{{end}}{{if .Replay}}<details><summary>replay with curl</summary>
<pre class="replay">{{.Replay}}</pre>
</details>
{{end}}</section>
{{end}}`
