package recording

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeRecovers: a panic while decoding (here, a frame without its
// text) is the entry's error, with its place, and not the end of the run.
func TestDecodeRecovers(t *testing.T) {
	f := &Frame{Source: "r.har", Entry: 3, Line: 7, format: formatHAR}
	ex, err := f.Decode()
	assert.Nil(t, ex)
	var ee *EntryError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 3, ee.Entry)
	assert.Equal(t, 7, ee.Line)
	assert.False(t, ee.Final())
	assert.Contains(t, err.Error(), "r.har#3 (line 7): internal error: reading this entry panicked (please report it): ")
}
