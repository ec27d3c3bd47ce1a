package recording

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
)

// readHARFile reads every exchange of the recording at path, failing the test on
// any reading problem: the file must be a complete recording.
func readHARFile(t *testing.T, path string) []*validate.Exchange {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []*validate.Exchange
	for ex, err := range Read(path, f) {
		require.NoError(t, err)
		out = append(out, ex)
	}
	return out
}

// TestAppendHAR appends to a new file, to the HARs of another writer, of a
// browser (indented, with pages before the entries) and of an empty log:
// after every entry the file is a complete HAR holding every entry so far.
func TestAppendHAR(t *testing.T) {
	exs := roundTripExchanges()
	var compact bytes.Buffer
	w := NewHARWriter(&compact, "other/1")
	for _, ex := range exs[:2] {
		require.NoError(t, w.Write(ex, time.Unix(0, 0), 0))
	}
	require.NoError(t, w.Close())
	browser, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "valid.har"))
	require.NoError(t, err)

	tests := []struct {
		name    string
		initial []byte // nil: no file
		before  int    // entries the file holds
	}{
		{"new file", nil, 0},
		{"empty file", []byte{}, 0},
		{"another writer's HAR", compact.Bytes(), 2},
		{"a browser's HAR", browser, 14},
		{"no entries, a long end", []byte("{\"log\": {\"version\": \"1.2\", \"pages\": [], \"entries\": [\n\n    ]   \n  }\n\n\n}\n\n\n\n"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "rec.har")
			if tt.initial != nil {
				require.NoError(t, os.WriteFile(path, tt.initial, 0o644))
			}
			h, err := AppendHAR(path, "contractcheck/test")
			require.NoError(t, err)
			assert.Len(t, readHARFile(t, path), tt.before, "complete as soon as it is opened")
			for i, ex := range exs {
				require.NoError(t, h.Write(ex, time.Unix(0, 0), 0))
				got := readHARFile(t, path)
				require.Len(t, got, tt.before+i+1, "complete after entry %d", i)
				assert.Equal(t, ex.Request.Body, got[len(got)-1].Request.Body)
			}
			require.NoError(t, h.Close())
			require.NoError(t, h.Close(), "a second Close does nothing")
			got := readHARFile(t, path)
			require.Len(t, got, tt.before+len(exs))
			if tt.before > 0 {
				old := readHARFile(t, writeTemp(t, tt.initial))
				for i := range old {
					assert.Equal(t, old[i].Request, got[i].Request, "entry %d is kept", i)
				}
			}
		})
	}
}

// TestAppendHARTwice: two writers, one after the other, one file: every
// entry of both.
func TestAppendHARTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.har")
	exs := roundTripExchanges()
	for range 2 {
		h, err := AppendHAR(path, "contractcheck/test")
		require.NoError(t, err)
		for _, ex := range exs {
			require.NoError(t, h.Write(ex, time.Unix(0, 0), 0))
		}
		require.NoError(t, h.Close())
	}
	assert.Len(t, readHARFile(t, path), 2*len(exs))
}

// TestAppendHARRefuses: a file that is not a HAR, or a HAR whose entries do
// not end it, is refused and left as it was.
func TestAppendHARRefuses(t *testing.T) {
	truncated, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "truncated.har"))
	require.NoError(t, err)
	cassette, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "vcr-v4.yaml"))
	require.NoError(t, err)
	tests := []struct{ name, data, want string }{
		{"NDJSON", `{"request":{"method":"GET","url":"/"},"response":{"status":200}}` + "\n", "it is an NDJSON recording; --record appends only to a HAR"},
		{"cassette", string(cassette), "it is a go-vcr cassette"},
		{"text", "hello\n", "not a HAR, NDJSON or go-vcr cassette recording"},
		{"truncated", string(truncated), "the HAR ends early"},
		{"entries not last", `{"log":{"entries":[],"pages":[]}}`, "log.entries must end the file"},
		{"no entries", `{"log":{"version":"1.2"}}`, `its log has no "entries"`},
		{"trailing data", `{"log":{"entries":[]}} {}`, "something follows the end of the HAR"},
		{"entries not an array", `{"log":{"entries":{}}}`, "log.entries: want \"[\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, []byte(tt.data))
			_, err := AppendHAR(path, "contractcheck/test")
			require.Error(t, err)
			assert.Contains(t, err.Error(), "cannot append to recording "+path+": ")
			assert.Contains(t, err.Error(), tt.want)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tt.data, string(after), "a refused file is left as it was")
		})
	}
	_, err = AppendHAR(t.TempDir(), "contractcheck/test")
	assert.Error(t, err, "a directory")
}

// writeTemp writes data to a new file and returns its path.
func writeTemp(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}
