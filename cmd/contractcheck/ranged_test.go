package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
	"github.com/contractcheck/contractcheck/validate/report"
)

// shippedExchanges reads the exchanges of the shipped recordings that hold
// no bad entry.
func shippedExchanges(t *testing.T) []*validate.Exchange {
	t.Helper()
	var exs []*validate.Exchange
	for _, name := range []string{"valid.har", "traffic.har", "violations.har", "docs-example.har", "twilio-go.har"} {
		f, err := os.Open(filepath.Join("..", "..", "testdata", "recordings", name))
		require.NoError(t, err)
		for ex, err := range recording.Read(name, f) {
			require.NoError(t, err)
			exs = append(exs, ex)
		}
		f.Close()
	}
	return exs
}

// harEntryLines returns the entries of exs as HARWriter writes them, one
// compact entry a line.
func harEntryLines(t *testing.T, exs []*validate.Exchange) []string {
	t.Helper()
	var buf bytes.Buffer
	w := recording.NewHARWriter(&buf, "ranged-test/1")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, ex := range exs {
		require.NoError(t, w.Write(ex, start.Add(time.Duration(i)*time.Millisecond), time.Millisecond))
	}
	require.NoError(t, w.Close())
	var lines []string
	for line := range strings.Lines(buf.String()) {
		if line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), ","); strings.HasPrefix(line, `{"`) && !strings.HasPrefix(line, `{"log"`) {
			lines = append(lines, line)
		}
	}
	require.Len(t, lines, len(exs))
	return lines
}

// ndjsonLines returns exs as NDJSONWriter writes them, one a line.
func ndjsonLines(t *testing.T, exs []*validate.Exchange) []string {
	t.Helper()
	var buf bytes.Buffer
	w := recording.NewNDJSONWriter(&buf)
	for _, ex := range exs {
		require.NoError(t, w.Write(ex))
	}
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

// spliceBad returns entries with bad ones put in the middle, at the places
// given, and the good ones around them kept.
func spliceBad(entries []string, bad map[int]string) []string {
	out := make([]string, 0, len(entries)+len(bad))
	for i, e := range entries {
		if b, ok := bad[i]; ok {
			out = append(out, b)
		}
		out = append(out, e)
	}
	return out
}

// writeRecordings writes the generated recordings of TestRangedReadsMatch
// into dir and returns their paths.
func writeRecordings(t *testing.T, dir string) []string {
	exs := shippedExchanges(t)
	var many []*validate.Exchange
	for len(many) < 1500 {
		many = append(many, exs...)
	}
	entries := harEntryLines(t, many)
	good := entries[0]
	hugeBody := strings.Replace(good, `"comment":"`, `"comment":"`+strings.Repeat("h", 300<<10), 1)
	badBase64 := `{"request":{"method":"GET","url":"https://conversations.twilio.com/v1/Conversations"},` +
		`"response":{"status":200,"content":{"mimeType":"application/json","encoding":"base64","text":"!!not base64"}}}`
	wrongType := `{"request":{"method":1,"url":"/"},"response":{"status":200}}`
	tooLarge := `{"request":{"method":"GET","url":"/","comment":"` + strings.Repeat("x", 600<<10) + `"},"response":{"status":200}}`
	har := func(entries []string) string {
		return "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"t\",\"version\":\"1\"},\"pages\":[{\"id\":\"p\",\"title\":\"]}\\\"\"}],\"entries\":[\n" +
			strings.Join(entries, ",\n") + "\n],\"comment\":\"after the entries\",\"browser\":{\"name\":\"b\"}}}\n"
	}
	bad := spliceBad(entries, map[int]string{
		7: badBase64, 100: wrongType, 400: hugeBody, 401: tooLarge, 402: tooLarge, 900: badBase64, 1200: `{"request":{}}`,
	})
	// An entry whose JSON is broken ends the file: what follows is not read,
	// and the problem says how much that was.
	broken := spliceBad(entries[:300], map[int]string{150: strings.Replace(good, `"request":{`, `"request":{,`, 1)})

	lines := ndjsonLines(t, many)
	ndjsonBad := spliceBad(lines, map[int]string{
		3: "", 50: "{\"request\":", 51: "   \t", 300: `{"request":{"method":"GET","url":"/","body_base64":"!!"},"response":{"status":200}}`,
		700: strings.Replace(lines[0], `"url":"`, `"url":"`+strings.Repeat("u", 600<<10), 1), 1000: `{"response":{"status":"x"}}`,
	})
	files := map[string]string{
		"generated.har":    har(bad),
		"broken-mid.har":   har(broken),
		"generated.ndjson": "\xef\xbb\xbf" + strings.Join(ndjsonBad, "\r\n") + "\n\n",
		"single-huge.har":  har([]string{strings.Replace(good, `"comment":"`, `"comment":"`+strings.Repeat("s", 2<<20), 1)}),
	}
	var paths []string
	for _, name := range []string{"generated.har", "broken-mid.har", "generated.ndjson", "single-huge.har"} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(files[name]), 0o644))
		paths = append(paths, path)
	}
	return paths
}

