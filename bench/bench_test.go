package bench

import (
	"testing"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate"
)

// The pair benchmarks: one valid request+response pair, fully validated by
// each peer. Every benchmark first proves that its validator accepts the pair
// and refuses broken variants of it.

// BenchmarkPairContractcheck is contractcheck with every check on: the
// embedded contract's plan checks the exchange, built once outside the loop
// as a recording audit builds it.
func BenchmarkPairContractcheck(b *testing.B) {
	p, err := validate.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	benchPlan(b, p)
}

// BenchmarkPairContractcheckFull is BenchmarkPairContractcheck with the plan
// of Twilio's full Conversations spec (103 operations) instead of the
// embedded contract (one): what routing among many operations adds.
func BenchmarkPairContractcheckFull(b *testing.B) {
	benchPlan(b, fullPlan(b))
}

// benchPlan checks the example pair with p, after proving that p accepts it
// and refuses the broken variants.
func benchPlan(b *testing.B, p *validate.Plan) {
	verdict := contractcheckJudge(p)
	mustJudge(b, verdict, brokenRequest(b), brokenResponse(b))
	ex := docsPair(b)
	b.SetBytes(int64(len(ex.Request.Body) + len(ex.Response.Body)))
	b.ReportAllocs()
	for b.Loop() {
		if res := p.Check(ex); len(res.Findings) != 0 {
			b.Fatal(res.Findings)
		}
	}
}

// BenchmarkPairKinOpenAPI is kin-openapi's openapi3filter: FindRoute,
// ValidateRequest and ValidateResponse.
func BenchmarkPairKinOpenAPI(b *testing.B) {
	benchHTTP(b, kinChecker(b, contracts.ScopedWebhook), brokenRequest(b), brokenResponse(b))
}

// BenchmarkPairKinOpenAPIFull is BenchmarkPairKinOpenAPI with the router and
// document of Twilio's full Conversations spec.
func BenchmarkPairKinOpenAPIFull(b *testing.B) {
	benchHTTP(b, kinChecker(b, twilioBytes(b)), brokenRequest(b), brokenResponse(b))
}

// BenchmarkPairLibopenapiSync is libopenapi-validator's synchronous calls:
// ValidateHttpRequestSync and ValidateHttpResponse.
func BenchmarkPairLibopenapiSync(b *testing.B) {
	benchHTTP(b, libChecker(b, true), brokenRequest(b), brokenResponse(b))
}

// BenchmarkPairLibopenapiAsync is libopenapi-validator's default calls:
// ValidateHttpRequest (its checks in goroutines) and ValidateHttpResponse.
func BenchmarkPairLibopenapiAsync(b *testing.B) {
	benchHTTP(b, libChecker(b, false), brokenRequest(b), brokenResponse(b))
}

// BenchmarkPairFloor decodes the pair and checks nothing: url.ParseQuery of
// the form and encoding/json into map[string]any of the response body.
func BenchmarkPairFloor(b *testing.B) {
	benchBodies(b, floor, brokenJSON(b))
}

// BenchmarkPairJSONSchema is the straightforward jsonschema/v5 path:
// url.ParseQuery, then the response body decoded and validated against its
// compiled schema.
func BenchmarkPairJSONSchema(b *testing.B) {
	benchBodies(b, jsonschemaPath(b), brokenResponse(b), brokenJSON(b))
}
