package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/finding"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
	"github.com/contractcheck/contractcheck/validate/internal/route"
	"github.com/contractcheck/contractcheck/validate/internal/wire"
)

// checker holds the state of checking one exchange.
type checker struct {
	p           *Plan
	op          *compiled.Operation
	ex          *Exchange
	secrets     redact.Lazy // the exchange's credentials (see checker.redact)
	haveSecrets bool        // whether secrets is set
	findings    []finding.Finding
	perRule     map[string]int // the findings of each rule in findings
	omitted     map[string]int // the findings of each rule left out by the caps

	pathVals   []string           // path parameter values, in template order
	scan       *pairScan          // the scanned form and response properties
	formOK     bool               // the body was read as the operation's form
	respObject bool               // the response body is a JSON object, its properties in scan
	own        ownRules           // the operation's own rules, nil for most
	respPlan   *compiled.Response // the documented response matched by status
	unread     Bodies             // the bodies that could not be read: their rules are left out

	// gating makes the checker a gate (see Plan.gate): a rule that fails
	// sets failed and builds no finding.
	gating, failed bool
}

// Check checks an exchange and returns its findings: first in gate mode
// (see checker.gate), then, unless the gate is sure the pair is clean, with
// every rule. withResponse says whether the response is checked too.
func (p *Plan) Check(ex Exchange, withResponse bool) Result {
	method := strings.ToUpper(ex.Method)
	st := pairScans.Get().(*pairScan)
	defer st.release()
	st.ex = ex
	op, vals, reason := p.Router.MatchInto(method, ex.URL, st.pathVals[:0])
	if op == nil {
		return Result{Skip: reason}
	}
	c := &st.c
	*c = checker{p: p, op: op, ex: &st.ex, pathVals: vals, scan: st}
	if c.gate(withResponse) {
		return Result{Operation: op.ID}
	}
	*c = checker{p: p, op: op, ex: &st.ex, pathVals: vals, scan: st}
	return c.run(withResponse)
}

// CheckUnread checks an exchange some of whose bodies could not be read
// (unread, not 0), with every rule that does not need them; see validate's
// Plan.CheckUnread.
func (p *Plan) CheckUnread(ex Exchange, unread Bodies, withResponse bool) Result {
	op, vals, reason := p.Router.Match(strings.ToUpper(ex.Method), route.RequestPath(ex.URL))
	if op == nil {
		return Result{Skip: reason}
	}
	st := pairScans.Get().(*pairScan)
	defer st.release()
	st.ex = ex
	c := &checker{p: p, op: op, ex: &st.ex, pathVals: vals, unread: unread, scan: st}
	return c.run(withResponse)
}

// FullCheck checks an exchange of op, its path parameters' values vals,
// with every rule and returns all its findings, without the gate: tests
// use it to prove that the gate changes nothing.
func (p *Plan) FullCheck(op *compiled.Operation, vals []string, ex Exchange, withResponse bool) Result {
	st := pairScans.Get().(*pairScan)
	defer st.release()
	st.ex = ex
	c := &checker{p: p, op: op, ex: &st.ex, pathVals: vals, scan: st}
	return c.run(withResponse)
}

// run applies the rules, those that need a body the checker may not read
// aside. A gate (c.gating) stops at the first rule that fails.
func (c *checker) run(withResponse bool) Result {
	c.own = c.p.own[c.op.Index]
	own := c.own
	c.checkParams()
	if own != nil && !c.failed {
		own.checkPath(c)
	}
	if !c.failed {
		c.checkRequestBody()
	}
	if withResponse && !c.failed {
		c.checkResponse()
		if !c.failed {
			c.checkCORS()
		}
		if own != nil && c.unread == 0 && !c.failed {
			own.checkPair(c)
		}
	}
	sortFindings(c.findings)
	res := Result{Operation: c.op.ID, Findings: c.findings, Omitted: c.omitted}
	if c.haveSecrets && c.secrets.Computed() {
		secrets := c.secrets // the checker is pooled: hand on a copy
		res.Secrets = &secrets
	}
	return res
}

