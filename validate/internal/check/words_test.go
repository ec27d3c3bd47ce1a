package check

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSuggest(t *testing.T) {
	fields := []string{"Configuration.Filters", "Configuration.FlowSid", "Configuration.Method", "Configuration.ReplayAfter", "Configuration.Triggers", "Configuration.Url", "Target"}
	tests := []struct {
		name string
		want []string
	}{
		{"Configuration.Filters[]", []string{"Configuration.Filters"}},
		{"Configuration.Filters[0]", []string{"Configuration.Filters"}},
		{"configuration.url", []string{"Configuration.Url"}},
		{"Configuration.Urls", []string{"Configuration.Url"}},
		{"Configuration[Url]", []string{"Configuration.Url"}},
		{"configuration.flow_sid", []string{"Configuration.FlowSid"}},
		{"Configuration.Replay-After", []string{"Configuration.ReplayAfter"}},
		{"FlowSid", []string{"Configuration.FlowSid"}},
		{"target", []string{"Target"}},
		{"Targte", []string{"Target"}},
		{"FriendlyName", nil},
		{"x", nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, suggest(tt.name, fields), tt.name)
	}
	assert.Equal(t, []string{"webhook"}, suggest("webhok", []string{"webhook", "trigger", "studio"}))
}

func TestQuoteShort(t *testing.T) {
	assert.Equal(t, `"abc"`, quoteShort("abc"))
	long := quoteShort(strings.Repeat("x", 300))
	assert.Less(t, len(long), 300)
	assert.Contains(t, quoteShort("ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"), "…")
}

// TestAtoiOK: atoiOK agrees with strconv.Atoi.
func TestAtoiOK(t *testing.T) {
	for _, s := range []string{"", "0", "12", "-1", "+7", "+", "-", "1a", "a1", "url", "99999999999999999999", "-9223372036854775808", "9223372036854775808", "١"} {
		_, err := strconv.Atoi(s)
		assert.Equal(t, err == nil, atoiOK(s), "%q", s)
	}
}
