package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// row is a benchmark of the table: its key in results and what it measures.
type row struct {
	key, what string
}

// The benchmarks of the tables, in order. Ratios are to the first row of
// pairRows (kin-openapi's with the full spec to contractcheck's with it) and
// to fullLoad.
var (
	pairRows = []row{
		{pairContractcheck, "contractcheck: `Plan.Check`, every check on"},
		{pairFull, "contractcheck: `Plan.Check` with Twilio's full Conversations spec (103 operations)"},
		{pairKin, "kin-openapi openapi3filter: `FindRoute` + `ValidateRequest` + `ValidateResponse`"},
		{pairKinFull, "kin-openapi with the full spec"},
		{pairLibSync, "libopenapi-validator: `ValidateHttpRequestSync` + `ValidateHttpResponse`"},
		{"bench.PairLibopenapiAsync", "libopenapi-validator, default calls: `ValidateHttpRequest` + `ValidateHttpResponse`"},
		{"bench.PairJSONSchema", "jsonschema/v5: `url.ParseQuery` + response decoded and validated"},
		{pairFloor, "floor: `url.ParseQuery` + encoding/json into `map[string]any`, no checks"},
	}
	loadRows = []row{
		{embeddedLoadPlain, "contractcheck: the embedded contract as `validate.Embedded` loads it, no specification check (main module)"},
		{fullLoadPlain, "contractcheck: `validate.LoadFile` of Twilio's full Conversations spec (main module)"},
		{embeddedLoad, "contractcheck: `validate.Load` of the embedded contract"},
		{"bench.LoadEmbeddedKinOpenAPI", "kin-openapi: load + validate + router of the embedded contract"},
		{fullLoad, "contractcheck: `validate.Load` of Twilio's full Conversations spec"},
		{fullLoadKin, "kin-openapi: load + validate + router of the full spec"},
		{"bench.LoadFullLibopenapi", "libopenapi-validator: document + `NewValidator` of the full spec"},
	}
)

// The benchmarks the targets name.
const (
	pairContractcheck = "bench.PairContractcheck"
	pairFull          = "bench.PairContractcheckFull"
	pairKin           = "bench.PairKinOpenAPI"
	pairKinFull       = "bench.PairKinOpenAPIFull"
	pairLibSync       = "bench.PairLibopenapiSync"
	pairFloor         = "bench.PairFloor"
	embeddedLoad      = "bench.LoadEmbeddedContractcheck"
	embeddedLoadPlain = "validate.LoadEmbedded"
	fullLoadPlain     = "validate.LoadTwilio"
	fullLoad          = "bench.LoadFullContractcheck"
	fullLoadKin       = "bench.LoadFullKinOpenAPI"
)