// room reports whether a finding of rule may still be added under the caps
// (MaxFindingsPerRule, MaxFindingsPerPair); when it may not, the finding is
// counted as omitted. Checks that can find something for every key or item
// of a body ask first, so that what is left out is never built.
func (c *checker) room(rule string) bool {
	if c.gating {
		c.failed = true
		return false
	}
	n := c.perRule[rule]
	if n == 0 || n < MaxFindingsPerRule && len(c.findings) < MaxFindingsPerPair {
		return true
	}
	if c.omitted == nil {
		c.omitted = map[string]int{}
	}
	c.omitted[rule]++
	return false
}

// add records a finding, with the exchange's secrets redacted from every
// string it holds, or counts it as omitted when the caps are reached.
func (c *checker) add(f finding.Finding) {
	if !c.room(f.Rule) {
		return
	}
	// The values were redacted whole before they were shortened and quoted
	// (checker.quote); this hides what the rest of the text may hold.
	f.Message = c.redact(f.Message)
	f.Want = c.redact(f.Want)
	f.Got = c.redact(f.Got)
	f.Hint = c.redact(f.Hint)
	f.Location.Name = c.redact(f.Location.Name)
	f.Location.Pointer = c.redact(f.Location.Pointer)
	c.keep(f)
}

// addContract records a finding whose strings hold only the contract's
// words and names (no text of the exchange), which need no redaction.
func (c *checker) addContract(f finding.Finding) {
	if c.room(f.Rule) {
		c.keep(f)
	}
}

// keep records a finding that add or addContract let in.
func (c *checker) keep(f finding.Finding) {
	if c.perRule == nil {
		c.perRule = map[string]int{}
		c.findings = make([]finding.Finding, 0, 16)
	}
	c.perRule[f.Rule]++
	c.findings = append(c.findings, finding.Catalogued(f))
}

// sortFindings orders findings by where they are in the exchange (request
// path, query, headers, body; response status, headers, body), then by
// location and the catalogue's order of rules.
func sortFindings(fs []finding.Finding) {
	// Findings are large: sort their indices, then move each finding once.
	var buf [64]int
	order := buf[:0]
	for i := range fs {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(i, j int) int {
		if c := fs[i].Location.Compare(fs[j].Location); c != 0 {
			return c
		}
		return finding.Order(fs[i].Rule) - finding.Order(fs[j].Rule)
	})
	// Follow each cycle of the permutation: fs[j] takes fs[order[j]].
	for i := range order {
		if order[i] < 0 || order[i] == i {
			continue
		}
		tmp, j := fs[i], i
		for order[j] != i {
			k := order[j]
			fs[j], order[j] = fs[k], -1
			j = k
		}
		fs[j], order[j] = tmp, -1
	}
}

