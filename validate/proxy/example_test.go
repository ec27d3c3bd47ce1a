package proxy_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
	"github.com/contractcheck/contractcheck/validate/proxy"
)

// Put an enforcing proxy in front of a server of the operation (here the
// fake of contracttest): a request that breaks the contract never reaches
// it, and the client gets a problem document naming the field.
func Example() {
	plan, err := validate.Embedded()
	if err != nil {
		panic(err)
	}
	fake, err := contracttest.NewFake()
	if err != nil {
		panic(err)
	}
	upstream := httptest.NewServer(fake)
	defer upstream.Close()
	u, _ := url.Parse(upstream.URL)

	done := make(chan proxy.Exchange, 1)
	p, err := proxy.New(proxy.Options{Plan: plan, Upstream: u, Enforce: true,
		OnExchange: func(e proxy.Exchange) { done <- e }})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/v1/Conversations/CH0123456789abcdef0123456789abcdef/Webhooks",
		"application/x-www-form-urlencoded", strings.NewReader("Target=studio&Configuration.FlowSid=FW123"))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	e := <-done
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Println(e.Action, e.Result.Findings[0].Rule, e.Result.Findings[0].Location)
	fmt.Println(strings.Contains(string(body), `"title":"The request breaks the contract"`))
	// Output:
	// 400 application/problem+json
	// refused-request sid.format request.body#/Configuration.FlowSid
	// true
}