// progressDraw is one drawing of the progress line.
var progressDraw = regexp.MustCompile("\r\x1b\\[Kcontractcheck: [0-9]+ pairs, [^\r\n]*? failed\n?")

// mbPerSecond is the part of the progress line that depends on time.
var mbPerSecond = regexp.MustCompile(`[0-9.]+ MB/s`)

// lastProgress keeps of stderr's progress line only its last drawing, the
// one that ends it, without its MB/s: when the others are drawn, and so
// when the line must be cleared before an input error, depends on time.
func lastProgress(stderr string) string {
	stderr = progressDraw.ReplaceAllStringFunc(stderr, func(d string) string {
		if strings.HasSuffix(d, "\n") {
			return strings.TrimPrefix(mbPerSecond.ReplaceAllString(d, "x MB/s"), clearLine)
		}
		return ""
	})
	return strings.ReplaceAll(stderr, clearLine, "")
}

// TestRangedReadsMatchSequential checks that check reads a regular file in
// batches, decoded on its workers, with exactly the output of reading it in
// order on one goroutine: the report in several formats, the input errors
// and their entry numbers, the progress line (its last drawing, but for its
// MB/s), the summary
// and the exit code, on the shipped recordings and on generated ones with bad
// entries in the middle (bad base64, wrong types, a huge field, entries over
// the size limit, broken JSON, blank and CRLF lines, keys after the entries,
// a single huge entry).
func TestRangedReadsMatchSequential(t *testing.T) {
	old := recording.MaxEntryBytes
	recording.MaxEntryBytes = 512 << 10 // so that the generated files have entries over it
	t.Cleanup(func() { recording.MaxEntryBytes = old })

	dir := t.TempDir()
	generated := writeRecordings(t, dir)
	shipped, err := filepath.Glob(filepath.Join("..", "..", "testdata", "recordings", "*"))
	require.NoError(t, err)
	var recordings []string
	for _, p := range shipped {
		if ext := filepath.Ext(p); ext == ".har" || ext == ".ndjson" || ext == ".yaml" {
			recordings = append(recordings, p)
		}
	}
	cases := [][]string{recordings, generated}
	flagSets := [][]string{
		{"--progress", "always"},
		{"--format", "json", "--progress", "never"},
		{"--format", "ndjson", "--progress", "never", "--fail-on", "warning"},
	}
	if raceEnabled {
		flagSets = flagSets[:1] // the files together, in one format: where goroutines meet
	} else {
		for _, p := range append(recordings, generated...) {
			cases = append(cases, []string{p})
		}
	}
	for _, files := range cases {
		for _, flags := range flagSets {
			args := append(append([]string{"check"}, flags...), files...)
			rangedReads = false
			want := runArgs(t, "", args...)
			rangedReads = true
			got := runArgs(t, "", args...)
			want.stderr, got.stderr = lastProgress(want.stderr), lastProgress(got.stderr)
			require.Equal(t, want.code, got.code, "%v: exit code", args)
			requireSameText(t, want.stdout, got.stdout, "stdout", args)
			requireSameText(t, want.stderr, got.stderr, "stderr", args)
		}
	}

	// The generated files are what they mean to be: bad entries reported
	// with their numbers, the good ones around them checked.
	res := runArgs(t, "", "check", "--progress", "never", generated[0], generated[2])
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "generated.har#7 (line 9): response.content.text: illegal base64")
	assert.Contains(t, res.stderr, "generated.har#404 (line 406): the entry is larger than 524288 bytes")
	assert.Contains(t, res.stderr, "generated.har#1206 (line 1208): response: missing")
	assert.Contains(t, res.stderr, "generated.ndjson#51 (line 52): invalid JSON")
	assert.Regexp(t, `(?m)^3\d\d\d pairs: `, res.stdout, "the good pairs of both files are checked")
	res = runArgs(t, "", "check", "--progress", "never", generated[1])
	assert.Contains(t, res.stderr, "broken-mid.har#150 (line 152): reading the entry: invalid JSON")
	assert.Contains(t, res.stderr, "the rest of the recording was not read")
}

