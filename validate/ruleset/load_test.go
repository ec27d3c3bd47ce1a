package ruleset

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// TestLoad builds settings from each source, the last winning, and tells
// mistakes of the command line from problems of the file.
func TestLoad(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(name, text string) string {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
		return name
	}

	set, _, err := Load(Sources{})
	require.NoError(t, err)
	assert.Empty(t, set.Changed(), "no file, no flags: the catalogue")

	write(DefaultConfigFile, "fail-on: warning\nrules:\n  cors.vary-origin: off\n  sid.format: warning\n")
	set, _, err = Load(Sources{})
	require.NoError(t, err)
	level, origin := set.Rule("cors.vary-origin")
	assert.Equal(t, LevelOff, level)
	assert.Equal(t, "contractcheck.yaml:3", origin, "the file in the working directory")
	failOn, origin := set.FailOn()
	assert.Equal(t, validate.SeverityWarning, failOn)
	assert.Equal(t, "contractcheck.yaml:1", origin)

	other := write("other.yaml", "rules:\n  config.target-fit: error\nservers:\n  - https://staging.example.com\n")
	set, servers, err := Load(Sources{Config: other, FailOn: "error", Rules: []string{"sid.format=off", "sid.format=error"}})
	require.NoError(t, err)
	assert.Equal(t, []ServerSetting{{URL: "https://staging.example.com", Line: 4}}, servers, "the file's servers")
	assert.Equal(t, []string{"config.target-fit", "sid.format"}, set.Changed(), "--config replaces the default file")
	level, origin = set.Rule("sid.format")
	assert.Equal(t, LevelError, level, "the last --rule wins")
	assert.Equal(t, "--rule", origin)
	failOn, origin = set.FailOn()
	assert.Equal(t, validate.SeverityError, failOn)
	assert.Equal(t, "--fail-on", origin)

	for _, src := range []Sources{{FailOn: "info"}, {Rules: []string{"sid.formt=off"}}, {Rules: []string{"sid.format"}}} {
		_, _, err := Load(src)
		var fe *FlagError
		assert.ErrorAs(t, err, &fe, "%+v", src)
	}
	bad := write("bad.yaml", "rules:\n  cors.vary-orign: off\n")
	_, _, err = Load(Sources{Config: bad})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 2, ce.Line)
	_, _, err = Load(Sources{Config: "missing.yaml"})
	require.Error(t, err)
	var fe *FlagError
	assert.NotErrorAs(t, err, &fe, "a missing file is no mistake of a flag")
}
