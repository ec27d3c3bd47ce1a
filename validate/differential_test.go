//go:build oracle

// The differential test builds all of libopenapi-validator's request and
// response validation, which nothing else of the module needs: from an
// empty build cache that is a quarter of make test's compile time. It runs
// with the oracle build tag: make test-oracle, which CI runs.

package validate_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate"
)

// This file compares our checker with libopenapi-validator, an independent
// implementation of OpenAPI validation, on every recorded pair that our
// checker does not skip. Each side's verdict on an aspect of a pair is
// whether it finds a problem there:
//
//   - request body: our findings of request.content-type, form.*, value.* and
//     sid.format in the request body or its Content-Type; the validator's
//     requestBody and urlEncodedValidation errors.
//   - response body (documented statuses only): our findings of value.*,
//     sid.format and response.json in the response body, and of
//     response.content-type; the validator's response schema and
//     content-type errors.
//   - response headers (documented statuses only): our header.type; the
//     validator's response header errors.
//   - status: our response.status; the validator's response code errors.
//
// The verdicts agree but where knownDivergences says otherwise, and there
// they differ exactly as it says: a fix on either side shows up as a failure.
// The rules that come from the documentation's words (config.*, pair.*,
// cors.*, the path's SID) have no counterpart in the validator and are not
// compared.

// aspect is a part of a pair whose verdicts are compared.
type aspect string

const (
	aspectRequestBody     aspect = "request body"
	aspectResponseBody    aspect = "response body"
	aspectResponseHeaders aspect = "response headers"
	aspectStatus          aspect = "status"
)

// divergence is a known difference between our verdict and the validator's.
type divergence struct {
	entry  string // "file#index"
	aspect aspect
	// ours lists the rules of our findings in the aspect (sorted); the
	// validator finds nothing there. Empty when the validator finds a problem
	// we do not.
	ours []string
	why  string
}

// knownDivergences are the pairs where libopenapi-validator (v0.16.2,
// configured by newOracle) and our checker disagree, and why. In every one we
// are stricter than the validator; it finds nothing that we do not.
//
// Two more divergences are configured away here and asserted on their own:
// the validator refuses reserved characters in decoded form values
// (TestDifferentialReservedCharacters), and by default it does not assert
// formats (TestDifferentialFormatAnnotations). Nullable properties set to
// null (valid.har#9) are accepted by both.
var knownDivergences = []divergence{
	{"violations.har#2", aspectRequestBody, []string{validate.RuleFormSyntax},
		"the validator decodes the form with url.ParseQuery, which passes %E9 (Latin-1) through as a byte that is not UTF-8; the URL Standard's form encoding is UTF-8"},
	{"violations.har#3", aspectRequestBody, []string{validate.RuleFormUnknownKey, validate.RuleFormUnknownKey},
		"by design: the schema does not forbid additional properties, so JSON Schema allows configuration.url, and the validator even reads Configuration.Filters[] as Configuration.Filters (PHP/qs brackets), which Twilio does not; we report keys Twilio silently ignores"},
	{"violations.har#4", aspectRequestBody, []string{validate.RuleFormUnknownKey},
		"by design: Configuration.Urls is an additional property, which the schema does not forbid; Twilio ignores it"},
	{"violations.har#5", aspectRequestBody, []string{validate.RuleFormDuplicateKey},
		"the validator coerces a repeated scalar key to its first value and so accepts Configuration.Method given twice"},
	{"traffic.har#4", aspectRequestBody, []string{validate.RuleFormUnknownKey},
		"the validator reads Configuration.Filters[] as the array Configuration.Filters (PHP/qs brackets); Twilio ignores the key, as the recorded response shows"},
	{"mixed.ndjson#7", aspectRequestBody, []string{validate.RuleFormUnknownKey},
		"by design: Configuration.URL is an additional property, which the schema does not forbid; keys are case-sensitive and Twilio ignores it"},
}

// newOracle builds libopenapi-validator for a contract: form bodies
// validated (off by default) and formats asserted (annotations by default;
// TestDifferentialFormatAnnotations shows the difference), as our checker
// does.
func newOracle(t *testing.T, contract []byte, opts ...config.Option) validator.Validator {
	t.Helper()
	doc, err := libopenapi.NewDocument(contract)
	require.NoError(t, err)
	if opts == nil {
		opts = []config.Option{config.WithURLEncodedBodyValidation(), config.WithFormatAssertions()}
	}
	v, errs := validator.NewValidator(doc, opts...)
	require.Empty(t, errs)
	return v
}

