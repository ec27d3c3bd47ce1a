package recording

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
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

// TestDecodeIntoScratch checks that entries decoded one after the other into
// one Scratch are each the exchange decoded on its own, that the strings of
// an exchange decoded before are left as they were, and that decoding into a
// scratch allocates almost nothing: not the exchange, its header maps, their
// values' slices or its bodies (only, now and then, a block of kept strings).
func TestDecodeIntoScratch(t *testing.T) {
	entries := []string{
		goodEntry,
		strings.NewReplacer("Content-Type", "X-Other", "application", "APPLICATION", "Target=webhook", "Target=studio&X=1").Replace(goodEntry),
		strings.Replace(goodEntry, `"headers":[`, `"headers":[{"name":"accept","value":"a"},{"name":"Accept","value":"b"},{"name":":authority","value":"h"},`, 1),
		strings.Replace(goodEntry, `"text":"Target=webhook"`, `"text":"VGFyZ2V0PXdlYmhvb2s=","encoding":"base64"`, 1),
		strings.Replace(goodEntry, `"postData":{"mimeType":"application/x-www-form-urlencoded","text":"Target=webhook"}`, `"comment":"no body"`, 1),
		goodEntry,
		// The same names in the same order, other values: written in place.
		strings.ReplaceAll(goodEntry, `"value":"application/json"`, `"value":"application/json; v=2"`),
		// The same names in another order, then one name fewer.
		strings.Replace(goodEntry, `{"name":"Content-Type","value":"application/x-www-form-urlencoded"},{"name":"Accept","value":"application/json"}`,
			`{"name":"Accept","value":"application/json"},{"name":"Content-Type","value":"application/x-www-form-urlencoded"}`, 1),
		strings.Replace(goodEntry, `{"name":"Content-Type","value":"application/x-www-form-urlencoded"},`, ``, 1),
		strings.Replace(goodEntry, `{"name":"Content-Type","value":"application/x-www-form-urlencoded"},`, ``, 1),
		goodEntry,
		// An empty Content-Type that the body's media type replaces, then
		// the same names with a Content-Type of their own.
		strings.Replace(strings.Replace(goodEntry, `"value":"application/x-www-form-urlencoded"`, `"value":""`, 1),
			`"mimeType":"application/x-www-form-urlencoded"`, `"mimeType":"text/plain"`, 1),
		goodEntry,
	}
	var s Scratch
	var kept []string
	var keptWant []string
	for i, raw := range entries {
		want, wantErr := harExchange([]byte(raw))
		require.Nil(t, wantErr, "entry %d", i)
		got, err := harFrameExchangeInto([]byte(raw), &s)
		require.Nil(t, err, "entry %d", i)
		require.Equal(t, want, got, "entry %d", i)
		kept = appendHeaderTexts(kept, got)
		kept = append(kept, got.Request.Method, got.Request.URL)
		for _, k := range kept[len(keptWant):] {
			keptWant = append(keptWant, strings.Clone(k)) // the text as decoded
		}
	}
	assert.Equal(t, keptWant, kept, "a string of an exchange decoded before changed")

	if raceEnabled {
		return // the race detector adds allocations
	}
	raw := []byte(entries[0])
	assertScratchAllocs(t, "an entry", func() *EntryError {
		_, err := harFrameExchange(raw)
		return err
	}, func() *EntryError {
		_, err := harFrameExchangeInto(raw, &s)
		return err
	})
}

// assertScratchAllocs checks that into, decoding into a scratch, allocates
// less than once a call, where fresh, decoding the same on its own, makes at
// least the exchange's four allocations. what names a call's input.
func assertScratchAllocs(t *testing.T, what string, fresh, into func() *EntryError) {
	t.Helper()
	run := func(decode func() *EntryError) float64 {
		return testing.AllocsPerRun(200, func() {
			if err := decode(); err != nil {
				t.Fatal(err)
			}
		})
	}
	freshAllocs, intoAllocs := run(fresh), run(into)
	t.Logf("allocations %s: %.2f into a scratch, %.2f on its own", what, intoAllocs, freshAllocs)
	assert.Less(t, intoAllocs, 1.0, "allocations %s decoded into a scratch", what)
	assert.GreaterOrEqual(t, freshAllocs, 4.0, "the exchange, its maps' values and its bodies")
}

// assertKeepsLittle checks that decode, decoding an entry whose URL is urlLen
// bytes into a scratch, allocates little more than the URL a call. what
// names a call's input.
func assertKeepsLittle(t *testing.T, what string, urlLen int, decode func() *EntryError) {
	t.Helper()
	const n = 2000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		if err := decode(); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	per := float64(after.TotalAlloc-before.TotalAlloc) / n
	t.Logf("%.0f bytes allocated %s (its URL: %d)", per, what, urlLen)
	assert.Less(t, per, float64(urlLen+64), "bytes allocated %s", what)
}

