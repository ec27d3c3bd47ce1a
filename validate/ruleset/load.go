package ruleset

import (
	"fmt"
	"os"

	"github.com/contractcheck/contractcheck/validate"
)

// Sources are where the rule settings of a run come from, as contractcheck's
// command line gives them.
type Sources struct {
	// Config is the configuration file; "" reads DefaultConfigFile in the
	// working directory when there is one.
	Config string
	// FailOn is the severity of --fail-on, "" when it is not given.
	FailOn string
	// Rules are the values of --rule, "RULE=LEVEL", in the order given.
	Rules []string
	// Tools are the rules tools add to the catalogue (such as
	// probe.Rules()), which the configuration file and Rules may set too.
	Tools []validate.Rule
}

// FlagError is a bad --fail-on or --rule value: a mistake of the command
// line, where a problem of the configuration file is a [*ConfigError] (or
// an error reading it).
type FlagError struct {
	Err error
}

// Error returns the problem.
func (e *FlagError) Error() string { return e.Err.Error() }

// Unwrap returns the problem.
func (e *FlagError) Unwrap() error { return e.Err }

// Load builds the settings of a run as contractcheck check builds them, the
// last winning: the rule catalogue, the configuration file, FailOn, then each
// of Rules in order. A bad FailOn or rule is a [*FlagError]. It also returns
// the servers the configuration file adds to the contract's, for
// [validate.Plan.WithServers].
func Load(src Sources) (*Set, []ServerSetting, error) {
	set := New(src.Tools...)
	file := ConfigFile(src.Config)
	var servers []ServerSetting
	if file != "" {
		cfg, err := ReadConfig(file, src.Tools...)
		if err == nil {
			err = cfg.Apply(set)
		}
		if err != nil {
			return nil, nil, err
		}
		servers = cfg.Servers
	}
	if src.FailOn != "" {
		sev, err := validate.ParseSeverity(src.FailOn)
		if err == nil && sev == validate.SeverityInfo {
			err = fmt.Errorf("--fail-on %s: an info never fails a pair; use error or warning", src.FailOn)
		}
		if err != nil {
			return nil, nil, &FlagError{err}
		}
		set.SetFailOn(sev, "--fail-on")
	}
	for _, v := range src.Rules {
		id, level, err := ParseRuleFlag(v, src.Tools...)
		if err == nil {
			err = set.SetRule(id, level, "--rule")
		}
		if err != nil {
			return nil, nil, &FlagError{err}
		}
	}
	return set, servers, nil
}

// ConfigFile is the configuration file a run reads: config when it is not
// "", else DefaultConfigFile when the working directory has one, else "".
func ConfigFile(config string) string {
	if config != "" {
		return config
	}
	if _, err := os.Stat(DefaultConfigFile); err == nil {
		return DefaultConfigFile
	}
	return ""
}
