package recording

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// TestHARDecoderTakesOrdinaryEntries checks that the fast decoder does not
// give up on the entries browsers, proxies and HARWriter write, and that it
// gives up on what it leaves to encoding/json.
func TestHARDecoderTakesOrdinaryEntries(t *testing.T) {
	for name, entry := range map[string]string{
		"good":          goodEntry,
		"escapes":       edit(t, `"text":"Target=webhook"`, `"text":"a\"b\\c\/d\n\r\t\b\f"`),
		"unknown keys":  edit(t, `"request":{`, `"request":{"cookies":[],"httpVersion":"HTTP/2","headersSize":-1,"bodySize":1.5e2,"x":[true,false,null,{"a":[]}],`),
		"params":        edit(t, `"text":"Target=webhook"`, `"params":[{"name":"Target","value":"webhook"}]`),
		"spaced":        "\n{ \"request\" : " + goodEntry[len(`{"request":`):],
		"negative size": edit(t, `"size":13`, `"size":-1`),
	} {
		var d fastDecoder
		_, ok := d.entry([]byte(entry))
		assert.True(t, ok, name)
	}
	for name, entry := range map[string]string{
		"null":            edit(t, `"method":"POST"`, `"method":null`),
		"wrong type":      edit(t, `"status":201`, `"status":"201"`),
		"fraction":        edit(t, `"status":201`, `"status":201.0`),
		"other case":      edit(t, `"method":"POST"`, `"Method":"POST"`),
		"twice":           edit(t, `"method":"POST"`, `"method":"POST","method":"GET"`),
		"unicode escape":  edit(t, `"text":"Target=webhook"`, `"text":"\u0041"`),
		"broken":          edit(t, `"status":201`, `"status":201,,`),
		"trailing":        goodEntry + " x",
		"control":         edit(t, `"text":"Target=webhook"`, "\"text\":\"a\x01\""),
		"invalid UTF-8":   edit(t, `"text":"Target=webhook"`, "\"text\":\"\xff\""),
		"not an object":   `5`,
		"unclosed string": `{"request":"`,
	} {
		var d fastDecoder
		_, ok := d.entry([]byte(entry))
		assert.False(t, ok, name)
	}
	// Whatever the way, the same exchange.
	var d fastDecoder
	e, ok := d.entry([]byte(goodEntry))
	require.True(t, ok)
	fast, fastErr := e.exchange(nil)
	slow, slowErr := harExchange([]byte(goodEntry))
	require.Nil(t, fastErr)
	require.Nil(t, slowErr)
	assert.Equal(t, slow, fast)
}

