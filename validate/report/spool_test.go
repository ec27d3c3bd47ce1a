package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSpool(t *testing.T) {
	s := spool{limit: 10}
	defer s.Close()
	for _, part := range []string{"abc", "defg", "hij", "klmnop", "q"} {
		_, err := s.Write([]byte(part))
		require.NoError(t, err)
	}
	require.NotNil(t, s.file, "past its limit the spool uses a file")
	assert.EqualValues(t, 17, s.Len())
	var out bytes.Buffer
	_, err := s.WriteTo(&out)
	require.NoError(t, err)
	assert.Equal(t, "abcdefghijklmnopq", out.String())
	assert.EqualValues(t, 0, s.Len())

	// Reused after WriteTo.
	_, err = s.Write([]byte("xyz"))
	require.NoError(t, err)
	out.Reset()
	_, err = s.WriteTo(&out)
	require.NoError(t, err)
	assert.Equal(t, "xyz", out.String())
	require.NoError(t, s.Close())
	assert.Nil(t, s.file)
}

// TestJUnitSpooled: a JUnit report whose suites pass the spool's limit is
// the same as one held in memory.
func TestJUnitSpooled(t *testing.T) {
	want := render(t, FormatJUnit, Options{}, testPairs())
	var buf bytes.Buffer
	w := NewJUnit(&buf).(*junitWriter)
	w.body.limit = 64
	var s Summary
	for _, p := range testPairs() {
		s.Add(p)
		require.NoError(t, w.WritePair(p))
	}
	require.NotNil(t, w.body.file, "the test must spool")
	require.NoError(t, w.Finish(s))
	assert.Nil(t, w.body.file, "Finish removes the temporary file")
	assert.Equal(t, want, buf.String())
	assert.True(t, strings.HasSuffix(buf.String(), "</testsuites>\n"))
}
