package coverage_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/coverage"
	"github.com/contractcheck/contractcheck/validate/recording"
)

const op = "CreateConversationScopedWebhook"

// twilioSpec is Twilio's full Conversations v1 spec, the bench module's test
// data (in the repository, not in the main module's zip).
var twilioSpec = filepath.Join("..", "..", "bench", "testdata", "twilio_conversations_v1.json")

func recorder(t *testing.T) (*validate.Plan, *coverage.Recorder) {
	t.Helper()
	plan, err := validate.Embedded()
	require.NoError(t, err)
	rec, err := coverage.NewRecorder(plan.File(), contracts.ScopedWebhook)
	require.NoError(t, err)
	return plan, rec
}

// record checks every exchange of the shipped recordings and adds it.
func record(t *testing.T, plan *validate.Plan, rec *coverage.Recorder, names ...string) {
	t.Helper()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", name))
		require.NoError(t, err)
		for ex, err := range recording.Read(name, bytes.NewReader(data)) {
			if err == nil {
				rec.Add(ex, plan.Check(ex))
			}
		}
	}
}

// items returns the items of the operation as "kind name" -> covered.
func items(t *testing.T, rep coverage.Report, id string) map[string]bool {
	t.Helper()
	for _, o := range rep.Operations {
		if o.Operation == id {
			out := map[string]bool{}
			for _, it := range o.Items {
				out[it.Kind+" "+it.Name] = it.Covered()
			}
			return out
		}
	}
	t.Fatalf("no operation %s in the coverage", id)
	return nil
}

// TestCoverageOfTheDocumentationExample: the documentation's one pair sends
// Target=webhook and Configuration.Method=get, no Origin, and gets
// Access-Control-Allow-Origin: *: the other enum values, the other CORS
// shapes and the CORS rules are not covered.
func TestCoverageOfTheDocumentationExample(t *testing.T) {
	plan, rec := recorder(t)
	record(t, plan, rec, "docs-example.har")
	rep := rec.Report()
	got := items(t, rep, op)
	for item, want := range map[string]bool{
		"status 201":                             true,
		"request.field Target":                   true,
		"request.field Configuration.FlowSid":    false,
		"request.enum Target=webhook":            true,
		"request.enum Target=studio":             false,
		"request.enum Configuration.Method=get":  true,
		"request.enum Configuration.Method=post": false,
		"response.field configuration":           true,
		"cors none":                              false,
		"cors wildcard":                          true,
		"cors credentials":                       false,
		"rule form.unknown-key":                  true,
		"rule cors.allow-origin":                 false,
		"rule pair.target":                       true,
	} {
		v, ok := got[item]
		require.True(t, ok, "item %s is listed", item)
		assert.Equal(t, want, v, item)
	}
	assert.NotContains(t, got, "rule operation.unmatched", "not a rule of an operation's traffic")
	o := rep.Operations[0]
	assert.Equal(t, 1, o.Pairs)
	assert.Less(t, o.Covered, o.Total)
	assert.InDelta(t, 100*float64(o.Covered)/float64(o.Total), o.Percent, 0.05)
	assert.Equal(t, rep.Percent, o.Percent, "one operation")
}

// TestCoverageMerge: the coverage of two runs merged is that of one run of
// both.
func TestCoverageMerge(t *testing.T) {
	plan, a := recorder(t)
	record(t, plan, a, "docs-example.har")
	_, b := recorder(t)
	record(t, plan, b, "valid.har")
	_, both := recorder(t)
	record(t, plan, both, "docs-example.har", "valid.har")
	merged := coverage.Merge(a.Report(), b.Report())
	assert.Equal(t, both.Report(), merged)
	assert.Greater(t, merged.Percent, a.Report().Percent)

	// Through files, as CI shards hand them over.
	dir := t.TempDir()
	var files []string
	for i, rep := range []coverage.Report{a.Report(), b.Report()} {
		name := filepath.Join(dir, string(rune('a'+i))+".json")
		var buf bytes.Buffer
		require.NoError(t, coverage.Write(&buf, rep, coverage.FormatJSON))
		require.NoError(t, os.WriteFile(name, buf.Bytes(), 0o644))
		files = append(files, name)
	}
	var reps []coverage.Report
	for _, f := range files {
		rep, err := coverage.ReadFile(f)
		require.NoError(t, err)
		reps = append(reps, rep)
	}
	assert.Equal(t, both.Report(), coverage.Merge(reps...))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{"), 0o644))
	_, err := coverage.ReadFile(filepath.Join(dir, "bad.json"))
	assert.ErrorContains(t, err, "bad.json: not a coverage file")
}

// TestCoverageCORSShapes: each shape of a response's CORS headers.
func TestCoverageCORSShapes(t *testing.T) {
	plan, rec := recorder(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "docs-example.har"))
	require.NoError(t, err)
	var ex *validate.Exchange
	for e, err := range recording.Read("docs-example.har", bytes.NewReader(data)) {
		require.NoError(t, err)
		ex = e
	}
	echoed := *ex
	echoed.Request.Header = ex.Request.Header.Clone()
	echoed.Request.Header.Set("Origin", "https://app.example")
	echoed.Response.Header = http.Header{"Content-Type": {"application/json"},
		"Access-Control-Allow-Origin": {"https://app.example"}, "Access-Control-Allow-Credentials": {"true"}}
	rec.Add(&echoed, plan.Check(&echoed))
	got := items(t, rec.Report(), op)
	assert.True(t, got["cors echoed"])
	assert.True(t, got["cors credentials"])
	assert.False(t, got["cors wildcard"])
	assert.False(t, got["cors none"])
	assert.True(t, got["rule cors.allow-origin"], "an Origin exercises the CORS rules")
}

// TestCoverageTwilio: with Twilio's full spec, each operation the traffic
// used has its own items; the others are listed as not used.
func TestCoverageTwilio(t *testing.T) {
	doc, err := os.ReadFile(twilioSpec)
	if err != nil {
		t.Skipf("needs %s (a clone of the repository)", twilioSpec)
	}
	plan, err := validate.Load(twilioSpec, doc)
	require.NoError(t, err)
	rec, err := coverage.NewRecorder(plan.File(), doc)
	require.NoError(t, err)
	record(t, plan, rec, "valid.har")
	rep := rec.Report()
	require.Len(t, rep.Operations, 2)
	list := items(t, rep, "ListConversationScopedWebhook")
	assert.True(t, list["status 200"])
	assert.True(t, list["response.field meta.page_size"])
	assert.False(t, list["response.field meta.next_page_url"], "null in the recording")
	assert.True(t, items(t, rep, op)["request.enum Target=studio"])
	assert.Contains(t, rep.NotUsed, "CreateConversation")
	assert.NotContains(t, rep.NotUsed, op)
}
