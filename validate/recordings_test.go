package validate_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
)

// update rewrites generated test data: testdata/recordings/twilio-go.har.
// It is the one -update flag of package validate_test; other test files of
// the package use it rather than defining their own.
var update = flag.Bool("update", false, "rewrite generated test data (testdata/recordings/twilio-go.har)")

// recordingsDir holds the recorded traffic, relative to this package.
var recordingsDir = filepath.Join("..", "testdata", "recordings")

// fullSpecPath is Twilio's own OpenAPI description of Conversations v1, the
// bench module's test data (in the repository, not in the main module's zip).
var fullSpecPath = filepath.Join("..", "bench", "testdata", "twilio_conversations_v1.json")

// The recordings whose entries carry no want comments, and why.
const (
	// truncatedHAR ends in the middle of an entry, so encoding/json cannot
	// read its comments; TestBrokenRecordings states what it expects.
	truncatedHAR = "truncated.har"
	// twilioGoHAR is written by HARWriter (TestTwilioGoCapture), which writes
	// no comments: every entry of it passes.
	twilioGoHAR = "twilio-go.har"
)

// The operation of the embedded contract.
const webhookOp = "CreateConversationScopedWebhook"

// ---------------------------------------------------------------------------
// Want comments.

// expectation is what a want comment says of one entry, like analysistest's
// "// want" comments:
//
//	want: pass                             no findings at all, not even warnings
//	want: skip                             no operation of the contract describes it
//	want: input-error response.status      the reader reports the entry, at that field
//	want: form.unknown-key value.enum      exactly these rules (a rule twice: two findings)
//	want: skip; full-spec: value.constraint
//
// "; full-spec: ..." says what checking with Twilio's full Conversations v1
// spec gives, for entries of operations the embedded contract does not
// describe; without it the full spec must give the same as the embedded
// contract.
type expectation struct {
	text string       // the comment, as written
	want string       // canonical: "pass", "skip", "input-error FIELD" or sorted rule IDs
	full *expectation // what the full spec gives, when it differs
}

// parseWant parses a want comment.
func parseWant(comment string) (expectation, error) {
	exp := expectation{text: comment}
	main, full, hasFull := strings.Cut(comment, ";")
	want, err := parseVerdict(main, "want:")
	if err != nil {
		return exp, err
	}
	exp.want = want
	if hasFull {
		fw, err := parseVerdict(full, "full-spec:")
		if err != nil {
			return exp, err
		}
		exp.full = &expectation{text: comment, want: fw}
	}
	return exp, nil
}

func parseVerdict(s, prefix string) (string, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), prefix)
	if !ok {
		return "", fmt.Errorf("%q does not start with %q", s, prefix)
	}
	words := strings.Fields(rest)
	switch {
	case len(words) == 0:
		return "", fmt.Errorf("%q says nothing after %q", s, prefix)
	case len(words) == 1 && (words[0] == "pass" || words[0] == "skip"):
		return words[0], nil
	case words[0] == "input-error":
		if len(words) != 2 {
			return "", fmt.Errorf("%q: input-error takes one field", s)
		}
		return "input-error " + words[1], nil
	}
	for _, w := range words {
		if _, ok := validate.LookupRule(w); !ok {
			return "", fmt.Errorf("%q: %q is no rule of the catalogue", s, w)
		}
	}
	slices.Sort(words)
	return strings.Join(words, " "), nil
}

// verdict renders what reading and checking an entry gave, in the canonical
// form of expectation.want.
func verdict(err error, res validate.Result) string {
	if err != nil {
		var ee *recording.EntryError
		if errors.As(err, &ee) {
			return "input-error " + ee.Field
		}
		return "input-error ?" + err.Error()
	}
	if res.Skipped() {
		return "skip"
	}
	if len(res.Findings) == 0 {
		return "pass"
	}
	rules := make([]string, len(res.Findings))
	for i, f := range res.Findings {
		rules[i] = f.Rule
	}
	slices.Sort(rules)
	return strings.Join(rules, " ")
}

