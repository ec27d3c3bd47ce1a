package recording_test

import (
	"fmt"
	"strings"

	"github.com/contractcheck/contractcheck/validate/recording"
)

func ExampleRead() {
	const har = `{"log": {"version": "1.2", "entries": [
  {"request": {"method": "POST",
               "url": "https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks",
               "headers": [{"name": "content-type", "value": "application/x-www-form-urlencoded"}],
               "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "Target=webhook"}},
   "response": {"status": 201, "headers": [],
                "content": {"mimeType": "application/json", "text": "{\"sid\": \"WH00000000000000000000000000000000\"}"}}},
  {"request": {"method": "POST", "url": "https://conversations.twilio.com/v1/Conversations/CH1/Webhooks", "headers": []},
   "response": {"status": 0, "headers": [], "content": {}}}
]}}`
	for ex, err := range recording.Read("example.har", strings.NewReader(har)) {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Printf("%s#%d (line %d): %s %s %q -> %d %s %s\n", ex.Source, ex.Entry, ex.Line,
			ex.Request.Method, ex.Request.URL, ex.Request.Body,
			ex.Response.Status, ex.Response.Header.Get("Content-Type"), ex.Response.Body)
	}
	// Output:
	// example.har#0 (line 2): POST https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks "Target=webhook" -> 201 application/json {"sid": "WH00000000000000000000000000000000"}
	// error: example.har#1 (line 8): response.status: 0: no response was received
}

func ExampleFrames() {
	const ndjson = `{"request":{"method":"POST","url":"/v1/Conversations/CH1/Webhooks","body":"Target=webhook"},"response":{"status":201}}

{"request":{"method":"POST","url":"/v1/Conversations/CH2/Webhooks"},"response":{"status":"201"}}
`
	// Frames finds the entries in order; Decode may run on other goroutines.
	for f, err := range recording.Frames("example.ndjson", strings.NewReader(ndjson)) {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		ex, err := f.Decode()
		f.Release()
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Printf("%s#%d (line %d): %s %s -> %d\n", ex.Source, ex.Entry, ex.Line, ex.Request.Method, ex.Request.URL, ex.Response.Status)
	}
	// Output:
	// example.ndjson#0 (line 1): POST /v1/Conversations/CH1/Webhooks -> 201
	// error: example.ndjson#2 (line 3): response.status: want an integer, got a string
}