// checkParams checks the path, query and header parameters. A gate judges
// path and header values with the fast schemas, and leaves the query to the
// full path.
func (c *checker) checkParams() {
	var query map[string][]string
	for _, pr := range c.op.Params {
		var one [1]string
		var vals []string
		switch pr.In {
		case "path":
			if v, ok := c.pathValue(pr.Name); ok {
				one[0] = v
				vals = one[:]
			}
		case "query":
			if c.gating {
				c.failed = true
				return
			}
			if query == nil {
				query = map[string][]string{}
				for _, fp := range wire.DecodeForm(route.RequestQuery(c.ex.URL)) {
					query[fp.Key] = append(query[fp.Key], fp.Value)
				}
			}
			vals = query[pr.Name]
		case "header":
			vals = c.ex.ReqHeader[pr.Canon]
		default:
			continue
		}
		if len(vals) == 0 {
			if pr.Required && c.room(finding.RuleRequired) {
				c.add(finding.Finding{Rule: finding.RuleRequired, Location: paramLocation(pr),
					Message: fmt.Sprintf("the %s parameter %s is required but missing", pr.In, pr.Name),
					Want:    pr.Name + " present", Got: "missing", Spec: c.p.Doc.Pos(parentPointer(pr.Ptr))})
			}
			continue
		}
		if pr.Schema == nil {
			continue
		}
		if c.gating {
			b := wire.Bytes(vals[0])
			if pr.Fast == nil || pr.Kind == compiled.KindArray || !textDecodes(pr.Kind, b) || judgeText(pr.Fast, pr.Kind, b) != gate.Valid {
				c.failed = true
				return
			}
			continue
		}
		section := paramLocation(pr)
		var v any
		if pr.Kind == compiled.KindArray {
			if len(vals) == 1 && pr.In != "query" {
				vals = strings.Split(vals[0], ",")
			}
			items := make([]any, 0, len(vals))
			decoded := true
			for _, s := range vals {
				x, ok := c.decodeText(pr.Items, s, section, pr.Name, pr.Ptr)
				decoded = decoded && ok
				items = append(items, x)
			}
			if !decoded {
				continue
			}
			v = items
		} else {
			x, ok := c.decodeText(pr.Kind, vals[0], section, pr.Name, pr.Ptr)
			if !ok {
				continue
			}
			v = x
		}
		if err := validateValue(pr.Schema, v); err != nil {
			c.schemaFindings(err, section, v, nil)
		}
	}
}

// paramLocation is where a parameter is in the request.
func paramLocation(pr *compiled.Param) finding.Location {
	switch pr.In {
	case "header":
		return finding.Location{Part: finding.PartRequestHeader, Name: pr.Name}
	case "query":
		return finding.Location{Part: finding.PartRequestQuery, Pointer: "/" + escapeToken(pr.Name)}
	}
	return finding.Location{Part: finding.PartRequestPath, Pointer: "/" + escapeToken(pr.Name)}
}

// escapeToken escapes a JSON pointer reference token.
func escapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// checkRequestBody checks the request's Content-Type and body.
func (c *checker) checkRequestBody() {
	bp := c.op.Body
	if bp == nil || len(bp.Media) == 0 {
		return
	}
	body := c.ex.ReqBody
	ct := c.ex.ReqHeader.Get("Content-Type")
	mt, mp := c.media(bp.Media, ct)
	if c.failed {
		return
	}
	unread := c.unread&RequestBody != 0
	if mp == nil && ct == "" && len(bytes.TrimSpace(body)) == 0 && !unread {
		mp = compiled.FormMedia(bp.Media)
	}
	if mp == nil {
		got := c.quote(ct)
		if ct == "" {
			got = "no Content-Type"
		}
		want := mediaList(bp.Media)
		c.add(finding.Finding{Rule: finding.RuleRequestContentType, Location: finding.Location{Part: finding.PartRequestHeader, Name: "Content-Type"},
			Message: "the request's Content-Type is not one the contract documents",
			Want:    want, Got: got, Hint: contentTypeHint(mt, want),
			Spec: c.op.Anchors[finding.AnchorRequestBody]})
		if unread {
			return
		}
		trimmed := bytes.TrimSpace(body)
		if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
			return // a JSON body read as a form would only add noise
		}
		if mp = compiled.FormMedia(bp.Media); mp == nil {
			return
		}
	}
	if unread {
		return
	}
	switch {
	case mp.Form != nil && c.gating:
		fs := &c.scan.form
		c.failed = mp.FormGate == nil || !fs.scan(mp.Form, body) || !fs.valid(mp.FormGate)
		c.formOK = true
		c.checkWords()
	case mp.Form != nil:
		c.checkForm(mp, body)
		c.checkWords()
	case mp.JSON && mp.Schema != nil && c.gating:
		c.failed = !c.scan.judge(mp, body, false, false)
	case mp.JSON && mp.Schema != nil:
		v, ok := c.decodeJSON(body, finding.Location{Part: finding.PartRequestBody}, finding.RuleType, c.op.Anchors[finding.AnchorRequestBody])
		if ok {
			if err := validateValue(mp.Schema, v); err != nil {
				c.schemaFindings(err, finding.Location{Part: finding.PartRequestBody}, v, nil)
			}
		}
	}
}

