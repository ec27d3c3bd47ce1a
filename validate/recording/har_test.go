package recording

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// goodEntry is a HAR entry on one line.
const goodEntry = `{"request":{"method":"POST","url":"https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks",` +
	`"headers":[{"name":"Content-Type","value":"application/x-www-form-urlencoded"},{"name":"Accept","value":"application/json"}],` +
	`"postData":{"mimeType":"application/x-www-form-urlencoded","text":"Target=webhook"}},` +
	`"response":{"status":201,"headers":[{"name":"Content-Type","value":"application/json"}],` +
	`"content":{"size":13,"mimeType":"application/json","text":"{\"sid\":\"WH1\"}"}}}`

// harOf makes a HAR of entries, each on one line: entry i is on line 6+i.
func harOf(entries ...string) string {
	return "{\n" +
		"  \"log\": {\n" +
		"    \"version\": \"1.2\",\n" +
		"    \"pages\": [{\"id\": \"page_1\", \"title\": \"{[\\\"\"}],\n" +
		"    \"entries\": [\n" +
		strings.Join(entries, ",\n") +
		"\n    ]\n" +
		"  }\n" +
		"}\n"
}

// edit returns goodEntry with old replaced by new, which must be there.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	require.Contains(t, goodEntry, old)
	return strings.Replace(goodEntry, old, new, 1)
}

func newTestBufioReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, readBufferSize) }

func TestReadHARChromeHTTP2(t *testing.T) {
	f, err := os.Open("testdata/chrome-http2.har")
	require.NoError(t, err)
	defer f.Close()

	got := readAll(t, "chrome.har", f)
	checkRows(t, "chrome.har", got, []row{{entry: 0, line: 17}, {entry: 1, line: 76}})

	webhook := got[0].ex
	assert.Equal(t, validate.Request{
		Method: "POST",
		URL:    "https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks",
		Header: http.Header{
			"Accept":        {"application/json"},
			"Authorization": {"Basic QUM6c2VjcmV0"},
			"Content-Type":  {"application/x-www-form-urlencoded"},
			"X-Twilio-Test": {"one", "two"},
		},
		Body: []byte("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhook&Configuration.Method=post"),
	}, webhook.Request)
	assert.Equal(t, validate.Response{
		Status: 201,
		Header: http.Header{
			"Content-Type":                {"application/json; charset=utf-8"},
			"Access-Control-Allow-Origin": {"*"},
		},
		Body: []byte(`{"sid":"WH00000000000000000000000000000000","target":"webhook"}`),
	}, webhook.Response)

	// Another host is an exchange too: picking the operation is not this
	// package's job.
	logo := got[1].ex
	assert.Equal(t, "https://cdn.example.com/logo.png", logo.Request.URL)
	assert.Equal(t, http.Header{"Accept": {"image/png"}}, logo.Request.Header)
	assert.Nil(t, logo.Request.Body)
	assert.Equal(t, []byte("\x89PNG\r\n\x1a\n"), logo.Response.Body)
	assert.Equal(t, http.Header{"Content-Type": {"image/png"}}, logo.Response.Header, "content.mimeType stands in for the missing header")
}

