package recording

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// goodLine is an NDJSON line, as in the package documentation.
const goodLine = `{"request":{"method":"POST","url":"https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks",` +
	`"headers":{"Content-Type":"application/x-www-form-urlencoded","Authorization":"Basic QUM6c2VjcmV0"},"body":"Target=webhook"},` +
	`"response":{"status":201,"headers":{"Content-Type":["application/json"]},"body":"{\"sid\":\"WH00000000000000000000000000000000\"}"}}`

// editLine returns goodLine with old replaced by new, which must be there.
func editLine(t *testing.T, old, new string) string {
	t.Helper()
	require.Contains(t, goodLine, old)
	return strings.Replace(goodLine, old, new, 1)
}

func TestReadNDJSON(t *testing.T) {
	input := "\xEF\xBB\xBF" + goodLine + "\n" +
		"\n" +
		"   \t\r\n" +
		editLine(t, `"headers":{"Content-Type":["application/json"]}`,
			`"headers":{"content-type":"application/json","set-cookie":["a=1","b=2"],":status":"201","x-empty":[]}`) + "\r\n" +
		`{"response":{"body_base64":"AP8=","status":200},"request":{"url":"/v1/x","method":"GET","headers":null}}`

	got := readAll(t, "t.ndjson", strings.NewReader(input))
	checkRows(t, "t.ndjson", got, []row{{entry: 0, line: 1}, {entry: 3, line: 4}, {entry: 4, line: 5}})

	assert.Equal(t, validate.Request{
		Method: "POST",
		URL:    "https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks",
		Header: http.Header{
			"Content-Type":  {"application/x-www-form-urlencoded"},
			"Authorization": {"Basic QUM6c2VjcmV0"},
		},
		Body: []byte("Target=webhook"),
	}, got[0].ex.Request)
	assert.Equal(t, validate.Response{
		Status: 201,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   []byte(`{"sid":"WH00000000000000000000000000000000"}`),
	}, got[0].ex.Response)

	assert.Equal(t, http.Header{
		"Content-Type": {"application/json"},
		"Set-Cookie":   {"a=1", "b=2"},
	}, got[1].ex.Response.Header, "names are canonical, values in order, pseudo-headers and names without values left out")

	assert.Equal(t, validate.Request{Method: "GET", URL: "/v1/x", Header: http.Header{}}, got[2].ex.Request)
	assert.Equal(t, validate.Response{Status: 200, Header: http.Header{}, Body: []byte{0x00, 0xff}}, got[2].ex.Response)
}

func TestReadNDJSONProblems(t *testing.T) {
	tests := []struct {
		name string
		line string
		// field and err as in row
		field string
		err   string
	}{
		{"misspelt field", editLine(t, `"body":"Target=webhook"`, `"bdy":"Target=webhook"`),
			"request.bdy", "p.ndjson#1 (line 2): request.bdy: unknown field; want one of method, url, headers, body, body_base64"},
		{"unknown top-level field", editLine(t, `{"request":`, `{"comment":"x","request":`),
			"comment", "unknown field; want one of request, response"},
		{"unknown response field, also a header name", editLine(t, `"status":201`, `"headers":{"Extra":"1"},"status":201,"Extra":1`),
			"response.Extra", "unknown field"},
		{"body twice", editLine(t, `"body":"Target=webhook"`, `"body":"Target=webhook","body_base64":"AA=="`),
			"request.body_base64", "body is set too; want one of body and body_base64"},
		{"bad base64", editLine(t, `"body":"Target=webhook"`, `"body_base64":"AA="`),
			"request.body_base64", "illegal base64 data at input byte"},
		{"no method", editLine(t, `"method":"POST",`, ``), "request.method", "missing"},
		{"empty url", editLine(t, `"url":"https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks"`, `"url":""`), "request.url", "missing"},
		{"relative url", editLine(t, `"url":"https://conversations.twilio.com/v1`, `"url":"v1`), "request.url", "invalid URI for request"},
		{"no status", editLine(t, `"status":201,`, ``), "response.status", "missing"},
		{"status out of range", editLine(t, `"status":201`, `"status":1000`), "response.status", "1000 is not an HTTP status code"},
		{"status as a string", editLine(t, `"status":201`, `"status":"201"`), "response.status", "want an integer, got a string"},
		{"status as a fraction", editLine(t, `"status":201`, `"status":201.5`), "response.status", "want an integer, got a number 201.5"},
		{"no request", `{"response":{"status":200}}`, "request", "missing"},
		{"no response", `{"request":{"method":"GET","url":"/"}}`, "response", "missing"},
		{"header value a number", editLine(t, `"Authorization":"Basic QUM6c2VjcmV0"`, `"X-Count":3`),
			"request.headers.X-Count", "want a string or an array of strings, got a number"},
		{"header array holds a number", editLine(t, `["application/json"]`, `["application/json",7]`),
			"response.headers.Content-Type[1]", "want a string, got a number"},
		{"headers an array", editLine(t, `"headers":{"Content-Type":["application/json"]}`, `"headers":["Content-Type"]`),
			"response.headers", "want an object, got an array"},
		{"header without a name", editLine(t, `"Authorization":`, `"":`), "request.headers", "a header has an empty name"},
		{"header in two spellings", editLine(t, `"Authorization":`, `"content-type":"text/plain","Authorization":`), "request.headers.content-type", "Content-Type is there in another spelling too"},
		{"header null", editLine(t, `"Authorization":"Basic QUM6c2VjcmV0"`, `"X":null`), "request.headers.X", "want a string or an array of strings, got null"},
		{"method a number", editLine(t, `"method":"POST"`, `"method":1`), "request.method", "want a string, got a number"},
		{"request an array", `{"request":[],"response":{"status":200}}`, "request", "want an object, got an array"},
		{"invalid UTF-8", editLine(t, `"Target=webhook"`, "\"Target=\xc3\x28\""), "request.body", "invalid UTF-8 at byte"},
		{"broken JSON", editLine(t, `"status":201`, `"status":201,`), "", "invalid JSON: invalid character ','"},
		{"cut short", goodLine[:50], "", "invalid JSON: unexpected EOF"},
		{"two objects", goodLine + " {}", "", "invalid JSON: found an object after the object"},
		{"not an object", `[1, 2]`, "", "want an object, got an array"},
		{"a string", `"request"`, "", "want an object, got a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := goodLine + "\n" + tt.line + "\n" + goodLine + "\n"
			want := []row{{entry: 0, line: 1}, {entry: 1, line: 2, field: tt.field, err: tt.err}, {entry: 2, line: 3}}
			checkRows(t, "p.ndjson", readAll(t, "p.ndjson", strings.NewReader(input)), want)
			checkRows(t, "p.ndjson", readAll(t, "p.ndjson", iotest.OneByteReader(strings.NewReader(input))), want)
		})
	}
}

