package recording

import (
	"bytes"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReleaseExchange checks that the header maps of a released exchange
// serve the exchanges decoded after it, emptied, and that what a caller kept
// of the released exchange (its strings) is left as it was.
func TestReleaseExchange(t *testing.T) {
	other := strings.NewReplacer("Content-Type", "X-Other", "application", "APPLICATION").Replace(goodEntry)
	want, wantErr := harExchange([]byte(other))
	require.Nil(t, wantErr)
	first, err := harFrameExchange([]byte(goodEntry))
	require.Nil(t, err)
	kept := first.Request.Header.Get("Content-Type")
	maps := map[uintptr]bool{
		reflect.ValueOf(first.Request.Header).Pointer():  true,
		reflect.ValueOf(first.Response.Header).Pointer(): true,
	}
	ReleaseExchange(first)
	assert.Nil(t, first.Request.Header, "a released exchange holds no header map")
	assert.Nil(t, first.Response.Header)
	reused := 0
	for range 20 {
		got, err := harFrameExchange([]byte(other))
		require.Nil(t, err)
		assert.Equal(t, want, got)
		for _, h := range []http.Header{got.Request.Header, got.Response.Header} {
			if maps[reflect.ValueOf(h).Pointer()] {
				reused++
			}
		}
		ReleaseExchange(got)
	}
	assert.Equal(t, "application/x-www-form-urlencoded", kept)
	if !raceEnabled { // the race detector's sync.Pool drops some of what it is given
		assert.Positive(t, reused, "no header map was reused")
	}
	ReleaseExchange(nil)

	// A map of many names is left to the collector.
	var many bytes.Buffer
	for i := range maxPooledHeader + 1 {
		many.WriteString(`{"name":"X-` + strings.Repeat("a", i+1) + `","value":"v"},`)
	}
	big, err := harFrameExchange([]byte(strings.Replace(goodEntry, `"headers":[`, `"headers":[`+many.String(), 1)))
	require.Nil(t, err)
	require.Greater(t, len(big.Request.Header), maxPooledHeader)
	bigMap := reflect.ValueOf(big.Request.Header).Pointer()
	ReleaseExchange(big)
	for range 5 {
		ex, err := harFrameExchange([]byte(goodEntry))
		require.Nil(t, err)
		assert.NotEqual(t, bigMap, reflect.ValueOf(ex.Request.Header).Pointer())
		assert.NotEqual(t, bigMap, reflect.ValueOf(ex.Response.Header).Pointer())
	}
}
