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
		readerAgrees(t, body, pairs)
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

// readerAgrees checks that FormReader reads body's pairs as DecodeForm
// does: the same keys and values, in order, clean where DecodeForm reports
// no problem, with a Buf reused from an earlier body.
func readerAgrees(t *testing.T, body string, pairs []Pair) {
	t.Helper()
	r := FormReader{Buf: []byte("left from an earlier body")}
	r.Reset([]byte(body))
	for i := 0; ; i++ {
		key, val, clean, ok := r.Next()
		if !ok {
			if i != len(pairs) {
				t.Fatalf("%q: FormReader reads %d pairs, DecodeForm %d", body, i, len(pairs))
			}
			return
		}
		if i >= len(pairs) {
			t.Fatalf("%q: FormReader reads more pairs than DecodeForm's %d", body, len(pairs))
		}
		p := pairs[i]
		if clean != (p.Problem == "") || clean && (string(key) != p.Key || string(val) != p.Value) {
			t.Fatalf("%q, pair %d: FormReader reads %q=%q (clean %v), DecodeForm %q=%q (problem %q)", body, i, key, val, clean, p.Key, p.Value, p.Problem)
		}
	}
}

// TestFormReader reads bodies with empty pairs, pairs without =, escapes
// good and bad, and invalid UTF-8 as DecodeForm reads them.
func TestFormReader(t *testing.T) {
	for _, body := range []string{
		"", "&&", "a", "a=", "=b", "a=1&&b=2&", "a+b=c+d&x=%41%42", "a=%zz&b=2", "%zz=1", "x=%ff", "x=\xff",
		"Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Filters=onMessageSent",
	} {
		readerAgrees(t, body, DecodeForm(body))
	}
	r := FormReader{}
	r.Reset([]byte("a=%41&b=%zz&c=3"))
	key, val, clean, ok := r.Next()
	assert.Equal(t, []any{"a", "A", true, true}, []any{string(key), string(val), clean, ok})
	_, _, clean, ok = r.Next()
	assert.Equal(t, []any{false, true}, []any{clean, ok}, "a bad escape is not clean")
	key, val, clean, ok = r.Next()
	assert.Equal(t, []any{"c", "3", true, true}, []any{string(key), string(val), clean, ok}, "reading goes on after a bad pair")
	_, _, _, ok = r.Next()
	assert.False(t, ok)
}
