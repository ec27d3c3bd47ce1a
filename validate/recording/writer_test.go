package recording

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// roundTripExchanges are exchanges that both writers must give back as they
// were, once read.
func roundTripExchanges() []*validate.Exchange {
	return []*validate.Exchange{
		{
			Request: validate.Request{
				Method: "POST",
				URL:    "https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks?a=1&b=%20x&c",
				Header: http.Header{
					"Content-Type":  {"application/x-www-form-urlencoded"},
					"Authorization": {"Basic QUM6c2VjcmV0"},
					"Accept":        {"application/json", "text/html; q=0.5"},
				},
				Body: []byte("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2F%3Fa%3D%3Cb%3E&Configuration.Filters=onMessageAdded"),
			},
			Response: validate.Response{
				Status: 201,
				Header: http.Header{
					"Content-Type": {"application/json"},
					"Set-Cookie":   {"a=1", "b=2", "c=3"},
				},
				Body: []byte(`{"sid":"WH00000000000000000000000000000000","url":"https://x.test/<a>&b"}`),
			},
		},
		{
			Request: validate.Request{
				Method: "PUT",
				URL:    "/upload",
				Header: http.Header{"Content-Type": {"application/octet-stream"}},
				Body:   []byte{0x00, 0xff, 0xfe, 'a', 0x80},
			},
			Response: validate.Response{
				Status: 200,
				Header: http.Header{},
				Body:   []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
			},
		},
		{
			Request:  validate.Request{Method: "GET", URL: "https://x.test/", Header: http.Header{}},
			Response: validate.Response{Status: 204, Header: http.Header{"X-Empty": {""}}},
		},
		{
			// A body without a Content-Type must not get one.
			Request:  validate.Request{Method: "POST", URL: "https://x.test/", Header: http.Header{}, Body: []byte("x=1")},
			Response: validate.Response{Status: 500, Header: http.Header{}, Body: []byte("oops\n")},
		},
	}
}

func TestWritersRoundTrip(t *testing.T) {
	writers := map[string]func(*bytes.Buffer, []*validate.Exchange) error{
		"har": func(buf *bytes.Buffer, exs []*validate.Exchange) error {
			w := NewHARWriter(buf, "contractcheck/test")
			for _, ex := range exs {
				if err := w.Write(ex, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), 85*time.Millisecond); err != nil {
					return err
				}
			}
			return w.Close()
		},
		"ndjson": func(buf *bytes.Buffer, exs []*validate.Exchange) error {
			w := NewNDJSONWriter(buf)
			for _, ex := range exs {
				if err := w.Write(ex); err != nil {
					return err
				}
			}
			return nil
		},
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, write(&buf, roundTripExchanges()))
			got := readAll(t, "rt", bytes.NewReader(buf.Bytes()))
			want := roundTripExchanges()
			require.Len(t, got, len(want), "%s", buf.String())
			for i, r := range got {
				require.Nil(t, r.err)
				assert.Equal(t, i, r.ex.Entry)
				assert.Equal(t, "rt", r.ex.Source)
				want[i].Source, want[i].Entry, want[i].Line = r.ex.Source, r.ex.Entry, r.ex.Line
				assert.Equal(t, want[i], r.ex, "exchange %d", i)
			}
			if name == "ndjson" {
				assert.Equal(t, 3, got[2].ex.Line)
			} else {
				assert.Equal(t, 4, got[2].ex.Line, "one entry a line, after the start")
			}
		})
	}
}