// TestDecodeIntoScratchKeepsLittle checks that decoding entries like those
// before into a scratch copies little more than their URLs: the header names
// and the values the same as the entry before's are shared, not copied again,
// and the method is not copied.
func TestDecodeIntoScratchKeepsLittle(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector adds allocations")
	}
	f, err := os.Open(filepath.Join("..", "..", "testdata", "recordings", "docs-example.har"))
	require.NoError(t, err)
	defer f.Close()
	var raw []byte
	for frame, err := range Frames("docs-example.har", f) {
		require.NoError(t, err)
		raw = bytes.Clone(*frame.text)
		frame.Release()
		break
	}
	want, wantErr := harExchange(raw)
	require.Nil(t, wantErr)
	require.GreaterOrEqual(t, len(want.Request.Header)+len(want.Response.Header), 10, "an entry of many headers")
	var s Scratch
	got, err := harFrameExchangeInto(raw, &s)
	require.Nil(t, err)
	require.Equal(t, want, got)

	assertKeepsLittle(t, "an entry", len(want.Request.URL), func() *EntryError {
		_, err := harFrameExchangeInto(raw, &s)
		return err
	})
}

// TestDecodeNDJSONIntoScratch checks that NDJSON lines decoded one after the
// other into one Scratch, after a HAR entry, are each the exchange decoded on
// its own, through lines whose headers are written over the line before's
// and lines that fill them anew, and that the scratch spares a line's
// allocations.
func TestDecodeNDJSONIntoScratch(t *testing.T) {
	const (
		reqHeaders  = `"headers":{"Content-Type":"application/x-www-form-urlencoded","Authorization":"Basic QUM6c2VjcmV0"}`
		respHeaders = `"headers":{"Content-Type":["application/json"]}`
	)
	edit := func(pairs ...string) string {
		t.Helper()
		line := goodLine
		for i := 0; i < len(pairs); i += 2 {
			require.Contains(t, line, pairs[i])
			line = strings.Replace(line, pairs[i], pairs[i+1], 1)
		}
		return line
	}
	singleResp := edit(respHeaders, `"headers":{"Content-Type":"application/json"}`)
	lines := []string{
		goodLine,
		edit(`"headers":{`, `"headers":{"X-Many":["a","b"],":authority":"h",`),
		goodLine,
		// The same names, other values: written in place.
		edit(`"application/x-www-form-urlencoded"`, `"application/x-www-form-urlencoded; charset=utf-8"`),
		// The same names in another order (sorted, the same), then in
		// another spelling with the same canonical keys.
		edit(reqHeaders, `"headers":{"Authorization":"Basic QUM6c2VjcmV0","Content-Type":"application/x-www-form-urlencoded"}`),
		edit(reqHeaders, `"headers":{"content-type":"text/plain","authorization":"Basic QUM6c2VjcmV0"}`),
		// One name fewer, one more, an empty one.
		edit(reqHeaders, `"headers":{"Authorization":"Basic QUM6c2VjcmV0"}`),
		goodLine,
		edit(`"headers":{`, `"headers":{"Accept":"*/*",`),
		edit(`"headers":{`, `"headers":{"X-Empty":[],`),
		goodLine,
		// An empty Content-Type, then one of its own.
		edit(`"application/x-www-form-urlencoded"`, `""`),
		goodLine,
		// A response's name with one value, then with an array of one,
		// then of two, then one again.
		singleResp,
		singleResp,
		goodLine,
		edit(respHeaders, `"headers":{"Content-Type":["application/json","text/plain"]}`),
		singleResp,
		// A pseudo-header where the line before had a name.
		edit(`"Authorization"`, `":path"`),
		goodLine,
		// base64 and missing bodies.
		edit(`"body":"Target=webhook"`, `"body_base64":"VGFyZ2V0PXdlYmhvb2s="`),
		edit(`,"body":"Target=webhook"`, ``),
		goodLine,
	}
	var s Scratch
	_, herr := harFrameExchangeInto([]byte(goodEntry), &s)
	require.Nil(t, herr)
	var kept, keptWant []string
	for i, line := range lines {
		want, wantErr := ndjsonExchange([]byte(line), false, MaxEntryBytes)
		require.Nil(t, wantErr, "line %d", i)
		got, err := ndjsonExchangeInto([]byte(line), false, MaxEntryBytes, &s)
		require.Nil(t, err, "line %d", i)
		require.Equal(t, want, got, "line %d", i)
		kept = appendHeaderTexts(kept, got)
		for _, k := range kept[len(keptWant):] {
			keptWant = append(keptWant, strings.Clone(k)) // the text as decoded
		}
	}
	assert.Equal(t, keptWant, kept, "a string of an exchange decoded before changed")

	// A name in two spellings is an error, and the line after it is filled
	// anew: the same as on its own.
	twice := edit(reqHeaders, `"headers":{"Accept":"a","accept":"b"}`)
	_, wantErr := ndjsonExchange([]byte(twice), false, MaxEntryBytes)
	require.NotNil(t, wantErr)
	_, err := ndjsonExchangeInto([]byte(twice), false, MaxEntryBytes, &s)
	require.Equal(t, wantErr, err)
	want, _ := ndjsonExchange([]byte(goodLine), false, MaxEntryBytes)
	got, err := ndjsonExchangeInto([]byte(goodLine), false, MaxEntryBytes, &s)
	require.Nil(t, err)
	require.Equal(t, want, got)

	if raceEnabled {
		return // the race detector adds allocations
	}
	raw := []byte(singleResp) // an array of values is an allocation of its own
	assertScratchAllocs(t, "a line", func() *EntryError {
		_, err := ndjsonExchange(raw, false, MaxEntryBytes)
		return err
	}, func() *EntryError {
		_, err := ndjsonExchangeInto(raw, false, MaxEntryBytes, &s)
		return err
	})
}

