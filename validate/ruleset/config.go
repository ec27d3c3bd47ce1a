package ruleset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/pb33f/go-yaml"

	"github.com/contractcheck/contractcheck/internal/yamlalias"
	"github.com/contractcheck/contractcheck/internal/yamlerror"
	"github.com/contractcheck/contractcheck/validate"
)

// DefaultConfigFile is the configuration file contractcheck reads from the
// working directory when no --config is given.
const DefaultConfigFile = "contractcheck.yaml"

// ConfigError is a problem of a configuration file, at a line.
type ConfigError struct {
	File string
	Line int // 1-based; 0 when unknown
	Err  error
}

// Error returns "file:line: problem".
func (e *ConfigError) Error() string {
	if e.Line <= 0 {
		return e.File + ": " + e.Err.Error()
	}
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Err.Error()
}

// Unwrap returns the problem.
func (e *ConfigError) Unwrap() error { return e.Err }

// Config is a parsed configuration file.
type Config struct {
	// File is the file's name, as errors and origins cite it.
	File string
	// FailOn is the fail-on setting (0 when the file has none) and
	// FailOnLine its line.
	FailOn     validate.Severity
	FailOnLine int
	// Rules are the rule settings, in file order.
	Rules []RuleSetting
	// Servers are the servers the file adds to the contract's (URLs, such
	// as https://api.example.com), in file order; see
	// [validate.Plan.WithServers].
	Servers []ServerSetting
}

// ServerSetting is one entry of the servers list of a configuration file.
type ServerSetting struct {
	URL  string
	Line int
}

// RuleSetting is one entry of the rules map of a configuration file.
type RuleSetting struct {
	ID    string
	Level Level
	Line  int
}

// ReadConfig reads and parses a configuration file.
// Tools are the rules tools add to the catalogue, whose IDs it accepts too.
func ReadConfig(file string, tools ...validate.Rule) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	return ParseConfig(file, data, tools...)
}

// ParseConfig parses a configuration file (see the package documentation).
// Every problem is a *[ConfigError] naming the file and the line: malformed
// YAML, an unknown key, an unknown rule ID, a bad level or severity, a key
// given twice. An empty file sets nothing. Tools are the rules tools add to
// the catalogue, whose IDs it accepts too.
func ParseConfig(file string, data []byte, tools ...validate.Rule) (*Config, error) {
	cfg := &Config{File: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) { // an empty file
			return cfg, nil
		}
		return nil, malformed(file, data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, malformed(file, data, err)
	default:
		return nil, &ConfigError{file, next.Line, errors.New("the configuration must be one YAML document")}
	}
	var aerr *yamlalias.Error
	if errors.As(yamlalias.Check(&doc), &aerr) {
		return nil, &ConfigError{file, aerr.Line, aerr}
	}
	if len(doc.Content) == 0 {
		return cfg, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return cfg, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, &ConfigError{file, root.Line, errors.New("the configuration must be a mapping of fail-on and rules")}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		if seen[key.Value] {
			return nil, &ConfigError{file, key.Line, fmt.Errorf("%s is given twice", key.Value)}
		}
		seen[key.Value] = true
		switch key.Value {
		case "fail-on":
			if val.Kind != yaml.ScalarNode {
				return nil, &ConfigError{file, val.Line, errors.New("fail-on must be error or warning")}
			}
			sev, err := validate.ParseSeverity(val.Value)
			if err != nil || sev == validate.SeverityInfo { // an info never fails a pair
				return nil, &ConfigError{file, val.Line, fmt.Errorf("fail-on: %q is neither error nor warning", val.Value)}
			}
			cfg.FailOn, cfg.FailOnLine = sev, val.Line
		case "rules":
			if err := cfg.parseRules(val, tools); err != nil {
				return nil, err
			}
		case "servers":
			if err := cfg.parseServers(val); err != nil {
				return nil, err
			}
		default:
			return nil, &ConfigError{file, key.Line, fmt.Errorf("unknown key %q (the keys are fail-on, rules and servers)", key.Value)}
		}
	}
	return cfg, nil
}

// malformed is the ConfigError of an error of the YAML parser reading data,
// at the line it names.
func malformed(file string, data []byte, err error) *ConfigError {
	if e := yamlerror.Read(err); e != nil {
		line, _ := e.Place(data)
		return &ConfigError{file, line, fmt.Errorf("malformed YAML: %w", e)}
	}
	return &ConfigError{file, 0, fmt.Errorf("malformed YAML: %w", err)}
}

// parseRules parses the rules mapping, whose IDs are of the catalogue or of
// tools.
func (cfg *Config) parseRules(n *yaml.Node, tools []validate.Rule) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return &ConfigError{cfg.File, n.Line, errors.New("rules must be a mapping of rule IDs to off, warning or error")}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if err := CheckRule(key.Value, tools...); err != nil {
			return &ConfigError{cfg.File, key.Line, err}
		}
		if seen[key.Value] {
			return &ConfigError{cfg.File, key.Line, fmt.Errorf("rule %s is given twice", key.Value)}
		}
		seen[key.Value] = true
		if val.Kind != yaml.ScalarNode {
			return &ConfigError{cfg.File, val.Line, fmt.Errorf("rule %s: want off, warning or error", key.Value)}
		}
		level, err := ParseLevel(val.Value)
		if err != nil {
			return &ConfigError{cfg.File, val.Line, fmt.Errorf("rule %s: %w", key.Value, err)}
		}
		cfg.Rules = append(cfg.Rules, RuleSetting{ID: key.Value, Level: level, Line: key.Line})
	}
	return nil
}

// parseServers parses the servers list: URLs, as strings.
func (cfg *Config) parseServers(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return &ConfigError{cfg.File, n.Line, errors.New("servers must be a list of URLs, such as - https://api.example.com")}
	}
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode || item.Value == "" {
			return &ConfigError{cfg.File, item.Line, errors.New("servers: each entry is a URL, such as https://api.example.com")}
		}
		cfg.Servers = append(cfg.Servers, ServerSetting{URL: item.Value, Line: item.Line})
	}
	return nil
}

// Apply sets what the configuration sets in s, each setting's origin being
// "file:line".
func (cfg *Config) Apply(s *Set) error {
	if cfg.FailOn != 0 {
		s.SetFailOn(cfg.FailOn, cfg.File+":"+strconv.Itoa(cfg.FailOnLine))
	}
	for _, r := range cfg.Rules {
		if err := s.SetRule(r.ID, r.Level, cfg.File+":"+strconv.Itoa(r.Line)); err != nil {
			return &ConfigError{cfg.File, r.Line, err}
		}
	}
	return nil
}