// TestNDJSONDecoderTakesOrdinaryLines checks that the fast decoder does not
// give up on the lines NDJSONWriter writes, and gives up on what it leaves to
// encoding/json.
func TestNDJSONDecoderTakesOrdinaryLines(t *testing.T) {
	var buf bytes.Buffer
	w := NewNDJSONWriter(&buf)
	for _, ex := range webhookExchanges(3) {
		require.NoError(t, w.Write(ex))
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	for _, line := range append(lines, goodLine) {
		var d fastDecoder
		_, ok := d.ndjsonLine([]byte(line))
		assert.True(t, ok, line)
	}
	for name, line := range map[string]string{
		"unknown field": strings.Replace(goodLine, `"request":{`, `"request":{"x":1,`, 1),
		"other case":    strings.Replace(goodLine, `"request":`, `"Request":`, 1),
		"null":          strings.Replace(goodLine, `"request":{`, `"request":null,"x":{`, 1),
		"number header": `{"request":{"method":"GET","url":"/","headers":{"a":1}},"response":{"status":200}}`,
		"header twice":  `{"request":{"method":"GET","url":"/","headers":{"a":"1","a":"2"}},"response":{"status":200}}`,
		"trailing":      goodLine + " {}",
	} {
		var d fastDecoder
		_, ok := d.ndjsonLine([]byte(line))
		assert.False(t, ok, name)
	}
}

// TestDecoderReuse checks that an exchange shares no memory with the text it
// was decoded from, nor with the scratch of its decoder: the decoder (as
// decoderPool reuses it) decodes other entries and the text is overwritten,
// and the exchange is still what encoding/json makes of the text.
func TestDecoderReuse(t *testing.T) {
	other := func(s string) string {
		return strings.NewReplacer("CH000", "CH999", "application", "APPLICATION", "Target", "Torget", "WH000", "WH777").Replace(s)
	}
	for _, c := range []struct {
		name, text string
		fast       func(d *fastDecoder, raw []byte) (*validate.Exchange, *EntryError)
		slow       func(raw []byte) (*validate.Exchange, *EntryError)
	}{
		{"HAR", goodEntry, func(d *fastDecoder, raw []byte) (*validate.Exchange, *EntryError) {
			e, ok := d.entry(raw)
			require.True(t, ok)
			return e.exchange(nil)
		}, harExchange},
		{"NDJSON", goodLine, func(d *fastDecoder, raw []byte) (*validate.Exchange, *EntryError) {
			l, ok := d.ndjsonLine(raw)
			require.True(t, ok)
			return l.exchange(nil)
		}, func(raw []byte) (*validate.Exchange, *EntryError) {
			var slow ndjsonLine
			require.NoError(t, json.Unmarshal(raw, &slow))
			return slow.exchange(nil)
		}},
	} {
		want, wantErr := c.slow([]byte(c.text))
		require.Nil(t, wantErr, c.name)
		raw := []byte(c.text)
		var d fastDecoder
		got, err := c.fast(&d, raw)
		require.Nil(t, err, c.name)
		for range 3 {
			_, err := c.fast(&d, []byte(other(c.text)))
			require.Nil(t, err, c.name)
		}
		putDecoder(&d)
		copy(raw, bytes.Repeat([]byte{'x'}, len(raw)))
		assert.Equal(t, want, got, c.name)
	}
}

// TestPlainRun checks plainRun against its byte-by-byte definition, on
// random texts of the bytes that matter to it (controls, quotes, backslashes,
// multi-byte UTF-8) from every offset.
func TestPlainRun(t *testing.T) {
	alphabet := [][]byte{{0}, {0x1f}, {'\t'}, {' '}, {'"'}, {'\\'}, {'a'}, {'~'}, {0x7f}, {0x80}, {0xc3, 0xa9}, {0xe2, 0x82, 0xac},
		{0xf0, 0x9f, 0x98, 0x80}, {0xff}, []byte("abcdefghijklmnopqrstuvwxyz")}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b []byte
		for range rng.IntN(12) {
			b = append(b, alphabet[rng.IntN(len(alphabet))]...)
		}
		for start := range len(b) {
			d := fastDecoder{data: b, i: start}
			d.plainRun()
			want := start
			for want < len(b) && !stringStop[b[want]] {
				want++
			}
			require.Equal(t, want, d.i, "%q from %d", b, start)
		}
	}
}

// TestQuoteOrBackslash checks quoteOrBackslash against its byte-by-byte
// definition, on random texts of short and long runs, from every offset.
func TestQuoteOrBackslash(t *testing.T) {
	alphabet := [][]byte{{'"'}, {'\\'}, {0}, {0x80}, {'a'}, []byte("abcdefghijklmnopqrstuvwxyz"), bytes.Repeat([]byte("0123456789"), 8)}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var b []byte
		for range rng.IntN(10) {
			b = append(b, alphabet[rng.IntN(len(alphabet))]...)
		}
		for start := range len(b) + 1 {
			want := -1
			for j := start; j < len(b); j++ {
				if b[j] == '"' || b[j] == '\\' {
					want = j
					break
				}
			}
			require.Equal(t, want, quoteOrBackslash(b, start), "%q from %d", b, start)
		}
	}
}

// TestPlainURL checks that url.ParseRequestURI takes every target plainURL
// takes, on random targets made of the pieces that matter to either, and
// that plainURL takes the targets of the shipped recordings.
func TestPlainURL(t *testing.T) {
	pieces := []string{"https://", "http://", "HTTP://", "/", "//", "example.com", "a-b.c", "[::1]", ":8080", "user@", "?", "&", "=",
		"%41", "%zz", "%", "#", " ", "\x00", "\x7f", "é", ";", "*", "'", "+", "~", "..", "CH00"}
	rng := rand.New(rand.NewPCG(5, 6))
	taken := 0
	for range 50000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		u := b.String()
		if plainURL(u) {
			taken++
			_, err := url.ParseRequestURI(u)
			require.NoError(t, err, "plainURL takes %q", u)
		}
	}
	require.Greater(t, taken, 500)
	for _, u := range []string{"https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks",
		"/v1/Conversations/CH00000000000000000000000000000000/Webhooks?PageSize=50&Page=0"} {
		assert.True(t, plainURL(u), u)
	}
}
