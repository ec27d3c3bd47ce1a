package recording

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// The three fuzz targets run the same checks; they differ in their seed
// corpora, under testdata/fuzz.

func FuzzReadHAR(f *testing.F) {
	f.Add([]byte(harOf(goodEntry, goodEntry)))
	f.Fuzz(checkRead)
}

func FuzzReadNDJSON(f *testing.F) {
	f.Add([]byte(goodLine + "\n" + goodLine))
	f.Fuzz(checkRead)
}

func FuzzReadCassette(f *testing.F) {
	f.Add([]byte(cassetteOf(goodInteraction, goodInteraction)))
	f.Add([]byte(strings.Replace(cassetteOf(goodInteraction), "version: 2", "version: 1", 1)))
	f.Fuzz(checkRead)
}

// checkRead reads data with the default entry limit and with a small one,
// checking what holds for any input: Read does not panic, every problem is an
// *EntryError, entries come in order, exchanges say where they are from, a
// problem with the file comes last, and what was read is written and read back
// unchanged.
func checkRead(t *testing.T, data []byte) {
	for _, limit := range []int{MaxEntryBytes, 100} {
		setMaxEntryBytes(t, limit)
		lastEntry, lastLine, fileErr := -1, 0, false
		var exchanges []*validate.Exchange
		for ex, err := range Read("fuzz", bytes.NewReader(data)) {
			require.False(t, fileErr, "something came after a problem with the file")
			entry, line := -1, 0
			if err != nil {
				require.Nil(t, ex)
				entryErr, ok := err.(*EntryError)
				require.True(t, ok, "%T is not an *EntryError", err)
				require.Equal(t, "fuzz", entryErr.Source)
				require.NotNil(t, entryErr.Err)
				entry, line = entryErr.Entry, entryErr.Line
				fileErr = entry == -1
			} else {
				require.NotNil(t, ex)
				require.Equal(t, "fuzz", ex.Source)
				require.GreaterOrEqual(t, ex.Entry, 0)
				require.Positive(t, ex.Line)
				require.NotNil(t, ex.Request.Header)
				require.NotNil(t, ex.Response.Header)
				entry, line = ex.Entry, ex.Line
				exchanges = append(exchanges, ex)
			}
			if !fileErr {
				require.Greater(t, entry, lastEntry, "entries out of order")
				require.GreaterOrEqual(t, line, lastLine, "lines out of order")
				lastEntry, lastLine = entry, line
			}
		}
		checkRoundTrip(t, exchanges)
	}
}

// checkRoundTrip writes exchanges with both writers and checks that reading
// gives them back.
func checkRoundTrip(t *testing.T, exchanges []*validate.Exchange) {
	if len(exchanges) == 0 {
		return
	}
	setMaxEntryBytes(t, 64<<20)
	var harOut, ndjsonOut bytes.Buffer
	h, n := NewHARWriter(&harOut, "fuzz"), NewNDJSONWriter(&ndjsonOut)
	for _, ex := range exchanges {
		require.NoError(t, h.Write(ex, time.Time{}, 0))
		require.NoError(t, n.Write(ex))
	}
	require.NoError(t, h.Close())
	for name, out := range map[string][]byte{"har": harOut.Bytes(), "ndjson": ndjsonOut.Bytes()} {
		i := 0
		for ex, err := range Read("fuzz", bytes.NewReader(out)) {
			require.NoError(t, err, "%s:\n%s", name, out)
			require.Less(t, i, len(exchanges))
			require.Equal(t, exchanges[i].Request, ex.Request, "%s: request %d", name, i)
			require.Equal(t, exchanges[i].Response, ex.Response, "%s: response %d", name, i)
			i++
		}
		require.Equal(t, len(exchanges), i, name)
	}
}

// FuzzHARDecoder checks that the fast HAR entry decoder, whenever it does not
// give up, decodes an entry as encoding/json does, down to the exchange or
// the problem it makes of it.
func FuzzHARDecoder(f *testing.F) {
	f.Add([]byte(goodEntry))
	f.Add([]byte(`{"request":{"method":"GET","url":"/","headers":[{"name":"a","value":"b\"\\\/\n","comment":[1,-2.5e+3,true,null,{}]}]},` +
		`"response":{"status":200,"headers":[],"content":{"size":-1,"text":"e30=","encoding":"base64"}},"timings":{"send":0.5}}`))
	f.Add([]byte(`{"request":{"method":"POST","url":"/x","postData":{"params":[{"name":"a b","value":"c&d"}]}},"response":{"status":201}}`))
	// Name-value objects compactNV takes, and others it leaves to object.
	f.Add([]byte(`{"request":{"method":"GET","url":"/","headers":[{"name":"a","value":"b"},{"name":"a\"b","value":"c"},{"name":"a","value":"b","comment":""},` +
		`{"value":"b","name":"a"},{"name":"a","value":"b" },{"name":"a","value":"\u0062"},{"name":"a","value":"b\n"}]},"response":{"status":200,"headers":[{"name":"x","value":""}]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var d fastDecoder
		e, ok := d.entry(raw)
		if !ok {
			return
		}
		require.True(t, json.Valid(raw), "the fast decoder took broken JSON")
		fastEx, fastErr := e.exchange(nil)
		slowEx, slowErr := harExchange(raw)
		require.Equal(t, slowErr, fastErr)
		require.Equal(t, slowEx, fastEx)
		// Decoded into a scratch that the inputs before used: the same.
		intoEx, intoErr := harFrameExchangeInto(raw, &fuzzScratch)
		require.Equal(t, slowErr, intoErr)
		require.Equal(t, slowEx, intoEx)
	})
}

// fuzzScratch is the scratch FuzzHARDecoder decodes every input into, after
// the inputs before.
var fuzzScratch Scratch

// FuzzNDJSONDecoder checks that the fast decoder, whenever it does not give up
// on an NDJSON line, decodes it as encoding/json does: the exchange, or the
// problem it makes of it.
func FuzzNDJSONDecoder(f *testing.F) {
	f.Add([]byte(goodLine))
	f.Add([]byte(`{"request":{"method":"GET","url":"/","headers":{"a":["b","c"],"D":"e\"\\\/\n",":x":"y","f":[]},"body_base64":"e30="},` +
		`"response":{"status":200,"headers":{},"body":""}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var d fastDecoder
		l, ok := d.ndjsonLine(raw)
		if !ok {
			return
		}
		require.True(t, json.Valid(raw), "the fast decoder took broken JSON")
		var slow ndjsonLine
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&slow), "the fast decoder took what encoding/json refuses")
		_, err := dec.Token()
		require.Equal(t, io.EOF, err, "the fast decoder took trailing data")
		fastEx, fastErr := l.exchange(nil)
		slowEx, slowErr := slow.exchange(nil)
		require.Equal(t, slowErr, fastErr)
		require.Equal(t, slowEx, fastEx)
		// Decoded into a scratch that the inputs before used (HAR ones
		// too): the same.
		intoEx, intoErr := ndjsonExchangeInto(raw, false, MaxEntryBytes, &fuzzScratch)
		require.Equal(t, slowErr, intoErr)
		require.Equal(t, slowEx, intoEx)
	})
}