// allowReserved returns the contract with "encoding: {field: {allowReserved:
// true}}" for every field of the form body. libopenapi-validator applies
// allowReserved to decoded form values: without it, it refuses every value
// holding ":" or "/" (every URL) and then validates nothing else of the body
// (TestDifferentialReservedCharacters). With it, its schema validation of
// form bodies can be compared with ours.
func allowReserved(t *testing.T, contract []byte) []byte {
	t.Helper()
	var root yaml.Node
	require.NoError(t, yaml.Unmarshal(contract, &root))
	get := func(n *yaml.Node, key string) *yaml.Node {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
		t.Fatalf("no %q in the contract", key)
		return nil
	}
	media := root.Content[0]
	for _, k := range []string{"paths", "/v1/Conversations/{ConversationSid}/Webhooks", "post", "requestBody", "content", "application/x-www-form-urlencoded"} {
		media = get(media, k)
	}
	props := get(get(media, "schema"), "properties")
	enc := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i < len(props.Content); i += 2 {
		enc.Content = append(enc.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: props.Content[i].Value},
			&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: "allowReserved"},
				{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"},
			}})
	}
	media.Content = append(media.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "encoding"}, enc)
	out, err := yaml.Marshal(&root)
	require.NoError(t, err)
	return out
}

// httpPair builds the net/http request and response of an exchange, afresh
// for each use (the validator reads the bodies).
func httpPair(t *testing.T, ex *validate.Exchange) (*http.Request, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(ex.Request.Method, ex.Request.URL, bytes.NewReader(ex.Request.Body))
	require.NoError(t, err)
	req.Header = ex.Request.Header.Clone()
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	resp := &http.Response{
		StatusCode: ex.Response.Status,
		Header:     ex.Response.Header.Clone(),
		Body:       io.NopCloser(bytes.NewReader(ex.Response.Body)),
		Request:    req,
	}
	return req, resp
}

// ourAspects sorts our findings into the compared aspects, as rule IDs.
func ourAspects(fs []validate.Finding) map[aspect][]string {
	out := map[aspect][]string{}
	for _, f := range fs {
		schemaRule := strings.HasPrefix(f.Rule, "value.") || f.Rule == validate.RuleSIDFormat
		switch {
		case f.Rule == validate.RuleRequestContentType,
			f.Location.Part == validate.PartRequestBody && (schemaRule || strings.HasPrefix(f.Rule, "form.")):
			out[aspectRequestBody] = append(out[aspectRequestBody], f.Rule)
		case f.Rule == validate.RuleResponseType,
			f.Location.Part == validate.PartResponseBody && (schemaRule || f.Rule == validate.RuleResponseJSON):
			out[aspectResponseBody] = append(out[aspectResponseBody], f.Rule)
		case f.Rule == validate.RuleHeaderType:
			out[aspectResponseHeaders] = append(out[aspectResponseHeaders], f.Rule)
		case f.Rule == validate.RuleResponseStatus, f.Rule == validate.RuleResponseRefused: // a refusal notes the undocumented status
			out[aspectStatus] = append(out[aspectStatus], f.Rule)
		}
	}
	for _, rules := range out {
		slices.Sort(rules)
	}
	return out
}

// libAspects sorts the validator's errors into the compared aspects, as
// "type/subtype: message" lines.
func libAspects(errs []*liberrors.ValidationError) map[aspect][]string {
	out := map[aspect][]string{}
	for _, e := range errs {
		var a aspect
		switch {
		case e.ValidationType == "requestBody", e.ValidationType == "urlEncodedValidation":
			a = aspectRequestBody
		case e.ValidationType == "response" && (e.ValidationSubType == "schema" || e.ValidationSubType == "contentType"):
			a = aspectResponseBody
		case e.ValidationType == "response" && (e.ValidationSubType == "header" || e.ValidationSubType == "headers"):
			a = aspectResponseHeaders
		case e.ValidationType == "response" && e.ValidationSubType == "statusCode":
			a = aspectStatus
		default:
			continue // path, parameter and security checks have no compared counterpart
		}
		line := fmt.Sprintf("%s/%s: %s", e.ValidationType, e.ValidationSubType, e.Message)
		for _, s := range e.SchemaValidationErrors {
			line += fmt.Sprintf("\n      %s %s", s.FieldPath, s.Reason)
		}
		out[a] = append(out[a], line)
	}
	return out
}