// writeTable writes the Markdown tables of res: the pair benchmarks, the load
// benchmarks, and the targets.
func writeTable(w io.Writer, res results) error {
	var b strings.Builder
	b.WriteString("### One valid pair, request + response\n\n")
	b.WriteString("| benchmark | median time/op | B/op | allocs/op | compared with contractcheck |\n|---|---:|---:|---:|---|\n")
	writeRows(&b, res, pairRows, func(key string) string {
		switch key {
		case pairContractcheck:
			return ""
		case pairKinFull:
			return timesSlower(ratio(res, key, pairFull)) + " (than the full spec's)"
		}
		return timesSlower(ratio(res, key, pairContractcheck))
	})
	b.WriteString("\n### Loading a contract\n\n")
	b.WriteString("| benchmark | median time/op | B/op | allocs/op | compared with contractcheck's full load of the same module |\n|---|---:|---:|---:|---|\n")
	writeRows(&b, res, loadRows, func(key string) string {
		switch key {
		case fullLoad, fullLoadPlain:
			return ""
		case embeddedLoadPlain:
			return percent(ratio(res, key, fullLoadPlain))
		case embeddedLoad, "bench.LoadEmbeddedKinOpenAPI":
			return percent(ratio(res, key, fullLoad))
		}
		return timesSlower(ratio(res, key, fullLoad))
	})
	b.WriteString("\n### Targets\n\n| target | measured | verdict |\n|---|---|---|\n")
	for _, t := range targets {
		got, met, ok := t.eval(res)
		verdict := "MISS"
		switch {
		case !ok:
			got, verdict = "no numbers", "not measured"
		case met:
			verdict = "PASS"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", t.name, got, verdict)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeRows writes one table row per benchmark of rows that res holds.
func writeRows(b *strings.Builder, res results, rows []row, compare func(key string) string) {
	for _, r := range rows {
		s := res[r.key]
		if s == nil {
			continue
		}
		ns, bytes, allocs := summarize(s.ns), summarize(s.bytes), summarize(s.allocs)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", r.what, duration(ns), count(bytes), count(allocs), compare(r.key))
	}
}

// target is a performance target: eval reports the measured value, whether
// the target is met, and whether res holds the numbers to tell.
type target struct {
	name string
	eval func(res results) (got string, met, ok bool)
}

// targets are the performance targets of the peer comparison.
var targets = []target{
	{"contractcheck at least 4x faster than kin-openapi", atLeast("kin-openapi", pairKin, pairContractcheck, 4)},
	{"contractcheck at least 15x faster than libopenapi-validator (synchronous)", atLeast("libopenapi-validator", pairLibSync, pairContractcheck, 15)},
	{"contractcheck no slower than the floor (encoding/json + url.ParseQuery)", atLeast("the floor", pairFloor, pairContractcheck, 1)},
	{"contractcheck with the full spec at least 4x faster than kin-openapi with the full spec", atLeast("kin-openapi", pairKinFull, pairFull, 4)},
	{"contractcheck with the full spec at least 15x faster than libopenapi-validator (synchronous)", atLeast("libopenapi-validator", pairLibSync, pairFull, 15)},
	{"contractcheck's pair with the full spec within 5% of its pair with the embedded contract", under(pairFull, pairContractcheck, 1.05)},
	{"contractcheck at most 16 allocations per pair", func(res results) (string, bool, bool) {
		s := res[pairContractcheck]
		if s == nil || len(s.allocs) == 0 {
			return "", false, false
		}
		a := summarize(s.allocs).median
		return fmt.Sprintf("%.0f allocs/op", a), a <= 16, true
	}},
	{"embedded contract in under 5% of the full spec's load, both with `validate.Load`", under(embeddedLoad, fullLoad, 0.05)},
	{"embedded contract as `validate.Embedded` loads it in under 5% of the full spec's `validate.LoadFile` (main module)", under(embeddedLoadPlain, fullLoadPlain, 0.05)},
	{"`validate.Load` of the full spec faster than kin-openapi's load + validate + router", under(fullLoad, fullLoadKin, 1)},
}

// atLeast is the target "slow (named name) takes at least min times as long
// as fast".
func atLeast(name, slow, fast string, min float64) func(results) (string, bool, bool) {
	return func(res results) (string, bool, bool) {
		r := ratio(res, slow, fast)
		if r == 0 {
			return "", false, false
		}
		return fmt.Sprintf("%s takes %.2fx contractcheck's time", name, r), r >= min, true
	}
}

// under is the target "part takes less than max of whole's time".
func under(part, whole string, max float64) func(results) (string, bool, bool) {
	return func(res results) (string, bool, bool) {
		r := ratio(res, part, whole)
		if r == 0 {
			return "", false, false
		}
		return percent(r), r < max, true
	}
}

// ratio compares the times of a and b, or is 0 when either is missing. When
// both ran equally often it is the median of the ratios of their i-th runs:
// make bench runs every benchmark once per round, so the i-th runs of two
// benchmarks ran close together and share the load of the machine at that
// time. Otherwise it is the ratio of their medians.
func ratio(res results, a, b string) float64 {
	sa, sb := res[a], res[b]
	if sa == nil || sb == nil || len(sa.ns) == 0 || len(sb.ns) == 0 {
		return 0
	}
	if len(sa.ns) == len(sb.ns) {
		rs := make([]float64, 0, len(sa.ns))
		for i, na := range sa.ns {
			if sb.ns[i] == 0 {
				return 0
			}
			rs = append(rs, na/sb.ns[i])
		}
		return median(rs)
	}
	ma, mb := summarize(sa.ns), summarize(sb.ns)
	if mb.median == 0 {
		return 0
	}
	return ma.median / mb.median
}

// median is the median of values, which it sorts.
func median(values []float64) float64 {
	slices.Sort(values)
	n := len(values)
	if n%2 == 1 {
		return values[n/2]
	}
	return (values[n/2-1] + values[n/2]) / 2
}

// timesSlower says how a ratio of times compares: "4.30x slower", "2.00x
// faster".
func timesSlower(r float64) string {
	switch {
	case r == 0:
		return "n/a"
	case r >= 1:
		return fmt.Sprintf("%.2fx slower", r)
	}
	return fmt.Sprintf("%.2fx faster", 1/r)
}

// percent formats a ratio as a percentage: "4.2%".
func percent(r float64) string {
	if r == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*r)
}

// duration formats a median time in nanoseconds with its spread.
func duration(s summary) string {
	if !s.ok {
		return "n/a"
	}
	var v string
	switch ns := s.median; {
	case ns >= 1e9:
		v = fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		v = fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		v = fmt.Sprintf("%.2f µs", ns/1e3)
	default:
		v = fmt.Sprintf("%.0f ns", ns)
	}
	return strings.TrimSpace(v + " " + s.spread)
}

// count formats a median count (bytes, allocations).
func count(s summary) string {
	if !s.ok {
		return "n/a"
	}
	return fmt.Sprintf("%.0f", s.median)
}