// media finds the documented media type of a Content-Type: a gate only
// exactly (it fails otherwise), the full path as matchMedia does, with the
// normalized media type.
func (c *checker) media(media []*compiled.Media, ct string) (mt string, mp *compiled.Media) {
	if c.gating {
		mp = exactMedia(media, ct)
		c.failed = mp == nil
		return "", mp
	}
	mt = compiled.NormalizeMediaType(ct)
	return mt, matchMedia(media, mt)
}

// matchMedia finds the documented media type of a Content-Type, exact first,
// then a type/* or */* range.
func matchMedia(media []*compiled.Media, mt string) *compiled.Media {
	if mt == "" {
		return nil
	}
	for _, m := range media {
		if m.MediaType == mt {
			return m
		}
	}
	typ, _, _ := strings.Cut(mt, "/")
	for _, m := range media {
		if m.MediaType == typ+"/*" || m.MediaType == "*/*" {
			return m
		}
	}
	return nil
}

func mediaList(media []*compiled.Media) string {
	names := make([]string, len(media))
	for i, m := range media {
		names[i] = m.MediaType
	}
	return orList(names)
}

func contentTypeHint(got, want string) string {
	switch {
	case got == "":
		return "set Content-Type: " + want
	case got == "application/json" && strings.Contains(want, compiled.FormMediaType):
		return "send the fields form-encoded (Target=webhook&Configuration.Url=…), not as JSON"
	case got == "multipart/form-data":
		return "send the form URL-encoded, not as multipart"
	}
	return "set Content-Type: " + want
}

// checkForm checks a form-encoded body against the operation's field table
// and schema. Its documented pairs are kept in c.scan.form for the rules
// that read the form; when the gate has read the whole body as this form
// (no bad escape, no unknown key), its pairs are used as they are.
func (c *checker) checkForm(mp *compiled.Media, body []byte) {
	fp := mp.Form
	fs := &c.scan.form
	c.formOK = true
	instance := map[string]any{}
	undecodable := map[string]bool{}
	unknown := map[string]bool{}
	var pairs []wire.Pair
	if !fs.complete || fs.plan != fp {
		fs.plan, fs.pairs, fs.complete = fp, fs.pairs[:0], false
		pairs = wire.DecodeForm(string(body))
	}
	for _, pair := range pairs {
		if pair.Problem != "" && c.room(finding.RuleFormSyntax) {
			loc := finding.Location{Part: finding.PartRequestBody}
			if !pair.InKey {
				loc.Pointer = "/" + escapeToken(pair.Key)
			}
			c.add(finding.Finding{Rule: finding.RuleFormSyntax, Location: loc,
				Message: "the form body is not well formed: " + pair.Problem,
				Want:    "application/x-www-form-urlencoded: %XX escapes of UTF-8 bytes",
				Got:     c.quote(pair.Raw),
				Hint:    "percent-encode each key and value (url.Values.Encode in Go, URLSearchParams in JavaScript)",
				Spec:    c.op.Anchors[finding.AnchorRequestBody]})
		}
		field, ok := fp.Lookup(wire.Bytes(pair.Key))
		if !ok {
			if !fp.Open && !unknown[pair.Key] {
				unknown[pair.Key] = true
				c.unknownKey(fp, pair.Key)
			}
			continue
		}
		fs.pairs = append(fs.pairs, fieldValue{field, wire.Bytes(pair.Value)})
	}
	seen := make([]bool, len(fp.List))
	for _, pv := range fs.pairs {
		if seen[pv.field] {
			continue
		}
		seen[pv.field] = true
		f := fp.List[pv.field]
		key := f.Name
		vals := fs.values(pv.field)
		loc := finding.Location{Part: finding.PartRequestBody, Pointer: "/" + escapeToken(key)}
		if f.Kind == compiled.KindArray {
			items := make([]any, 0, len(vals))
			ok := true
			for i, s := range vals {
				x, good := c.decodeText(f.Items, s, loc.At(loc.Pointer+"/"+strconv.Itoa(i)), fmt.Sprintf("%s[%d]", key, i), f.Ptr+"/items")
				ok = ok && good
				items = append(items, x)
			}
			if !ok {
				undecodable[key] = true
				continue
			}
			instance[key] = items
			continue
		}
		if len(vals) > 1 && c.room(finding.RuleFormDuplicateKey) {
			c.add(finding.Finding{Rule: finding.RuleFormDuplicateKey, Location: loc,
				Message: fmt.Sprintf("%s is given %d times, but it is a single %s", key, len(vals), f.Kind),
				Want:    "one " + key,
				Got:     fmt.Sprintf("%d values: %s", len(vals), strings.Join(c.quoteAll(truncateList(vals, 5)), ", ")),
				Hint:    "send it once; only array fields repeat their key",
				Spec:    c.p.Doc.Pos(f.Ptr)})
		}
		x, ok := c.decodeText(f.Kind, vals[0], loc, key, f.Ptr)
		if !ok {
			undecodable[key] = true
			continue
		}
		instance[key] = x
	}
	if mp.Schema != nil {
		if err := validateValue(mp.Schema, instance); err != nil {
			c.schemaFindings(err, finding.Location{Part: finding.PartRequestBody}, instance, undecodable)
		}
	}
}

