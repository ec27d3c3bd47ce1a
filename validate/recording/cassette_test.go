package recording

import (
	"bytes"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/contractcheck/contractcheck/validate"
)

var update = flag.Bool("update", false, "rewrite testdata/recordings/vcr-v4.yaml with go-vcr's recorder")

// recordingsDir holds the shipped recordings.
var recordingsDir = filepath.Join("..", "..", "testdata", "recordings")

// readExchanges reads every exchange of a recording file, which must have no
// problems.
func readExchanges(t *testing.T, name string) []*validate.Exchange {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(recordingsDir, name))
	require.NoError(t, err)
	var exs []*validate.Exchange
	for ex, err := range Read(name, bytes.NewReader(data)) {
		require.NoError(t, err)
		exs = append(exs, ex)
	}
	return exs
}

// replayTransport answers each request with the response of the next
// exchange, as the server did.
type replayTransport struct{ exs []*validate.Exchange }

func (r *replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil { // sent, as a real transport would: go-vcr records what is read
		if _, err := io.Copy(io.Discard, req.Body); err != nil {
			return nil, err
		}
	}
	ex := r.exs[0]
	r.exs = r.exs[1:]
	return &http.Response{
		StatusCode: ex.Response.Status, Status: http.StatusText(ex.Response.Status),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: ex.Response.Header.Clone(), Body: io.NopCloser(bytes.NewReader(ex.Response.Body)),
		ContentLength: int64(len(ex.Response.Body)), Request: req,
	}, nil
}

