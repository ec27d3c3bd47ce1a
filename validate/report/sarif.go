package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/validate"
)

// The SARIF document is written with the few structs below rather than a
// SARIF model package: results are streamed one pair at a time (a model
// package builds the whole log in memory), and the test suite validates every
// report against the OASIS SARIF 2.1.0 schema.

// sarifVersion and sarifSchema name the SARIF version written.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	// fingerprintKey names contractcheck's fingerprints in
	// partialFingerprints; the version changes if their recipe does.
	fingerprintKey = "contractcheck/v1"
)

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           *int               `json:"ruleIndex,omitempty"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]string  `json:"properties,omitempty"`
}

// sarifSuppression marks a result the baseline accepted.
type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

// baselineSuppression is the suppression of a finding a baseline accepted.
var baselineSuppression = []sarifSuppression{{Kind: "external", Justification: "accepted by the contractcheck baseline"}}

type sarifRule struct {
	ID                   string       `json:"id"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	FullDescription      sarifMessage `json:"fullDescription"`
	Help                 sarifMessage `json:"help"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

// sarifWriter streams a SARIF log of one run: the tool and its rules first,
// each result as its pair is written, the invocation (with the input errors,
// which it keeps until then) last.
type sarifWriter struct {
	w         io.Writer
	opts      Options
	started   bool
	results   int
	ruleIndex map[string]int
	notes     []sarifNotification // the input errors and the findings not shown, for the invocation
	buf       bytes.Buffer
	enc       *json.Encoder
}

// NewSARIF returns a writer of the SARIF 2.1.0 report: one run whose
// tool.driver.rules is the rule catalogue with its help text, and a result
// per finding with its ruleId and level, the message (with want, got and
// hint), the location in the recording (the file, the entry's line when the
// reader knows it, and the entry and the finding's location as logical
// locations), the contract's line as a related location, and the finding's
// fingerprint in partialFingerprints under "contractcheck/v1". The findings a
// baseline accepted are results too, with an external suppression. Input errors
// are tool execution notifications of the invocation. Skipped pairs have no
// result.
func NewSARIF(w io.Writer, opts Options) Writer {
	s := &sarifWriter{w: w, opts: opts, ruleIndex: map[string]int{}}
	s.enc = newEncoder(&s.buf, "        ")
	return s
}

// head writes the document up to the opening of the results array.
func (s *sarifWriter) head() error {
	type driver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	d := driver{Name: "contractcheck", Version: s.opts.ToolVersion, InformationURI: "https://github.com/contractcheck/contractcheck"}
	for i, r := range append(validate.Rules(), s.opts.ToolRules...) {
		s.ruleIndex[r.ID] = i
		sr := sarifRule{ID: r.ID, ShortDescription: sarifMessage{r.Summary}, FullDescription: sarifMessage{r.Help}, Help: sarifMessage{r.Summary + "\n\n" + r.Help}}
		sr.DefaultConfiguration.Level = sarifLevel(r.Severity)
		d.Rules = append(d.Rules, sr)
	}
	s.buf.WriteString("{\n  \"$schema\": \"" + sarifSchema + "\",\n  \"version\": \"" + sarifVersion + "\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": ")
	s.enc.SetIndent("        ", "  ")
	if err := s.enc.Encode(d); err != nil {
		return err
	}
	trimNewline(&s.buf)
	s.buf.WriteString("\n      },\n      \"results\": [")
	s.enc.SetIndent("        ", "  ")
	s.started = true
	return nil
}

// WritePair writes a result per finding of the pair.
func (s *sarifWriter) WritePair(p Pair) error {
	s.buf.Reset()
	if !s.started {
		if err := s.head(); err != nil {
			return fmt.Errorf("writing the head of the SARIF report: %w", err)
		}
	}
	if p.Verdict == VerdictInputError {
		n := sarifNotification{Level: "error", Message: sarifMessage{p.InputErrorLine()}}
		n.Locations = []sarifLocation{s.pairLocation(p, "")}
		s.notes = append(s.notes, n)
	}
	if more := p.MoreText(); more != "" {
		n := sarifNotification{Level: "warning", Message: sarifMessage{escape.Line(pairHeader(p) + ": " + more)}}
		n.Locations = []sarifLocation{s.pairLocation(p, "")}
		s.notes = append(s.notes, n)
	}
	for i, f := range slices.Concat(p.Findings, p.Suppressed) {
		if s.results > 0 {
			s.buf.WriteByte(',')
		}
		s.buf.WriteString("\n        ")
		r := s.result(p, f)
		if i >= len(p.Findings) {
			r.Suppressions = baselineSuppression
		}
		if err := s.enc.Encode(r); err != nil {
			return fmt.Errorf("encoding a finding of pair %s for the SARIF report: %w", p.Ref(), err)
		}
		trimNewline(&s.buf)
		s.results++
	}
	if s.buf.Len() == 0 {
		return nil
	}
	if _, err := s.w.Write(s.buf.Bytes()); err != nil {
		return fmt.Errorf("writing pair %s of the SARIF report: %w", p.Ref(), err)
	}
	return nil
}

// result is the SARIF result of one finding of p.
func (s *sarifWriter) result(p Pair, f validate.Finding) sarifResult {
	r := sarifResult{
		RuleID:    f.Rule,
		Level:     sarifLevel(f.Severity),
		Message:   sarifMessage{findingMessage(pairHeader(p), f)},
		Locations: []sarifLocation{s.pairLocation(p, f.Location.String())},
	}
	if i, ok := s.ruleIndex[f.Rule]; ok {
		r.RuleIndex = &i
	}
	if f.Spec.File != "" {
		id := 1
		loc := sarifLocation{ID: &id, PhysicalLocation: &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{uriOf(f.Spec.File)}},
			Message: &sarifMessage{"the contract's requirement (" + f.Spec.String() + ")"}}
		if f.Spec.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{f.Spec.Line}
		}
		r.RelatedLocations = []sarifLocation{loc}
	}
	if p.Shape != "" {
		r.PartialFingerprints = map[string]string{fingerprintKey: p.Fingerprint(f)}
	}
	r.Properties = map[string]string{"location": f.Location.String(), "request": p.Request()}
	if p.Operation != "" {
		r.Properties["operation"] = p.Operation
	}
	return r
}

// pairLocation locates a pair in its recording: the file, the entry's line
// when known, the entry as a logical location and, when not "", the
// finding's location within the exchange as another.
func (s *sarifWriter) pairLocation(p Pair, within string) sarifLocation {
	loc := sarifLocation{PhysicalLocation: &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{uriOf(p.Source)}}}
	if p.Line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{p.Line}
	}
	if p.Entry >= 0 {
		loc.LogicalLocations = append(loc.LogicalLocations, sarifLogicalLocation{Name: fmt.Sprintf("entry %d", p.Entry), FullyQualifiedName: p.Ref(), Kind: "object"})
	}
	if within != "" {
		loc.LogicalLocations = append(loc.LogicalLocations, sarifLogicalLocation{Name: within, FullyQualifiedName: p.Ref() + "/" + within, Kind: "member"})
	}
	return loc
}

// Finish closes the results and writes the invocation.
func (s *sarifWriter) Finish(sum Summary) error {
	s.buf.Reset()
	if !s.started {
		if err := s.head(); err != nil {
			return fmt.Errorf("writing the head of the SARIF report: %w", err)
		}
	}
	if s.results > 0 {
		s.buf.WriteString("\n      ")
	}
	s.buf.WriteString("],\n      \"invocations\": [\n        ")
	s.enc.SetIndent("        ", "  ")
	inv := sarifInvocation{ExecutionSuccessful: sum.InputErrors == 0, ToolExecutionNotifications: s.notes}
	if err := s.enc.Encode(inv); err != nil {
		return fmt.Errorf("encoding the invocation of the SARIF report: %w", err)
	}
	trimNewline(&s.buf)
	s.buf.WriteString("\n      ]\n    }\n  ]\n}\n")
	if _, err := s.w.Write(s.buf.Bytes()); err != nil {
		return fmt.Errorf("writing the end of the SARIF report: %w", err)
	}
	return nil
}

// sarifLevel is the SARIF level of a severity.
func sarifLevel(s validate.Severity) string {
	switch s {
	case validate.SeverityWarning:
		return "warning"
	case validate.SeverityInfo:
		return "note"
	}
	return "error"
}

// findingMessage tells a finding in a few lines: the pair, its location, the
// message, and the want, got and hint that it has, each escaped to stay on
// its line ([escape.Line]).
func findingMessage(header string, f validate.Finding) string {
	var b strings.Builder
	b.WriteString(escape.Line(header + ": " + f.Location.String() + ": " + f.Message))
	for _, kv := range [...]struct{ key, val string }{{"want", f.Want}, {"got", f.Got}, {"hint", f.Hint}} {
		if kv.val != "" {
			b.WriteString("\n" + kv.key + ": " + escape.Line(kv.val))
		}
	}
	return b.String()
}

// uriOf turns a file name into a relative URI reference, escaping what a URI
// cannot hold.
func uriOf(file string) string {
	u := url.URL{Path: strings.ReplaceAll(file, `\`, "/")}
	return u.String()
}