// harComments reads the comments of a HAR's entries with encoding/json,
// independently of package recording.
func harComments(t testing.TB, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc struct {
		Log struct {
			Entries []struct {
				Comment string `json:"comment"`
			} `json:"entries"`
		} `json:"log"`
	}
	require.NoError(t, json.Unmarshal(data, &doc), "%s is not JSON", path)
	comments := make([]string, len(doc.Log.Entries))
	for i, e := range doc.Log.Entries {
		comments[i] = e.Comment
	}
	return comments
}

// sidecarWants reads the want lines of an NDJSON recording's .want file:
// "<entry index> want: …", with # comments and blank lines. It checks that
// every line of the recording has a want.
func sidecarWants(t testing.TB, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path + ".want")
	require.NoError(t, err, "an NDJSON recording needs its wants in %s.want", path)
	rec, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := bytes.Count(rec, []byte("\n"))
	if len(rec) > 0 && rec[len(rec)-1] != '\n' {
		lines++
	}
	wants := make([]string, lines)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		idx, want, ok := strings.Cut(line, " ")
		i, err := strconv.Atoi(idx)
		require.True(t, ok && err == nil, "%s.want:%d: want \"<entry index> want: …\", got %q", path, n, line)
		require.True(t, i >= 0 && i < lines, "%s.want:%d: entry %d is not a line of %s (%d lines)", path, n, i, path, lines)
		require.Empty(t, wants[i], "%s.want:%d: entry %d has a want already", path, n, i)
		wants[i] = strings.TrimSpace(want)
	}
	require.NoError(t, sc.Err())
	for i, w := range wants {
		require.NotEmpty(t, w, "%s.want: entry %d (line %d) has no want", path, i, i+1)
	}
	return wants
}

// wantFile is one recording with the expectation of each entry.
type wantFile struct {
	name string // file name in recordingsDir
	path string
	exps []expectation
}

// wantFiles returns every recording of recordingsDir that carries wants: the
// HARs (but truncatedHAR) and the NDJSON files with their .want sidecars.
// twilioGoHAR, when present, expects every entry to pass.
func wantFiles(t testing.TB) []wantFile {
	t.Helper()
	var out []wantFile
	for _, name := range recordingNames(t) {
		path := filepath.Join(recordingsDir, name)
		var comments []string
		switch {
		case name == truncatedHAR:
			continue
		case name == twilioGoHAR:
			comments = harComments(t, path)
			for i, c := range comments {
				require.Empty(t, c, "%s is written by HARWriter and has no comments", name)
				comments[i] = "want: pass"
			}
		case strings.HasSuffix(name, ".har"):
			comments = harComments(t, path)
		case strings.HasSuffix(name, ".ndjson"):
			comments = sidecarWants(t, path)
		}
		wf := wantFile{name: name, path: path}
		for i, c := range comments {
			exp, err := parseWant(c)
			require.NoError(t, err, "%s entry %d: the comment is not a want", name, i)
			wf.exps = append(wf.exps, exp)
		}
		require.NotEmpty(t, wf.exps, "%s has no entries", name)
		out = append(out, wf)
	}
	require.NotEmpty(t, out, "no recordings with wants in %s", recordingsDir)
	return out
}

// recordingNames lists the recordings of recordingsDir (HAR and NDJSON).
func recordingNames(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(recordingsDir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		if n := e.Name(); e.Type().IsRegular() && (strings.HasSuffix(n, ".har") || strings.HasSuffix(n, ".ndjson")) {
			names = append(names, n)
		}
	}
	return names
}

// ---------------------------------------------------------------------------
// Reading and checking.

// readItem is one thing recording.Read yields.
type readItem struct {
	ex  *validate.Exchange
	err error
}

