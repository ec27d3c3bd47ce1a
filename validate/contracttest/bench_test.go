package contracttest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// fakeRoundTripper answers every request with the fake, in memory.
func fakeRoundTripper(b *testing.B) http.RoundTripper {
	fake, err := contracttest.NewFake()
	if err != nil {
		b.Fatal(err)
	}
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		w := httptest.NewRecorder()
		fake.ServeHTTP(w, r)
		return w.Result(), nil
	})
}

// benchmarkTransport sends one valid webhook request per iteration through
// rt, reading the answer.
func benchmarkTransport(b *testing.B, rt http.RoundTripper) {
	form := validForms["webhook"].Encode()
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, webhooksURL(conv), strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(account, authToken)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkFake is the fake answering one request in memory (it checks the
// request).
func BenchmarkFake(b *testing.B) { benchmarkTransport(b, fakeRoundTripper(b)) }

// BenchmarkTransport is the same exchange through Transport: the
// difference with BenchmarkFake is what checking an exchange on the client
// side costs.
func BenchmarkTransport(b *testing.B) {
	benchmarkTransport(b, contracttest.Transport(b, fakeRoundTripper(b)))
}

// BenchmarkTransportOtherOperation is an exchange Transport passes through:
// the cost of deciding it is not the operation's.
func BenchmarkTransportOtherOperation(b *testing.B) {
	next := roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}, nil
	})
	tr := contracttest.Transport(b, next)
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, "https://api.example.com/v1/Other", nil)
		if _, err := tr.RoundTrip(req); err != nil {
			b.Fatal(err)
		}
	}
}