func TestReadHARBodies(t *testing.T) {
	tests := []struct {
		name       string
		entry      string
		reqBody    string
		reqHeader  http.Header
		respBody   string
		respHeader http.Header
	}{
		{
			name: "params only, rebuilt in order",
			entry: `{"request":{"method":"POST","url":"https://conversations.twilio.com/v1/Conversations/CH1/Webhooks","headers":[],` +
				`"postData":{"mimeType":"application/x-www-form-urlencoded; charset=UTF-8","params":[` +
				`{"name":"Target","value":"webhook"},{"name":"Configuration.Filters","value":"onMessageAdded"},` +
				`{"name":"Configuration.Url","value":"https://example.com/a b?c=d&e"},{"name":"Configuration.Filters","value":"onMessageRemoved"}]}},` +
				`"response":{"status":201,"headers":[],"content":{"size":0,"mimeType":"x-unknown"}}}`,
			reqBody:    "Target=webhook&Configuration.Filters=onMessageAdded&Configuration.Url=https%3A%2F%2Fexample.com%2Fa+b%3Fc%3Dd%26e&Configuration.Filters=onMessageRemoved",
			reqHeader:  http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=UTF-8"}},
			respHeader: http.Header{},
		},
		{
			name: "params without a mimeType",
			entry: `{"request":{"method":"POST","url":"https://x.test/","headers":[],"postData":{"params":[{"name":"a","value":"1"}]}},` +
				`"response":{"status":201,"headers":[],"content":{}}}`,
			reqBody:    "a=1",
			reqHeader:  http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			respHeader: http.Header{},
		},
		{
			name: "text wins over params, header over mimeType",
			entry: `{"request":{"method":"POST","url":"https://x.test/","headers":[{"name":"content-type","value":"text/plain"}],` +
				`"postData":{"mimeType":"application/x-www-form-urlencoded","text":"a=2","params":[{"name":"a","value":"1"}]}},` +
				`"response":{"status":201,"headers":[{"name":"content-type","value":"application/json"}],"content":{"mimeType":"text/html","text":"{}"}}}`,
			reqBody:    "a=2",
			reqHeader:  http.Header{"Content-Type": {"text/plain"}},
			respBody:   "{}",
			respHeader: http.Header{"Content-Type": {"application/json"}},
		},
		{
			name: "base64 bodies both ways",
			entry: `{"request":{"method":"PUT","url":"/upload","headers":[],"postData":{"mimeType":"application/octet-stream","text":"AP8=","encoding":"base64"}},` +
				`"response":{"status":200,"headers":[],"content":{"mimeType":"application/json","text":"eyJvayI6dHJ1ZX0=","encoding":"BASE64"}}}`,
			reqBody:    "\x00\xff",
			reqHeader:  http.Header{"Content-Type": {"application/octet-stream"}},
			respBody:   `{"ok":true}`,
			respHeader: http.Header{"Content-Type": {"application/json"}},
		},
		{
			name: "no body, no Content-Type from the mimeType",
			entry: `{"request":{"method":"GET","url":"https://x.test/?a=1","headers":[],"postData":{"mimeType":"text/plain","text":""}},` +
				`"response":{"status":204,"headers":[],"content":{"size":0,"mimeType":"application/json","text":""}}}`,
			reqHeader:  http.Header{},
			respHeader: http.Header{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, "b.har", strings.NewReader(harOf(tt.entry)))
			checkRows(t, "b.har", got, []row{{entry: 0, line: 6}})
			ex := got[0].ex
			assert.Equal(t, tt.reqBody, string(ex.Request.Body))
			assert.Equal(t, tt.reqHeader, ex.Request.Header)
			assert.Equal(t, tt.respBody, string(ex.Response.Body))
			assert.Equal(t, tt.respHeader, ex.Response.Header)
			if tt.reqBody == "" {
				assert.Nil(t, ex.Request.Body)
			}
			if tt.respBody == "" {
				assert.Nil(t, ex.Response.Body)
			}
		})
	}
}

