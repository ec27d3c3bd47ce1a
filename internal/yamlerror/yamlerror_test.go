package yamlerror

import (
	"bytes"
	"errors"
	"testing"

	"github.com/pb33f/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseError returns the parser's error on data.
func parseError(t testing.TB, data []byte) error {
	t.Helper()
	var n yaml.Node
	err := yaml.Unmarshal(data, &n)
	require.Error(t, err, "%q", data)
	return err
}

// malformed are documents the parser refuses, with the place Place gives.
var malformed = []struct {
	name      string
	doc       string
	stage     yaml.Stage
	message   string
	line, col int
}{
	{"an unclosed flow sequence", "a: 1\nb: [1, 2\n", yaml.ParserStage, "did not find expected ',' or ']'", 2, 4},
	{"an unclosed quote", "a: 1\nb: 'x\n", yaml.ScannerStage, "found unexpected end of stream", 2, 4},
	{"a key out of line", "a:\n  b: 1\n c: 2\n", yaml.ParserStage, "did not find expected key", 3, 2},
	{"a tab", "a:\n\tb: 1\n", yaml.ScannerStage, "found character that cannot start any token", 2, 1},
	{"a colon in a value", "a: b: c\n", yaml.ScannerStage, "mapping values are not allowed in this context", 1, 5},
	{"nothing after a bracket", "a: 1\nb: [\n\n  \n", yaml.ParserStage, "did not find expected node content", 2, 5},
	{"an unknown anchor", "a: *x\n", yaml.ComposerStage, "unknown anchor 'x' referenced", 1, 4},
	{"non-ASCII before the problem", "é: ü: 1\n", yaml.ScannerStage, "mapping values are not allowed in this context", 1, 5},
}

// TestRead checks that an error reads back the same as a value and as the
// text libopenapi makes of it, and its place.
func TestRead(t *testing.T) {
	for _, tt := range malformed {
		t.Run(tt.name, func(t *testing.T) {
			err := parseError(t, []byte(tt.doc))
			e := Read(err)
			require.NotNil(t, e)
			assert.Equal(t, tt.stage, e.Stage)
			assert.Equal(t, tt.message, e.Message)
			assert.Equal(t, tt.message, e.Error())
			assert.ErrorIs(t, e, err)
			line, col := e.Place([]byte(tt.doc))
			assert.Equal(t, []int{tt.line, tt.col}, []int{line, col}, "the place")

			text := Read(errors.New("unable to parse specification: " + err.Error()))
			require.NotNil(t, text)
			text.err = e.err
			assert.Equal(t, e, text, "the text reads as the value: %s", err)
		})
	}
}

func TestReadConstruct(t *testing.T) {
	var m map[string]any
	err := yaml.Unmarshal([]byte("hello world\n"), &m)
	require.Error(t, err)
	for _, err := range []error{err, errors.New("failed to decode YAML to JSON: " + err.Error())} {
		e := Read(err)
		require.NotNil(t, e, "%v", err)
		assert.Equal(t, yaml.ConstructorStage, e.Stage)
		assert.Equal(t, "!!str", e.Tag)
		assert.Equal(t, 1, e.Line)
		assert.Contains(t, e.Message, "cannot construct !!str")
	}
	assert.Nil(t, Read(errors.New("open c.yaml: no such file or directory")))
	assert.Nil(t, Read(nil))
}

// FuzzRead checks, on any document the parser refuses, that its error reads
// the same as a value and as text, and that Place names a line of the
// document with text on it (or line 1 of an empty one).
func FuzzRead(f *testing.F) {
	for _, tt := range malformed {
		f.Add([]byte(tt.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n yaml.Node
		err := yaml.Unmarshal(data, &n)
		if err == nil {
			return
		}
		e := Read(err)
		if e == nil {
			return // not an error of a stage: an I/O or option error
		}
		text := Read(errors.New(err.Error()))
		require.NotNil(t, text, "%v", err)
		if e.Stage != yaml.ConstructorStage && e.Message == text.Message { // a message with ": " in it reads as the last part only
			text.err = e.err
			require.Equal(t, e, text, "%v", err)
		}
		line, _ := e.Place(data)
		lines := bytes.Count(data, []byte{'\n'}) + 1
		require.LessOrEqual(t, line, lines, "%v", err)
	})
}
