package report

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/escape"
	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate"
)

// maxWireBody is how many bytes of a body [NewWire] shows, counted after its
// secrets are redacted.
const maxWireBody = 4 << 10

// Wire is an exchange as the HTML report shows it: its request and its
// response as HTTP/1.1 text, secrets redacted.
type Wire struct {
	// Request is the request line, the header fields and the body.
	Request string
	// Response is the status line, the header fields and the body.
	Response string
}

// NewWire renders ex for a report: credential header fields as
// [validate.Exchange.WithoutSecrets] leaves them, every other value redacted
// with [redact.Text] and the exchange's own secrets, then each body cut
// to 4 KiB (saying how many bytes were left out) and every line escaped
// ([escape.Line]), so that no secret is shortened before it is hidden and no
// byte of the recording controls a terminal.
func NewWire(ex *validate.Exchange) Wire {
	secrets := lazySecrets(ex)
	secrets.Secrets() // many texts, as in curl
	clean := ex.WithoutSecrets()
	var req strings.Builder
	method := ex.Request.Method
	if method == "" {
		method = http.MethodGet
	}
	req.WriteString(escape.Line(method + " " + secrets.Text(ex.Request.URL)))
	wireHeaders(&req, clean.Request.Header, &secrets)
	wireBody(&req, ex.Request.Body, &secrets)

	var resp strings.Builder
	resp.WriteString(strconv.Itoa(ex.Response.Status))
	if text := http.StatusText(ex.Response.Status); text != "" {
		resp.WriteString(" " + text)
	}
	wireHeaders(&resp, clean.Response.Header, &secrets)
	wireBody(&resp, ex.Response.Body, &secrets)
	return Wire{Request: req.String(), Response: resp.String()}
}

// wireHeaders writes one line per header field, sorted by name.
func wireHeaders(b *strings.Builder, h http.Header, secrets *redact.Lazy) {
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			b.WriteString("\n" + escape.Line(name+": "+secrets.Text(v)))
		}
	}
}

// wireBody writes a blank line and the redacted body, cut to maxWireBody.
func wireBody(b *strings.Builder, body []byte, secrets *redact.Lazy) {
	if len(body) == 0 {
		return
	}
	s := secrets.Text(string(body))
	more := 0
	if len(s) > maxWireBody {
		cut := maxWireBody
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s, more = s[:cut], len(s)-cut
	}
	b.WriteString("\n")
	for l := range strings.SplitSeq(s, "\n") {
		b.WriteString("\n" + escape.Line(strings.TrimSuffix(l, "\r")))
	}
	if more > 0 {
		b.WriteString("\n… " + plural(more, "more byte") + " not shown")
	}
}