// entry returns the index of the entry the item is of.
func (it readItem) entry() int {
	if it.ex != nil {
		return it.ex.Entry
	}
	var ee *recording.EntryError
	if errors.As(it.err, &ee) {
		return ee.Entry
	}
	return -2
}

// readRecording reads a recording with package recording.
func readRecording(t testing.TB, path string) []readItem {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var items []readItem
	for ex, err := range recording.Read(filepath.Base(path), f) {
		if err != nil {
			var ee *recording.EntryError
			require.ErrorAs(t, err, &ee, "%s: every error of recording.Read is an *EntryError", path)
		}
		items = append(items, readItem{ex: ex, err: err})
	}
	return items
}

func embeddedPlan(t testing.TB) *validate.Plan {
	t.Helper()
	p, err := validate.Embedded()
	require.NoError(t, err)
	return p
}

var fullSpec struct {
	once sync.Once
	plan *validate.Plan
	err  error
}

// fullSpecPlan loads Twilio's full Conversations v1 spec once, or skips the
// test when it is not beside the repository.
func fullSpecPlan(t testing.TB) *validate.Plan {
	t.Helper()
	if _, err := os.Stat(fullSpecPath); errors.Is(err, os.ErrNotExist) {
		t.Skipf("Twilio's full Conversations v1 spec is not at %s (it is in the repository, not in the main module's zip)", fullSpecPath)
	}
	fullSpec.once.Do(func() { fullSpec.plan, fullSpec.err = validate.LoadFile(fullSpecPath) })
	require.NoError(t, fullSpec.err, "loading %s", fullSpecPath)
	return fullSpec.plan
}

// describe renders an entry and its findings for a failure message.
func describe(it readItem, comment string, res validate.Result) string {
	var b strings.Builder
	if it.ex != nil {
		fmt.Fprintf(&b, "entry %d (line %d): %s %s\n", it.ex.Entry, it.ex.Line, it.ex.Request.Method, it.ex.Request.URL)
	} else {
		fmt.Fprintf(&b, "entry %d: %v\n", it.entry(), it.err)
	}
	fmt.Fprintf(&b, "  comment: %s\n", comment)
	if res.Skipped() && it.ex != nil {
		fmt.Fprintf(&b, "  skipped: %s\n", res.Skip)
	}
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "  finding: %s\n", f)
	}
	return b.String()
}

// checkWants checks every entry of a recording against its expectation.
func checkWants(t *testing.T, wf wantFile, plan *validate.Plan, exp func(expectation) expectation) {
	t.Helper()
	items := readRecording(t, wf.path)
	seen := make([]bool, len(wf.exps))
	for _, it := range items {
		i := it.entry()
		if !assert.True(t, i >= 0 && i < len(wf.exps), "%s: the reader yielded entry %d, which has no want (%d entries): %v", wf.name, i, len(wf.exps), it.err) {
			continue
		}
		assert.False(t, seen[i], "%s: entry %d yielded twice", wf.name, i)
		seen[i] = true
		var res validate.Result
		if it.ex != nil {
			res = plan.Check(it.ex)
		}
		e := exp(wf.exps[i])
		assert.Equal(t, e.want, verdict(it.err, res), "%s %s", wf.name, describe(it, e.text, res))
	}
	for i, s := range seen {
		assert.True(t, s, "%s: entry %d (%s) was neither checked nor reported", wf.name, i, wf.exps[i].text)
	}
}

// TestRecordingsWant reads every recording with package recording, checks
// each exchange with the embedded contract and compares the rule IDs of the
// findings with the entry's want comment.
func TestRecordingsWant(t *testing.T) {
	plan := embeddedPlan(t)
	for _, wf := range wantFiles(t) {
		t.Run(wf.name, func(t *testing.T) {
			checkWants(t, wf, plan, func(e expectation) expectation { return e })
		})
	}
}