func TestHARWriterOutput(t *testing.T) {
	var buf bytes.Buffer
	w := NewHARWriter(&buf, "contractcheck/1.2.3")
	ex := roundTripExchanges()[0]
	require.NoError(t, w.Write(ex, time.Date(2024, 5, 1, 12, 0, 0, 250e6, time.FixedZone("", 2*3600)), 1500*time.Microsecond))
	require.NoError(t, w.Write(roundTripExchanges()[1], time.Date(2024, 5, 1, 12, 0, 1, 0, time.UTC), 0))
	require.NoError(t, w.Close())

	var har struct {
		Log struct {
			Version string
			Creator harCreator
			Entries []map[string]any
		}
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &har), buf.String())
	assert.Equal(t, "1.2", har.Log.Version)
	assert.Equal(t, harCreator{Name: "contractcheck", Version: "1.2.3"}, har.Log.Creator)
	require.Len(t, har.Log.Entries, 2)

	// One entry a line, after the start of the file.
	lines := strings.Split(buf.String(), "\n")
	require.Len(t, lines, 5)
	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.TrimSuffix(lines[1], ",")), &first))
	want := map[string]any{
		"startedDateTime": "2024-05-01T12:00:00.250+02:00",
		"time":            1.5,
		"request": map[string]any{
			"method":      "POST",
			"url":         ex.Request.URL,
			"httpVersion": "HTTP/1.1",
			"cookies":     []any{},
			"headers": []any{
				map[string]any{"name": "Accept", "value": "application/json"},
				map[string]any{"name": "Accept", "value": "text/html; q=0.5"},
				map[string]any{"name": "Authorization", "value": "Basic QUM6c2VjcmV0"},
				map[string]any{"name": "Content-Type", "value": "application/x-www-form-urlencoded"},
			},
			"queryString": []any{
				map[string]any{"name": "a", "value": "1"},
				map[string]any{"name": "b", "value": " x"},
				map[string]any{"name": "c", "value": ""},
			},
			"postData":    map[string]any{"mimeType": "application/x-www-form-urlencoded", "text": string(ex.Request.Body)},
			"headersSize": -1.0,
			"bodySize":    float64(len(ex.Request.Body)),
		},
		"response": map[string]any{
			"status":      201.0,
			"statusText":  "Created",
			"httpVersion": "HTTP/1.1",
			"cookies":     []any{},
			"headers": []any{
				map[string]any{"name": "Content-Type", "value": "application/json"},
				map[string]any{"name": "Set-Cookie", "value": "a=1"},
				map[string]any{"name": "Set-Cookie", "value": "b=2"},
				map[string]any{"name": "Set-Cookie", "value": "c=3"},
			},
			"content": map[string]any{
				"size":     float64(len(ex.Response.Body)),
				"mimeType": "application/json",
				"text":     string(ex.Response.Body),
			},
			"redirectURL": "",
			"headersSize": -1.0,
			"bodySize":    float64(len(ex.Response.Body)),
		},
		"cache":   map[string]any{},
		"timings": map[string]any{"send": 0.0, "wait": 1.5, "receive": 0.0},
	}
	assert.Equal(t, want, first)
	assert.Equal(t, har.Log.Entries[0], first)
	assert.NotContains(t, buf.String(), `\u003c`, "no HTML escaping")

	second := har.Log.Entries[1]
	assert.Equal(t, map[string]any{"mimeType": "application/octet-stream", "text": "AP/+YYA=", "encoding": "base64"}, second["request"].(map[string]any)["postData"])
	assert.Equal(t, map[string]any{"size": 8.0, "mimeType": "", "text": "iVBORw0KGgo=", "encoding": "base64"}, second["response"].(map[string]any)["content"])
}

func TestHARWriterClose(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		var buf bytes.Buffer
		w := NewHARWriter(&buf, "contractcheck")
		require.NoError(t, w.Close())
		require.NoError(t, w.Close(), "Close is idempotent")
		assert.Equal(t, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"contractcheck\",\"version\":\"\"},\"entries\":[\n]}}\n", buf.String())
		assert.Empty(t, readAll(t, "e.har", &buf))
	})
	t.Run("write after close", func(t *testing.T) {
		w := NewHARWriter(&bytes.Buffer{}, "x")
		require.NoError(t, w.Close())
		assert.ErrorContains(t, w.Write(roundTripExchanges()[0], time.Now(), 0), "closed")
	})
	t.Run("without close, as after a crash", func(t *testing.T) {
		var buf bytes.Buffer
		w := NewHARWriter(&buf, "x")
		for _, ex := range roundTripExchanges() {
			require.NoError(t, w.Write(ex, time.Now(), time.Millisecond))
		}
		got := readAll(t, "crash.har", &buf)
		checkRows(t, "crash.har", got, []row{
			{entry: 0, line: 2}, {entry: 1, line: 3}, {entry: 2, line: 4}, {entry: 3, line: 5},
			{entry: -1, line: 5, field: "log.entries", err: "the file ends early"},
		})
	})
	t.Run("nil exchange", func(t *testing.T) {
		assert.Error(t, NewHARWriter(&bytes.Buffer{}, "x").Write(nil, time.Now(), 0))
		assert.Error(t, NewNDJSONWriter(&bytes.Buffer{}).Write(nil))
	})
}

