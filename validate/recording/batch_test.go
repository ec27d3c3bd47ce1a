package recording

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// decoded is what a reader made of one entry: its exchange or its problem.
type decoded struct {
	ex  *validate.Exchange
	err error
}

// sequentialEntries decodes what Frames yields for data, in order, leaving
// out lines of white space.
func sequentialEntries(data []byte) []decoded {
	var out []decoded
	for f, err := range Frames("fuzz", bytes.NewReader(data)) {
		if err != nil {
			out = append(out, decoded{err: err})
			continue
		}
		ex, err := f.Decode()
		f.Release()
		if ex != nil || err != nil {
			out = append(out, decoded{ex, err})
		}
	}
	return out
}

// batchedEntries decodes what Batches yields for data, read by offset from
// at, in order, leaving out lines of white space.
func batchedEntries(data []byte, at io.ReaderAt, maxBytes, maxEntries int) []decoded {
	var out []decoded
	for b, err := range Batches("fuzz", bytes.NewReader(data), at, maxBytes, maxEntries) {
		if err != nil {
			out = append(out, decoded{err: err})
			continue
		}
		b.Read()
		for _, f := range b.Frames {
			ex, err := f.Decode()
			if ex != nil || err != nil {
				out = append(out, decoded{ex, err})
			}
		}
		b.Release()
	}
	return out
}

// checkBatches checks that Batches, in batches of every size, gives the
// entries and problems of Frames, with the same numbers, lines and offsets.
func checkBatches(t *testing.T, data []byte) {
	for _, limit := range []int{MaxEntryBytes, 100} {
		setMaxEntryBytes(t, limit)
		want := sequentialEntries(data)
		for _, size := range []struct{ bytes, entries int }{{1, 1}, {200, 3}, {64 << 10, 8}, {1 << 30, 1 << 20}} {
			got := batchedEntries(data, bytes.NewReader(data), size.bytes, size.entries)
			require.Equal(t, want, got, "limit %d, batches of %d bytes, %d entries", limit, size.bytes, size.entries)
		}
	}
}

// FuzzBatches checks that reading a recording in batches by offset, as check
// does with a regular file, finds the entries, numbers, lines and problems
// that reading it in order does. Its corpus holds those of FuzzReadHAR and
// FuzzReadNDJSON and the cases of TestBatches.
func FuzzBatches(f *testing.F) {
	for _, tt := range batchCases() {
		f.Add([]byte(tt.data))
	}
	f.Fuzz(checkBatches)
}

// batchCases are recordings whose framing is easy to get wrong.
func batchCases() []struct{ name, data string } {
	huge := strings.Replace(goodEntry, `"Target=webhook"`, `"Target=`+strings.Repeat("w", 300<<10)+`"`, 1)
	broken := strings.Replace(goodEntry, `"status":201`, `"status":201,,`, 1)
	badBase64 := strings.Replace(goodEntry, `"text":"{\"sid\":\"WH1\"}"`, `"text":"!!","encoding":"base64"`, 1)
	return []struct{ name, data string }{
		{"har", harOf(goodEntry, goodEntry, goodEntry)},
		{"har keys after entries", `{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"pages":[{"id":"]}"}],"entries":[` +
			goodEntry + "," + goodEntry + `],"comment":"after ]","browser":{"name":"y"}},"extra":[1,{"a":"}"}]}`},
		{"har huge entry", harOf(goodEntry, huge, goodEntry)},
		{"har bad entries in the middle", harOf(goodEntry, badBase64, `{"request":1}`, goodEntry, broken, goodEntry)},
		{"har cut", harOf(goodEntry, goodEntry)[:len(harOf(goodEntry, goodEntry))-40]},
		{"har bad between entries", strings.Replace(harOf(goodEntry, goodEntry), "},\n{", "} x {", 1)},
		{"ndjson", goodLine + "\n" + goodLine + "\n"},
		{"ndjson blank and crlf lines", "\xef\xbb\xbf" + goodLine + "\r\n\n  \t\r\n" + goodLine + "\r\n\r\n" + goodLine},
		{"ndjson bad lines in the middle", goodLine + "\n{\"request\":\n" + strings.Repeat("x", 150) + "\n" + goodLine + "\n\r"},
		{"ndjson long line", goodLine + "\n" + strings.Replace(goodLine, "webhook", strings.Repeat("w", 300<<10), 1) + "\n" + goodLine},
		{"cassette", cassetteOf(goodInteraction, goodInteraction)},
	}
}

func TestBatches(t *testing.T) {
	for _, tt := range batchCases() {
		t.Run(tt.name, func(t *testing.T) {
			checkBatches(t, []byte(tt.data))
		})
	}
}

// TestBatchesSizes checks that batches keep to their bounds, that an entry
// larger than a batch has one of its own, and that Read reads each batch's
// text at once.
func TestBatchesSizes(t *testing.T) {
	huge := strings.Replace(goodEntry, `"Target=webhook"`, `"Target=`+strings.Repeat("w", 100<<10)+`"`, 1)
	data := []byte(harOf(goodEntry, goodEntry, goodEntry, huge, goodEntry, goodEntry))
	at := &countingReaderAt{r: bytes.NewReader(data)}
	var sizes [][]int
	for b, err := range Batches("t", bytes.NewReader(data), at, 2*len(goodEntry)+10, 2) {
		require.NoError(t, err)
		var n []int
		for _, f := range b.Frames {
			n = append(n, f.Entry)
		}
		sizes = append(sizes, n)
		if len(b.Frames) > 1 {
			assert.LessOrEqual(t, b.Size(), int64(2*len(goodEntry)+10))
		}
		b.Read()
		for _, f := range b.Frames {
			ex, err := f.Decode()
			require.NoError(t, err)
			require.NotNil(t, ex)
		}
		b.Release()
	}
	assert.Equal(t, [][]int{{0, 1}, {2}, {3}, {4, 5}}, sizes)
	assert.Equal(t, 4, at.reads, "one read a batch")
}

// TestBatchesChangedFile checks that an entry whose text cannot be read
// again (the file was cut while it was read) is a final problem of that
// entry, not a panic or a silent drop.
func TestBatchesChangedFile(t *testing.T) {
	data := []byte(harOf(goodEntry, goodEntry, goodEntry))
	cut := bytes.NewReader(data[:bytes.LastIndex(data, []byte(goodEntry))+10])
	got := batchedEntries(data, cut, 1, 1)
	require.Len(t, got, 3)
	require.NoError(t, got[0].err)
	require.NoError(t, got[1].err)
	var ee *EntryError
	require.ErrorAs(t, got[2].err, &ee)
	assert.Equal(t, 2, ee.Entry)
	assert.True(t, ee.Final())
	assert.ErrorIs(t, ee, io.ErrUnexpectedEOF)
	assert.Contains(t, ee.Error(), "the recording changed while it was read")
}

// TestBatchesStop checks that a consumer may stop at any batch.
func TestBatchesStop(t *testing.T) {
	data := []byte(harOf(goodEntry, goodEntry, goodEntry))
	n := 0
	for b := range Batches("t", bytes.NewReader(data), bytes.NewReader(data), 1, 1) {
		b.Release()
		if n++; n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
}

// countingReaderAt counts the reads.
type countingReaderAt struct {
	r     io.ReaderAt
	reads int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	if c.r == nil {
		return 0, errors.New("no reader")
	}
	return c.r.ReadAt(p, off)
}