// checkWords applies the operation's rules of the form's words to a body
// read as its form.
func (c *checker) checkWords() {
	if own := c.own; own != nil && c.formOK && !c.failed {
		own.checkWords(c)
	}
}

func truncateList(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), "…")
}

// unknownKey reports a form key the contract does not document.
func (c *checker) unknownKey(fp *compiled.FormTable, key string) {
	if !c.room(finding.RuleFormUnknownKey) {
		return
	}
	f := finding.Finding{Rule: finding.RuleFormUnknownKey, Location: finding.Location{Part: finding.PartRequestBody, Pointer: "/" + escapeToken(key)},
		Message: fmt.Sprintf("%s is not a field of this operation", c.quote(key)),
		Want:    "one of " + fp.NearNames().List,
		Got:     c.quote(key),
		Spec:    c.op.Anchors[finding.AnchorRequestSchema]}
	near := fp.NearNames().Suggest(key)
	switch {
	case len(near) == 0:
		f.Hint = "remove it: the server ignores fields it does not know"
	case strings.HasSuffix(key, "]") && fp.Fields[near[0]].Kind == compiled.KindArray:
		f.Hint = fmt.Sprintf("did you mean %s? arrays are repeated keys without brackets: %s=a&%s=b", near[0], near[0], near[0])
	case strings.EqualFold(key, near[0]):
		f.Hint = fmt.Sprintf("did you mean %s? keys are case-sensitive", near[0])
	default:
		f.Hint = "did you mean " + orList(near) + "?"
	}
	c.add(f)
}

