package validate

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// BenchmarkCheck checks the documentation's example pair: every check on,
// nothing found.
func BenchmarkCheck(b *testing.B) {
	p := embeddedPlan(b)
	ex := docsExchange()
	if res := p.Check(ex); len(res.Findings) != 0 {
		b.Fatalf("the example pair has findings: %v", res.Findings)
	}
	b.SetBytes(int64(len(ex.Request.Body) + len(ex.Response.Body)))
	b.ReportAllocs()
	for b.Loop() {
		p.Check(ex)
	}
}

// BenchmarkCheckFailing checks a pair that breaks many rules at once.
func BenchmarkCheckFailing(b *testing.B) {
	p := embeddedPlan(b)
	ex := docsExchange()
	ex.Request.Body = []byte("Target=Webhook&Configuration.Urls=x&Configuration.FlowSid=FWabc&Configuration.ReplayAfter=7.0")
	ex.Response.Header.Set("Access-Control-Allow-Origin", "*")
	ex.Response.Header.Set("Access-Control-Allow-Credentials", "true")
	ex.Response.Body = []byte(`{"sid": "WH1", "date_created": "yesterday"}`)
	b.ReportAllocs()
	for b.Loop() {
		p.Check(ex)
	}
}

// BenchmarkCheckUnknownKeys checks a pair whose 1 MB form body is 100,000
// unknown keys: the caps keep its findings to MaxFindingsPerRule and count
// the rest, so that bytes and allocations per pair are those of decoding the
// body, not of building a hundred thousand findings.
func BenchmarkCheckUnknownKeys(b *testing.B) {
	p := embeddedPlan(b)
	var body strings.Builder
	body.WriteString(docsBody)
	for i := 0; body.Len() < 1<<20-16; i++ {
		body.WriteString("&k")
		body.WriteString(strconv.Itoa(1000000 + i))
		body.WriteString("=1")
	}
	ex := docsExchange()
	ex.Request.Body = []byte(body.String())
	b.SetBytes(int64(len(ex.Request.Body)))
	b.ReportAllocs()
	for b.Loop() {
		p.Check(ex)
	}
}

// BenchmarkLoadEmbedded compiles the embedded contract.
func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := load("c.yaml", contractBytes(), false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadTwilio loads and compiles Twilio's whole Conversations spec.
func BenchmarkLoadTwilio(b *testing.B) {
	loadTwilio(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadFile(twilioSpec); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCheckConcurrently runs one plan from many goroutines; with -race it
// proves the plan is safe to share.
func TestCheckConcurrently(t *testing.T) {
	p := embeddedPlan(t)
	cases := ruleCases()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				for _, tt := range cases {
					if got := rulesOf(p.Check(tt.exchange()).Findings); len(got) != len(tt.want) {
						t.Errorf("%s: %v", tt.name, got)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzCheck feeds arbitrary request and response bodies and headers through
// the checker: it must never panic, every finding must name a rule of the
// catalogue and a place in the exchange, and no finding may show the
// exchange's auth token (its Basic-auth password), whatever the bodies and
// headers hold around it. Check's result is the full path's, finding for
// finding: the gate in front of it decides only when it is sure.
func FuzzCheck(f *testing.F) {
	f.Add(docsBody, docsResp, "application/x-www-form-urlencoded", "application/json", "*", "true")
	f.Add("Target=%zz&&=", `{"sid": null, "configuration": []}`, "", "application/json", "https://a, b", "yes")
	f.Add("Configuration.ReplayAfter=99999999999999999999999", `[1, 2]`, "text/plain", "text/html", "", "")
	f.Add("Configuration.Filters[]=a&configuration.url=b", `{"url": "x", "sid": "WH`, "application/json", "application/json;x", "null", "TRUE")
	f.Add("Target=webhook&Configuration.Url=%2Fhook%3Ftoken%3D"+testToken, `{"message": "the AuthToken `+testToken+` is not valid for this account, check the credentials"}`,
		"", "application/json", "Bearer "+testToken, testToken)
	p := embeddedPlan(f)
	f.Fuzz(func(t *testing.T, reqBody, respBody, reqCT, respCT, acao, acac string) {
		ex := docsExchange()
		ex.Request.Body = []byte(reqBody)
		ex.Request.Header.Set("Content-Type", reqCT)
		ex.Request.Header.Set("Origin", "https://app.example.com")
		ex.Response.Body = []byte(respBody)
		ex.Response.Header.Set("Content-Type", respCT)
		ex.Response.Header.Set("Access-Control-Allow-Origin", acao)
		ex.Response.Header.Set("Access-Control-Allow-Credentials", acac)
		res := p.Check(ex)
		op, vals, _ := p.chk.Router.Match(strings.ToUpper(ex.Request.Method), ex.Request.URL)
		if full := p.fullCheck(op, vals, ex, true); !reflect.DeepEqual(res, full) {
			t.Fatalf("Check found %v, the full path %v", res.Findings, full.Findings)
		}
		for _, f := range res.Findings {
			if _, ok := LookupRule(f.Rule); !ok {
				t.Fatalf("finding of unknown rule %q", f.Rule)
			}
			if f.Location == (Location{}) || f.Message == "" || f.Spec.Line <= 0 {
				t.Fatalf("incomplete finding %+v", f)
			}
			if s := f.String() + f.Got + f.Want + f.Hint; strings.Contains(s, testToken) {
				t.Fatalf("the auth token survived in %q", s)
			}
		}
	})
}

// BenchmarkCheckTwilio is BenchmarkCheck with the plan of Twilio's full
// Conversations spec (103 operations): what a large contract adds per pair.
func BenchmarkCheckTwilio(b *testing.B) {
	p := loadTwilio(b)
	ex := docsExchange()
	if res := p.Check(ex); len(res.Findings) != 0 || res.Skipped() {
		b.Fatalf("the example pair is skipped or has findings: %s %v", res.Skip, res.Findings)
	}
	b.SetBytes(int64(len(ex.Request.Body) + len(ex.Response.Body)))
	b.ReportAllocs()
	for b.Loop() {
		p.Check(ex)
	}
}