// TestRecordingsCoverEveryRule: every rule of the catalogue but
// operation.unmatched (which only the CLI adds) is wanted by some entry.
//
// value.pattern, value.length and value.constraint cannot come from the
// embedded contract: its only patterns and length limits are SID formats
// (reported as sid.format) and it has no other constraint keyword. They are
// covered by entries of other operations that the full Twilio spec checks
// (violations.har: a list with PageSize above its maximum, a receipt whose
// channel_message_sid is a WhatsApp message ID).
func TestRecordingsCoverEveryRule(t *testing.T) {
	embedded, full := map[string]bool{}, map[string]bool{}
	for _, wf := range wantFiles(t) {
		for _, e := range wf.exps {
			for _, w := range strings.Fields(e.want) {
				embedded[w] = true
			}
			if e.full != nil {
				for _, w := range strings.Fields(e.full.want) {
					full[w] = true
				}
			}
		}
	}
	fullOnly := []string{validate.RulePattern, validate.RuleLength, validate.RuleConstraint}
	var uncovered, unexpectedlyFullOnly []string
	for _, r := range validate.Rules() {
		switch {
		case r.ID == validate.RuleUnmatched: // the CLI's, tested there
		case !embedded[r.ID] && !full[r.ID]:
			uncovered = append(uncovered, r.ID)
		case !embedded[r.ID] && !slices.Contains(fullOnly, r.ID):
			unexpectedlyFullOnly = append(unexpectedlyFullOnly, r.ID)
		}
	}
	assert.Empty(t, uncovered, "rules no entry of %s wants: add a case for each", recordingsDir)
	assert.Empty(t, unexpectedlyFullOnly, "rules wanted only under the full Twilio spec: add a case the embedded contract finds")
	for _, id := range fullOnly {
		if embedded[id] {
			t.Errorf("%s is now wanted from the embedded contract: drop it from fullOnly and from this test's comment", id)
		}
	}
}

// allChecked reads and checks every recording of recordingsDir (the broken
// ones too) with plan.
func allChecked(t *testing.T, plan *validate.Plan) map[string][]validate.Result {
	t.Helper()
	out := map[string][]validate.Result{}
	for _, name := range recordingNames(t) {
		for _, it := range readRecording(t, filepath.Join(recordingsDir, name)) {
			if it.ex != nil {
				out[name] = append(out[name], plan.Check(it.ex))
			}
		}
	}
	return out
}

// TestRecordingFindingsComplete: every finding of every recording names its
// rule, where it is, what is wrong, what was wanted or got, and the contract
// line it comes from, with the rule's severity.
func TestRecordingFindingsComplete(t *testing.T) {
	plans := map[string]func(*testing.T) *validate.Plan{
		"embedded":  func(t *testing.T) *validate.Plan { return embeddedPlan(t) },
		"full-spec": func(t *testing.T) *validate.Plan { return fullSpecPlan(t) },
	}
	for _, name := range []string{"embedded", "full-spec"} {
		t.Run(name, func(t *testing.T) {
			plan := plans[name](t)
			n := 0
			for file, results := range allChecked(t, plan) {
				for _, res := range results {
					for _, f := range res.Findings {
						n++
						rule, ok := validate.LookupRule(f.Rule)
						if !assert.True(t, ok, "%s: unknown rule in %s", file, f) {
							continue
						}
						assert.Equal(t, rule.Severity, f.Severity, "%s: severity of %s", file, f)
						assert.NotEmpty(t, f.Location, "%s: no location: %s", file, f)
						assert.NotEmpty(t, f.Message, "%s: no message: %s", file, f)
						assert.True(t, f.Want != "" || f.Got != "", "%s: neither want nor got: %s", file, f)
						assert.Equal(t, plan.File(), f.Spec.File, "%s: spec file of %s", file, f)
						assert.Positive(t, f.Spec.Line, "%s: no spec line: %s", file, f)
					}
				}
			}
			assert.Greater(t, n, 50, "the recordings should give many findings")
		})
	}
}