// decodeText decodes the text of a form value, query or header parameter
// into the JSON value its schema type asks for. A value that cannot be
// decoded is reported and ok is false.
func (c *checker) decodeText(kind compiled.ValueKind, s string, loc finding.Location, name, schemaPtr string) (v any, ok bool) {
	var want, hint string
	switch kind {
	case compiled.KindInteger:
		if isDecimal(s) {
			return json.Number(s), true
		}
		want = "an integer, written as decimal digits"
		hint = integerHint(name, s)
	case compiled.KindNumber:
		if isJSONNumber(s) {
			return json.Number(s), true
		}
		want = "a number, written as decimal text"
	case compiled.KindBoolean:
		if s == "true" || s == "false" {
			return s == "true", true
		}
		want = "true or false"
		if strings.EqualFold(s, "true") || strings.EqualFold(s, "false") {
			hint = "write it in lower case: " + strings.ToLower(s)
		}
	default:
		return s, true
	}
	if !c.room(finding.RuleType) {
		return nil, false
	}
	c.add(finding.Finding{Rule: finding.RuleType, Location: loc,
		Message: fmt.Sprintf("%s is %s, not %s", name, c.quote(s), want),
		Want:    want, Got: c.quote(s), Hint: hint, Spec: c.p.Doc.Pos(schemaPtr)})
	return nil, false
}

func integerHint(name, s string) string {
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		return "give a value, such as " + name + "=7, or leave the field out"
	case t != s && isDecimal(t):
		return "remove the spaces around the digits"
	case strings.HasPrefix(t, "+") && isDecimal(t[1:]):
		return "drop the + sign"
	case strings.Contains(t, ".") && isJSONNumber(t):
		return "an integer has no fraction: write " + strings.TrimRight(strings.TrimRight(t, "0"), ".")
	}
	return ""
}

// isDecimal reports whether s is an integer in decimal digits, with an
// optional minus sign.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isJSONNumber reports whether s is a number in JSON's syntax.
func isJSONNumber(s string) bool {
	return s != "" && json.Valid([]byte(s)) && (s[0] == '-' || s[0] >= '0' && s[0] <= '9')
}

// decodeJSON decodes a JSON body; a body that is not well-formed UTF-8 JSON is
// reported under rule.
func (c *checker) decodeJSON(body []byte, section finding.Location, rule string, spec finding.SpecPos) (any, bool) {
	bad := func(msg, hint string) (any, bool) {
		c.add(finding.Finding{Rule: rule, Location: section,
			Message: "the body is not well-formed JSON: " + msg,
			Want:    "a JSON document", Got: c.describeBody(body), Hint: hint, Spec: spec})
		return nil, false
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return bad("it is empty", "")
	}
	if !utf8.Valid(body) {
		return bad("it is not valid UTF-8", "JSON text is UTF-8 (RFC 8259)")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			return bad(fmt.Sprintf("%v (at byte %d)", se, se.Offset), "")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return bad("it ends in the middle of a value (truncated?)", "")
		}
		return bad(err.Error(), "")
	}
	if _, err := dec.Token(); err != io.EOF {
		return bad(fmt.Sprintf("more data follows the JSON value at byte %d", dec.InputOffset()), "send one JSON document")
	}
	return v, true
}

// describeBody summarises a body for a finding's got.
func (c *checker) describeBody(b []byte) string {
	if len(b) == 0 {
		return "an empty body"
	}
	if !utf8.Valid(b) {
		return fmt.Sprintf("%s of binary data", plural(len(b), "byte", "bytes"))
	}
	return fmt.Sprintf("%s (%s)", c.quote(string(b)), plural(len(b), "byte", "bytes"))
}