// TestGoVCRCassettes checks the shipped cassettes against go-vcr: vcr-v4.yaml
// (format version 2), recorded by go-vcr v4's recorder from the exchanges of
// traffic.har (go test -run TestGoVCRCassettes -update rewrites it), loads with
// go-vcr's cassette.Load and reads into the same exchanges; vcr-v1.yaml
// (format version 1, as go-vcr v1 and v2 write it) reads too.
func TestGoVCRCassettes(t *testing.T) {
	traffic := readExchanges(t, "traffic.har")
	name := filepath.Join(recordingsDir, "vcr-v4")
	if *update {
		if err := os.Remove(name + ".yaml"); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		rec, err := recorder.New(name, recorder.WithMode(recorder.ModeRecordOnly),
			recorder.WithRealTransport(&replayTransport{exs: traffic}), recorder.WithSkipRequestLatency(true))
		require.NoError(t, err)
		client := rec.GetDefaultClient()
		for _, ex := range traffic {
			req, err := http.NewRequest(ex.Request.Method, ex.Request.URL, bytes.NewReader(ex.Request.Body))
			require.NoError(t, err)
			req.Header = ex.Request.Header.Clone()
			resp, err := client.Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		require.NoError(t, rec.Stop())
	}

	c, err := cassette.Load(name)
	require.NoError(t, err, "go-vcr cannot load its own cassette")
	assert.Equal(t, cassette.CassetteFormatVersion, c.Version)
	got := readExchanges(t, "vcr-v4.yaml")
	require.Len(t, got, len(traffic))
	require.Len(t, c.Interactions, len(traffic))
	for i, ex := range got {
		assert.Equal(t, i, ex.Entry)
		assert.Equal(t, traffic[i].Request.Method, ex.Request.Method, "interaction %d", i)
		assert.Equal(t, traffic[i].Request.URL, ex.Request.URL, "interaction %d", i)
		assert.Equal(t, traffic[i].Request.Body, ex.Request.Body, "interaction %d", i)
		assert.Equal(t, traffic[i].Request.Header.Get("Content-Type"), ex.Request.Header.Get("Content-Type"), "interaction %d", i)
		assert.Equal(t, traffic[i].Response.Status, ex.Response.Status, "interaction %d", i)
		assert.Equal(t, traffic[i].Response.Body, ex.Response.Body, "interaction %d", i)
		assert.Equal(t, traffic[i].Response.Header.Get("Content-Type"), ex.Response.Header.Get("Content-Type"), "interaction %d", i)
	}

	v1 := readExchanges(t, "vcr-v1.yaml")
	require.Len(t, v1, 2)
	docs := readExchanges(t, "docs-example.har")[0]
	assert.Equal(t, docs.Request.Method, v1[0].Request.Method)
	assert.Equal(t, docs.Request.URL, v1[0].Request.URL)
	assert.Equal(t, docs.Request.Body, v1[0].Request.Body)
	assert.Equal(t, docs.Response.Status, v1[0].Response.Status)
	assert.Equal(t, docs.Response.Body, v1[0].Response.Body)
	assert.Equal(t, docs.Response.Header.Get("Content-Type"), v1[0].Response.Header.Get("Content-Type"))
}

// cassetteOf makes a version 2 cassette of interactions, each already
// indented as an element of the interactions sequence.
func cassetteOf(interactions ...string) string {
	return "---\nversion: 2\ninteractions:\n" + strings.Join(interactions, "")
}

// goodInteraction is an interaction on lines 4 to 17 of cassetteOf.
const goodInteraction = `    - id: 0
      request:
        method: POST
        url: https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks
        headers:
          Content-Type:
            - application/x-www-form-urlencoded
        body: Target=webhook
      response:
        code: 201
        headers:
          content-type:
            - application/json
        body: '{"sid":"WH1"}'
`

func TestReadCassette(t *testing.T) {
	got := readAll(t, "c.yaml", strings.NewReader(cassetteOf(goodInteraction, goodInteraction)))
	checkRows(t, "c.yaml", got, []row{{entry: 0, line: 4}, {entry: 1, line: 18}})
	ex := got[1].ex
	assert.Equal(t, "POST", ex.Request.Method)
	assert.Equal(t, []byte("Target=webhook"), ex.Request.Body)
	assert.Equal(t, http.Header{"Content-Type": {"application/json"}}, ex.Response.Header)
	assert.Equal(t, 201, ex.Response.Status)
	assert.Equal(t, []byte(`{"sid":"WH1"}`), ex.Response.Body)

	t.Run("form", func(t *testing.T) {
		// As net/http parses it: the body's values, then the query's.
		withForm := strings.Replace(goodInteraction, "        body: Target=webhook\n",
			"        form:\n          Target: [webhook]\n          Configuration.Url: ['https://x.example/a b']\n          Page: ['7', '2']\n          Size: ['5']\n", 1)
		withForm = strings.Replace(withForm, "/Webhooks\n", "/Webhooks?Page=2&Size=5\n", 1)
		got := readAll(t, "c.yaml", strings.NewReader(cassetteOf(withForm)))
		require.Len(t, got, 1)
		require.NotNil(t, got[0].ex)
		assert.Equal(t, "Configuration.Url=https%3A%2F%2Fx.example%2Fa+b&Page=7&Target=webhook", string(got[0].ex.Request.Body))
		// A query alone makes no body.
		queryOnly := strings.Replace(strings.Replace(goodInteraction, "        body: Target=webhook\n", "        form:\n          Size: ['5']\n", 1),
			"/Webhooks\n", "/Webhooks?Size=5\n", 1)
		got = readAll(t, "c.yaml", strings.NewReader(cassetteOf(queryOnly)))
		require.Len(t, got, 1)
		require.NotNil(t, got[0].ex)
		assert.Nil(t, got[0].ex.Request.Body)
	})
	t.Run("version 1", func(t *testing.T) {
		v1 := strings.ReplaceAll(cassetteOf(goodInteraction), "version: 2", "version: 1")
		checkRows(t, "c.yaml", readAll(t, "c.yaml", strings.NewReader(v1)), []row{{entry: 0, line: 4}})
	})
	t.Run("no interactions", func(t *testing.T) {
		checkRows(t, "c.yaml", readAll(t, "c.yaml", strings.NewReader("version: 2\ninteractions: []\n")), nil)
		checkRows(t, "c.yaml", readAll(t, "c.yaml", strings.NewReader("version: 2\ninteractions:\n")), nil)
	})
}

func TestReadCassetteProblems(t *testing.T) {
	edit := func(old, new string) string {
		t.Helper()
		require.Contains(t, goodInteraction, old)
		return strings.Replace(goodInteraction, old, new, 1)
	}
	tests := []struct {
		name  string
		input string
		want  []row
	}{
		{
			name: "bad interactions between good ones",
			input: cassetteOf(
				goodInteraction,
				edit("code: 201", "code: created"),
				edit("        method: POST\n", ""),
				edit("url: https://conversations", "url: conversations"),
				edit("          Content-Type:\n            - application/x-www-form-urlencoded\n", "          Content-Type: {a: b}\n"),
				edit("        code: 201\n", ""),
				edit("code: 201", "code: 42"),
				"    - just a string\n",
				edit("      response:\n        code: 201\n        headers:\n          content-type:\n            - application/json\n        body: '{\"sid\":\"WH1\"}'\n", ""),
				goodInteraction,
			),
			want: []row{
				{entry: 0, line: 4},
				{entry: 1, line: 18, field: "response.code", err: "c.yaml#1 (line 18): response.code: cannot"},
				{entry: 2, line: 32, field: "request.method", err: "missing"},
				{entry: 3, line: 45, field: "request.url", err: "invalid URI for request"},
				{entry: 4, line: 59, field: "request.headers.Content-Type", err: "cannot"},
				{entry: 5, line: 72, field: "response.code", err: "missing"},
				{entry: 6, line: 85, field: "response.code", err: "42 is not an HTTP status code"},
				{entry: 7, line: 99, field: "", err: "want a mapping, got a scalar str"},
				{entry: 8, line: 100, field: "response", err: "missing"},
				{entry: 9, line: 108},
			},
		},
		{
			name:  "unsupported version",
			input: strings.Replace(cassetteOf(goodInteraction), "version: 2", "version: 3", 1),
			want:  []row{{entry: -1, line: 2, field: "version", err: `c.yaml (line 2): version: unsupported cassette version format "3"`}},
		},
		{
			name:  "interactions not a sequence",
			input: "version: 2\ninteractions: {a: 1}\n",
			want:  []row{{entry: -1, line: 2, field: "interactions", err: "want a sequence, got a mapping"}},
		},
		{
			name:  "broken YAML",
			input: "version: 2\ninteractions:\n  - id: 0\n   request: [\n",
			want:  []row{{entry: -1, line: 4, err: "invalid YAML: "}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRows(t, "c.yaml", readAll(t, "c.yaml", strings.NewReader(tt.input)), tt.want)
			checkRows(t, "c.yaml", readAll(t, "c.yaml", iotest.OneByteReader(strings.NewReader(tt.input))), tt.want)
		})
	}
}

func TestReadCassetteTooLarge(t *testing.T) {
	setMaxEntryBytes(t, 100)
	checkRows(t, "c.yaml", readAll(t, "c.yaml", strings.NewReader(cassetteOf(goodInteraction))),
		[]row{{entry: -1, err: "the cassette is larger than 100 bytes (MaxEntryBytes)"}})
}

// TestCassetteDecodesAsGoVCR checks that a cassette reads into the values
// go-vcr v4's own cassette.Load decodes: bodies that are binary (saved as
// !!binary, base64), or text that YAML would take for an int, a float, a
// boolean, null or a timestamp; header values alike; codes and durations.
// One cassette is saved by go-vcr, the other written by hand.
func TestCassetteDecodesAsGoVCR(t *testing.T) {
	dir := t.TempDir()
	bodies := []string{"\x00\xff\xfe binary \x89PNG", "12345", "0x1F", "1e3", "true", "yes", "null", "~", "2024-01-02T03:04:05Z", "2024-01-02", "- a\n- b\n", "'quoted'", ""}
	var exs []*validate.Exchange
	for i, body := range bodies {
		value := bodies[1+i%9] // header values alike, without the binary one and the line breaks
		exs = append(exs, &validate.Exchange{
			Request: validate.Request{Method: "POST", URL: "https://conversations.twilio.com/v1/Conversations/CH1/Webhooks",
				Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-N": {value}}, Body: []byte(body)},
			Response: validate.Response{Status: 201 + i%3, Header: http.Header{"Date": {"2024-01-02T03:04:05Z"}, "X-N": {value}}, Body: []byte(body)},
		})
	}
	rec, err := recorder.New(filepath.Join(dir, "saved"), recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithRealTransport(&replayTransport{exs: slices.Clone(exs)}))
	require.NoError(t, err)
	for _, ex := range exs {
		req, err := http.NewRequest(ex.Request.Method, ex.Request.URL, bytes.NewReader(ex.Request.Body))
		require.NoError(t, err)
		req.Header = ex.Request.Header.Clone()
		resp, err := rec.GetDefaultClient().Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	require.NoError(t, rec.Stop())
	saved, err := os.ReadFile(filepath.Join(dir, "saved.yaml"))
	require.NoError(t, err)
	require.Contains(t, string(saved), "!!binary", "go-vcr saves a binary body in base64")

	handWritten := filepath.Join(dir, "hand")
	require.NoError(t, os.WriteFile(handWritten+".yaml", []byte(`version: 2
interactions:
  - id: 0
    request:
      method: POST
      url: https://conversations.twilio.com/v1/Conversations/CH1/Webhooks
      headers:
        X-Int: [12345]
        X-Time: ['2024-01-02T03:04:05Z']
        X-Bool: [yes, true, off]
      body: 12345
    response:
      code: 201
      headers:
        Date: ["2024-01-02"]
      body: !!binary AP/+IGJpbmFyeQ==
      duration: 1.5s
  - id: 1
    request:
      method: POST
      url: https://conversations.twilio.com/v1/Conversations/CH1/Webhooks
      body: "2024-01-02 03:04:05"
    response:
      code: 0xC9
      body: 1.50
  - id: 2
    request:
      method: POST
      url: https://conversations.twilio.com/v1/Conversations/CH1/Webhooks
      body: |
        Target=webhook
    response:
      code: 201
      body: >-
        {"sid":
        "WH1"}
`), 0o600))

	for _, name := range []string{filepath.Join(dir, "saved"), handWritten} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			want, err := cassette.Load(name)
			require.NoError(t, err)
			data, err := os.ReadFile(name + ".yaml")
			require.NoError(t, err)
			var got []*validate.Exchange
			for ex, err := range Read("c.yaml", bytes.NewReader(data)) {
				require.NoError(t, err)
				got = append(got, ex)
			}
			require.Len(t, got, len(want.Interactions))
			for i, in := range want.Interactions {
				ex := got[i]
				assert.Equal(t, in.Request.Method, ex.Request.Method, "interaction %d", i)
				assert.Equal(t, in.Request.URL, ex.Request.URL, "interaction %d", i)
				assert.Equal(t, in.Request.Body, string(ex.Request.Body), "interaction %d", i)
				assert.Equal(t, cassetteHeader(in.Request.Headers), ex.Request.Header, "interaction %d", i)
				assert.Equal(t, in.Response.Code, ex.Response.Status, "interaction %d", i)
				assert.Equal(t, in.Response.Body, string(ex.Response.Body), "interaction %d", i)
				assert.Equal(t, cassetteHeader(in.Response.Headers), ex.Response.Header, "interaction %d", i)
			}
		})
	}

	// An unquoted timestamp in a string field, which go-vcr never writes:
	// go-vcr v4 refuses the whole cassette; contractcheck reads the body as
	// it is written (as a YAML 1.2 reader does: the core schema has no
	// timestamps).
	stamped := filepath.Join(dir, "stamped")
	hand, err := os.ReadFile(handWritten + ".yaml")
	require.NoError(t, err)
	data := bytes.Replace(hand, []byte(`body: "2024-01-02 03:04:05"`), []byte("body: 2024-01-02T03:04:05Z"), 1)
	require.NoError(t, os.WriteFile(stamped+".yaml", data, 0o600))
	_, err = cassette.Load(stamped)
	require.ErrorContains(t, err, "cannot construct !!timestamp")
	rows := readAll(t, "c.yaml", bytes.NewReader(data))
	checkRows(t, "c.yaml", rows, []row{{entry: 0, line: 3}, {entry: 1, line: 18}, {entry: 2, line: 26}})
	assert.Equal(t, "2024-01-02T03:04:05Z", string(rows[1].ex.Request.Body))
}