// basicCredential finds Basic credentials in the raw text of a recording.
var basicCredential = regexp.MustCompile(`Basic ([A-Za-z0-9+/]{16,}={0,2})`)

// recordedSecrets returns the credentials the recordings hold, read from
// their raw text: each Basic credential as sent (base64), decoded
// ("user:password"), and its password.
func recordedSecrets(t *testing.T) []string {
	t.Helper()
	set := map[string]bool{}
	for _, name := range recordingNames(t) {
		data, err := os.ReadFile(filepath.Join(recordingsDir, name))
		require.NoError(t, err)
		for _, m := range basicCredential.FindAllSubmatch(data, -1) {
			raw, err := base64.StdEncoding.DecodeString(string(m[1]))
			require.NoError(t, err, "%s: a Basic credential that is not base64: %s", name, m[1])
			_, password, ok := strings.Cut(string(raw), ":")
			require.True(t, ok, "%s: a Basic credential without a password", name)
			set[string(m[1])], set[string(raw)], set[password] = true, true, true
		}
	}
	secrets := make([]string, 0, len(set))
	for s := range set {
		secrets = append(secrets, s)
	}
	slices.Sort(secrets)
	return secrets
}

// TestRecordingsRedactSecrets: no finding of any recording holds an auth
// token, an API key secret or a Basic credential that the recordings carry.
func TestRecordingsRedactSecrets(t *testing.T) {
	secrets := recordedSecrets(t)
	require.GreaterOrEqual(t, len(secrets), 3*7, "the recordings should carry the credentials of at least 7 accounts and keys")
	for _, name := range []string{"embedded", "full-spec"} {
		t.Run(name, func(t *testing.T) {
			plan := embeddedPlan(t)
			if name == "full-spec" {
				plan = fullSpecPlan(t)
			}
			redacted := 0
			for file, results := range allChecked(t, plan) {
				for _, res := range results {
					for _, f := range res.Findings {
						for _, s := range []string{f.Rule, f.Location.String(), f.Message, f.Want, f.Got, f.Hint} {
							for _, secret := range secrets {
								assert.NotContains(t, s, secret, "%s: a finding shows a secret: %s", file, f)
							}
							if strings.Contains(s, redact.Redacted) {
								redacted++
							}
						}
					}
				}
			}
			// violations.har sends a relative Configuration.Url that holds the
			// account's auth token: its finding shows the URL, redacted.
			assert.Positive(t, redacted, "some finding should show a value with a secret redacted")
		})
	}
}

// TestRecordingsFullSpec checks the recordings with Twilio's full
// Conversations v1 spec. The webhook operation's pairs give the same
// verdicts and the same findings (rule, severity, location) as with the
// embedded contract. Pairs of other operations, which the embedded contract
// skips, are checked: fullSpecOperations lists them.
func TestRecordingsFullSpec(t *testing.T) {
	full := fullSpecPlan(t)
	embedded := embeddedPlan(t)
	// fullSpecOperations are the entries that the full spec checks and the
	// embedded contract skips, with the operation that describes them.
	fullSpecOperations := map[string]string{
		"valid.har#11":      "ListConversationScopedWebhook",
		"traffic.har#5":     "ListConversationScopedWebhook",
		"violations.har#39": "ListConversationScopedWebhook",
		"violations.har#40": "FetchConversationMessageReceipt",
		"mixed.ndjson#5":    "FetchConversation",
	}
	seen := map[string]bool{}
	for _, wf := range wantFiles(t) {
		t.Run(wf.name, func(t *testing.T) {
			checkWants(t, wf, full, func(e expectation) expectation {
				if e.full != nil {
					return *e.full
				}
				return e
			})
			for _, it := range readRecording(t, wf.path) {
				if it.ex == nil || it.ex.Entry >= len(wf.exps) {
					continue // checkWants has reported it
				}
				key := fmt.Sprintf("%s#%d", wf.name, it.ex.Entry)
				er, fr := embedded.Check(it.ex), full.Check(it.ex)
				switch {
				case er.Operation == webhookOp:
					assert.Equal(t, webhookOp, fr.Operation, "%s: the full spec routes the webhook pair elsewhere", key)
					assert.Equal(t, findingKeys(er.Findings), findingKeys(fr.Findings), "%s: the full spec finds otherwise", key)
				case !fr.Skipped():
					seen[key] = true
					assert.Equal(t, fullSpecOperations[key], fr.Operation,
						"%s is checked by the full spec but skipped by the embedded contract: list it in fullSpecOperations", key)
					assert.NotNil(t, wf.exps[it.ex.Entry].full, "%s: want a \"; full-spec: …\" for it", key)
				}
			}
		})
	}
	for key := range fullSpecOperations {
		assert.True(t, seen[key], "%s is in fullSpecOperations but the full spec does not check it", key)
	}
}

