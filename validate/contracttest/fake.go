package contracttest

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/contractcheck/contractcheck/validate"
)

// The operation the fake serves, and what it answers with.
const (
	// OperationID is the operation the fake serves.
	OperationID = "CreateConversationScopedWebhook"
	// DefaultAccountSID is the account the fake names when it requires no
	// credentials and the Basic-auth user is not an account SID.
	DefaultAccountSID = "AC00000000000000000000000000000000"
	// apiBase is where the webhook lives: the server of the contract
	// (servers[0].url), as Twilio's own answers say.
	apiBase = "https://conversations.twilio.com"
	// maxBody bounds the request bodies the fake reads.
	maxBody = 1 << 20
	// fakeSource names the exchanges of the fake.
	fakeSource = "contracttest.Fake"
)

var (
	// conversationsPath finds the conversation in the operation's path.
	conversationsPath = regexp.MustCompile(`/Conversations/([^/]+)/Webhooks/?$`)
	// accountSID and conversationSID tell an account or conversation SID
	// from a user name or a conversation's unique name, to decide what the
	// answer names; the contract's own checks are validate's.
	accountSID      = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	conversationSID = regexp.MustCompile(`^CH[0-9a-fA-F]{32}$`)
)

// Call is one request the fake answered.
type Call struct {
	// Exchange holds the request as the fake received it (its URL in origin
	// form, its Host header) and the response as the fake wrote it.
	Exchange *validate.Exchange
	// Operation is the operation the request matched, "" when none did (a
	// CORS preflight, another path).
	Operation string
	// Findings are what the request breaks: the findings of
	// [validate.Plan.CheckRequest], or, for a request the fake does not
	// serve (another path or method; a CORS preflight aside), the finding
	// of rule operation.unmatched.
	Findings []validate.Finding
	// Omitted counts, by rule, the findings the caps left out of Findings
	// (see [validate.Result]).
	Omitted map[string]int

	ctx context.Context // the request's, for the observers of a Server
}

// Form returns the request's form body as url.ParseQuery decodes it, for
// tests that assert what was sent.
func (c Call) Form() url.Values {
	v, _ := url.ParseQuery(string(c.Exchange.Request.Body))
	return v
}

// Fake is an http.Handler that answers Twilio Conversations' "Create a
// conversation-scoped webhook" as the contract says and as Twilio does:
//
//   - A request that keeps the contract gets 201 Created and a JSON body
//     that keeps it too and agrees with the request: a fresh WH SID, the
//     path's conversation (a unique name in the path gets a CH SID derived
//     from it), the account, the configuration echoed (what the request set,
//     nothing it did not), date_created and date_updated from the clock in
//     RFC 3339, and the webhook's url under the contract's server.
//   - A request with an error finding gets Twilio's 400: a JSON body with
//     code 20001, a message naming the field of the first error (such as
//     "Invalid parameter: Configuration.FlowSid", or "Missing required
//     parameter Target in the post body"), more_info and status. Warnings
//     (rule config.target-fit) do not stop the webhook being created.
//   - With [Credentials], a request without them gets Twilio's 401 (20003),
//     before any other answer.
//   - A CORS preflight of the operation gets 204; any other method or path
//     gets Twilio's 404 (20404).
//
// Every answer carries Twilio's CORS headers ([AllowOrigin] changes the
// origin). The findings come from [validate.Plan.CheckRequest]; the fake
// decides nothing by a rule of its own. A Fake is safe for concurrent use.
type Fake struct {
	cfg *config

	mu sync.Mutex // serialises reads of cfg.sids
}

// NewFake returns the fake endpoint, configured by the options: [WithPlan],
// [Credentials], [Clock], [SIDSource], [AllowOrigin] and [Observe] apply.
// It refuses options under which its own answer would break the contract
// (an account that is not an AC SID, a plan that does not describe the
// operation as the embedded contract does): it answers one sample request
// and checks the exchange with the plan before it returns.
func NewFake(opts ...Option) (*Fake, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	cfg.plan = cfg.plan.AnyHost() // a served fake is addressed by any name
	f := &Fake{cfg: cfg}
	if err := f.selfCheck(); err != nil {
		return nil, err
	}
	return f, nil
}