func TestReadNDJSONTooLong(t *testing.T) {
	setMaxEntryBytes(t, len(goodLine))
	long := editLine(t, `"Target=webhook"`, `"Target=webhook`+strings.Repeat("x", 200<<10)+`"`)
	input := goodLine + "\r\n" + long + "\n" + goodLine + "\n" + long // the last line without a newline
	want := []row{
		{entry: 0, line: 1},
		{entry: 1, line: 2, err: "l.ndjson#1 (line 2): the line is longer than " + strconv.Itoa(len(goodLine)) + " bytes (MaxEntryBytes)"},
		{entry: 2, line: 3},
		{entry: 3, line: 4, err: "longer than"},
	}
	checkRows(t, "l.ndjson", readAll(t, "l.ndjson", strings.NewReader(input)), want)

	t.Run("one byte over", func(t *testing.T) {
		setMaxEntryBytes(t, len(goodLine)-1)
		checkRows(t, "l.ndjson", readAll(t, "l.ndjson", strings.NewReader(goodLine+"\n")), []row{{entry: 0, line: 1, err: "longer than"}})
	})
}

func TestReadNDJSONLastLine(t *testing.T) {
	for name, input := range map[string]string{
		"without a newline":      goodLine,
		"with a newline":         goodLine + "\n",
		"with a CRLF":            goodLine + "\r\n",
		"with blank lines after": goodLine + "\n\n \n",
	} {
		t.Run(name, func(t *testing.T) {
			checkRows(t, "e.ndjson", readAll(t, "e.ndjson", strings.NewReader(input)), []row{{entry: 0, line: 1}})
		})
	}
}

func TestFieldAt(t *testing.T) {
	doc := []byte(`{"a": [1, {"b": "x", "c": [true, null]}], "d": {"e": "f"}}`)
	tests := []struct {
		at   string // the first occurrence of this text in doc
		want string
	}{
		{`"a"`, "a"},
		{`1`, "a[0]"},
		{`"x"`, "a[1].b"},
		{`true`, "a[1].c[0]"},
		{`null`, "a[1].c[1]"},
		{`"f"`, "d.e"},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			i := strings.Index(string(doc), tt.at)
			require.GreaterOrEqual(t, i, 0)
			assert.Equal(t, tt.want, fieldAt(doc, int64(i)))
			assert.Equal(t, tt.want, fieldAt(doc, int64(i+len(tt.at)-1)))
		})
	}
	assert.Equal(t, "", fieldAt(doc, 0), "the document")
	assert.Equal(t, "a[1]", fieldAt(doc, int64(strings.Index(string(doc), `{"b"`))), "an object in an array")
	assert.Equal(t, "", fieldAt([]byte(`{"a": `), 5), "broken JSON")
}