func TestReadHARProblems(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []row
	}{
		{
			name: "bad entries between good ones",
			input: harOf(
				goodEntry,
				edit(t, `"status":201`, `"status":"201"`),
				edit(t, `"method":"POST",`, ``),
				edit(t, `"url":"https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks",`, ``),
				edit(t, `"text":"{\"sid\":\"WH1\"}"`, `"text":"e30=!!!","encoding":"base64"`),
				edit(t, `"status":201`, `"status":0`),
				edit(t, `{"name":"Accept","value":"application/json"}`, `{"name":"Accept","value":"application/json"},{"name":"X-Count","value":3}`),
				edit(t, `"text":"Target=webhook"`, "\"text\":\"Target=\xffwebhook\""),
				`5`,
				edit(t, `"request":{`, `"request":{"headers":{},`),
				goodEntry,
			),
			want: []row{
				{entry: 0, line: 6},
				{entry: 1, line: 7, field: "response.status", err: "b.har#1 (line 7): response.status: want an integer, got a string"},
				{entry: 2, line: 8, field: "request.method", err: "missing"},
				{entry: 3, line: 9, field: "request.url", err: "missing"},
				{entry: 4, line: 10, field: "response.content.text", err: "b.har#4 (line 10): response.content.text: illegal base64 data at input byte 4"},
				{entry: 5, line: 11, field: "response.status", err: "0: no response was received"},
				{entry: 6, line: 12, field: "request.headers[2].value", err: "want a string, got a number"},
				{entry: 7, line: 13, field: "request.postData.text", err: "invalid UTF-8 at byte"},
				{entry: 8, line: 14, field: "", err: "want an object, got a number"},
				{entry: 9, line: 15, field: "request.headers", err: "want an array, got an object"},
				{entry: 10, line: 16},
			},
		},
		{
			name: "more problems",
			input: harOf(
				edit(t, `"request":{"method":"POST",`, `"request":{"method":"POST","postData":{"text":"x","encoding":"gzip"},`),
				edit(t, `{"name":"Accept",`, `{"name":"",`),
				edit(t, `"url":"https://conversations`, `"url":"conversations`),
				edit(t, `"status":201`, `"status":42`),
				edit(t, `"status":201,`, ``),
				`{"request":{"method":"GET","url":"/"}}`,
				`{"response":{"status":200}}`,
				`null`,
			),
			want: []row{
				{entry: 0, line: 6, field: "request.postData.encoding", err: `unknown encoding "gzip"`},
				{entry: 1, line: 7, field: "request.headers[1].name", err: "missing"},
				{entry: 2, line: 8, field: "request.url", err: "invalid URI for request"},
				{entry: 3, line: 9, field: "response.status", err: "42 is not an HTTP status code"},
				{entry: 4, line: 10, field: "response.status", err: "missing"},
				{entry: 5, line: 11, field: "response", err: "missing"},
				{entry: 6, line: 12, field: "request", err: "missing"},
				{entry: 7, line: 13, field: "request", err: "missing"},
			},
		},
		{
			name:  "cut short inside an entry",
			input: harOf(goodEntry, goodEntry)[:len(harOf(goodEntry, goodEntry))-40],
			want: []row{
				{entry: 0, line: 6},
				{entry: 1, line: 7, err: "b.har#1 (line 7): reading the entry: the file ends early: unexpected EOF"},
			},
		},
		{
			name:  "broken JSON inside an entry ends the file",
			input: harOf(goodEntry, edit(t, `"status":201`, `"status":201,,`), goodEntry),
			want: []row{
				{entry: 0, line: 6},
				{entry: 1, line: 7, err: "reading the entry: invalid JSON: invalid character ','"},
			},
		},
		{
			name:  "cut short after an entry, as by a crashed writer",
			input: strings.TrimSuffix(harOf(goodEntry, goodEntry), "\n    ]\n  }\n}\n"),
			want: []row{
				{entry: 0, line: 6},
				{entry: 1, line: 7},
				{entry: -1, line: 7, field: "log.entries", err: "b.har (line 7): log.entries: the file ends early"},
			},
		},
		{
			name:  "data after the HAR",
			input: harOf(goodEntry) + `{"log":{}}`,
			want: []row{
				{entry: 0, line: 6},
				{entry: -1, line: 10, err: "b.har (line 10): found an object after the HAR object"},
			},
		},
		{
			name:  "log is not an object",
			input: `{"log": [1]}`,
			want:  []row{{entry: -1, line: 1, field: "log", err: "b.har (line 1): log: want an object, got an array"}},
		},
		{
			name:  "entries are not an array",
			input: "{\"log\": {\n\"entries\": {}}}",
			want:  []row{{entry: -1, line: 2, field: "log.entries", err: "want an array, got an object"}},
		},
		{
			name:  "entries are missing",
			input: `{"log": {"version": "1.2", "pages": []}}`,
			want:  []row{{entry: -1, line: 1, field: "log.entries", err: "missing"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRows(t, "b.har", readAll(t, "b.har", strings.NewReader(tt.input)), tt.want)
			// Reading a byte at a time changes nothing.
			checkRows(t, "b.har", readAll(t, "b.har", iotest.OneByteReader(strings.NewReader(tt.input))), tt.want)
		})
	}
}

func TestReadHARLayout(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []row
	}{
		{
			name: "keys around log and entries",
			input: "\xEF\xBB\xBF{\"_comment\": {\"log\": 1},\n" +
				" \"log\": {\"pages\": [{\"entries\": []}], \"entries\": [\n" +
				goodEntry + ", " + goodEntry + "\n" +
				" ], \"creator\": {\"name\": \"x\"}, \"comment\": \"\"},\n" +
				" \"after\": [[[]]]}",
			want: []row{{entry: 0, line: 3}, {entry: 1, line: 3}},
		},
		{
			name:  "entries spread over many lines",
			input: "{\"log\":{\"entries\":[\n\n  {\n\"request\":\n{\"method\":\"GET\",\"url\":\"/\"},\n\"response\":{\"status\":200}}\r\n,\r\n\r\n\t{\"request\":{\"method\":\"GET\",\"url\":\"/\"},\n\"response\":{\"status\":200}}]}}",
			want:  []row{{entry: 0, line: 3}, {entry: 1, line: 9}},
		},
		{
			name:  "no entries",
			input: `{"log":{"entries":[]}}`,
		},
		{
			name:  "two entries arrays",
			input: "{\"log\":{\"entries\":[" + goodEntry + "],\n\"entries\":[" + goodEntry + "]}}",
			want:  []row{{entry: 0, line: 1}, {entry: 1, line: 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRows(t, "l.har", readAll(t, "l.har", strings.NewReader(tt.input)), tt.want)
			checkRows(t, "l.har", readAll(t, "l.har", iotest.OneByteReader(strings.NewReader(tt.input))), tt.want)
		})
	}
}

// setMaxEntryBytes sets MaxEntryBytes for the rest of the test.
func setMaxEntryBytes(t *testing.T, n int) {
	old := MaxEntryBytes
	MaxEntryBytes = n
	t.Cleanup(func() { MaxEntryBytes = old })
}

