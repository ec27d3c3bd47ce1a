package recording

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// result is one thing Read yielded: an exchange or a problem.
type result struct {
	ex  *validate.Exchange
	err *EntryError
}

// readAll ranges over Read of input, checking that every problem is an
// *EntryError.
func readAll(t *testing.T, source string, r io.Reader) []result {
	t.Helper()
	var out []result
	for ex, err := range Read(source, r) {
		if err != nil {
			require.Nil(t, ex, "Read yielded an exchange with an error")
			var entryErr *EntryError
			require.ErrorAs(t, err, &entryErr)
			out = append(out, result{err: entryErr})
			continue
		}
		require.NotNil(t, ex)
		out = append(out, result{ex: ex})
	}
	return out
}

// row is what a test expects of one result: where it is and, for a problem,
// the field and a part of the message ("" for an exchange).
type row struct {
	entry int
	line  int
	field string
	err   string
}

// checkRows checks results against rows, in order.
func checkRows(t *testing.T, source string, got []result, want []row) {
	t.Helper()
	require.Len(t, got, len(want), "results: %v", describeResults(got))
	for i, w := range want {
		g := got[i]
		if w.err == "" {
			if assert.NotNil(t, g.ex, "result %d: want an exchange, got %v", i, g.err) {
				assert.Equal(t, source, g.ex.Source, "result %d", i)
				assert.Equal(t, w.entry, g.ex.Entry, "result %d: entry", i)
				assert.Equal(t, w.line, g.ex.Line, "result %d: line", i)
			}
			continue
		}
		if assert.NotNil(t, g.err, "result %d: want an error", i) {
			assert.Equal(t, source, g.err.Source, "result %d", i)
			assert.Equal(t, w.entry, g.err.Entry, "result %d: entry of %q", i, g.err)
			assert.Equal(t, w.line, g.err.Line, "result %d: line of %q", i, g.err)
			assert.Equal(t, w.field, g.err.Field, "result %d: field of %q", i, g.err)
			assert.Contains(t, g.err.Error(), w.err, "result %d", i)
		}
	}
}

func describeResults(results []result) []string {
	var out []string
	for _, r := range results {
		if r.err != nil {
			out = append(out, r.err.Error())
		} else {
			out = append(out, r.ex.Request.Method+" "+r.ex.Request.URL)
		}
	}
	return out
}

func TestEntryErrorError(t *testing.T) {
	inner := errors.New("illegal base64 data at input byte 4")
	tests := []struct {
		name string
		err  *EntryError
		want string
	}{
		{"entry with line and field", &EntryError{Source: "traffic.har", Entry: 3, Line: 120, Field: "response.content.text", Err: inner},
			"traffic.har#3 (line 120): response.content.text: illegal base64 data at input byte 4"},
		{"no line, no field", &EntryError{Source: "-", Entry: 0, Err: inner},
			"-#0: illegal base64 data at input byte 4"},
		{"the file", &EntryError{Source: "x.har", Entry: -1, Err: errNotRecording},
			"x.har: not a HAR, NDJSON or go-vcr cassette recording"},
		{"the file at a line", &EntryError{Source: "x.har", Entry: -1, Line: 7, Field: "log.entries", Err: errMissing},
			"x.har (line 7): log.entries: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
			assert.ErrorIs(t, tt.err, tt.err.Err)
		})
	}
}

