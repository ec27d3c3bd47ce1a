package audit

import (
	"errors"
	"fmt"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// Settings are the contract and the rule settings of an audit: what check
// takes from --spec, contractcheck.yaml, --fail-on, --rule and
// --fail-on-unmatched. They travel to the workers inside the pipeline (as
// JSON), so that a worker needs no file of the machine that built it.
type Settings struct {
	// ContractFile names the contract in findings ("file:line"); with no
	// Contract, the built-in contract is used.
	ContractFile string `json:"contract_file,omitempty"`
	// Contract is the OpenAPI 3 document, YAML or JSON.
	Contract []byte `json:"contract,omitempty"`
	// Rules sets rules, by ID, to off, warning or error.
	Rules map[string]string `json:"rules,omitempty"`
	// FailOn is the lowest severity that fails a pair: error ("" too) or
	// warning.
	FailOn string `json:"fail_on,omitempty"`
	// FailOnUnmatched fails exchanges that no operation of the contract
	// describes (rule operation.unmatched) instead of skipping them.
	FailOnUnmatched bool `json:"fail_on_unmatched,omitempty"`
}

// NewSettings returns the settings of a run: the contract in the file
// contractFile, as read into contract (nil for the built-in contract), and
// the effective rule settings of set, as check builds them from
// contractcheck.yaml, --fail-on and --rule (nil for the defaults).
func NewSettings(contractFile string, contract []byte, set *ruleset.Set, failOnUnmatched bool) Settings {
	s := Settings{ContractFile: contractFile, Contract: contract, FailOnUnmatched: failOnUnmatched}
	if set == nil {
		return s
	}
	for _, id := range set.Changed() {
		if s.Rules == nil {
			s.Rules = map[string]string{}
		}
		level, _ := set.Rule(id)
		s.Rules[id] = string(level)
	}
	failOn, _ := set.FailOn()
	s.FailOn = failOn.String()
	return s
}

// load compiles the contract and rebuilds the rule settings.
func (s Settings) load() (*validate.Plan, *ruleset.Set, error) {
	var plan *validate.Plan
	var err error
	if len(s.Contract) == 0 {
		plan, err = validate.Embedded()
	} else {
		plan, err = validate.Load(s.ContractFile, s.Contract)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("loading the contract: %w", err)
	}
	set := ruleset.New()
	for id, level := range s.Rules {
		if err := set.SetRule(id, ruleset.Level(level), "settings"); err != nil {
			return nil, nil, fmt.Errorf("rule %s: %w", id, err)
		}
	}
	if s.FailOn != "" {
		sev, err := validate.ParseSeverity(s.FailOn)
		if err == nil && sev == validate.SeverityInfo {
			err = errors.New("an info never fails a pair; use error or warning")
		}
		if err != nil {
			return nil, nil, fmt.Errorf("fail-on: %w", err)
		}
		set.SetFailOn(sev, "settings")
	}
	return plan.WithRulesOff(set.Off()...), set, nil
}
