package yamlerror_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// TestLoadersAgree checks that the three loaders of YAML (a contract, a
// configuration, a go-vcr cassette) report malformed YAML at the same line.
func TestLoadersAgree(t *testing.T) {
	const head = "version: 2\ninteractions:\n" // a cassette to the recording reader
	tests := []struct {
		name string
		tail string
		line int
	}{
		{"an unclosed flow sequence", "x: [1, 2\n", 3},
		{"an unclosed quote", "x: 'abc\n\n", 3},
		{"a key out of line", "x:\n  a: b\n c: d\n", 5},
		{"a tab", "x:\n\ty: 1\n", 4},
		{"a colon in a value", "x: a: b\n", 3},
		{"nothing after a bracket", "x: [\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := head + tt.tail

			_, err := validate.Load("c.yaml", []byte(doc))
			var le *validate.LoadError
			require.ErrorAs(t, err, &le)
			require.Len(t, le.Problems, 1)
			assert.Contains(t, le.Problems[0].Message, "neither well-formed YAML nor JSON")
			assert.Equal(t, tt.line, le.Problems[0].Line, "the contract: %v", err)

			_, err = ruleset.ParseConfig("c.yaml", []byte(doc))
			var ce *ruleset.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Contains(t, ce.Error(), "malformed YAML")
			assert.Equal(t, tt.line, ce.Line, "the configuration: %v", err)

			var ee *recording.EntryError
			for _, err := range recording.Read("c.yaml", strings.NewReader(doc)) {
				require.True(t, errors.As(err, &ee), "%v", err)
			}
			require.NotNil(t, ee)
			assert.Contains(t, ee.Error(), "invalid YAML")
			assert.Equal(t, tt.line, ee.Line, "the cassette: %v", ee)
		})
	}
}
