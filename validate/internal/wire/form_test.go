package wire

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestDecodeForm(t *testing.T) {
	type kv struct{ key, value, problem string }
	tests := []struct {
		body string
		want []kv
	}{
		{"", nil},
		{"Target=webhook", []kv{{"Target", "webhook", ""}}},
		{"a=1&a=2&b", []kv{{"a", "1", ""}, {"a", "2", ""}, {"b", "", ""}}},
		{"&&a=1&", []kv{{"a", "1", ""}}},
		{"u=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc%26d", []kv{{"u", "https://example.com/a?b=c&d", ""}}},
		{"q=a+b%20c%2B", []kv{{"q", "a b c+", ""}}},
		{"k=a=b", []kv{{"k", "a=b", ""}}},
		{"Configuration.Filters=a&Configuration.Filters=b", []kv{{"Configuration.Filters", "a", ""}, {"Configuration.Filters", "b", ""}}},
		{"u=%zz", []kv{{"u", "%zz", `bad percent escape "%zz"`}}},
		{"u=50%", []kv{{"u", "50%", `bad percent escape "%"`}}},
		{"u=%4", []kv{{"u", "%4", `bad percent escape "%4"`}}},
		{"%zz=1", []kv{{"%zz", "1", `key: bad percent escape`}}},
		{"u=%FF", []kv{{"u", "\xff", "not valid UTF-8"}}},
		{"u=\xff", []kv{{"u", "\xff", "not valid UTF-8"}}},
		{"u=%C3%A9", []kv{{"u", "é", ""}}},
		{"u=caf%c3%a9", []kv{{"u", "café", ""}}},
	}
	for _, tt := range tests {
		got := DecodeForm(tt.body)
		var kvs []kv
		for _, p := range got {
			kvs = append(kvs, kv{p.Key, p.Value, p.Problem})
		}
		if assert.Len(t, kvs, len(tt.want), "%q", tt.body) {
			for i := range kvs {
				assert.Equal(t, tt.want[i].key, kvs[i].key, "%q", tt.body)
				assert.Equal(t, tt.want[i].value, kvs[i].value, "%q", tt.body)
				if tt.want[i].problem == "" {
					assert.Empty(t, kvs[i].problem, "%q", tt.body)
				} else {
					assert.Contains(t, kvs[i].problem, tt.want[i].problem, "%q", tt.body)
				}
			}
		}
	}
}

// FuzzDecodeForm checks the form decoder against net/url's parser: on input
// both accept, they agree pair for pair; the decoder never panics and reports
// every input url.ParseQuery refuses (but for ';', which net/url refuses and
// the URL Standard's parser keeps in the value).
func FuzzDecodeForm(f *testing.F) {
	for _, s := range []string{
		"Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=get&Configuration.Filters=onMessageSent&Configuration.Filters=onConversationDestroyed&Configuration.ReplayAfter=7",
		"a=%zz", "%", "a+b=c+d", "&&=&", "x=%F0%9F%98%80", "x=%ff%fe", "k;v=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		pairs := DecodeForm(body)
		problems := 0
		for _, p := range pairs {
			if p.Problem != "" {
				problems++
				continue
			}
			if !utf8.ValidString(p.Key) || !utf8.ValidString(p.Value) {
				t.Fatalf("pair %q has no problem but is not UTF-8", p.Raw)
			}
		}
		if strings.Contains(body, ";") {
			return
		}
		want, err := url.ParseQuery(body)
		if err != nil {
			if problems == 0 {
				t.Fatalf("url.ParseQuery refuses %q (%v) but DecodeForm finds no problem", body, err)
			}
			return
		}
		if problems > 0 && utf8.ValidString(body) && !strings.Contains(body, "%") {
			t.Fatalf("DecodeForm finds a problem in %q that url.ParseQuery accepts", body)
		}
		got := url.Values{}
		for _, p := range pairs {
			got[p.Key] = append(got[p.Key], p.Value)
		}
		if problems == 0 {
			assert.Equal(t, want, got, "%q", body)
		}
	})
}
