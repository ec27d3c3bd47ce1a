package ruleset

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

var (
	unknownKey = validate.Finding{Rule: validate.RuleFormUnknownKey, Severity: validate.SeverityError, Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/x"}}
	targetFit  = validate.Finding{Rule: validate.RuleConfigTarget, Severity: validate.SeverityWarning, Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Configuration.Url"}}
	vary       = validate.Finding{Rule: validate.RuleCORSVaryOrigin, Severity: validate.SeverityWarning, Location: validate.Location{Part: validate.PartResponseHeader, Name: "Vary"}}
)

func TestApply(t *testing.T) {
	findings := []validate.Finding{unknownKey, targetFit, vary}
	tests := []struct {
		name     string
		settings map[string]Level
		want     []validate.Finding
	}{
		{"no settings", nil, findings},
		{"off drops", map[string]Level{validate.RuleCORSVaryOrigin: LevelOff}, []validate.Finding{unknownKey, targetFit}},
		{"raise", map[string]Level{validate.RuleConfigTarget: LevelError}, []validate.Finding{unknownKey, withSeverity(targetFit, validate.SeverityError), vary}},
		{"lower", map[string]Level{validate.RuleFormUnknownKey: LevelWarning}, []validate.Finding{withSeverity(unknownKey, validate.SeverityWarning), targetFit, vary}},
		{"same severity changes nothing", map[string]Level{validate.RuleFormUnknownKey: LevelError}, findings},
		{"all off", map[string]Level{validate.RuleFormUnknownKey: LevelOff, validate.RuleConfigTarget: LevelOff, validate.RuleCORSVaryOrigin: LevelOff}, []validate.Finding{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			for id, l := range tt.settings {
				require.NoError(t, s.SetRule(id, l, "--rule"))
			}
			in := append([]validate.Finding(nil), findings...)
			got := s.Apply(in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, findings, in, "Apply wrote into its argument")
		})
	}
}

func withSeverity(f validate.Finding, s validate.Severity) validate.Finding {
	f.Severity = s
	return f
}

func TestRuleAndFailOn(t *testing.T) {
	s := New()
	l, origin := s.Rule(validate.RuleConfigTarget)
	assert.Equal(t, LevelWarning, l)
	assert.Equal(t, OriginDefault, origin)
	require.NoError(t, s.SetRule(validate.RuleConfigTarget, LevelOff, "contractcheck.yaml:3"))
	l, origin = s.Rule(validate.RuleConfigTarget)
	assert.Equal(t, LevelOff, l)
	assert.Equal(t, "contractcheck.yaml:3", origin)
	sev, origin := s.FailOn()
	assert.Equal(t, validate.SeverityError, sev)
	assert.Equal(t, OriginDefault, origin)
	s.SetFailOn(validate.SeverityWarning, "--fail-on")
	sev, origin = s.FailOn()
	assert.Equal(t, validate.SeverityWarning, sev)
	assert.Equal(t, "--fail-on", origin)
	assert.Equal(t, []string{validate.RuleConfigTarget}, s.Changed())

	err := s.SetRule("form.unknwn-key", LevelOff, "--rule")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown rule "form.unknwn-key" (did you mean form.unknown-key?`)
	assert.Error(t, s.SetRule(validate.RuleConfigTarget, Level("loud"), "--rule"))

	// response.refused is a note by default; it can be raised, not set to info.
	l, _ = s.Rule(validate.RuleResponseRefused)
	assert.Equal(t, LevelInfo, l)
	assert.Error(t, s.SetRule(validate.RuleConfigTarget, LevelInfo, "--rule"))
	require.NoError(t, s.SetRule(validate.RuleResponseRefused, LevelError, "--rule"))
	refused := validate.Finding{Rule: validate.RuleResponseRefused, Severity: validate.SeverityInfo}
	assert.Equal(t, validate.SeverityError, s.Apply([]validate.Finding{refused})[0].Severity)
}

func TestParseRuleFlag(t *testing.T) {
	id, l, err := ParseRuleFlag("cors.vary-origin=off")
	require.NoError(t, err)
	assert.Equal(t, validate.RuleCORSVaryOrigin, id)
	assert.Equal(t, LevelOff, l)
	for _, bad := range []string{"", "cors.vary-origin", "=off", "cors.vary-origin=loud", "nope=off"} {
		_, _, err := ParseRuleFlag(bad)
		assert.Error(t, err, bad)
	}
	_, _, err = ParseRuleFlag("nope=off")
	assert.Contains(t, err.Error(), `unknown rule "nope"`)
}

func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig("contractcheck.yaml", []byte("# settings\nfail-on: warning\nrules:\n  config.target-fit: error\n  cors.vary-origin: off\n"))
	require.NoError(t, err)
	assert.Equal(t, validate.SeverityWarning, cfg.FailOn)
	assert.Equal(t, 2, cfg.FailOnLine)
	assert.Equal(t, []RuleSetting{{validate.RuleConfigTarget, LevelError, 4}, {validate.RuleCORSVaryOrigin, LevelOff, 5}}, cfg.Rules)
	s := New()
	require.NoError(t, cfg.Apply(s))
	l, origin := s.Rule(validate.RuleCORSVaryOrigin)
	assert.Equal(t, LevelOff, l)
	assert.Equal(t, "contractcheck.yaml:5", origin)
	_, origin = s.FailOn()
	assert.Equal(t, "contractcheck.yaml:2", origin)

	cfg, err = ParseConfig("c.yaml", []byte("servers:\n  - https://api.example.com\n  - http://gateway.example.com/twilio\n"))
	require.NoError(t, err)
	assert.Equal(t, []ServerSetting{{"https://api.example.com", 2}, {"http://gateway.example.com/twilio", 3}}, cfg.Servers)

	for _, empty := range []string{"", "# nothing\n", "~\n", "rules:\n", "servers:\n"} {
		cfg, err := ParseConfig("c.yaml", []byte(empty))
		require.NoError(t, err, "%q", empty)
		assert.Empty(t, cfg.Rules)
		assert.Zero(t, cfg.FailOn)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"unknown rule", "rules:\n  config.target-fit: error\n  form.unknwn-key: off\n", `c.yaml:3: unknown rule "form.unknwn-key" (did you mean form.unknown-key?`},
		{"bad level", "rules:\n  config.target-fit: loud\n", `c.yaml:2: rule config.target-fit: "loud" is not a rule level`},
		{"level not a scalar", "rules:\n  config.target-fit: [off]\n", `c.yaml:2: rule config.target-fit: want off, warning or error`},
		{"rule twice", "rules:\n  config.target-fit: off\n  config.target-fit: error\n", `c.yaml:3:`},
		{"bad fail-on", "fail-on: never\n", `c.yaml:1: fail-on: "never" is neither error nor warning`},
		{"fail-on info", "fail-on: info\n", `c.yaml:1: fail-on: "info" is neither error nor warning`},
		{"unknown key", "fail-on: error\nrulez: {}\n", `c.yaml:2: unknown key "rulez"`},
		{"servers not a list", "servers: https://api.example.com\n", `c.yaml:1: servers must be a list of URLs`},
		{"a server not a string", "servers:\n  - {url: https://api.example.com}\n", `c.yaml:2: servers: each entry is a URL`},
		{"not a mapping", "- a\n- b\n", `c.yaml:1: the configuration must be a mapping`},
		{"rules not a mapping", "rules: off\n", `c.yaml:1: rules must be a mapping`},
		{"malformed", "rules:\n  a: b\n c: [\n", `c.yaml:3: malformed YAML: did not find expected key`}, // the key out of line
		{"tab", "rules:\n\tx: off\n", `c.yaml:2: malformed YAML`},
		{"two documents", "fail-on: error\n---\nrules: {}\n", `c.yaml:2: the configuration must be one YAML document`},
		{"second document malformed", "fail-on: error\n---\nrules: [\n", `c.yaml:3: malformed YAML`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("c.yaml", []byte(tt.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var ce *ConfigError
			assert.True(t, errors.As(err, &ce))
		})
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("fail-on: warning\nrules:\n  config.target-fit: error\n"))
	f.Add([]byte("rules: [\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("c.yaml", data)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *ConfigError", err)
			}
			return
		}
		if err := cfg.Apply(New()); err != nil {
			t.Fatalf("a parsed configuration does not apply: %v", err)
		}
	})
}

func TestClosest(t *testing.T) {
	var ids []string
	for _, r := range validate.Rules() {
		ids = append(ids, r.ID)
	}
	tests := []struct{ in, want string }{
		{"form.unknwn-key", "form.unknown-key"},
		{"cors.vary-orign", "cors.vary-origin"},
		{"sid.fromat", "sid.format"},
		{"response.stauts", "response.status"},
		{"value.enum", "value.enum"},
		{"nope", ""},
		{"x", ""},
		{"completely.different", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, closest(tt.in, ids), tt.in)
	}
}

func TestApplyResult(t *testing.T) {
	res := validate.Result{Operation: "op",
		Findings: []validate.Finding{{Rule: validate.RuleFormUnknownKey, Severity: validate.SeverityError}, {Rule: validate.RuleConfigTarget, Severity: validate.SeverityWarning}},
		Omitted:  map[string]int{validate.RuleFormUnknownKey: 7, validate.RuleConfigTarget: 2}}
	s := New()
	assert.Equal(t, res, s.ApplyResult(res), "no setting changes nothing")
	require.NoError(t, s.SetRule(validate.RuleConfigTarget, LevelOff, "--rule"))
	got := s.ApplyResult(res)
	assert.Equal(t, map[string]int{validate.RuleFormUnknownKey: 7}, got.Omitted)
	assert.Len(t, got.Findings, 1)
	assert.Len(t, res.Omitted, 2, "res is not written into")
	require.NoError(t, s.SetRule(validate.RuleFormUnknownKey, LevelOff, "--rule"))
	assert.Nil(t, s.ApplyResult(res).Omitted)
}

func TestOff(t *testing.T) {
	s := New()
	assert.Empty(t, s.Off())
	require.NoError(t, s.SetRule(validate.RuleSIDFormat, LevelOff, "--rule"))
	require.NoError(t, s.SetRule(validate.RuleCORSVaryOrigin, LevelError, "--rule"))
	require.NoError(t, s.SetRule(validate.RuleEnum, LevelOff, "--rule"))
	assert.Equal(t, []string{validate.RuleSIDFormat, validate.RuleEnum}, s.Off(), "sorted")
}
