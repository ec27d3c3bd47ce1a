package recording

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readWhole describes what Frames and Decode make of a whole recording, one
// line per entry: its place and its exchange or problem.
func readWhole(t *testing.T, data []byte) []string {
	t.Helper()
	var out []string
	for f, err := range Frames("r", bytes.NewReader(data)) {
		if f != nil {
			// Offset is where the line starts: after a newline, and after
			// Line-1 of them.
			require.True(t, f.Offset == 0 || data[f.Offset-1] == '\n', "line %d at byte %d", f.Line, f.Offset)
			require.Equal(t, f.Line, 1+bytes.Count(data[:f.Offset], newline), "line %d at byte %d", f.Line, f.Offset)
		}
		out = append(out, describeFrame(f, err))
	}
	return out
}

// readRanges describes, in the same way, what NDJSONRange makes of the
// ranges of data that the cuts delimit, one after the other.
func readRanges(data []byte, cuts ...int64) []string {
	var out []string
	bounds := append(append([]int64{0}, cuts...), -1)
	for i := range len(bounds) - 1 {
		for f, err := range NDJSONRange("r", bytes.NewReader(data), bounds[i], bounds[i+1]) {
			out = append(out, describeFrame(f, err))
		}
	}
	return out
}

// describeFrame renders a frame, decoded, or a problem.
func describeFrame(f *Frame, err error) string {
	if err != nil {
		return "frames: " + err.Error()
	}
	defer f.Release()
	ex, err := f.Decode()
	switch {
	case err != nil:
		return fmt.Sprintf("@%d decode: %v", f.Offset, err)
	case ex == nil:
		return fmt.Sprintf("@%d blank %d %d", f.Offset, f.Entry, f.Line)
	}
	return fmt.Sprintf("@%d %s#%d (line %d): %s %s %q -> %d %v %q", f.Offset, ex.Source, ex.Entry, ex.Line,
		ex.Request.Method, ex.Request.URL, ex.Request.Body, ex.Response.Status, ex.Response.Header, ex.Response.Body)
}

// splitCases are NDJSON recordings with what makes splitting hard: blank
// lines, CRLF, a byte order mark, broken lines, a line over the limit, no
// final newline.
func splitCases(t *testing.T) map[string][]byte {
	mixed, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "mixed.ndjson"))
	require.NoError(t, err)
	line := func(i int) string {
		return fmt.Sprintf(`{"request":{"method":"POST","url":"/v1/Conversations/CH%032d/Webhooks","body":"Target=webhook"},"response":{"status":%d}}`, i, 200+i)
	}
	var crlf strings.Builder
	for i := range 12 {
		crlf.WriteString(line(i))
		crlf.WriteString([]string{"\r\n", "\n", "\n\n", "\r\n   \r\n"}[i%4])
	}
	return map[string][]byte{
		"mixed":       mixed,
		"crlf-blanks": []byte(crlf.String()),
		"bom":         []byte("\xEF\xBB\xBF" + line(1) + "\n" + line(2) + "\n"),
		"no-final-nl": []byte(line(1) + "\n\n" + line(2)),
		"broken":      []byte(line(1) + "\n{\"request\": 1}\n{broken\n" + "\xff\xfe\n" + line(2) + "\n"),
		"too-long":    []byte(line(1) + "\n" + `{"request":{"method":"` + strings.Repeat("A", 300) + `"}}` + "\n" + line(3) + "\n"),
		"leading-nl":  []byte("\n\n" + line(1) + "\n"),
	}
}

// TestNDJSONRange cuts recordings at every byte near a line's end or start
// (every byte of a short one), and at pairs of bytes, and reads the ranges
// one after the other: they yield what reading the whole recording yields,
// each line once, at the same entry and line.
func TestNDJSONRange(t *testing.T) {
	setMaxEntryBytes(t, 200)
	for name, data := range splitCases(t) {
		t.Run(name, func(t *testing.T) {
			require.True(t, IsNDJSON(bytes.NewReader(data)))
			want := readWhole(t, data)
			require.NotEmpty(t, want)
			require.Equal(t, want, readRanges(data), "one range, the whole recording")
			for _, cut := range cutsOf(data) {
				require.Equal(t, want, readRanges(data, cut), "cut at %d", cut)
			}
			step := max(int64(len(data)/15), 1)
			for a := int64(0); a < int64(len(data)); a += step {
				for b := a; b < int64(len(data)); b += step {
					require.Equal(t, want, readRanges(data, a, b), "cuts at %d and %d", a, b)
				}
			}
		})
	}
}

// cutsOf returns the places to cut data at: every byte of a short recording;
// of a longer one, its first bytes (a byte order mark), its end, and the
// bytes around each newline.
func cutsOf(data []byte) []int64 {
	n := int64(len(data))
	var cuts []int64
	for i := range n + 2 {
		if n <= 600 || i < 5 || i >= n-2 || bytes.Contains(data[max(i-2, 0):min(i+2, n)], newline) {
			cuts = append(cuts, i)
		}
	}
	return cuts
}

// TestNDJSONRangeEmpty: a range in which no line starts yields nothing, as
// does one past the end.
func TestNDJSONRangeEmpty(t *testing.T) {
	data := []byte(goodLine + "\n" + goodLine + "\n")
	n := int64(len(goodLine) + 1)
	for _, r := range [][2]int64{{1, n}, {n + 1, 2 * n}, {2 * n, -1}, {5 * n, 6 * n}, {3, 3}} {
		assert.Empty(t, readRangesOne(data, r[0], r[1]), "range %v", r)
	}
	assert.Len(t, readRangesOne(data, 0, 1), 1)
	assert.Len(t, readRangesOne(data, n, n+1), 1)
}

func readRangesOne(data []byte, start, end int64) []string {
	var out []string
	for f, err := range NDJSONRange("r", bytes.NewReader(data), start, end) {
		out = append(out, describeFrame(f, err))
	}
	return out
}

// TestIsNDJSON tells NDJSON from the other formats, as Read does.
func TestIsNDJSON(t *testing.T) {
	for _, c := range []struct {
		data string
		want bool
	}{
		{goodLine, true},
		{"\n\n" + goodLine, true},
		{`{"request": 1}` + "\n" + goodLine, true},
		{harOf(goodEntry), false},
		{cassetteOf(goodInteraction), false},
		{"", false},
		{"garbage\n" + goodLine, false},
		{`{"other": 1}`, false},
	} {
		assert.Equal(t, c.want, IsNDJSON(strings.NewReader(c.data)), "%.40q", c.data)
	}
}

// FuzzNDJSONRange cuts any input at two places: the three ranges read as the
// whole does.
func FuzzNDJSONRange(f *testing.F) {
	f.Add([]byte(goodLine+"\n\n"+goodLine+"\r\n{broken\n"), uint16(3), uint16(200))
	f.Add([]byte("\xEF\xBB\xBF"+goodLine+"\n"+goodLine), uint16(1), uint16(4))
	f.Fuzz(func(t *testing.T, data []byte, a, b uint16) {
		if !IsNDJSON(bytes.NewReader(data)) {
			return
		}
		setMaxEntryBytes(t, 100)
		lo, hi := int64(min(a, b)), int64(max(a, b))
		require.Equal(t, readWhole(t, data), readRanges(data, lo, hi))
	})
}