// TestDecodeNDJSONIntoScratchKeepsLittle checks that a line of many headers
// decoded into a scratch again and again allocates little more than its
// URL: its header names and values are remembered, not copied.
func TestDecodeNDJSONIntoScratchKeepsLittle(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector adds allocations")
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "mixed.ndjson"))
	require.NoError(t, err)
	raw, _, _ := bytes.Cut(data, []byte("\n"))
	want, wantErr := ndjsonExchange(raw, false, MaxEntryBytes)
	require.Nil(t, wantErr)
	require.GreaterOrEqual(t, len(want.Request.Header)+len(want.Response.Header), 8, "a line of many headers")
	var s Scratch
	got, err2 := ndjsonExchangeInto(raw, false, MaxEntryBytes, &s)
	require.Nil(t, err2)
	require.Equal(t, want, got)

	assertKeepsLittle(t, "a line", len(want.Request.URL), func() *EntryError {
		_, err := ndjsonExchangeInto(raw, false, MaxEntryBytes, &s)
		return err
	})
}

// TestNDJSONRefill checks when a line's headers are written over those of
// the line before, in place: the same canonical keys in the same order, each
// with one value given as a string, and nothing else.
func TestNDJSONRefill(t *testing.T) {
	tests := []struct {
		name          string
		before, after string // request header objects
		want          bool
	}{
		{"same", `{"A":"1","B":"2"}`, `{"A":"3","B":"4"}`, true},
		{"another order", `{"A":"1","B":"2"}`, `{"B":"4","A":"3"}`, true},
		{"another spelling", `{"A":"1","B":"2"}`, `{"a":"3","b":"4"}`, true},
		{"empty value", `{"A":"1"}`, `{"A":""}`, true},
		{"none", `{}`, `{}`, true},
		{"a name fewer", `{"A":"1","B":"2"}`, `{"A":"1"}`, false},
		{"a name more", `{"A":"1"}`, `{"A":"1","B":"2"}`, false},
		{"another name", `{"A":"1","B":"2"}`, `{"A":"1","C":"2"}`, false},
		{"an array after", `{"A":"1"}`, `{"A":["1"]}`, false},
		{"an array before", `{"A":["1"]}`, `{"A":"1"}`, false},
		{"an empty array before", `{"A":[],"B":"2"}`, `{"A":"1","B":"2"}`, false},
		{"a pseudo-header before", `{":a":"1","B":"2"}`, `{"A":"1","B":"2"}`, false},
		{"a pseudo-header after", `{"A":"1","B":"2"}`, `{":a":"1","B":"2"}`, false},
		{"an error before", `{"A":"1","a":"2"}`, `{"A":"1","a":"2"}`, false},
	}
	line := func(headers string) []byte {
		return []byte(`{"request":{"method":"GET","url":"/","headers":` + headers + `},"response":{"status":204}}`)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Scratch
			_, _ = ndjsonExchangeInto(line(tt.before), false, MaxEntryBytes, &s)
			var d fastDecoder
			l, ok := d.ndjsonLine(line(tt.after))
			require.True(t, ok, "the fast decoder gave up")
			_, got := refill(&s, requestHalf, l.Request.headerList)
			assert.Equal(t, tt.want, got)
		})
	}
}

// appendHeaderTexts appends the header names of ex's request and the values
// of both its headers to kept: the texts a scratch must never write over
// once handed out.
func appendHeaderTexts(kept []string, ex *validate.Exchange) []string {
	for name, values := range ex.Request.Header {
		kept = append(kept, name)
		kept = append(kept, values...)
	}
	for _, values := range ex.Response.Header {
		kept = append(kept, values...)
	}
	return kept
}