// checkResponse checks the response's status, documented headers and body.
func (c *checker) checkResponse() {
	res := c.ex
	rp := c.op.Response(res.Status)
	if rp == nil && c.gating {
		c.failed = true
		return
	}
	if rp == nil {
		var codes []string
		for _, r := range c.op.Responses {
			codes = append(codes, r.Code)
		}
		if broken := c.requestErrors(); len(broken) > 0 && res.Status >= 400 && res.Status < 500 {
			c.add(finding.Finding{Rule: finding.RuleResponseRefused, Location: finding.Location{Part: finding.PartResponseStatus},
				Message: "the server rightly refused the request, which breaks " + strings.Join(broken, ", "),
				Want:    "a 4xx for a request that breaks the contract (" + orList(codes) + " for one that keeps it)",
				Got:     fmt.Sprintf("%d %s", res.Status, http.StatusText(res.Status)),
				Hint:    joinHint(c.statusHint(res), "the request's findings are what to fix"), Spec: c.op.Anchors[finding.AnchorResponses]})
			return
		}
		c.add(finding.Finding{Rule: finding.RuleResponseStatus, Location: finding.Location{Part: finding.PartResponseStatus},
			Message: fmt.Sprintf("the status %d is not one the contract documents for %s", res.Status, c.op.ID),
			Want:    orList(codes), Got: fmt.Sprintf("%d %s", res.Status, http.StatusText(res.Status)),
			Hint: c.statusHint(res), Spec: c.op.Anchors[finding.AnchorResponses]})
		return
	}
	c.respPlan = rp
	c.checkResponseHeaders(rp)
	if !c.failed {
		c.checkResponseBody(rp)
	}
}

// requestErrors names the request's error findings, found before the
// response is checked: each rule once, with its first location, such as
// "sid.format at request.body#/Configuration.FlowSid", in the order the
// report lists them. They decide whether a 4xx is a refusal (rule
// response.refused) or a response.status error. Findings of the rules the
// user turned off (validate's Plan.WithRulesOff, [Plan].Off) are none of them.
func (c *checker) requestErrors() []string {
	var errs []finding.Finding
	for _, f := range c.findings {
		if f.Severity == finding.SeverityError && f.Location.Part.Request() && !c.p.Off[f.Rule] {
			errs = append(errs, f)
		}
	}
	sortFindings(errs)
	var out []string
	seen := map[string]bool{}
	for _, f := range errs {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			out = append(out, f.Rule+" at "+f.Location.String())
		}
	}
	return out
}

// joinHint joins two hints into one sentence; either may be empty.
func joinHint(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "; " + b
}

// statusHint quotes the server's own explanation of an error response, as
// Twilio's error bodies carry it.
func (c *checker) statusHint(res *Exchange) string {
	var e struct {
		Message string `json:"message"`
		Code    any    `json:"code"`
	}
	if json.Unmarshal(res.RespBody, &e) == nil && e.Message != "" {
		if e.Code != nil {
			return fmt.Sprintf("the server says: %s (code %v)", c.quote(e.Message), e.Code)
		}
		return "the server says: " + c.quote(e.Message)
	}
	if res.Status == 0 {
		return "no response was recorded"
	}
	return ""
}

// checkResponseHeaders checks the documented headers' presence and types.
func (c *checker) checkResponseHeaders(rp *compiled.Response) {
	for _, hp := range rp.Headers {
		vals := c.ex.RespHeader[hp.Canon]
		if len(vals) == 0 {
			if hp.Required && c.room(finding.RuleRequired) {
				c.add(finding.Finding{Rule: finding.RuleRequired, Location: finding.Location{Part: finding.PartResponseHeader, Name: hp.Name},
					Message: "the header " + hp.Name + " is required but missing",
					Want:    hp.Name + " present", Got: "missing", Spec: c.p.Doc.Pos(hp.Ptr)})
			}
			continue
		}
		if hp.Schema == nil {
			continue
		}
		for _, raw := range vals {
			s := trimOWS(raw)
			if c.gating {
				b := wire.Bytes(s)
				if hp.Fast == nil || !textDecodes(hp.Kind, b) || judgeText(hp.Fast, hp.Kind, b) != gate.Valid {
					c.failed = true
					return
				}
				continue
			}
			loc := finding.Location{Part: finding.PartResponseHeader, Name: hp.Name}
			var v any = s
			switch hp.Kind {
			case compiled.KindBoolean, compiled.KindInteger, compiled.KindNumber:
				x, ok := c.headerValue(hp, s, loc)
				if !ok {
					continue
				}
				v = x
			}
			if err := validateValue(hp.Schema, v); err != nil {
				c.schemaFindings(err, loc, v, nil)
			}
		}
	}
}

