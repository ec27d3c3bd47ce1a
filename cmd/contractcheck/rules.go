package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/contractcheck/contractcheck/validate"
)

// ruleEntry is one rule as contractcheck rules --format json prints it.
type ruleEntry struct {
	ID       string            `json:"id"`
	Severity validate.Severity `json:"severity"`
	Summary  string            `json:"summary"`
	Help     string            `json:"help"`
	Spec     validate.SpecPos  `json:"spec"`
}

// rulesFlags are the flags of contractcheck rules.
type rulesFlags struct {
	fs     *flag.FlagSet
	spec   string
	format *choice
}

// newRulesFlags defines the flags of rules, with their defaults.
func newRulesFlags() *rulesFlags {
	f := &rulesFlags{fs: newFlagSet("rules"), format: newChoice("text", "text", "json")}
	f.fs.StringVar(&f.spec, "spec", "", "")
	f.fs.Var(f.format, "format", "")
	return f
}

// runRules prints the rule catalogue.
func runRules(args []string, stdout, stderr io.Writer) int {
	f := newRulesFlags()
	positional, code, done := parseCommand(f.fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(positional) > 0 {
		return usageError(stderr, "rules", fmt.Errorf("unexpected argument %q", positional[0]))
	}
	plan := loadPlan(f.spec, stderr)
	if plan == nil {
		return exitError
	}
	rules := validate.Rules()
	entries := make([]ruleEntry, len(rules))
	for i, r := range rules {
		entries[i] = ruleEntry{ID: r.ID, Severity: r.Severity, Summary: r.Summary, Help: r.Help, Spec: plan.RuleSpec(r.ID)}
	}
	var err error
	if f.format.value == "json" {
		err = writeRulesJSON(stdout, plan.File(), entries)
	} else {
		err = writeRulesText(stdout, entries)
	}
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return exitError
	}
	return exitOK
}

// writeRulesText writes the rules as an aligned table.
func writeRulesText(w io.Writer, entries []ruleEntry) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tCONTRACT\tSUMMARY")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.ID, e.Severity, e.Spec, e.Summary)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the rules: %w", err)
	}
	return nil
}

// writeRulesJSON writes {"contract": file, "rules": [...]}.
func writeRulesJSON(w io.Writer, contract string, entries []ruleEntry) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(struct {
		Contract string      `json:"contract"`
		Rules    []ruleEntry `json:"rules"`
	}{contract, entries})
	if err != nil {
		return fmt.Errorf("writing the rules as JSON: %w", err)
	}
	return nil
}
