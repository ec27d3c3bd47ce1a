package ruleset_test

import (
	"fmt"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// Settings from a configuration file, then from the command line, applied to
// the findings of a pair.
func Example() {
	cfg, err := ruleset.ParseConfig("contractcheck.yaml", []byte("rules:\n  cors.vary-origin: off\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	s := ruleset.New()
	if err := cfg.Apply(s); err != nil {
		fmt.Println(err)
		return
	}
	id, level, err := ruleset.ParseRuleFlag("config.target-fit=error")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.SetRule(id, level, "--rule"); err != nil {
		fmt.Println(err)
		return
	}
	findings := s.Apply([]validate.Finding{
		{Rule: validate.RuleCORSVaryOrigin, Severity: validate.SeverityWarning},
		{Rule: validate.RuleConfigTarget, Severity: validate.SeverityWarning},
	})
	for _, f := range findings {
		fmt.Println(f.Rule, f.Severity)
	}
	level, origin := s.Rule(validate.RuleCORSVaryOrigin)
	fmt.Println(validate.RuleCORSVaryOrigin, level, origin)
	// Output:
	// config.target-fit error
	// cors.vary-origin off contractcheck.yaml:2
}