// headerValue decodes a header value of a boolean or numeric header.
func (c *checker) headerValue(hp *compiled.Header, s string, loc finding.Location) (any, bool) {
	switch hp.Kind {
	case compiled.KindBoolean:
		if s == "true" || s == "false" {
			return s == "true", true
		}
	case compiled.KindInteger:
		if isDecimal(s) {
			return json.Number(s), true
		}
	case compiled.KindNumber:
		if isJSONNumber(s) {
			return json.Number(s), true
		}
	}
	want := map[compiled.ValueKind]string{compiled.KindBoolean: "true or false", compiled.KindInteger: "an integer in decimal digits", compiled.KindNumber: "a number"}[hp.Kind]
	hint := ""
	if hp.Kind == compiled.KindBoolean && (strings.EqualFold(s, "true") || strings.EqualFold(s, "false")) {
		hint = "the Fetch standard only honours the exact, lower-case true"
	}
	if hp.Kind == compiled.KindBoolean && s == "" {
		hint = "an empty value is not a boolean: send true, or leave the header out"
	}
	c.add(finding.Finding{Rule: finding.RuleHeaderType, Location: loc,
		Message: fmt.Sprintf("%s is %s, not %s as the contract says (%s)", hp.Name, c.quote(s), hp.Kind, want),
		Want:    want, Got: c.quote(s), Hint: hint, Spec: c.p.Doc.Pos(hp.Ptr + "/schema")})
	return nil, false
}

// checkResponseBody checks the response's Content-Type and body against the
// documented content.
func (c *checker) checkResponseBody(rp *compiled.Response) {
	res := c.ex
	if len(rp.Media) == 0 || res.Status == http.StatusNoContent || res.Status == http.StatusNotModified {
		return
	}
	ct := res.RespHeader.Get("Content-Type")
	_, mp := c.media(rp.Media, ct)
	if c.failed {
		return
	}
	if mp == nil {
		got := c.quote(ct)
		if ct == "" {
			got = "no Content-Type"
		}
		c.add(finding.Finding{Rule: finding.RuleResponseType, Location: finding.Location{Part: finding.PartResponseHeader, Name: "Content-Type"},
			Message: "the response's Content-Type is not the documented media type",
			Want:    mediaList(rp.Media), Got: got, Hint: "set Content-Type: " + rp.Media[0].MediaType,
			Spec: c.p.Doc.Pos(rp.Ptr + "/content")})
		trimmed := bytes.TrimSpace(res.RespBody)
		if len(trimmed) == 0 || trimmed[0] != '{' && trimmed[0] != '[' {
			return
		}
		for _, m := range rp.Media {
			if m.JSON {
				mp = m
				break
			}
		}
		if mp == nil {
			return
		}
	}
	if !mp.JSON || c.unread&ResponseBody != 0 {
		return
	}
	if c.gating {
		c.failed = !c.scan.judge(mp, res.RespBody, c.own != nil, res.Status >= 200 && res.Status < 300)
		c.respObject = firstNonSpace(res.RespBody) == '{'
		return
	}
	v, ok := c.decodeJSON(res.RespBody, finding.Location{Part: finding.PartResponseBody}, finding.RuleResponseJSON, c.p.Doc.Pos(rp.Ptr+"/content"))
	if !ok {
		return
	}
	if mp.Schema != nil {
		if err := validateValue(mp.Schema, v); err != nil {
			c.schemaFindings(err, finding.Location{Part: finding.PartResponseBody}, v, nil)
		}
	}
	if mp.Listed != nil && res.Status >= 200 && res.Status < 300 {
		c.checkListed(mp.Listed, v, "")
	}
	if _, c.respObject = v.(map[string]any); c.respObject && c.own != nil {
		c.scan.recordProps(res.RespBody)
	}
}