// findingKeys renders findings as "severity rule location", in order.
func findingKeys(fs []validate.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = fmt.Sprintf("%s %s %s", f.Severity, f.Rule, f.Location)
	}
	return out
}

// harEntryLines returns the 1-based line on which each entry of a HAR's
// log.entries starts, read independently of package recording. For a file
// that breaks off, the entries up to the one it breaks off in.
func harEntryLines(t *testing.T, data []byte) []int {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	expect := func(want json.Delim) {
		tok, err := dec.Token()
		require.NoError(t, err)
		require.Equal(t, want, tok)
	}
	// into walks the object just opened until key, skipping other values.
	into := func(key string) {
		for dec.More() {
			tok, err := dec.Token()
			require.NoError(t, err)
			if tok == key {
				return
			}
			var skip json.RawMessage
			require.NoError(t, dec.Decode(&skip))
		}
		t.Fatalf("no %q", key)
	}
	expect('{')
	into("log")
	expect('{')
	into("entries")
	expect('[')
	var lines []int
	for dec.More() {
		off := int(dec.InputOffset())
		start := off + bytes.IndexByte(data[off:], '{')
		lines = append(lines, 1+bytes.Count(data[:start], []byte("\n")))
		var entry json.RawMessage
		if err := dec.Decode(&entry); err != nil {
			break
		}
	}
	return lines
}

// TestBrokenRecordings: malformed entries are reported with their entry,
// line and field, and the good entries around them are still checked.
func TestBrokenRecordings(t *testing.T) {
	type wantErr struct {
		entry int
		field string
		is    error // what the error wraps, when it matters
	}
	tests := []struct {
		file    string
		errs    []wantErr
		checked map[int]string // entry → verdict of the good entries
	}{
		{
			file: "broken.har",
			errs: []wantErr{
				{entry: 1, field: "response.status"},       // "201", a string
				{entry: 3, field: "response.content.text"}, // "encoding": "base64" over plain text
				{entry: 4, field: "request.url"},           // missing
				{entry: 5, field: "response.status"},       // 0: no response
			},
			checked: map[int]string{0: "pass", 2: "pass", 6: validate.RuleEnum},
		},
		{
			file:    truncatedHAR,
			errs:    []wantErr{{entry: 2, field: "", is: io.ErrUnexpectedEOF}},
			checked: map[int]string{0: "pass", 1: "pass"},
		},
		{
			file: "mixed.ndjson",
			errs: []wantErr{{entry: 3, field: "response.status"}},
			checked: map[int]string{
				0: "pass", 1: "response.refused sid.format", 2: "pass", 4: validate.RuleEnum, 5: "skip",
				6: validate.RulePairConfiguration, 7: "config.target-fit form.unknown-key",
				8: validate.RuleCORSCredentials, 9: "pass",
			},
		},
	}
	plan := embeddedPlan(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(recordingsDir, tt.file)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			var lines []int
			if strings.HasSuffix(tt.file, ".har") {
				lines = harEntryLines(t, data)
			}
			var gotErrs []wantErr
			got := map[int]string{}
			for _, it := range readRecording(t, path) {
				i := it.entry()
				line := i + 1 // NDJSON: one entry a line
				if lines != nil {
					require.Less(t, i, len(lines), "entry %d is past the entries of %s", i, tt.file)
					line = lines[i]
				}
				if it.err != nil {
					var ee *recording.EntryError
					require.ErrorAs(t, it.err, &ee)
					assert.Equal(t, tt.file, ee.Source)
					assert.Equal(t, line, ee.Line, "the line of %v", ee)
					gotErrs = append(gotErrs, wantErr{entry: ee.Entry, field: ee.Field})
					for _, w := range tt.errs {
						if w.entry == ee.Entry && w.is != nil {
							assert.ErrorIs(t, ee, w.is)
						}
					}
					continue
				}
				assert.Equal(t, line, it.ex.Line, "the line of entry %d", i)
				got[i] = verdict(nil, plan.Check(it.ex))
			}
			var want []wantErr
			for _, w := range tt.errs {
				want = append(want, wantErr{entry: w.entry, field: w.field})
			}
			assert.Equal(t, want, gotErrs, "the input errors of %s", tt.file)
			for i, v := range tt.checked {
				assert.Equal(t, v, got[i], "%s: entry %d should still be checked", tt.file, i)
			}
			assert.Len(t, got, len(tt.checked), "%s: the entries checked: %v", tt.file, got)
		})
	}
}

