package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate"
)

// The path and schema of the benchmarked operation in the contract.
const (
	opPath         = "/v1/Conversations/{ConversationSid}/Webhooks"
	formMediaType  = "application/x-www-form-urlencoded"
	responseSchema = "#/components/schemas/conversations.v1.conversation.conversation_scoped_webhook"
)

// contractcheckJudge is contractcheck's verdict: a skipped pair or any finding
// is an error.
func contractcheckJudge(p *validate.Plan) judge {
	return func(ex *validate.Exchange) error {
		res := p.Check(ex)
		switch {
		case res.Skip != "" || res.Operation == "":
			return fmt.Errorf("skipped: %s", res.Skip)
		case len(res.Findings) > 0:
			return fmt.Errorf("%d findings, first %s: %s", len(res.Findings), res.Findings[0].Rule, res.Findings[0].Message)
		}
		return nil
	}
}

// defineURIFormat makes kin-openapi assert format "uri" (an absolute URL), as
// contractcheck and libopenapi-validator (with format assertions) do; kin
// knows only byte, date and date-time by default. It is defined globally, the
// cheapest way for kin.
var defineURIFormat = sync.OnceFunc(func() {
	openapi3.DefineStringFormatValidator("uri", openapi3.NewCallbackValidator(func(s string) error {
		u, err := url.Parse(s)
		if err != nil {
			return err
		}
		if !u.IsAbs() {
			return errors.New("not an absolute URI")
		}
		return nil
	}))
})

// requireBasicAuth is kin-openapi's check of the contract's security scheme
// (HTTP Basic): the Authorization header must carry Basic credentials, as
// libopenapi-validator checks too.
func requireBasicAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme.Type != "http" || in.SecurityScheme.Scheme != "basic" {
		return fmt.Errorf("unexpected security scheme %s/%s", in.SecurityScheme.Type, in.SecurityScheme.Scheme)
	}
	if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Basic ") {
		return errors.New("no Basic credentials")
	}
	return nil
}

// kinDocument loads a contract with kin-openapi, validates it, and builds its
// router: what an application does once before validating with openapi3filter.
// Examples are not validated: contractcheck's Load does not validate them
// either, and one example of Twilio's full spec breaks its own enum.
func kinDocument(data []byte) (*openapi3.T, routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, nil, fmt.Errorf("loading: %w", err)
	}
	if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation()); err != nil {
		return nil, nil, fmt.Errorf("validating: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("building the router: %w", err)
	}
	return doc, router, nil
}

// kinChecker is kin-openapi's full validation of a pair: route, request
// (path parameter, security, form body decoded by the schema) and response
// (status, headers, JSON body), reporting every error (MultiError) with
// format "uri" asserted. Defaults are not written back into the request
// (SkipSettingDefaults: the contract has none, and re-encoding the body would
// only cost kin time). contract is the document to route and validate by.
func kinChecker(tb testing.TB, contract []byte) checker {
	defineURIFormat()
	_, router, err := kinDocument(contract)
	if err != nil {
		tb.Fatalf("kin-openapi: %v", err)
	}
	opts := &openapi3filter.Options{
		MultiError:            true,
		IncludeResponseStatus: true,
		SkipSettingDefaults:   true,
		AuthenticationFunc:    requireBasicAuth,
	}
	ctx := context.Background()
	return func(h *httpPair) error {
		route, params, err := router.FindRoute(h.req)
		if err != nil {
			return fmt.Errorf("finding the route: %w", err)
		}
		in := &openapi3filter.RequestValidationInput{Request: h.req, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return err
		}
		return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in,
			Status:                 h.resp.StatusCode,
			Header:                 h.resp.Header,
			Body:                   h.resp.Body,
			Options:                opts,
		})
	}
}

