// Package baseline lets a team accept today's findings and fail only on new
// ones. A baseline file lists findings by their fingerprint
// ([fingerprint.Of]: rule, location, operation and the request's shape, never
// SIDs, timestamps, hosts or secrets), so that it still matches when the
// traffic is recorded again.
//
// A [Recorder] collects the findings of a run and writes the file; a
// [Baseline] read from it splits the findings of each pair into new ones and
// accepted ones, and tells afterwards which of its entries no longer occur.
//
// The file is JSON, for people to read and review:
//
//	{
//	  "version": 1,
//	  "fingerprints": "contractcheck/v1",
//	  "entries": [
//	    {
//	      "fingerprint": "0060d5aa9d72bf62",
//	      "rule": "form.unknown-key",
//	      "location": "request.body#/Configuration.Ur",
//	      "operation": "CreateConversationScopedWebhook",
//	      "request": "POST /v1/Conversations/{sid}/Webhooks Configuration.Ur,Target",
//	      "message": "Configuration.Ur is not a field of the request body.",
//	      "count": 3
//	    }
//	  ]
//	}
//
// Count is how often the finding occurred when the baseline was written; a
// baseline entry accepts every occurrence of its fingerprint. Messages are
// those of the findings, which the checker has redacted.
package baseline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/fingerprint"
	"github.com/contractcheck/contractcheck/validate/report"
)

// Version is the version of the file format written.
const Version = 1

// Fingerprints names the fingerprint recipe of the entries; a baseline made
// with another recipe would match nothing.
const Fingerprints = "contractcheck/v1"

// Entry is one accepted finding.
type Entry struct {
	// Fingerprint identifies the finding.
	Fingerprint string `json:"fingerprint"`
	// Rule, Location and Operation are those of the finding and its pair.
	Rule      string `json:"rule"`
	Location  string `json:"location"`
	Operation string `json:"operation,omitempty"`
	// Request is the shape of the request ([fingerprint.Shape]).
	Request string `json:"request"`
	// Message is the message of the first occurrence, for people.
	Message string `json:"message"`
	// Count is how many times the finding occurred.
	Count int `json:"count"`
}

// file is the JSON document.
type file struct {
	Version      int     `json:"version"`
	Fingerprints string  `json:"fingerprints"`
	Entries      []Entry `json:"entries"`
}

// Recorder collects the findings of a run, by fingerprint. It keeps one
// entry per distinct fingerprint, however many pairs there are. It is not
// safe for concurrent use.
type Recorder struct {
	entries map[string]*Entry
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{entries: map[string]*Entry{}} }

// Add records the findings of a pair, those a baseline suppressed included.
func (r *Recorder) Add(p report.Pair) {
	for _, list := range [][]validate.Finding{p.Findings, p.Suppressed} {
		for _, f := range list {
			fp := p.Fingerprint(f)
			if e := r.entries[fp]; e != nil {
				e.Count++
				continue
			}
			r.entries[fp] = &Entry{Fingerprint: fp, Rule: f.Rule, Location: f.Location.String(), Operation: p.Operation,
				Request: p.Shape, Message: f.Message, Count: 1}
		}
	}
}

// Len returns how many distinct findings were recorded.
func (r *Recorder) Len() int { return len(r.entries) }

// WriteTo writes the baseline file, its entries sorted by rule, location,
// request and fingerprint.
func (r *Recorder) WriteTo(w io.Writer) (int64, error) {
	entries := make([]Entry, 0, len(r.entries))
	for _, e := range r.entries {
		entries = append(entries, *e)
	}
	slices.SortFunc(entries, func(a, b Entry) int {
		return cmp.Or(strings.Compare(a.Rule, b.Rule), strings.Compare(a.Location, b.Location),
			strings.Compare(a.Request, b.Request), strings.Compare(a.Fingerprint, b.Fingerprint))
	})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(file{Version: Version, Fingerprints: Fingerprints, Entries: entries}); err != nil {
		return 0, fmt.Errorf("encoding the baseline: %w", err)
	}
	n, err := w.Write(buf.Bytes())
	if err != nil {
		return int64(n), fmt.Errorf("writing the baseline: %w", err)
	}
	return int64(n), nil
}

// Baseline is a baseline file read back. Its methods are safe for
// concurrent use: [Baseline.Filter] may run on many goroutines.
type Baseline struct {
	file    string
	entries []Entry
	index   map[string]int
	seen    []atomic.Bool
}

// Read reads a baseline file.
func Read(name string) (*Baseline, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading the baseline: %w", err)
	}
	return Parse(name, data)
}

// Parse parses the baseline file name holds. A malformed file is an error
// naming the file and, for a syntax error, the line.
func Parse(name string, data []byte) (*Baseline, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("%s:%d: the baseline is not JSON: %w", name, lineOf(data, se.Offset), err)
		case errors.As(err, &te):
			return nil, fmt.Errorf("%s:%d: the baseline is malformed: %w", name, lineOf(data, te.Offset), err)
		}
		return nil, fmt.Errorf("%s: the baseline is malformed: %w", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s:%d: the baseline is malformed: data after the JSON document", name, lineOf(data, dec.InputOffset()))
	}
	if f.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d, want %d", name, f.Version, Version)
	}
	if f.Fingerprints != Fingerprints {
		return nil, fmt.Errorf("%s: the baseline's fingerprints are %q, want %q (write it again with --write-baseline)", name, f.Fingerprints, Fingerprints)
	}
	b := &Baseline{file: name, entries: f.Entries, index: make(map[string]int, len(f.Entries)), seen: make([]atomic.Bool, len(f.Entries))}
	for i, e := range f.Entries {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("%s: entry %d has no fingerprint", name, i)
		}
		b.index[e.Fingerprint] = i
	}
	return b, nil
}

// lineOf is the 1-based line of a byte offset.
func lineOf(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return bytes.Count(data[:offset], []byte{'\n'}) + 1
}

// File returns the name the baseline was read from.
func (b *Baseline) File() string { return b.file }

// Len returns the number of entries.
func (b *Baseline) Len() int { return len(b.entries) }

// Filter splits the findings of an exchange that matched operation and has
// the given request shape into those the baseline does not hold (kept) and
// those it accepts (suppressed), and marks the entries that matched as seen.
// It never writes into findings.
func (b *Baseline) Filter(findings []validate.Finding, operation, shape string) (kept, suppressed []validate.Finding) {
	for i, f := range findings {
		j, ok := b.index[fingerprint.Of(f, operation, shape)]
		if !ok {
			if suppressed != nil {
				kept = append(kept, f)
			}
			continue
		}
		b.seen[j].Store(true)
		if suppressed == nil {
			kept = append(make([]validate.Finding, 0, len(findings)-1), findings[:i]...)
		}
		suppressed = append(suppressed, f)
	}
	if suppressed == nil {
		return findings, nil
	}
	return kept, suppressed
}

// Stale returns the entries that no finding matched since the baseline was
// read, in file order.
func (b *Baseline) Stale() []Entry {
	var out []Entry
	for i, e := range b.entries {
		if !b.seen[i].Load() {
			out = append(out, e)
		}
	}
	return out
}
