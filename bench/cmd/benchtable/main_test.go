package main

import (
	"bytes"
	"strings"
	"testing"
)

// twoRuns holds the results of two runs (the confidence interval of two runs
// is unbounded, "±∞"; one run has none): contractcheck 2 µs; kin-openapi 10
// µs (its ratios to contractcheck's runs of the same round, 5.53 and 4.52,
// have the median 5.03; the ratio of the medians would be 5.00);
// contractcheck with the full spec 2.2 µs (ratios 1.05 and 1.14 to the
// embedded contract's, median 1.098), kin-openapi with it 12 µs (ratios 6 and
// 5 to contractcheck's with it, median 5.50);
// libopenapi-validator 20 µs; the floor 3 µs; loads of 4 ms and 40 ms; the
// main module's loads, 1 ms and 50 ms.
const twoRuns = `goos: linux
goarch: amd64
pkg: github.com/contractcheck/contractcheck/validate
BenchmarkLoadEmbedded-2   	100	 1000000 ns/op	 5000 B/op	 50 allocs/op
BenchmarkLoadEmbedded-2   	100	 1000000 ns/op	 5000 B/op	 50 allocs/op
BenchmarkLoadTwilio-2   	100	 50000000 ns/op	 5000 B/op	 50 allocs/op
pkg: github.com/contractcheck/contractcheck/bench
BenchmarkPairContractcheck-2   	1000	 1900 ns/op	 100 B/op	 10 allocs/op
BenchmarkPairContractcheck-2   	1000	 2100 ns/op	 100 B/op	 12 allocs/op
BenchmarkPairContractcheckFull-2   	1000	 2000 ns/op	 100 B/op	 10 allocs/op
BenchmarkPairContractcheckFull-2   	1000	 2400 ns/op	 100 B/op	 12 allocs/op
BenchmarkPairKinOpenAPI-2      	1000	 10500 ns/op	 900 B/op	 150 allocs/op
BenchmarkPairKinOpenAPI-2      	1000	 9500 ns/op	 900 B/op	 150 allocs/op
BenchmarkPairKinOpenAPIFull-2      	1000	 12000 ns/op	 900 B/op	 150 allocs/op
BenchmarkPairKinOpenAPIFull-2      	1000	 12000 ns/op	 900 B/op	 150 allocs/op
BenchmarkPairLibopenapiSync-2  	1000	 20000 ns/op	 900 B/op	 600 allocs/op
BenchmarkPairLibopenapiSync-2  	1000	 20000 ns/op	 900 B/op	 600 allocs/op
BenchmarkPairFloor-2           	1000	 3000 ns/op	 900 B/op	 60 allocs/op
BenchmarkPairFloor-2           	1000	 3000 ns/op	 900 B/op	 60 allocs/op
BenchmarkLoadEmbeddedContractcheck-2	100	 4000000 ns/op	 5000 B/op	 50 allocs/op
BenchmarkLoadFullContractcheck-2	10	 40000000 ns/op	 5000 B/op	 50 allocs/op
BenchmarkLoadFullKinOpenAPI-2	10	 80000000 ns/op	 5000 B/op	 50 allocs/op
PASS
`

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, strings.NewReader(twoRuns), &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"| contractcheck: `Plan.Check`, every check on | 2.00 µs ±∞ | 100 | 11 |  |",
		"`ValidateResponse` | 10.00 µs ±∞ | 900 | 150 | 5.03x slower |",
		"no checks | 3.00 µs ±∞ | 900 | 60 | 1.50x slower |",
		"no specification check (main module) | 1.00 ms ±∞ | 5000 | 50 | 2.0% |",
		"| contractcheck: `validate.Load` of the embedded contract | 4.00 ms | 5000 | 50 | 10.0% |",
		"| kin-openapi: load + validate + router of the full spec | 80.00 ms | 5000 | 50 | 2.00x slower |",
		"| contractcheck at least 4x faster than kin-openapi | kin-openapi takes 5.03x contractcheck's time | PASS |",
		"| contractcheck at least 15x faster than libopenapi-validator (synchronous) | libopenapi-validator takes 10.03x contractcheck's time | MISS |",
		"| contractcheck no slower than the floor (encoding/json + url.ParseQuery) | the floor takes 1.50x contractcheck's time | PASS |",
		"| contractcheck: `Plan.Check` with Twilio's full Conversations spec (103 operations) | 2.20 µs ±∞ | 100 | 11 | 1.10x slower |",
		"| kin-openapi with the full spec | 12.00 µs ±∞ | 900 | 150 | 5.50x slower (than the full spec's) |",
		"| contractcheck with the full spec at least 4x faster than kin-openapi with the full spec | kin-openapi takes 5.50x contractcheck's time | PASS |",
		"| contractcheck's pair with the full spec within 5% of its pair with the embedded contract | 109.8% | MISS |",
		"| `validate.Load` of the full spec faster than kin-openapi's load + validate + router | 50.0% | PASS |",
		"| contractcheck at most 16 allocations per pair | 11 allocs/op | PASS |",
		"| embedded contract in under 5% of the full spec's load, both with `validate.Load` | 10.0% | MISS |",
		"| embedded contract as `validate.Embedded` loads it in under 5% of the full spec's `validate.LoadFile` (main module) | 2.0% | PASS |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the table lacks\n%s\ngot:\n%s", want, got)
		}
	}
	for _, absent := range []string{"PairLibopenapiAsync", "jsonschema/v5", "libopenapi-validator: document"} {
		if strings.Contains(got, absent) {
			t.Errorf("the table shows %q, which was not measured", absent)
		}
	}
}

func TestRunMissingNumbers(t *testing.T) {
	var out bytes.Buffer
	in := "pkg: github.com/contractcheck/contractcheck/bench\nBenchmarkPairFloor-2 1000 3000 ns/op\n"
	if err := run(nil, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	if want := "| contractcheck at least 4x faster than kin-openapi | no numbers | not measured |"; !strings.Contains(out.String(), want) {
		t.Errorf("the table lacks\n%s\ngot:\n%s", want, out.String())
	}
}

func TestRunBadInput(t *testing.T) {
	for name, in := range map[string]string{
		"empty":        "",
		"no results":   "goos: linux\nPASS\n",
		"syntax error": "BenchmarkX-2 notanumber 3000 ns/op\n",
	} {
		t.Run(name, func(t *testing.T) {
			if err := run(nil, strings.NewReader(in), &bytes.Buffer{}); err == nil {
				t.Error("no error")
			}
		})
	}
	if err := run([]string{"testdata/does-not-exist.txt"}, nil, &bytes.Buffer{}); err == nil {
		t.Error("no error for a missing file")
	}
}
