package compiled

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"url", "urls", 1}, {"abc", "abc", 0}} {
		assert.Equal(t, tt.d, editDistance(tt.a, tt.b), "%s/%s", tt.a, tt.b)
		assert.Equal(t, tt.d, editDistance(tt.b, tt.a), "%s/%s", tt.b, tt.a)
		for limit := range 5 {
			assert.Equal(t, min(tt.d, limit+1), editDistanceWithin(tt.a, tt.b, limit), "%s/%s within %d", tt.a, tt.b, limit)
		}
	}
}
