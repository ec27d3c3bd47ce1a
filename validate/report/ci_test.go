package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	junit "github.com/joshdk/go-junit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/internal/sarifschema"
	"github.com/contractcheck/contractcheck/validate"
)

// summaryOf counts pairs as a run would.
func summaryOf(pairs []Pair) Summary {
	var s Summary
	for _, p := range pairs {
		s.Add(p)
	}
	return s
}

// hostilePairs are pairs whose recording-borne text tries to break out of
// each format: XML and Markdown syntax, workflow-command separators, line
// breaks and control characters.
func hostilePairs() []Pair {
	f := findingUnknownKey
	f.Location = validate.Location{Part: validate.PartRequestBody, Pointer: "/a<b>&\"c\",d:e"}
	f.Message = "bad ]]></failure><x> **bold** <script>|x|\n::error::injected %0A 50%\x00\x1b[2J\uffff"
	f.Got = "`code` [link](http://x)"
	ex := exchange(0, "https://conversations.twilio.com/v1/Conversations/"+testConv+"/Webhooks?q=<&>", 201)
	ex.Source = "we,ird:name <1>.har"
	ex.Line = 3
	p := NewPair(ex, validate.Result{Operation: testOp, Findings: []validate.Finding{f}}, validate.SeverityError)
	in := NewInputError("we,ird:name <1>.har", 1, 9, "request", errors.New("bad <input> \"x\"\n::warning::y"))
	return []Pair{p, in}
}

// TestJUnitReadBack reads the JUnit report back with a JUnit reader such as
// CI systems use and compares its counts with the summary.
func TestJUnitReadBack(t *testing.T) {
	for name, pairs := range map[string][]Pair{"test pairs": testPairs(), "hostile": hostilePairs(), "none": nil} {
		t.Run(name, func(t *testing.T) {
			out := render(t, FormatJUnit, Options{}, pairs)
			suites, err := junit.Ingest([]byte(out))
			require.NoError(t, err, "JUnit reader rejected:\n%s", out)
			s := summaryOf(pairs)
			var tests, passed, failed, skipped, errs int
			for i := range suites {
				suites[i].Aggregate()
				tot := suites[i].Totals
				tests += tot.Tests
				passed += tot.Passed
				failed += tot.Failed
				skipped += tot.Skipped
				errs += tot.Error
			}
			assert.Equal(t, s.Pairs, tests, "tests")
			assert.Equal(t, s.Passed, passed, "passed")
			assert.Equal(t, s.Failed, failed, "failures")
			assert.Equal(t, s.Skipped, skipped, "skipped")
			assert.Equal(t, s.InputErrors, errs, "errors")
			// The counts the suites declare agree with their test cases.
			var doc struct {
				Suites []struct {
					Name     string `xml:"name,attr"`
					Tests    int    `xml:"tests,attr"`
					Failures int    `xml:"failures,attr"`
					Errors   int    `xml:"errors,attr"`
					Skipped  int    `xml:"skipped,attr"`
				} `xml:"testsuite"`
			}
			require.NoError(t, xml.Unmarshal([]byte(out), &doc))
			for i, suite := range doc.Suites {
				tot := suites[i].Totals
				assert.Equal(t, suites[i].Name, suite.Name)
				assert.Equal(t, []int{tot.Tests, tot.Failed, tot.Error, tot.Skipped}, []int{suite.Tests, suite.Failures, suite.Errors, suite.Skipped}, suite.Name)
			}
		})
	}
}