// TestDocsExampleRecording: docs-example.har is the documentation's own
// example, byte for byte in the request body, and its response is the
// contract's 201 example.
func TestDocsExampleRecording(t *testing.T) {
	const curlBody = "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=get&Configuration.Filters=onMessageSent&Configuration.Filters=onConversationDestroyed&Configuration.ReplayAfter=7"
	items := readRecording(t, filepath.Join(recordingsDir, "docs-example.har"))
	require.Len(t, items, 1)
	require.NoError(t, items[0].err)
	ex := items[0].ex
	assert.Equal(t, "POST", ex.Request.Method)
	assert.Equal(t, "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks", ex.Request.URL)
	assert.Equal(t, curlBody, string(ex.Request.Body))
	assert.Equal(t, 201, ex.Response.Status)

	var contract map[string]any
	require.NoError(t, yaml.Unmarshal(contracts.ScopedWebhook, &contract))
	op := dig(t, contract, "paths", "/v1/Conversations/{ConversationSid}/Webhooks", "post")
	respExample := dig(t, op, "responses", "201", "content", "application/json", "examples", "create", "value")
	var body any
	require.NoError(t, json.Unmarshal(ex.Response.Body, &body))
	assert.Equal(t, jsonRoundTrip(t, respExample), body, "the recorded 201 body is the contract's example")

	reqExample := dig(t, op, "requestBody", "content", "application/x-www-form-urlencoded", "examples", "create", "value")
	form, err := url.ParseQuery(curlBody)
	require.NoError(t, err)
	for key, v := range reqExample {
		var want []string
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				want = append(want, fmt.Sprint(e))
			}
		default:
			want = []string{fmt.Sprint(v)}
		}
		assert.Equal(t, want, form[key], "the request's %s is the contract example's", key)
	}
	assert.Len(t, form, len(reqExample))

	res := embeddedPlan(t).Check(ex)
	assert.Equal(t, webhookOp, res.Operation)
	assert.Empty(t, res.Findings)
}

// dig walks nested maps by keys.
func dig(t *testing.T, m map[string]any, keys ...string) map[string]any {
	t.Helper()
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		require.True(t, ok, "no object at %q of %v", k, keys)
		m = next
	}
	return m
}

// jsonRoundTrip turns a YAML-decoded value into what encoding/json decodes.
func jsonRoundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}