// libValidator builds libopenapi-validator for the embedded contract as the
// project's differential test configures it: form bodies validated and
// formats asserted. Every form field is given allowReserved: without it the
// validator refuses every value holding ":" or "/", so it refuses the
// example's Configuration.Url and then validates nothing else of the body.
func libValidator(tb testing.TB) validator.Validator {
	doc, err := libopenapi.NewDocument(contracts.ScopedWebhook)
	if err != nil {
		tb.Fatalf("libopenapi: %v", err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		tb.Fatalf("libopenapi: building the model: %v", err)
	}
	media := m.Model.Paths.PathItems.GetOrZero(opPath).Post.RequestBody.Content.GetOrZero(formMediaType)
	if media == nil || media.Schema == nil {
		tb.Fatalf("libopenapi: the contract has no %s request body at %s", formMediaType, opPath)
	}
	enc := orderedmap.New[string, *v3.Encoding]()
	for name := range media.Schema.Schema().Properties.KeysFromOldest() {
		enc.Set(name, &v3.Encoding{AllowReserved: true})
	}
	media.Encoding = enc
	return validator.NewValidatorFromV3Model(&m.Model, config.WithURLEncodedBodyValidation(), config.WithFormatAssertions())
}

// libErr is libopenapi-validator's refusal of a request or response as an
// error.
func libErr(what string, errs []*liberrors.ValidationError) error {
	if len(errs) == 0 {
		return fmt.Errorf("%s: invalid, no reason given", what)
	}
	return fmt.Errorf("%s: %d errors, first %s", what, len(errs), errs[0].Error())
}

// libChecker is libopenapi-validator's full validation of a pair: the request
// (synchronously or with its default goroutines) and the response.
func libChecker(tb testing.TB, sync bool) checker {
	v := libValidator(tb)
	validateRequest := v.ValidateHttpRequest
	if sync {
		validateRequest = v.ValidateHttpRequestSync
	}
	return func(h *httpPair) error {
		if ok, errs := validateRequest(h.req); !ok || len(errs) > 0 {
			return libErr("request", errs)
		}
		if ok, errs := v.ValidateHttpResponse(h.req, h.resp); !ok || len(errs) > 0 {
			return libErr("response", errs)
		}
		return nil
	}
}

// floor decodes the pair and checks nothing: the form with url.ParseQuery,
// the response body into a map with encoding/json. No validator can do less.
func floor(reqBody, respBody []byte) error {
	if _, err := url.ParseQuery(string(reqBody)); err != nil {
		return fmt.Errorf("form: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(respBody, &m); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	return nil
}

// brokenJSON is the example pair with a response body cut short: the only
// kind of problem the floor sees.
func brokenJSON(tb testing.TB) variant {
	ex := clonePair(docsPair(tb))
	ex.Response.Body = ex.Response.Body[:len(ex.Response.Body)/2]
	return variant{"response cut short", ex}
}

// jsonschemaPath is the straightforward way to validate with
// santhosh-tekuri/jsonschema/v5: the contract converted to JSON once, the
// response schema compiled once (draft 4, the closest to OpenAPI 3.0, with
// formats asserted); per pair, the form parsed with url.ParseQuery and the
// response body decoded and validated. It does not validate the form's values
// (they are strings that would need the schema to coerce them), nor status,
// headers or content types.
func jsonschemaPath(tb testing.TB) func(reqBody, respBody []byte) error {
	doc, err := libopenapi.NewDocument(contracts.ScopedWebhook)
	if err != nil {
		tb.Fatalf("libopenapi: %v", err)
	}
	raw := doc.GetSpecInfo().GetSpecJSONBytes()
	if raw == nil {
		tb.Fatal("the contract has no JSON form")
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	c.AssertFormat = true
	const contractURL = "mem://contract.json"
	if err := c.AddResource(contractURL, strings.NewReader(string(*raw))); err != nil {
		tb.Fatalf("jsonschema: %v", err)
	}
	schema, err := c.Compile(contractURL + responseSchema)
	if err != nil {
		tb.Fatalf("jsonschema: compiling the response schema: %v", err)
	}
	return func(reqBody, respBody []byte) error {
		if _, err := url.ParseQuery(string(reqBody)); err != nil {
			return fmt.Errorf("form: %w", err)
		}
		var v any
		if err := json.Unmarshal(respBody, &v); err != nil {
			return fmt.Errorf("response: %w", err)
		}
		return schema.Validate(v)
	}
}

// bodies adapts a check of the two bodies to a judge.
func bodies(check func(reqBody, respBody []byte) error) judge {
	return func(ex *validate.Exchange) error { return check(ex.Request.Body, ex.Response.Body) }
}

// benchBodies runs check on the example pair's bodies, after proving that it
// accepts them and refuses the variants.
func benchBodies(b *testing.B, check func(reqBody, respBody []byte) error, variants ...variant) {
	mustJudge(b, bodies(check), variants...)
	ex := docsPair(b)
	b.SetBytes(int64(len(ex.Request.Body) + len(ex.Response.Body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := check(ex.Request.Body, ex.Response.Body); err != nil {
			b.Fatal(err)
		}
	}
}