func TestReadDetect(t *testing.T) {
	const ndjsonLine = `{"request":{"method":"POST","url":"/v1/x"},"response":{"status":201}}`
	tests := []struct {
		name   string
		input  string
		format format // 0 when an error is expected
		err    string
	}{
		{"har", `{"log":{"entries":[]}}`, formatHAR, ""},
		{"har with a key before log", `{"comment":{"a":[1,2]},"log":{"entries":[]}}`, formatHAR, ""},
		{"har after a BOM and white space", "\xEF\xBB\xBF \r\n\t{\"log\":{\"entries\":[]}}", formatHAR, ""},
		{"ndjson", ndjsonLine + "\n", formatNDJSON, ""},
		{"ndjson starting with the response", `{"response":{"status":201},"request":{}}`, formatNDJSON, ""},
		{"ndjson after blank lines", "\n\n" + ndjsonLine, formatNDJSON, ""},
		{"ndjson with an unknown field first", `{"comment":"x","request":{}}`, formatNDJSON, ""},
		{"empty", "", 0, "not a HAR, NDJSON or go-vcr cassette recording: it is empty"},
		{"only white space and a BOM", "\xEF\xBB\xBF  \n\n", 0, "it is empty"},
		{"an array", `[{"log":{}}]`, 0, `it starts with "[", not with '{'`},
		{"binary", "\x89PNG\r\n\x1a\n", 0, `it starts with "\x89", not with '{'`},
		{"another JSON object", "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {}\n}\n", 0, `its first object has neither "log" nor "request" nor "response"`},
		{"broken JSON", `{log: 1}`, 0, "invalid JSON"},
		{"cut short", `{"lo`, 0, "it ends inside its first object"},
		{"no telling key in the first 64 KiB", `{"comment":"` + strings.Repeat("x", 70<<10) + `"}`, 0, "in the first 64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []io.Reader{strings.NewReader(tt.input), iotest.OneByteReader(strings.NewReader(tt.input))} {
				br := newTestBufioReader(r)
				f, _, err := detect(br)
				if tt.err != "" {
					require.Error(t, err)
					assert.ErrorIs(t, err, errNotRecording)
					assert.Contains(t, err.Error(), tt.err)
					continue
				}
				require.NoError(t, err)
				assert.Equal(t, tt.format, f)
				// Nothing but the BOM is consumed.
				rest, err := io.ReadAll(br)
				require.NoError(t, err)
				assert.Equal(t, strings.TrimPrefix(tt.input, "\xEF\xBB\xBF"), string(rest))
			}
		})
	}
}

func TestReadNotARecording(t *testing.T) {
	got := readAll(t, "x.har", strings.NewReader("\x00\x01garbage"))
	checkRows(t, "x.har", got, []row{{entry: -1, err: `x.har: not a HAR, NDJSON or go-vcr cassette recording: it starts with "\x00"`}})
}

func TestReadIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	t.Run("at the start", func(t *testing.T) {
		got := readAll(t, "a.har", iotest.ErrReader(boom))
		require.Len(t, got, 1)
		assert.Equal(t, -1, got[0].err.Entry)
		assert.ErrorIs(t, got[0].err, boom)
	})
	t.Run("inside a HAR", func(t *testing.T) {
		input := harOf(goodEntry, goodEntry)
		r := io.MultiReader(strings.NewReader(input[:len(input)-20]), iotest.ErrReader(boom))
		got := readAll(t, "a.har", r)
		require.Len(t, got, 2)
		assert.NotNil(t, got[0].ex)
		assert.Equal(t, 1, got[1].err.Entry)
		assert.ErrorIs(t, got[1].err, boom)
	})
	t.Run("inside an NDJSON file", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader(goodLine+"\n"+goodLine[:20]), iotest.ErrReader(boom))
		got := readAll(t, "a.ndjson", r)
		require.Len(t, got, 2)
		assert.NotNil(t, got[0].ex)
		assert.Equal(t, -1, got[1].err.Entry)
		assert.Equal(t, 2, got[1].err.Line)
		assert.ErrorIs(t, got[1].err, boom)
	})
}

func TestReadStopsWhenTheConsumerStops(t *testing.T) {
	for name, input := range map[string]string{
		"har":    harOf(goodEntry, `{}`, goodEntry),
		"ndjson": goodLine + "\n{}\n" + goodLine,
	} {
		t.Run(name, func(t *testing.T) {
			for stopAt := range 3 {
				n := 0
				for range Read(name, strings.NewReader(input)) {
					if n == stopAt {
						break
					}
					n++
				}
				assert.Equal(t, stopAt, n)
			}
		})
	}
}
