package bench

import (
	"testing"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate"
)

// TestVerdicts proves outside any benchmark what each benchmark proves before
// its loop: every validator accepts the example pair and refuses the broken
// variants it is benchmarked with, and the floor refuses only what it can see.
func TestVerdicts(t *testing.T) {
	plan, err := validate.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	full := fullPlan(t)
	tests := []struct {
		name    string
		verdict judge
		refuses []variant
		accepts []variant // variants the validator cannot see, to keep the table honest
	}{
		{"contractcheck", contractcheckJudge(plan), []variant{brokenRequest(t), brokenResponse(t), brokenJSON(t)}, nil},
		{"contractcheck, full spec", contractcheckJudge(full), []variant{brokenRequest(t), brokenResponse(t), brokenJSON(t)}, nil},
		{"kin-openapi", overHTTP(t, kinChecker(t, contracts.ScopedWebhook)), []variant{brokenRequest(t), brokenResponse(t), brokenJSON(t)}, nil},
		{"kin-openapi, full spec", overHTTP(t, kinChecker(t, twilioBytes(t))), []variant{brokenRequest(t), brokenResponse(t), brokenJSON(t)}, nil},
		{"libopenapi-validator sync", overHTTP(t, libChecker(t, true)), []variant{brokenRequest(t), brokenResponse(t), brokenJSON(t)}, nil},
		{"libopenapi-validator async", overHTTP(t, libChecker(t, false)), []variant{brokenRequest(t), brokenResponse(t), brokenJSON(t)}, nil},
		{"floor", bodies(floor), []variant{brokenJSON(t)}, []variant{brokenRequest(t), brokenResponse(t)}},
		{"jsonschema/v5", bodies(jsonschemaPath(t)), []variant{brokenResponse(t), brokenJSON(t)}, []variant{brokenRequest(t)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustJudge(t, tt.verdict, tt.refuses...)
			for _, v := range tt.accepts {
				if err := tt.verdict(v.ex); err != nil {
					t.Errorf("refuses the %s, which it was thought not to check: %v", v.name, err)
				}
			}
			for _, v := range tt.refuses {
				t.Logf("%s: %v", v.name, tt.verdict(v.ex))
			}
		})
	}
}