// failingWriter fails every write after the first n bytes.
type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

func TestWritersFail(t *testing.T) {
	ex := roundTripExchanges()[0]
	h := NewHARWriter(&failingWriter{n: 10}, "x")
	err := h.Write(ex, time.Now(), 0)
	assert.ErrorContains(t, err, "writing a HAR: disk full")
	assert.Equal(t, err, h.Write(ex, time.Now(), 0), "the first error sticks")
	assert.Equal(t, err, h.Close())

	assert.ErrorContains(t, NewNDJSONWriter(&failingWriter{}).Write(ex), "writing an NDJSON line: disk full")
}

func TestWritersFlush(t *testing.T) {
	var harOut, ndjsonOut bytes.Buffer
	hb, nb := bufio.NewWriter(&harOut), bufio.NewWriter(&ndjsonOut)
	require.NoError(t, NewHARWriter(hb, "x").Write(roundTripExchanges()[0], time.Now(), 0))
	require.NoError(t, NewNDJSONWriter(nb).Write(roundTripExchanges()[0]))
	assert.Zero(t, hb.Buffered())
	assert.Zero(t, nb.Buffered())
	assert.NotZero(t, harOut.Len())
	assert.NotZero(t, ndjsonOut.Len())
}

func TestWritersConcurrent(t *testing.T) {
	const goroutines, each = 8, 50
	var harOut, ndjsonOut bytes.Buffer
	h, n := NewHARWriter(&harOut, "x"), NewNDJSONWriter(&ndjsonOut)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for _, ex := range roundTripExchanges()[:each%4+1] {
				for range each / 4 {
					assert.NoError(t, h.Write(ex, time.Now(), time.Millisecond))
					assert.NoError(t, n.Write(ex))
				}
			}
		})
	}
	wg.Wait()
	require.NoError(t, h.Close())
	for name, out := range map[string]*bytes.Buffer{"har": &harOut, "ndjson": &ndjsonOut} {
		got := readAll(t, name, out)
		assert.Len(t, got, goroutines*(each%4+1)*(each/4), name)
		for _, r := range got {
			assert.Nil(t, r.err, name)
		}
	}
}

func TestNDJSONWriterOutput(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, NewNDJSONWriter(&buf).Write(roundTripExchanges()[0]))
	require.NoError(t, NewNDJSONWriter(&buf).Write(roundTripExchanges()[1]))
	lines := strings.Split(buf.String(), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, `{"request":{"method":"POST","url":"https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks?a=1&b=%20x&c",`+
		`"headers":{"Accept":["application/json","text/html; q=0.5"],"Authorization":"Basic QUM6c2VjcmV0","Content-Type":"application/x-www-form-urlencoded"},`+
		`"body":"Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2F%3Fa%3D%3Cb%3E&Configuration.Filters=onMessageAdded"},`+
		`"response":{"status":201,"headers":{"Content-Type":"application/json","Set-Cookie":["a=1","b=2","c=3"]},`+
		`"body":"{\"sid\":\"WH00000000000000000000000000000000\",\"url\":\"https://x.test/<a>&b\"}"}}`, lines[0])
	assert.Equal(t, `{"request":{"method":"PUT","url":"/upload","headers":{"Content-Type":"application/octet-stream"},"body_base64":"AP/+YYA="},`+
		`"response":{"status":200,"body_base64":"iVBORw0KGgo="}}`, lines[1])
	assert.Equal(t, "", lines[2])
}