// TestDifferentialLibopenapiValidator compares our verdicts with
// libopenapi-validator's on every pair of every recording that our checker
// does not skip.
func TestDifferentialLibopenapiValidator(t *testing.T) {
	plan := embeddedPlan(t)
	responses := newOracle(t, contracts.ScopedWebhook)
	requests := newOracle(t, allowReserved(t, contracts.ScopedWebhook))
	known := map[string]divergence{}
	for _, d := range knownDivergences {
		known[d.entry+" "+string(d.aspect)] = d
	}
	used := map[string]bool{}
	compared := map[aspect]int{}
	for _, name := range recordingNames(t) {
		for _, it := range readRecording(t, filepath.Join(recordingsDir, name)) {
			if it.ex == nil {
				continue
			}
			res := plan.Check(it.ex)
			if res.Skipped() {
				continue
			}
			entry := fmt.Sprintf("%s#%d", name, it.ex.Entry)
			ours := ourAspects(res.Findings)

			req, _ := httpPair(t, it.ex)
			_, reqErrs := requests.ValidateHttpRequest(req)
			lib := libAspects(reqErrs)
			req, resp := httpPair(t, it.ex)
			_, respErrs := responses.ValidateHttpResponse(req, resp)
			for a, lines := range libAspects(respErrs) {
				lib[a] = append(lib[a], lines...)
			}

			aspects := []aspect{aspectRequestBody, aspectStatus}
			if it.ex.Response.Status == 201 { // the one documented status
				aspects = append(aspects, aspectResponseBody, aspectResponseHeaders)
			}
			for _, a := range aspects {
				compared[a]++
				key := entry + " " + string(a)
				d, isKnown := known[key]
				used[key] = used[key] || isKnown
				oursFind, libFinds := len(ours[a]) > 0, len(lib[a]) > 0
				detail := fmt.Sprintf("%s, %s:\n  ours: %v\n  libopenapi-validator: %s\n%s", entry, a, ours[a],
					strings.Join(lib[a], "\n    "), describe(it, "", res))
				switch {
				case !isKnown:
					assert.Equal(t, oursFind, libFinds, "the verdicts differ: explain it in knownDivergences, or fix the side that is wrong\n%s", detail)
				case oursFind == libFinds:
					assert.Fail(t, "a known divergence is gone: drop it from knownDivergences", "%s (%s)", detail, d.why)
				case len(d.ours) > 0:
					assert.False(t, libFinds, "%s", detail)
					assert.Equal(t, d.ours, ours[a], "the divergence is no longer the one known (%s)\n%s", d.why, detail)
				default:
					assert.False(t, oursFind, "%s", detail)
				}
			}
		}
	}
	for _, d := range knownDivergences {
		assert.True(t, used[d.entry+" "+string(d.aspect)], "%s (%s) is in knownDivergences but no such pair was compared", d.entry, d.aspect)
	}
	t.Logf("pairs compared: %v", compared)
	assert.Greater(t, compared[aspectRequestBody], 50)
	assert.Greater(t, compared[aspectResponseBody], 40)
}