// requireSameText fails the test at the first line where got differs from
// want, showing that line (long lines shortened).
func requireSameText(t *testing.T, want, got, what string, args []string) {
	t.Helper()
	if want == got {
		return
	}
	short := func(s string) string {
		if len(s) > 300 {
			return s[:300] + "…"
		}
		return s
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			t.Fatalf("%v: %s line %d:\nwant %q\ngot  %q", args, what, i+1, short(w[i]), short(g[i]))
		}
	}
	t.Fatalf("%v: %s: want %d lines, got %d", args, what, len(w), len(g))
}

// TestRangedReadsOnlyForRegularFiles checks which inputs are read by offset.
func TestRangedReadsOnlyForRegularFiles(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "testdata", "recordings", "valid.har"))
	require.NoError(t, err)
	defer f.Close()
	assert.True(t, rangedFile(f), "a regular file")
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, rangedFile(r), "a pipe")
	rangedReads = false
	assert.False(t, rangedFile(f), "turned off")
	rangedReads = true
}

// failingWriter is a report writer that fails after n pairs.
type failingWriter struct{ n int }

func (w *failingWriter) WritePair(report.Pair) error {
	if w.n--; w.n < 0 {
		return errors.New("disk full")
	}
	return nil
}

func (w *failingWriter) Finish(report.Summary) error { return nil }

// openFiles counts the process's open file descriptors.
func openFiles(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd to count open files:", err)
	}
	return len(fds)
}

// TestRangedReadsCloseTheFile checks that a file read in batches is closed
// once the run is over, however it ends: at the end of the file, when the
// report cannot be written (the batches in flight are never decoded), and
// when the run is cancelled.
func TestRangedReadsCloseTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.har")
	lines := harEntryLines(t, shippedExchanges(t))
	var entries []string
	for len(entries) < 3000 {
		entries = append(entries, lines...)
	}
	require.NoError(t, os.WriteFile(path, []byte(`{"log":{"entries":[`+strings.Join(entries, ",\n")+`]}}`), 0o644))
	plan, err := validate.Embedded()
	require.NoError(t, err)
	before := openFiles(t)
	for _, tt := range []struct {
		name   string
		pairs  int // the writer fails after these
		cancel bool
	}{{"to the end", 1 << 30, false}, {"report fails", 10, false}, {"cancelled", 1 << 30, true}} {
		ctx, cancel := context.WithCancel(context.Background())
		jobs := recordings(ctx, []string{path}, nil, nil)
		if tt.cancel {
			n := 0
			inner := jobs
			jobs = func(yield func(job) bool) {
				for j := range inner {
					if n++; n == 50 {
						cancel()
					}
					if !yield(j) {
						return
					}
				}
			}
		}
		err := checker{plan: plan}.checkAll(ctx, jobs, &sink{w: &failingWriter{n: tt.pairs}, stderr: io.Discard}, nil)
		cancel()
		switch tt.name {
		case "to the end":
			require.NoError(t, err)
		default:
			require.Error(t, err, tt.name)
		}
		assert.Equal(t, before, openFiles(t), "%s: the recording is closed", tt.name)
	}
}
