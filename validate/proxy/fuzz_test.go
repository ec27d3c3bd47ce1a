package proxy_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/proxy"
)

// FuzzProxy sends arbitrary methods, paths, content types and bodies through
// a checking proxy to an upstream that echoes them: the proxy must not
// panic, must tell of each exchange once, and must hand the client the
// upstream's bytes.
func FuzzProxy(f *testing.F) {
	f.Add("POST", path, "application/x-www-form-urlencoded", []byte(validForm))
	f.Add("POST", path, "application/x-www-form-urlencoded", []byte(badForm))
	f.Add("POST", path, "application/json", []byte(`{"Target":"webhook"}`))
	f.Add("GET", "/v1/Conversations/%zz/Webhooks?x=%", "", []byte{0xff, 0x00})
	f.Add("OPTIONS", "/", "text/plain", []byte(""))
	plan, err := validate.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(b)
	}))
	defer up.Close()
	u, _ := url.Parse(up.URL)
	var told atomic.Int64
	p, err := proxy.New(proxy.Options{Plan: plan, Upstream: u, MaxBody: 512, OnExchange: func(proxy.Exchange) { told.Add(1) }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, target, contentType string, body []byte) {
		req, err := http.NewRequest(method, "http://proxy.test"+target, bytes.NewReader(body))
		if err != nil || req.URL.Host != "proxy.test" {
			return
		}
		req.RequestURI = req.URL.RequestURI()
		req.Header.Set("Content-Type", contentType)
		if req.Header.Get("Content-Type") != contentType {
			return
		}
		before := told.Load()
		w := httptest.NewRecorder()
		p.ServeHTTP(w, req)
		if n := told.Load() - before; n != 1 {
			t.Fatalf("told of %d exchanges, want 1", n)
		}
		if w.Code == http.StatusCreated && !bytes.Equal(w.Body.Bytes(), body) {
			t.Fatalf("the client got %q, the upstream sent %q", w.Body.Bytes(), body)
		}
	})
}
