package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/probe"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// toolRules are the rules contractcheck's tools add to the checker's
// catalogue ([validate.Rules]): the rules command lists them after it, the
// settings accept their IDs, and the SARIF report lists them.
func toolRules() []validate.Rule {
	return probe.Rules()
}

// ruleEntry is one rule as contractcheck rules --format json prints it.
type ruleEntry struct {
	ID string `json:"id"`
	// Severity is the effective level: off, info, warning or error.
	Severity ruleset.Level `json:"severity"`
	// Default is the catalogue's severity.
	Default validate.Severity `json:"default"`
	// SetBy says where Severity was set: default, FILE:LINE or --rule.
	SetBy   string           `json:"set_by"`
	Summary string           `json:"summary"`
	Help    string           `json:"help"`
	Spec    validate.SpecPos `json:"spec"`
}

// failOnEntry is the fail-on setting as contractcheck rules --format json
// prints it.
type failOnEntry struct {
	Severity validate.Severity `json:"severity"`
	SetBy    string            `json:"set_by"`
}

// rulesFlags are the flags of contractcheck rules.
type rulesFlags struct {
	fs       *flag.FlagSet
	spec     string
	format   *choice
	settings settingsFlags
}

// newRulesFlags defines the flags of rules, with their defaults.
func newRulesFlags() *rulesFlags {
	f := &rulesFlags{fs: newFlagSet("rules"), format: newChoice("text", "text", "json", "markdown")}
	f.fs.StringVar(&f.spec, "spec", "", "")
	f.fs.Var(f.format, "format", "")
	f.settings.define(f.fs)
	return f
}

// runRules prints the rule catalogue.
func runRules(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newRulesFlags()
	positional, code, done := parseCommand(f.fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(positional) > 0 {
		return usageError(stderr, "rules", fmt.Errorf("unexpected argument %q", positional[0]))
	}
	set, _, err := loadSettings("rules", f.settings, "", stderr)
	if err != nil {
		return exitError
	}
	plan := loadPlan(ctx, f.spec, stderr)
	if plan == nil {
		return exitError
	}
	rules := append(validate.Rules(), toolRules()...)
	entries := make([]ruleEntry, len(rules))
	for i, r := range rules {
		level, setBy := set.Rule(r.ID)
		entries[i] = ruleEntry{ID: r.ID, Severity: level, Default: r.Severity, SetBy: setBy, Summary: r.Summary, Help: r.Help, Spec: plan.SpecOf(r)}
	}
	var failOn failOnEntry
	failOn.Severity, failOn.SetBy = set.FailOn()
	switch f.format.value {
	case "json":
		err = writeRulesJSON(stdout, plan.File(), failOn, entries)
	case "markdown":
		err = writeRulesMarkdown(stdout, entries)
	default:
		err = writeRulesText(stdout, failOn, entries)
	}
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return exitError
	}
	return exitOK
}

// writeRulesText writes the rules as an aligned table, then the fail-on
// setting.
func writeRulesText(w io.Writer, failOn failOnEntry, entries []ruleEntry) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tSET-BY\tCONTRACT\tSUMMARY")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, e.Severity, e.SetBy, e.Spec, e.Summary)
	}
	fmt.Fprintf(tw, "\nA pair fails on a finding of severity %s or above (set by %s).\n", failOn.Severity, failOn.SetBy)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the rules: %w", err)
	}
	return nil
}

// writeRulesJSON writes {"contract": file, "fail_on": {...}, "rules": [...]}.
func writeRulesJSON(w io.Writer, contract string, failOn failOnEntry, entries []ruleEntry) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(struct {
		Contract string      `json:"contract"`
		FailOn   failOnEntry `json:"fail_on"`
		Rules    []ruleEntry `json:"rules"`
	}{contract, failOn, entries})
	if err != nil {
		return fmt.Errorf("writing the rules as JSON: %w", err)
	}
	return nil
}

// writeRulesMarkdown writes the rules as a Markdown table of their IDs,
// effective severities and summaries: the README's rule table.
func writeRulesMarkdown(w io.Writer, entries []ruleEntry) error {
	var b strings.Builder
	b.WriteString("| rule | severity | checks |\n|---|---|---|\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", e.ID, e.Severity, markdownCell(e.Summary))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the rules as Markdown: %w", err)
	}
	return nil
}

// markdownCell escapes text for a cell of a Markdown table: the characters
// that would end the cell, start markup or HTML (an underscore inside a word
// is none).
var markdownCell = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "`", "\\`", "<", "&lt;", ">", "&gt;", "&", "&amp;").Replace