func TestReadHARTooLarge(t *testing.T) {
	setMaxEntryBytes(t, 1000)
	// big is an entry spread over 101 lines, of about 100 KiB: more than the
	// decoder buffers at once, so that it must be skipped.
	big := edit(t, `"text":"Target=webhook"`, `"text":"Target=webhook", "_padding": [`+strings.Repeat(`"}]\"{[",`+strings.Repeat(" ", 1000)+"\n", 100)+`0]`)
	// small is over the limit too, but the decoder has it all at once.
	small := edit(t, `"text":"Target=webhook"`, `"text":"`+strings.Repeat("a", 1000)+`"`)

	input := harOf(goodEntry, big, goodEntry, big, big, small, goodEntry)
	want := []row{
		{entry: 0, line: 6},
		{entry: 1, line: 7, err: "l.har#1 (line 7): the entry is larger than 1000 bytes (MaxEntryBytes)"},
		{entry: 2, line: 108},
		{entry: 3, line: 109, err: "larger than 1000 bytes"},
		{entry: 4, line: 210, err: "larger than 1000 bytes"},
		{entry: 5, line: 311, err: "larger than 1000 bytes"},
		{entry: 6, line: 312},
	}
	checkRows(t, "l.har", readAll(t, "l.har", strings.NewReader(input)), want)

	t.Run("last, with keys after the entries", func(t *testing.T) {
		input := "{\"log\":{\"entries\":[" + big + "],\n\"pages\":[]},\n\"x\":1}"
		checkRows(t, "l.har", readAll(t, "l.har", strings.NewReader(input)), []row{
			{entry: 0, line: 1, err: "larger than 1000 bytes"},
		})
	})
	t.Run("cut short", func(t *testing.T) {
		input := harOf(goodEntry, big)[:30000]
		checkRows(t, "l.har", readAll(t, "l.har", strings.NewReader(input)), []row{
			{entry: 0, line: 6},
			{entry: 1, line: 7, err: "skipping an entry larger than 1000 bytes (MaxEntryBytes): the file ends early"},
		})
	})
	t.Run("exactly at the limit", func(t *testing.T) {
		setMaxEntryBytes(t, len(goodEntry))
		checkRows(t, "l.har", readAll(t, "l.har", strings.NewReader(harOf(goodEntry))), []row{{entry: 0, line: 6}})
		setMaxEntryBytes(t, len(goodEntry)-1)
		checkRows(t, "l.har", readAll(t, "l.har", strings.NewReader(harOf(goodEntry))), []row{{entry: 0, line: 6, err: "larger than"}})
	})
}

// generatedHAR is a HAR of n entries that it makes up as it is read, so that
// no more than one entry is ever in memory. Entry i starts on line 3+3*i.
type generatedHAR struct {
	n, next int
	pending []byte
	done    bool
}

func (g *generatedHAR) Read(p []byte) (int, error) {
	for len(g.pending) == 0 {
		switch {
		case g.done:
			return 0, io.EOF
		case g.next == 0 && g.n > 0:
			g.pending = []byte("{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"gen\", \"version\": \"1\"},\n  \"entries\": [\n")
		case g.next == g.n:
			g.pending = []byte("\n  ]\n}}\n")
			g.done = true
			continue
		}
		sep := ",\n"
		if g.next == 0 {
			sep = ""
		}
		g.pending = fmt.Appendf(g.pending, "%s    {\"request\": {\"method\": \"POST\", \"url\": \"https://conversations.twilio.com/v1/Conversations/CH%032d/Webhooks\",\n"+
			"      \"headers\": [{\"name\": \"content-type\", \"value\": \"application/x-www-form-urlencoded\"}], \"postData\": {\"mimeType\": \"application/x-www-form-urlencoded\", \"text\": \"Target=webhook\"}},\n"+
			"     \"response\": {\"status\": 201, \"headers\": [], \"content\": {\"mimeType\": \"application/json\", \"text\": \"{\\\"sid\\\": \\\"WH%032d\\\"}\"}}}", sep, g.next, g.next)
		g.next++
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

func TestReadHARStreams(t *testing.T) {
	const n = 20000
	count := 0
	for ex, err := range Read("gen.har", &generatedHAR{n: n}) {
		require.NoError(t, err)
		require.Equal(t, count, ex.Entry)
		require.Equal(t, 3+3*count, ex.Line, "entry %d", count)
		require.Equal(t, fmt.Sprintf("https://conversations.twilio.com/v1/Conversations/CH%032d/Webhooks", count), ex.Request.URL)
		require.Equal(t, fmt.Sprintf(`{"sid": "WH%032d"}`, count), string(ex.Response.Body))
		count++
	}
	assert.Equal(t, n, count)
}
