package contracttest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
)

// FuzzFake sends the fake any method, path, media type and body. It never
// panics; every answer is Twilio's JSON (an error body, or a webhook); and
// every 201 answers a request without errors and adds no finding of its
// own, so that no input makes the fake break what it fakes.
func FuzzFake(f *testing.F) {
	f.Add("POST", "/v1/Conversations/"+conv+"/Webhooks", "application/x-www-form-urlencoded", validForms["webhook"].Encode())
	f.Add("POST", "/v1/Conversations/"+conv+"/Webhooks", "application/x-www-form-urlencoded", validForms["trigger"].Encode())
	f.Add("POST", "/v1/Conversations/support%20desk/Webhooks", "application/x-www-form-urlencoded", validForms["studio"].Encode())
	f.Add("POST", "/v1/Conversations/"+conv+"/Webhooks", "application/x-www-form-urlencoded", "Target=studio&Configuration.ReplayAfter=007")
	f.Add("POST", "/v1/Conversations/"+conv+"/Webhooks", "application/x-www-form-urlencoded", "Target=webhook&Configuration.Url=%zz")
	f.Add("POST", "/v1/Conversations/"+conv+"/Webhooks", "application/json", `{"Target":"webhook"}`)
	f.Add("OPTIONS", "/v1/Conversations/"+conv+"/Webhooks", "", "")
	f.Add("GET", "/v1/Services", "", "")
	var call contracttest.Call // the last call; the fuzz function runs one input at a time
	fake, err := contracttest.NewFake(contracttest.Observe(func(c contracttest.Call) { call = c }))
	if err != nil {
		f.Fatal(err)
	}
	plan, err := validate.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path, ctype, body string) {
		if method == "" || strings.ContainsAny(method, " \t\r\n()<>@,;:\\\"/[]?={}") || !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t\r\n#") {
			t.Skip("not an HTTP request line")
		}
		req, err := http.NewRequest(method, "https://conversations.twilio.com"+path, strings.NewReader(body))
		if err != nil {
			t.Skip("not a request:", err)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.SetBasicAuth(account, authToken)
		w := httptest.NewRecorder()
		fake.ServeHTTP(w, req)
		switch {
		case w.Code == http.StatusNoContent:
			return
		case w.Code == http.StatusCreated:
			// The request may earn warnings; the answer adds no finding.
			for _, fd := range plan.Check(call.Exchange).Findings {
				if fd.Severity == validate.SeverityError || fd.Location.Part.Response() {
					t.Fatalf("the fake's 201 to %s %s %q breaks the contract: %v\n%s", method, path, body, fd, w.Body)
				}
			}
		default:
			var e struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
				Status  int    `json:"status"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Status != w.Code || e.Code == 0 || e.Message == "" {
				t.Fatalf("status %d with no Twilio error body: %s (%v)", w.Code, w.Body, err)
			}
		}
	})
}