// ServeHTTP answers one request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	}
	ex, err := validate.NewExchange(r, nil)
	if err != nil {
		// NewExchange fails only reading the body: answer without a check.
		ex = &validate.Exchange{Request: validate.Request{Method: r.Method, URL: r.URL.String(), Header: r.Header.Clone()}}
	}
	ex.Source = fakeSource
	call := Call{Exchange: ex, ctx: r.Context()}
	f.answer(w, r, &call, err)
	// The observer hears of the call before the client has its answer, so
	// that a test fails before the code under test moves on.
	if f.cfg.observe != nil {
		f.cfg.observe(call)
	}
	w.WriteHeader(ex.Response.Status)
	_, _ = w.Write(ex.Response.Body) // a client that went away is no concern of the answer
}

// answer decides the response: it sets the headers on w and records the
// status and body in the call's exchange, for ServeHTTP to send.
func (f *Fake) answer(w http.ResponseWriter, r *http.Request, call *Call, bodyErr error) {
	ex := call.Exchange
	f.corsHeaders(w.Header(), r.Header.Get("Origin"))
	if bodyErr != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(bodyErr, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		f.writeError(w, ex, status, 20001, "The request body could not be read")
		return
	}
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" &&
		f.cfg.matches(http.MethodPost, ex.Request.URL) {
		f.respond(w, ex, http.StatusNoContent, nil)
		return
	}
	res := f.cfg.plan.CheckRequest(ex)
	if res.Operation != OperationID {
		if !res.Skipped() {
			res = validate.Result{Skip: "the fake serves only " + OperationID + ", not " + res.Operation}
		}
		call.Findings = []validate.Finding{f.cfg.plan.Unmatched(ex, res)}
		f.writeError(w, ex, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	call.Operation, call.Findings, call.Omitted = res.Operation, res.Findings, res.Omitted
	user, pass, hasAuth := r.BasicAuth()
	if f.cfg.account != "" && !(hasAuth && user == f.cfg.account &&
		subtle.ConstantTimeCompare([]byte(pass), []byte(f.cfg.token)) == 1) { // a served fake may face a network
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		f.writeError(w, ex, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	for _, fd := range res.Findings {
		if fd.Severity == validate.SeverityError {
			f.writeError(w, ex, http.StatusBadRequest, 20001, twilioMessage(fd))
			return
		}
	}
	sid, err := f.newSID()
	if err != nil {
		f.writeError(w, ex, http.StatusInternalServerError, 20500, "Internal Server Error: no webhook SID: "+err.Error())
		return
	}
	account := f.cfg.account
	if account == "" {
		account = DefaultAccountSID
		if hasAuth && accountSID.MatchString(user) {
			account = user
		}
	}
	body, err := f.created(ex, account, sid)
	if err != nil {
		f.writeError(w, ex, http.StatusInternalServerError, 20500, "Internal Server Error: "+err.Error())
		return
	}
	f.respond(w, ex, http.StatusCreated, body)
}

// twilioMessage is Twilio's message for a request that breaks a rule: it
// names the field of the finding.
func twilioMessage(f validate.Finding) string {
	field := fieldOf(f.Location)
	switch {
	case field == "":
		return "Invalid request: " + f.Message
	case f.Rule == validate.RuleRequired:
		return "Missing required parameter " + field + " in the post body"
	}
	return "Invalid parameter: " + field
}

// fieldOf returns the field a finding's location names:
// "request.body#/Configuration.Filters/1" gives "Configuration.Filters",
// "request.header/Content-Type" gives "Content-Type".
func fieldOf(loc validate.Location) string {
	if loc.Pointer == "" && loc.Part == validate.PartRequestHeader {
		return loc.Name
	}
	return loc.Field()
}

// newSID returns a fresh webhook SID from the SID source.
func (f *Fake) newSID() (string, error) {
	var b [16]byte
	f.mu.Lock()
	_, err := io.ReadFull(f.cfg.sids, b[:])
	f.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("reading the SID source: %w", err)
	}
	return "WH" + hex.EncodeToString(b[:]), nil
}

// webhook is the 201 body, in the order of Twilio's own answers.
type webhook struct {
	AccountSid      string         `json:"account_sid"`
	ConversationSid string         `json:"conversation_sid"`
	Sid             string         `json:"sid"`
	Target          string         `json:"target"`
	Configuration   map[string]any `json:"configuration"`
	DateCreated     string         `json:"date_created"`
	DateUpdated     string         `json:"date_updated"`
	URL             string         `json:"url"`
}

// configEcho names the response's configuration property of each form
// field of the configuration.
var configEcho = []struct {
	field, prop string
	list        bool
}{
	{"Configuration.Url", "url", false},
	{"Configuration.Method", "method", false},
	{"Configuration.Filters", "filters", true},
	{"Configuration.Triggers", "triggers", true},
	{"Configuration.FlowSid", "flow_sid", false},
	{"Configuration.ReplayAfter", "replay_after", false},
}

// created is the 201 body for a request that keeps the contract.
func (f *Fake) created(ex *validate.Exchange, account, sid string) ([]byte, error) {
	form, _ := url.ParseQuery(string(ex.Request.Body))
	cfg := map[string]any{}
	for _, e := range configEcho {
		vals, ok := form[e.field]
		switch {
		case !ok:
		case e.list:
			cfg[e.prop] = vals
		case e.prop == "replay_after":
			// Decimal text, checked: echoed as the number it is, whatever
			// its size or leading zeros.
			if n, ok := new(big.Int).SetString(vals[0], 10); ok {
				cfg[e.prop] = n
			} else {
				cfg[e.prop] = vals[0]
			}
		default:
			cfg[e.prop] = vals[0]
		}
	}
	path := requestPath(ex.Request.URL)
	conv := ""
	if m := conversationsPath.FindStringSubmatch(path); m != nil {
		conv, _ = url.PathUnescape(m[1])
	}
	if !conversationSID.MatchString(conv) {
		// A unique name: Twilio answers with the conversation's SID.
		h := sha256.Sum256([]byte("conversation " + conv))
		conv = "CH" + hex.EncodeToString(h[:16])
	}
	now := f.cfg.clock().UTC().Format(time.RFC3339)
	return json.Marshal(webhook{
		AccountSid: account, ConversationSid: conv, Sid: sid, Target: form.Get("Target"),
		Configuration: cfg, DateCreated: now, DateUpdated: now,
		URL: apiBase + "/v1/Conversations/" + conv + "/Webhooks/" + sid,
	})
}

// requestPath is the escaped path of a request target, absolute or
// origin-form.
func requestPath(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return target
	}
	return u.EscapedPath()
}

// corsHeaders sets the CORS headers of every answer: Twilio's, with the
// allowed origin.
func (f *Fake) corsHeaders(h http.Header, origin string) {
	switch {
	case f.cfg.origin == "*":
		h.Set("Access-Control-Allow-Origin", "*")
	case origin == f.cfg.origin:
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Add("Vary", "Origin")
	default:
		h.Add("Vary", "Origin")
	}
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
}

// twilioError is Twilio's error body.
type twilioError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// writeError answers with Twilio's error body.
func (f *Fake) writeError(w http.ResponseWriter, ex *validate.Exchange, status, code int, message string) {
	body, _ := json.Marshal(twilioError{Code: code, Message: message,
		MoreInfo: fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code), Status: status})
	f.respond(w, ex, status, body)
}

// respond sets the response's headers, with a JSON media type when it has a
// body, and records it in ex.
func (f *Fake) respond(w http.ResponseWriter, ex *validate.Exchange, status int, body []byte) {
	h := w.Header()
	if body != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	ex.Response = validate.Response{Status: status, Header: h.Clone(), Body: body}
}

// selfCheck answers a sample request that keeps the contract and checks the
// exchange with the plan: the fake must keep the contract it fakes.
func (f *Fake) selfCheck() error {
	const conv = "CH0123456789abcdef0123456789abcdef"
	form := url.Values{
		"Target": {"webhook"}, "Configuration.Url": {"https://example.com/hook"},
		"Configuration.Method": {"post"}, "Configuration.Filters": {"onMessageAdded"},
	}
	account := f.cfg.account
	if account == "" {
		account = DefaultAccountSID
	}
	ex := &validate.Exchange{Source: "contracttest self-check", Request: validate.Request{
		Method: http.MethodPost, URL: apiBase + "/v1/Conversations/" + conv + "/Webhooks",
		Header: http.Header{
			"Content-Type":  {"application/x-www-form-urlencoded"},
			"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(account+":token"))},
		},
		Body: []byte(form.Encode()),
	}}
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	f.corsHeaders(h, "")
	body, err := f.created(ex, account, "WH0123456789abcdef0123456789abcdef")
	if err != nil {
		return fmt.Errorf("contracttest: answering a sample request: %w", err)
	}
	ex.Response = validate.Response{Status: http.StatusCreated, Header: h, Body: body}
	res := f.cfg.plan.Check(ex)
	if res.Operation != OperationID {
		return fmt.Errorf("contracttest: the contract %s does not describe %s at POST /v1/Conversations/{ConversationSid}/Webhooks", f.cfg.plan.File(), OperationID)
	}
	if len(res.Findings) > 0 {
		return fmt.Errorf("contracttest: with these options the fake's answer breaks the contract %s:\n%s",
			f.cfg.plan.File(), render(ex, res.Operation, res.Findings))
	}
	return nil
}
