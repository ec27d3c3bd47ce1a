package recording

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/contractcheck/contractcheck/validate"
)

// webhookExchanges makes n exchanges like those of creating a
// conversation-scoped webhook with a Twilio helper library.
func webhookExchanges(n int) []*validate.Exchange {
	exchanges := make([]*validate.Exchange, n)
	for i := range exchanges {
		conversation := fmt.Sprintf("CH%032x", i)
		webhook := fmt.Sprintf("WH%032x", i)
		body := "Target=webhook&Configuration.Url=https%3A%2F%2Fhooks.example.com%2Ftwilio%2Fconversations&Configuration.Method=post" +
			"&Configuration.Filters=onMessageAdded&Configuration.Filters=onConversationRemoved&Configuration.ReplayAfter=" + fmt.Sprint(i%10)
		exchanges[i] = &validate.Exchange{
			Request: validate.Request{
				Method: "POST",
				URL:    "https://conversations.twilio.com/v1/Conversations/" + conversation + "/Webhooks",
				Header: http.Header{
					"Accept":          {"application/json"},
					"Accept-Encoding": {"gzip"},
					"Authorization":   {"Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDpzZWNyZXQ="},
					"Content-Length":  {fmt.Sprint(len(body))},
					"Content-Type":    {"application/x-www-form-urlencoded"},
					"User-Agent":      {"twilio-go/1.23.0 (linux amd64) go/1.26"},
				},
				Body: []byte(body),
			},
			Response: validate.Response{
				Status: 201,
				Header: http.Header{
					"Access-Control-Allow-Credentials": {"true"},
					"Access-Control-Allow-Headers":     {"Accept, Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, Idempotency-Key"},
					"Access-Control-Allow-Methods":     {"GET, POST, DELETE, OPTIONS"},
					"Access-Control-Allow-Origin":      {"*"},
					"Access-Control-Expose-Headers":    {"ETag"},
					"Content-Type":                     {"application/json; charset=utf-8"},
					"Date":                             {"Wed, 01 May 2024 10:00:00 GMT"},
					"Strict-Transport-Security":        {"max-age=31536000"},
					"Twilio-Concurrent-Requests":       {"1"},
					"Twilio-Request-Duration":          {"0.052"},
					"Twilio-Request-Id":                {fmt.Sprintf("RQ%032x", i)},
					"X-Api-Domain":                     {"conversations.twilio.com"},
					"X-Powered-By":                     {"AT-5000"},
				},
				Body: fmt.Appendf(nil, `{"account_sid": "AC00000000000000000000000000000000", "conversation_sid": "%s", "sid": "%s", "target": "webhook", `+
					`"configuration": {"url": "https://hooks.example.com/twilio/conversations", "method": "post", "filters": ["onMessageAdded", "onConversationRemoved"], "replay_after": %d}, `+
					`"date_created": "2024-05-01T10:00:00Z", "date_updated": "2024-05-01T10:00:00Z", `+
					`"url": "https://conversations.twilio.com/v1/Conversations/%s/Webhooks/%s"}`, conversation, webhook, i%10, conversation, webhook),
			},
		}
	}
	return exchanges
}

// benchmarkRead reads data, a recording of n exchanges, b.N times.
func benchmarkRead(b *testing.B, data []byte, n int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		for _, err := range Read("bench", bytes.NewReader(data)) {
			if err != nil {
				b.Fatal(err)
			}
			count++
		}
		if count != n {
			b.Fatalf("read %d exchanges, want %d", count, n)
		}
	}
}

func BenchmarkReadHAR(b *testing.B) {
	const n = 1000
	var compact, indented bytes.Buffer
	w := NewHARWriter(&compact, "bench")
	for _, ex := range webhookExchanges(n) {
		if err := w.Write(ex, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), 52*time.Millisecond); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	// Indented, as browsers export HARs.
	if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
		b.Fatal(err)
	}
	benchmarkRead(b, indented.Bytes(), n)
}

func BenchmarkReadNDJSON(b *testing.B) {
	const n = 1000
	var buf bytes.Buffer
	w := NewNDJSONWriter(&buf)
	for _, ex := range webhookExchanges(n) {
		if err := w.Write(ex); err != nil {
			b.Fatal(err)
		}
	}
	benchmarkRead(b, buf.Bytes(), n)
}

// docsEntry returns the entry of the documentation's example pair
// (testdata/recordings/docs-example.har), compacted as HARWriter writes
// entries.
func docsEntry(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "docs-example.har"))
	if err != nil {
		b.Fatal(err)
	}
	var har struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &har); err != nil {
		b.Fatal(err)
	}
	var entry bytes.Buffer
	if err := json.Compact(&entry, har.Log.Entries[0]); err != nil {
		b.Fatal(err)
	}
	return entry.Bytes()
}

// BenchmarkDecodeEntry decodes the documentation's example entry into an
// exchange, and the same exchange as an NDJSON line, each on its own and
// into a reused Scratch (as a worker of check does with each frame); Floor is
// encoding/json's decoding of the same entry into the same structure, without
// making an exchange of it.
func BenchmarkDecodeEntry(b *testing.B) {
	raw := docsEntry(b)
	b.Run("contractcheck", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if _, err := harFrameExchange(raw); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
	ex, entryErr := harFrameExchange(raw)
	if entryErr != nil {
		b.Fatal(entryErr)
	}
	var line bytes.Buffer
	if err := NewNDJSONWriter(&line).Write(ex); err != nil {
		b.Fatal(err)
	}
	b.Run("NDJSON", func(b *testing.B) {
		b.SetBytes(int64(line.Len()))
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if _, err := ndjsonExchange(line.Bytes(), false, MaxEntryBytes); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
	// Decoded one after the other into one scratch, as check's workers
	// decode: names and values remembered, header maps refilled.
	var s Scratch
	b.Run("scratch", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if _, err := harFrameExchangeInto(raw, &s); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
	b.Run("NDJSON-scratch", func(b *testing.B) {
		b.SetBytes(int64(line.Len()))
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if _, err := ndjsonExchangeInto(line.Bytes(), false, MaxEntryBytes, &s); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
	b.Run("Floor", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			var e harEntry
			if err := json.Unmarshal(raw, &e); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
}

// cpuTime returns the CPU time (user and system) the process has used: on a
// loaded machine, a steadier measure than the wall time of a benchmark that
// runs on one goroutine (the garbage collector's time counts too).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}