// TestDifferentialReservedCharacters: libopenapi-validator applies
// allowReserved (false by default) to form values after decoding them, so it
// refuses every value that holds a reserved character, percent-encoded as it
// may be (every URL holds ":" and "/"), and then validates nothing else of
// the body. OpenAPI's allowReserved says whether reserved characters may go
// unencoded; the recordings encode them all.
func TestDifferentialReservedCharacters(t *testing.T) {
	plan := embeddedPlan(t)
	verbatim := newOracle(t, contracts.ScopedWebhook)
	fixed := newOracle(t, allowReserved(t, contracts.ScopedWebhook))
	tests := []struct {
		entry    string
		fields   []string // the fields the validator refuses for reserved characters
		masked   []string // our findings of the body that the validator then does not report
		withFlag []string // what the validator reports with allowReserved: true
	}{
		{entry: "docs-example.har#0", fields: []string{"Configuration.Url"}},
		{entry: "valid.har#4", fields: []string{"Configuration.Url"}},     // ?, &, =, %2F, + and %20 in the URL
		{entry: "valid.har#7", fields: []string{"Configuration.Url"}},     // postData.params
		{entry: "twilio-go.har#0", fields: []string{"Configuration.Url"}}, // as the SDK encodes it
		{entry: "violations.har#7", fields: []string{"Configuration.Url"},
			masked: []string{validate.RuleType}, withFlag: []string{"requestBody/schema"}}, // ReplayAfter=7.0
		{entry: "violations.har#9", fields: []string{"Configuration.Url"},
			masked: []string{validate.RuleEnum}, withFlag: []string{"requestBody/schema"}}, // Target=Webhook
	}
	exchanges := map[string]*validate.Exchange{}
	for _, name := range recordingNames(t) {
		for _, it := range readRecording(t, filepath.Join(recordingsDir, name)) {
			if it.ex != nil {
				exchanges[fmt.Sprintf("%s#%d", name, it.ex.Entry)] = it.ex
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			ex := exchanges[tt.entry]
			require.NotNil(t, ex, "no entry %s", tt.entry)
			res := plan.Check(ex)
			assert.Equal(t, tt.masked, ourAspects(res.Findings)[aspectRequestBody], "our findings in the request body")

			req, _ := httpPair(t, ex)
			_, errs := verbatim.ValidateHttpRequest(req)
			var refused []string
			for _, e := range errs {
				if e.ValidationType == "requestBody" || e.ValidationType == "urlEncodedValidation" {
					require.Equal(t, "urlEncodedValidation/reservedValues", e.ValidationType+"/"+e.ValidationSubType, "%s", e.Error())
					refused = append(refused, e.Message)
				}
			}
			var want []string
			for _, f := range tt.fields {
				want = append(want, fmt.Sprintf("Form value '%s' contains reserved characters", f))
			}
			assert.Equal(t, want, refused)

			req, _ = httpPair(t, ex)
			_, errs = fixed.ValidateHttpRequest(req)
			var got []string
			for _, e := range errs {
				if e.ValidationType == "requestBody" || e.ValidationType == "urlEncodedValidation" {
					got = append(got, e.ValidationType+"/"+e.ValidationSubType)
				}
			}
			assert.Equal(t, tt.withFlag, got, "with allowReserved: true")
		})
	}
}

// TestDifferentialFormatAnnotations: by default libopenapi-validator treats
// format as an annotation (JSON Schema 2019-09 and later), so it accepts a
// url that is a path and dates that are not RFC 3339. We assert formats, as
// OpenAPI 3.0's format means; with config.WithFormatAssertions the validator
// agrees (TestDifferentialLibopenapiValidator).
func TestDifferentialFormatAnnotations(t *testing.T) {
	plan := embeddedPlan(t)
	byDefault := newOracle(t, contracts.ScopedWebhook, config.WithURLEncodedBodyValidation())
	asserting := newOracle(t, contracts.ScopedWebhook)
	tests := []struct {
		entry string
		ours  []string
	}{
		{"violations.har#21", []string{validate.RuleFormat}},                      // url is a path
		{"violations.har#22", []string{validate.RuleFormat, validate.RuleFormat}}, // dates with a space, and in RFC 1123
		{"valid.har#0", nil},
		{"valid.har#9", nil}, // nulls where nullable: both accept them
	}
	items := map[string]*validate.Exchange{}
	for _, name := range []string{"violations.har", "valid.har"} {
		for _, it := range readRecording(t, filepath.Join(recordingsDir, name)) {
			if it.ex != nil {
				items[fmt.Sprintf("%s#%d", name, it.ex.Entry)] = it.ex
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			ex := items[tt.entry]
			require.NotNil(t, ex)
			assert.Equal(t, tt.ours, ourAspects(plan.Check(ex).Findings)[aspectResponseBody])
			req, resp := httpPair(t, ex)
			_, errs := byDefault.ValidateHttpResponse(req, resp)
			assert.Empty(t, libAspects(errs)[aspectResponseBody], "formats are annotations by default")
			req, resp = httpPair(t, ex)
			_, errs = asserting.ValidateHttpResponse(req, resp)
			assert.Equal(t, len(tt.ours) > 0, len(libAspects(errs)[aspectResponseBody]) > 0, "with format assertions: %v", libAspects(errs))
		})
	}
}
