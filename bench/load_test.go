package bench

import (
	"os"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate"
)

// The load benchmarks: from the bytes of a contract to something ready to
// check pairs. Reading the file is not measured.

// twilioBytes returns Twilio's full Conversations spec, the module's test
// data.
func twilioBytes(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(twilioSpec)
	if err != nil {
		tb.Fatalf("reading the full spec: %v", err)
	}
	return data
}

// loadFull loads Twilio's full Conversations spec once.
var loadFull = sync.OnceValues(func() (*validate.Plan, error) {
	data, err := os.ReadFile(twilioSpec)
	if err != nil {
		return nil, err
	}
	return validate.Load(twilioSpec, data)
})

// fullPlan returns the plan of Twilio's full Conversations spec.
func fullPlan(tb testing.TB) *validate.Plan {
	tb.Helper()
	p, err := loadFull()
	if err != nil {
		tb.Fatalf("loading the full spec: %v", err)
	}
	return p
}

// benchLoad runs load on data.
func benchLoad(b *testing.B, data []byte, load func([]byte) error) {
	if err := load(data); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := load(data); err != nil {
			b.Fatal(err)
		}
	}
}

// contractcheckLoad is validate.Load: the document checked against the
// OpenAPI specification, its schemas compiled, its operations planned.
// (validate.Embedded skips the specification check; a test makes it.)
func contractcheckLoad(data []byte) error {
	_, err := validate.Load("contract", data)
	return err
}

// kinLoad is kin-openapi's loader, its document validation and its router.
func kinLoad(data []byte) error {
	_, _, err := kinDocument(data)
	return err
}

// libLoad is libopenapi's document and model and libopenapi-validator's
// validator, which compiles every schema of the document up front.
func libLoad(data []byte) error {
	doc, err := libopenapi.NewDocument(data)
	if err != nil {
		return err
	}
	_, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// BenchmarkLoadEmbeddedContractcheck loads the embedded contract.
func BenchmarkLoadEmbeddedContractcheck(b *testing.B) {
	benchLoad(b, contracts.ScopedWebhook, contractcheckLoad)
}

// BenchmarkLoadEmbeddedKinOpenAPI loads the embedded contract with kin-openapi.
func BenchmarkLoadEmbeddedKinOpenAPI(b *testing.B) {
	benchLoad(b, contracts.ScopedWebhook, kinLoad)
}

// BenchmarkLoadFullContractcheck loads Twilio's full Conversations spec.
func BenchmarkLoadFullContractcheck(b *testing.B) {
	benchLoad(b, twilioBytes(b), contractcheckLoad)
}

// BenchmarkLoadFullKinOpenAPI loads Twilio's full Conversations spec with
// kin-openapi.
func BenchmarkLoadFullKinOpenAPI(b *testing.B) {
	benchLoad(b, twilioBytes(b), kinLoad)
}

// BenchmarkLoadFullLibopenapi builds libopenapi-validator for Twilio's full
// Conversations spec.
func BenchmarkLoadFullLibopenapi(b *testing.B) {
	benchLoad(b, twilioBytes(b), libLoad)
}