// TestJUnitSuitePerSource: a suite per recording, in order, with the test
// case names made of the entry and the request line.
func TestJUnitSuitePerSource(t *testing.T) {
	out := render(t, FormatJUnit, Options{}, testPairs())
	suites, err := junit.Ingest([]byte(out))
	require.NoError(t, err)
	var names []string
	for _, s := range suites {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"traffic.har", "traffic.ndjson", "missing.har"}, names)
	require.Len(t, suites[0].Tests, 6)
	assert.Equal(t, "#1 POST /v1/Conversations/"+testConv+"/Webhooks", suites[0].Tests[1].Name)
	assert.Equal(t, "traffic.har", suites[0].Tests[1].Classname)
	assert.Equal(t, "#5 (line 6)", suites[1].Tests[0].Name)
	assert.Equal(t, "missing.har", suites[2].Tests[0].Name)
	assert.Equal(t, junit.StatusFailed, suites[0].Tests[1].Status)
	assert.Contains(t, suites[0].Tests[1].Error.Error(), "form.unknown-key request.body#/Configuration.Ur")
	assert.Equal(t, junit.StatusSkipped, suites[0].Tests[3].Status)
	assert.Equal(t, junit.StatusError, suites[1].Tests[0].Status)
}

func TestJUnitHostileText(t *testing.T) {
	out := render(t, FormatJUnit, Options{}, hostilePairs())
	dec := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := dec.Token()
		if err != nil {
			require.ErrorContains(t, err, "EOF", "not well-formed XML:\n%s", out)
			break
		}
	}
	assert.NotContains(t, out, "<script>")
	assert.NotContains(t, out, "\x1b")
}

// TestSARIFValidates validates SARIF reports against the OASIS SARIF 2.1.0
// schema.
func TestSARIFValidates(t *testing.T) {
	for name, pairs := range map[string][]Pair{"test pairs": testPairs(), "hostile": hostilePairs(), "none": nil} {
		t.Run(name, func(t *testing.T) {
			sarifschema.Validate(t, []byte(render(t, FormatSARIF, Options{ToolVersion: "v1.0.0"}, pairs)))
		})
	}
}

// TestSARIFContent checks what a result holds.
func TestSARIFContent(t *testing.T) {
	pairs := testPairs()
	out := render(t, FormatSARIF, Options{}, pairs)
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string
						Help struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
					LogicalLocations []struct{ FullyQualifiedName string }
				}
				RelatedLocations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
				PartialFingerprints map[string]string
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct{ Message struct{ Text string } }
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	assert.Equal(t, "2.1.0", log.Version)
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	require.Len(t, run.Tool.Driver.Rules, len(validate.Rules()))
	for _, r := range run.Tool.Driver.Rules {
		assert.NotEmpty(t, r.Help.Text, r.ID)
	}
	s := summaryOf(pairs)
	require.Len(t, run.Results, s.Errors+s.Warnings+s.Infos)
	r := run.Results[0]
	assert.Equal(t, validate.RuleFormUnknownKey, r.RuleID)
	assert.Equal(t, validate.RuleFormUnknownKey, run.Tool.Driver.Rules[r.RuleIndex].ID)
	assert.Equal(t, "error", r.Level)
	assert.Contains(t, r.Message.Text, "Configuration.Ur is not a field")
	assert.Equal(t, "traffic.har", r.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, "traffic.har#1", r.Locations[0].LogicalLocations[0].FullyQualifiedName)
	assert.Equal(t, testContract, r.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, 41, r.RelatedLocations[0].PhysicalLocation.Region.StartLine)
	assert.Equal(t, pairs[1].Fingerprint(findingUnknownKey), r.PartialFingerprints["contractcheck/v1"])
	assert.Equal(t, "warning", run.Results[1].Level)
	require.Len(t, run.Invocations, 1)
	assert.False(t, run.Invocations[0].ExecutionSuccessful)
	assert.Len(t, run.Invocations[0].ToolExecutionNotifications, 2)
}

func TestGitHubEscapes(t *testing.T) {
	out := render(t, FormatGitHub, Options{}, hostilePairs())
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 3, out) // the finding, the input error, the summary
	assert.True(t, strings.HasPrefix(lines[0], "::error file=we%2Cird%3Aname <1>.har,line=3,title=form.unknown-key::"), lines[0])
	// The message's own line break is escaped as a value, not made a line
	// of the annotation: only the finding's want, got and hint are.
	assert.Contains(t, lines[0], `|x|\n::error::injected %250A 50%25\x00\x1b[2J`)
	assert.NotContains(t, lines[0], "%0A::error")
	assert.NotContains(t, lines[0], "\x1b")
	assert.True(t, strings.HasPrefix(lines[1], "::error file=we%2Cird%3Aname <1>.har,line=9,title=input error::"), lines[1])
	assert.Equal(t, summaryOf(hostilePairs()).String(), lines[2])
}

