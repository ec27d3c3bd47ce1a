package recording

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deepEntry is goodEntry with a member nested depth levels deep: valid JSON
// that encoding/json refuses past 10000 levels.
func deepEntry(t *testing.T, depth int) string {
	return edit(t, `"response":{`, `"_deep":`+strings.Repeat("[", depth)+strings.Repeat("]", depth)+`,"response":{`)
}

// TestReadDeepEntries checks that an entry nested deeper than encoding/json
// goes is an input error of that entry only: the entries after it are read.
func TestReadDeepEntries(t *testing.T) {
	deep := deepEntry(t, 20000)
	t.Run("HAR", func(t *testing.T) {
		input := harOf(goodEntry, deep, goodEntry, goodEntry)
		want := []row{
			{entry: 0, line: 6},
			{entry: 1, line: 7, err: "b.har#1 (line 7): the entry is valid JSON nested deeper than 10000 levels"},
			{entry: 2, line: 8},
			{entry: 3, line: 9},
		}
		checkRows(t, "b.har", readAll(t, "b.har", strings.NewReader(input)), want)
	})
	t.Run("HAR, nested deeper than the fast decoder goes but not encoding/json", func(t *testing.T) {
		checkRows(t, "b.har", readAll(t, "b.har", strings.NewReader(harOf(deepEntry(t, 5000)))), []row{{entry: 0, line: 6}})
	})
	t.Run("HAR, deep and broken", func(t *testing.T) {
		broken := strings.Replace(deep, "]]]],", "]]]]],", 1)
		got := readAll(t, "b.har", strings.NewReader(harOf(goodEntry, broken, goodEntry)))
		checkRows(t, "b.har", got, []row{
			{entry: 0, line: 6},
			{entry: 1, line: 7, err: "reading the entry: invalid JSON: invalid character ']' after object key:value pair"},
		})
		assert.True(t, got[1].err.Final())
	})
	t.Run("NDJSON", func(t *testing.T) {
		deepLine := strings.Replace(goodLine, `"response":{`, `"response":{"x":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+",", 1)
		input := goodLine + "\n" + deepLine + "\n" + goodLine + "\n"
		checkRows(t, "n.ndjson", readAll(t, "n.ndjson", strings.NewReader(input)), []row{
			{entry: 0, line: 1},
			{entry: 1, line: 2, err: "nested deeper than 10000 levels"},
			{entry: 2, line: 3},
		})
	})
}

// TestReadSaysWhatWasNotRead checks that a problem after which a recording
// cannot be read says how many bytes, and entries when they are known, were
// left unread.
func TestReadSaysWhatWasNotRead(t *testing.T) {
	broken := edit(t, `"status":201`, `"status":201,,`)
	tests := []struct {
		name  string
		input string
		want  []row
	}{
		{
			name:  "a broken entry: the entries after it are counted",
			input: harOf(goodEntry, broken, goodEntry, goodEntry),
			want: []row{
				{entry: 0, line: 6},
				{entry: 1, line: 7, err: fmt.Sprintf("; the rest of the recording was not read: %d bytes, 2 entries",
					len(harOf(goodEntry, broken, goodEntry, goodEntry))-strings.Index(harOf(goodEntry, broken, goodEntry, goodEntry), broken)-len(broken))},
			},
		},
		{
			name:  "broken between entries: the bytes are counted",
			input: harOf(goodEntry, goodEntry+" x", goodEntry),
			want: []row{
				{entry: 0, line: 6},
				{entry: 1, line: 7},
				{entry: -1, line: 7, field: "log.entries", err: fmt.Sprintf("invalid JSON: invalid character 'x' after array element; the rest of the recording was not read: %d bytes",
					len(harOf(goodEntry, goodEntry+" x", goodEntry))-strings.Index(harOf(goodEntry, goodEntry+" x", goodEntry), " x")-1)},
			},
		},
		{
			name:  "the last entry broken: only the end of the file is left",
			input: harOf(goodEntry, broken),
			want: []row{
				{entry: 0, line: 6},
				{entry: 1, line: 7, err: "invalid character ',' " + `looking for beginning of object key string; the rest of the recording was not read: 13 bytes`},
			},
		},
		{
			name:  "cut short inside an entry: everything was read",
			input: harOf(goodEntry, goodEntry)[:len(harOf(goodEntry, goodEntry))-40],
			want: []row{
				{entry: 0, line: 6},
				{entry: 1, line: 7, err: "reading the entry: the file ends early: unexpected EOF"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRows(t, "b.har", readAll(t, "b.har", strings.NewReader(tt.input)), tt.want)
			checkRows(t, "b.har", readAll(t, "b.har", iotest.OneByteReader(strings.NewReader(tt.input))), tt.want)
			// A file is measured, not read to its end.
			name := filepath.Join(t.TempDir(), "b.har")
			require.NoError(t, os.WriteFile(name, []byte(tt.input), 0o644))
			f, err := os.Open(name)
			require.NoError(t, err)
			defer f.Close()
			checkRows(t, "b.har", readAll(t, "b.har", f), tt.want)
		})
	}
	t.Run("what was read whole says nothing of a rest", func(t *testing.T) {
		input := harOf(goodEntry, goodEntry)[:len(harOf(goodEntry, goodEntry))-40]
		got := readAll(t, "b.har", strings.NewReader(input))
		assert.NotContains(t, got[1].err.Error(), "not read")
	})
}

// TestTallySize checks the size a Tally tells, read to the end, measured as
// a file, or read on without being kept.
func TestTallySize(t *testing.T) {
	data := strings.Repeat("x", 100000)
	for name, r := range map[string]io.Reader{
		"a stream": iotest.HalfReader(strings.NewReader(data)),
		"a file":   openTemp(t, data),
	} {
		tl := NewTally(r)
		_, err := io.ReadFull(tl, make([]byte, 1000))
		require.NoError(t, err)
		size, err := tl.Size()
		require.NoError(t, err, name)
		assert.Equal(t, int64(len(data)), size, name)
	}
	tl := NewTally(iotest.ErrReader(io.ErrClosedPipe))
	size, err := tl.Size()
	assert.Equal(t, int64(-1), size)
	assert.ErrorIs(t, err, io.ErrClosedPipe)
}

func openTemp(t *testing.T, data string) *os.File {
	name := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(name, []byte(data), 0o644))
	f, err := os.Open(name)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// hugeFieldsHAR is a HAR whose log.comment, a key of log and a top-level
// key's value are each size bytes, around one entry; it makes them up as it
// is read.
func hugeFieldsHAR(size int) io.Reader {
	fill := func() io.Reader { return io.LimitReader(repeatReader('a'), int64(size)) }
	return io.MultiReader(
		strings.NewReader(`{"log":{"version":"1.2","comment":"`), fill(),
		strings.NewReader(`","`), fill(), strings.NewReader(`":{"x":[1,2]},"entries":[`+goodEntry+`],"pages":[]},"_extra":["`), fill(),
		strings.NewReader(`"]}`))
}

// repeatReader reads as an endless run of one byte.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestReadHARSkipsHugeFields checks that fields the reader does not need are
// read past without being held, however large: reading a HAR with three
// fields of 64 MiB allocates less than one of them.
func TestReadHARSkipsHugeFields(t *testing.T) {
	const size = 64 << 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := readAll(t, "h.har", hugeFieldsHAR(size))
	runtime.ReadMemStats(&after)
	checkRows(t, "h.har", got, []row{{entry: 0, line: 1}})
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(4<<20), "bytes allocated to read the HAR")
}

// TestReadHARSkippedFieldsAreChecked checks that a skipped field that is not
// JSON is a problem of the file, as encoding/json words it.
func TestReadHARSkippedFieldsAreChecked(t *testing.T) {
	for input, want := range map[string]string{
		`{"log":{"comment":"a` + "\x01" + `","entries":[]}}`:     `log.comment: invalid JSON: invalid character '\x01' in string literal`,
		`{"log":{"pages":[1,],"entries":[]}}`:                    `log.pages: invalid JSON: invalid character ']' looking for beginning of value`,
		`{"log":{"entries":[]},"x":tru,"y":1}`:                   `x: invalid JSON: invalid character ',' in literal true (expecting 'e')`,
		`{"log":{"entries":[]},"x":{"a":1 "b":2}}`:               `x: invalid JSON: invalid character '"' after object key:value pair`,
		`{"log":{"entries":[]}} x`:                               `invalid JSON: invalid character 'x' looking for beginning of value`,
		`{"log":{"entries":[]}`:                                  `the file ends early`,
		`{"log":{"entries":[]},"x":"` + strings.Repeat("y", 1e5): `x: the file ends early`,
		`{"log" 1}`:                `invalid JSON: invalid character '1' after object key`,
		`{"log":{"entries":[]}, }`: `invalid JSON: invalid character '}' looking for beginning of object key string`,
	} {
		got := readAll(t, "s.har", strings.NewReader(input))
		require.NotEmpty(t, got, input)
		last := got[len(got)-1]
		if assert.NotNil(t, last.err, input) {
			assert.Contains(t, last.err.Error(), want, input)
			assert.Equal(t, -1, last.err.Entry, input)
		}
	}
	// Escapes in keys are decoded before keys are compared.
	checkRows(t, "k.har", readAll(t, "k.har", strings.NewReader(`{"l\u006fg":{"entri\u0065s":[`+goodEntry+`]}}`)), []row{{entry: 0, line: 1}})
	var buf bytes.Buffer
	buf.WriteString(`{"log":{"` + strings.Repeat("k", 1000) + `":1,"entries":[` + goodEntry + `]}}`)
	checkRows(t, "k.har", readAll(t, "k.har", &buf), []row{{entry: 0, line: 1}})
}

// TestEntryText checks that a text collected in pieces comes back whole,
// small or large.
func TestEntryText(t *testing.T) {
	for _, size := range []int{0, 10, maxPooledFrame, maxPooledFrame + 1, 3*textBlock + 17} {
		want := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		var text entryText
		for p := want; len(p) > 0; {
			k := min(len(p), 1+len(p)/3, 70000)
			text.add(p[:k])
			p = p[k:]
		}
		got := text.text()
		assert.Equal(t, string(want), string(got), "size %d", size)
		if size > maxPooledFrame {
			assert.Equal(t, size, cap(got), "a large text has a slice of its size")
		}
	}
}

// TestDecoderLargeEntries checks that large entries, whose long strings the
// fast decoder copies one by one, and whose bodies it gives as bytes, decode
// as encoding/json decodes them.
func TestDecoderLargeEntries(t *testing.T) {
	const sharedStringMax = 1 << 20
	pad := strings.Repeat(`ab\"c\\d/`, sharedStringMax/8)
	entry := edit(t, `"text":"{\"sid\":\"WH1\"}"`, `"text":"{\"sid\":\"WH1\",\"pad\":\"`+pad+`\"}"`)
	entry = strings.Replace(entry, `"text":"Target=webhook"`, `"text":"Target=webhook&x=`+strings.Repeat("y", sharedStringMax)+`"`, 1)
	require.Greater(t, len(entry), 2*sharedStringMax)
	var d fastDecoder
	e, ok := d.entry([]byte(entry))
	require.True(t, ok, "the fast decoder takes it")
	fastEx, fastErr := e.exchange(nil)
	slowEx, slowErr := harExchange([]byte(entry))
	require.Nil(t, slowErr)
	require.Nil(t, fastErr)
	assert.Equal(t, slowEx, fastEx)

	line := strings.Replace(goodLine, `\"}"}}`, `\",\"pad\":\"`+pad+`\"}"}}`, 1)
	require.Greater(t, len(line), sharedStringMax)
	var ld fastDecoder
	l, ok := ld.ndjsonLine([]byte(line))
	require.True(t, ok, "the fast decoder takes it")
	fastEx, fastErr = l.exchange(nil)
	var slow ndjsonLine
	require.NoError(t, json.Unmarshal([]byte(line), &slow))
	slowEx, slowErr = slow.exchange(nil)
	require.Nil(t, slowErr)
	require.Nil(t, fastErr)
	assert.Equal(t, slowEx, fastEx)
}
