package validate_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/contractcheck/contractcheck/validate"
)

// TestFastPathRecordings runs every recorded pair through the fast path and
// the full path separately, with the embedded contract and with Twilio's full
// spec: the fast path calls a pair clean only when the full path finds
// nothing, and it takes most of the passing pairs.
func TestFastPathRecordings(t *testing.T) {
	run := func(t *testing.T, plan *validate.Plan) {
		var fast, clean int
		for _, name := range recordingNames(t) {
			for _, it := range readRecording(t, filepath.Join(recordingsDir, name)) {
				if it.ex == nil {
					continue
				}
				isFast, full := plan.FastAndFull(it.ex)
				if len(full.Findings) == 0 && full.Operation != "" {
					clean++
				}
				if isFast {
					fast++
					assert.Empty(t, full.Findings, "%s entry %d: the fast path called it clean", name, it.ex.Entry)
				}
			}
		}
		t.Logf("the fast path took %d of %d clean pairs", fast, clean)
		assert.Greater(t, fast*2, clean, "the fast path takes most clean pairs")
	}
	t.Run("embedded", func(t *testing.T) { run(t, embeddedPlan(t)) })
	t.Run("full spec", func(t *testing.T) { run(t, fullSpecPlan(t)) })
}

// FuzzFastPath feeds arbitrary bodies and headers, seeded from the
// recordings, through both paths. The fast path may call a pair clean only
// when the full path (jsonschema/v5 and every rule) finds nothing at all; and
// on the response schema alone, whenever the fast scanner decides, it agrees
// with encoding/json and jsonschema/v5.
func FuzzFastPath(f *testing.F) {
	for _, name := range recordingNames(f) {
		for _, it := range readRecording(f, filepath.Join(recordingsDir, name)) {
			ex := it.ex
			if ex == nil || ex.Request.Method != http.MethodPost || !strings.HasSuffix(requestPathOf(ex.Request.URL), "/Webhooks") {
				continue
			}
			f.Add(string(ex.Request.Body), string(ex.Response.Body), ex.Request.Header.Get("Content-Type"),
				ex.Response.Header.Get("Content-Type"), ex.Response.Header.Get("Access-Control-Allow-Origin"),
				ex.Response.Header.Get("Access-Control-Allow-Credentials"), ex.Request.Header.Get("Origin"),
				ex.Request.Header.Get("Authorization"), conversationOf(ex.Request.URL), ex.Response.Status)
		}
	}
	plan := embeddedPlan(f)
	f.Fuzz(func(t *testing.T, reqBody, respBody, reqCT, respCT, acao, acac, origin, auth, conv string, status int) {
		ex := &validate.Exchange{
			Request: validate.Request{Method: "POST", URL: "https://conversations.twilio.com/v1/Conversations/" + conv + "/Webhooks",
				Header: http.Header{}, Body: []byte(reqBody)},
			Response: validate.Response{Status: status, Header: http.Header{}, Body: []byte(respBody)},
		}
		set := func(h http.Header, k, v string) {
			if v != "" {
				h.Set(k, v)
			}
		}
		set(ex.Request.Header, "Content-Type", reqCT)
		set(ex.Request.Header, "Origin", origin)
		set(ex.Request.Header, "Authorization", auth)
		set(ex.Response.Header, "Content-Type", respCT)
		set(ex.Response.Header, "Access-Control-Allow-Origin", acao)
		set(ex.Response.Header, "Access-Control-Allow-Credentials", acac)
		fast, full := plan.FastAndFull(ex)
		if fast && len(full.Findings) > 0 {
			t.Fatalf("the fast path called a pair clean that has findings: %+v", full.Findings)
		}
		fv, av := plan.ResponseSchemaVerdicts("CreateConversationScopedWebhook", 201, []byte(respBody))
		switch fv {
		case validate.VerdictValid, validate.VerdictInvalid:
			if fv != av {
				t.Fatalf("the fast scanner says %s, jsonschema/v5 says %s, of %q", fv, av, respBody)
			}
		case validate.VerdictUnsure:
			if av == validate.VerdictNotJSON {
				t.Fatalf("the fast scanner read %q, which encoding/json refuses", respBody)
			}
		}
	})
}

// requestPathOf is the path of a recorded request target.
func requestPathOf(target string) string {
	if i := strings.Index(target, "://"); i >= 0 {
		target = target[i+3:]
		if j := strings.IndexByte(target, '/'); j >= 0 {
			target = target[j:]
		}
	}
	target, _, _ = strings.Cut(target, "?")
	return target
}

// conversationOf is the ConversationSid segment of a webhook path.
func conversationOf(target string) string {
	parts := strings.Split(requestPathOf(target), "/")
	if len(parts) >= 4 {
		return parts[3]
	}
	return ""
}