func TestMarkdownEscapes(t *testing.T) {
	out := render(t, FormatMarkdown, Options{}, hostilePairs())
	assert.NotContains(t, out, "<script>")
	assert.NotContains(t, out, "**bold**")
	assert.Contains(t, out, `\*\*bold\*\*`)
	assert.NotContains(t, out, "\x1b")
}

func TestMarkdownListsTheFirstFailingPairs(t *testing.T) {
	var pairs []Pair
	for i := range 25 {
		ex := exchange(i, "https://conversations.twilio.com/v1/Conversations/"+testConv+"/Webhooks", 201)
		pairs = append(pairs, NewPair(ex, validate.Result{Operation: testOp, Findings: []validate.Finding{findingUnknownKey}}, validate.SeverityError))
	}
	out := render(t, FormatMarkdown, Options{}, pairs)
	assert.Contains(t, out, "## contractcheck: 25 of 25 pairs failed")
	assert.Contains(t, out, "### The first 10 of 25 failing pairs")
	assert.Contains(t, out, "| `form.unknown-key` | error | 25 | 25 |")
	assert.Contains(t, out, `traffic.har\#9`)
	assert.NotContains(t, out, `traffic.har\#10`)
}

func TestSummarySuppressed(t *testing.T) {
	p := testPairs()[0]
	p.Suppressed = []validate.Finding{findingUnknownKey, findingTargetFit}
	s := summaryOf([]Pair{p})
	assert.Equal(t, 2, s.Suppressed)
	assert.Equal(t, 0, s.Errors)
	assert.Equal(t, "1 pair: 1 passed, 0 failed, 0 skipped, 0 input errors; 0 errors, 0 warnings; 2 suppressed by the baseline", s.String())
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"suppressed":2`)
}

func TestMulti(t *testing.T) {
	var a, b bytes.Buffer
	w := Multi(NewNDJSON(&a), NewJUnit(&b), NewJUnit(failingWriter{}))
	err := w.WritePair(testPairs()[1])
	require.Error(t, err, "a failing writer's error is returned")
	require.NoError(t, Multi(NewNDJSON(&a)).Finish(Summary{}))
	assert.NotEmpty(t, a.String(), "the other writers still got the pair")
	require.Error(t, w.Finish(summaryOf(testPairs()[1:2])))
	assert.Contains(t, b.String(), "</testsuites>")
}

// TestSARIFSchemaRejects makes sure the schema check has teeth: a report
// with a level SARIF does not know is rejected.
func TestSARIFSchemaRejects(t *testing.T) {
	schema := sarifschema.Load(t)
	out := render(t, FormatSARIF, Options{}, testPairs())
	bad := strings.Replace(out, `"level": "warning"`, `"level": "fatal"`, 1)
	require.NotEqual(t, out, bad)
	var v any
	require.NoError(t, json.Unmarshal([]byte(bad), &v))
	assert.Error(t, schema.Validate(v))
}

// TestSARIFSuppressed: the findings a baseline accepted are results with a
// suppression, and the report still validates.
func TestSARIFSuppressed(t *testing.T) {
	pairs := testPairs()
	pairs[0].Suppressed = []validate.Finding{findingUnknownKey}
	out := render(t, FormatSARIF, Options{}, pairs[:1])
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID       string
				Suppressions []struct{ Kind, Justification string }
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	require.Len(t, log.Runs[0].Results, 1)
	r := log.Runs[0].Results[0]
	assert.Equal(t, validate.RuleFormUnknownKey, r.RuleID)
	require.Len(t, r.Suppressions, 1)
	assert.Equal(t, "external", r.Suppressions[0].Kind)
	sarifschema.Validate(t, []byte(out))
}

// TestOmittedInEveryFormat: every format says how many findings the caps
// left out of a pair, and the summary counts them.
func TestOmittedInEveryFormat(t *testing.T) {
	ex := exchange(0, "https://conversations.twilio.com/v1/Conversations/"+testConv+"/Webhooks", 201)
	ex.Source, ex.Line = "big.har", 5
	p := NewPair(ex, validate.Result{Operation: testOp, Findings: []validate.Finding{findingUnknownKey, findingTargetFit},
		Omitted: map[string]int{validate.RuleFormUnknownKey: 99976, validate.RuleConfigTarget: 3}}, validate.SeverityError)
	s := summaryOf([]Pair{p})
	assert.Equal(t, 1+99976, s.Errors)
	assert.Equal(t, 1+3, s.Warnings)
	more := "and 99979 more findings not shown (config.target-fit: 3, form.unknown-key: 99976); a pair shows at most 20 findings of a rule and 100 in all"
	assert.Equal(t, more, p.MoreText())
	for format, want := range map[Format]string{
		FormatText:     "\n  " + more + "\n",
		FormatJSON:     `"omitted": {`,
		FormatNDJSON:   `"omitted":{"config.target-fit":3,"form.unknown-key":99976}`,
		FormatJUnit:    `(and 99980 more findings)`,
		FormatSARIF:    `"text": "big.har#0 POST /v1/Conversations/` + testConv + `/Webhooks -> 201: ` + more + `"`,
		FormatGitHub:   "\n::notice file=big.har,line=5,title=findings not shown::big.har#0 POST /v1/Conversations/" + testConv + "/Webhooks -> 201: " + more + "\n",
		FormatMarkdown: "| `form.unknown-key` | error | 99977 | 1 |",
	} {
		out := render(t, format, Options{}, []Pair{p})
		assert.Contains(t, out, want, "%s", format)
	}
	assert.Contains(t, render(t, FormatJUnit, Options{}, []Pair{p}), more)
	assert.Contains(t, render(t, FormatMarkdown, Options{}, []Pair{p}), "  - and 99979 more findings not shown")
}

// TestInfoNeverFails: a pair whose only finding is an info (rule
// response.refused) passes at every threshold, and every format renders the
// finding as a note, never as a failure.
func TestInfoNeverFails(t *testing.T) {
	ex := exchange(0, "https://conversations.twilio.com/v1/Conversations/"+testConv+"/Webhooks", 400)
	res := validate.Result{Operation: testOp, Findings: []validate.Finding{findingRefused}}
	for _, failOn := range []validate.Severity{validate.SeverityError, validate.SeverityWarning, 0} {
		assert.Equal(t, VerdictPass, NewPair(ex, res, failOn).Verdict, "fail-on %v", failOn)
	}
	pairs := []Pair{NewPair(ex, res, validate.SeverityWarning)}
	assert.Equal(t, Summary{Pairs: 1, Passed: 1, Infos: 1}, summaryOf(pairs))

	suites, err := junit.Ingest([]byte(render(t, FormatJUnit, Options{}, pairs)))
	require.NoError(t, err)
	require.Len(t, suites, 1)
	assert.Equal(t, junit.StatusPassed, suites[0].Tests[0].Status)
	assert.Contains(t, suites[0].Tests[0].SystemOut, "info response.refused response.status")

	var log struct {
		Runs []struct {
			Results []struct{ RuleID, Level string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(render(t, FormatSARIF, Options{}, pairs)), &log))
	require.Len(t, log.Runs[0].Results, 1)
	assert.Equal(t, "note", log.Runs[0].Results[0].Level)

	gh := render(t, FormatGitHub, Options{}, pairs)
	assert.True(t, strings.HasPrefix(gh, "::notice file=traffic.har,title=response.refused::traffic.har#0 POST"), "%s", gh)
	assert.Contains(t, render(t, FormatMarkdown, Options{}, pairs), "| `response.refused` | info | 1 | 1 |")
	assert.Contains(t, render(t, FormatNDJSON, Options{}, pairs), `"rule":"response.refused","severity":"info"`)
	assert.Contains(t, render(t, FormatText, Options{}, pairs), "1 pair: 1 passed, 0 failed, 0 skipped, 0 input errors; 0 errors, 0 warnings, 1 info")
}
