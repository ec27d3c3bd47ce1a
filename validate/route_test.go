package validate

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// routeContract has templates that compete for the same paths: a literal
// and a parameter at the same segment, a parameter earlier or later, a
// template with a trailing slash and one without.
const routeContract = `openapi: 3.0.1
info: {title: routes, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /:
    get: {operationId: getRoot, responses: {"200": {description: ok}}}
  /v1/Things:
    get: {operationId: listThings, responses: {"200": {description: ok}}}
    post: {operationId: createThing, responses: {"201": {description: ok}}}
  /v1/Things/{Sid}:
    parameters: [{name: Sid, in: path, required: true, schema: {type: string}}]
    get: {operationId: getThing, responses: {"200": {description: ok}}}
    post: {operationId: updateThing, responses: {"200": {description: ok}}}
  /v1/Things/Special:
    get: {operationId: getSpecial, responses: {"200": {description: ok}}}
  /v1/{Kind}/Special:
    parameters: [{name: Kind, in: path, required: true, schema: {type: string}}]
    put: {operationId: putKindSpecial, responses: {"200": {description: ok}}}
  /v1/Things/{Sid}/Parts/{PartSid}:
    parameters:
      - {name: Sid, in: path, required: true, schema: {type: string}}
      - {name: PartSid, in: path, required: true, schema: {type: string}}
    get: {operationId: getPart, responses: {"200": {description: ok}}}
  /v1/trailing/:
    get: {operationId: getTrailingSlash, responses: {"200": {description: ok}}}
  /v1/trailing:
    post: {operationId: postTrailing, responses: {"200": {description: ok}}}
`

func routePlan(t testing.TB) *Plan {
	t.Helper()
	p, err := Load("routes.yaml", []byte(routeContract))
	require.NoError(t, err)
	return p
}

// TestRouteTree routes requests among templates that compete: the tree
// gives the operation, the parameters' values and the reason of a skip, and
// the linear matcher it replaced agrees.
func TestRouteTree(t *testing.T) {
	p := routePlan(t)
	tests := []struct {
		name, method, target, op string
		vals                     []string
		reason                   string
	}{
		{name: "root", method: "GET", target: "https://api.example.com/", op: "getRoot"},
		{name: "root without a slash", method: "GET", target: "https://api.example.com", op: "getRoot"},
		{name: "collection", method: "GET", target: "/v1/Things", op: "listThings"},
		{name: "query left out", method: "POST", target: "/v1/Things?a=/b#c", op: "createThing"},
		{name: "parameter", method: "GET", target: "/v1/Things/TH1", op: "getThing", vals: []string{"TH1"}},
		{name: "literal before parameter", method: "GET", target: "/v1/Things/Special", op: "getSpecial"},
		{name: "parameter where the literal has no such method", method: "POST", target: "/v1/Things/Special", op: "updateThing", vals: []string{"Special"}},
		{name: "earlier parameter when the literal branch has no such method", method: "PUT", target: "/v1/Things/Special", op: "putKindSpecial", vals: []string{"Things"}},
		{name: "two parameters", method: "GET", target: "https://api.example.com/v1/Things/TH1/Parts/PA2", op: "getPart", vals: []string{"TH1", "PA2"}},
		{name: "percent-encoded value", method: "GET", target: "/v1/Things/a%2Fb%20c", op: "getThing", vals: []string{"a/b c"}},
		{name: "bad escape kept as it is", method: "GET", target: "/v1/Things/a%zz", op: "getThing", vals: []string{"a%zz"}},
		{name: "plus is no space in a path", method: "GET", target: "/v1/Things/a+b", op: "getThing", vals: []string{"a+b"}},
		{name: "escaped literal is not the literal", method: "GET", target: "/v1/%54hings", reason: "the contract describes no operation at /v1/%54hings"},
		{name: "escaped literal matches a parameter", method: "PUT", target: "/v1/%54hings/Special", op: "putKindSpecial", vals: []string{"Things"}},
		{name: "trailing slash after a collection", method: "GET", target: "/v1/Things/", reason: "the contract describes no operation at /v1/Things/"},
		{name: "empty parameter", method: "GET", target: "/v1/Things//Parts/PA2", reason: "the contract describes no operation at /v1/Things//Parts/PA2"},
		{name: "template with a trailing slash", method: "GET", target: "/v1/trailing/", op: "getTrailingSlash"},
		{name: "template without", method: "POST", target: "/v1/trailing", op: "postTrailing"},
		{name: "slash makes the difference", method: "GET", target: "/v1/trailing", reason: "the contract describes POST /v1/trailing but not GET"},
		{name: "unknown method", method: "DELETE", target: "/v1/Things", reason: "the contract describes GET, POST /v1/Things but not DELETE"},
		{name: "unknown method at a literal and a parameter", method: "DELETE", target: "/v1/Things/Special", reason: "the contract describes GET, POST, GET, PUT /v1/Things/Special but not DELETE"},
		{name: "too deep", method: "GET", target: "/v1/Things/TH1/Parts/PA2/x", reason: "the contract describes no operation at /v1/Things/TH1/Parts/PA2/x"},
		{name: "other host", method: "GET", target: "https://other.example.com/v1/Things", reason: "the host other.example.com is not a server of the contract (https://api.example.com) or loopback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, vals, reason := p.router.match(tt.method, tt.target)
			assert.Equal(t, tt.op, opID(op))
			assert.Equal(t, tt.vals, vals)
			assert.Equal(t, tt.reason, reason)
			lop, lvals, lreason := linearMatch(&p.router, tt.method, tt.target)
			assert.Equal(t, opID(lop), opID(op), "the linear matcher")
			assert.Equal(t, lvals, vals, "the linear matcher")
			assert.Equal(t, lreason, reason, "the linear matcher")
		})
	}
}

// TestRouteAllocs checks that routing a request to an operation allocates
// nothing, with the full spec's 103 operations as with one, and that Check
// of a valid pair allocates nothing either (but under the race detector).
func TestRouteAllocs(t *testing.T) {
	ex := docsExchange()
	for name, p := range map[string]*Plan{"embedded": embeddedPlan(t), "full spec": loadTwilio(t)} {
		var room [maxPathValues]string
		allocs := testing.AllocsPerRun(100, func() {
			if op, _, _ := p.router.matchInto("POST", ex.Request.URL, room[:0]); op == nil {
				t.Fatal("no operation")
			}
		})
		assert.Zero(t, allocs, name)
		if !raceEnabled {
			allocs = testing.AllocsPerRun(100, func() { p.Check(ex) })
			assert.Zero(t, allocs, "%s: Check of the documentation's pair", name)
		}
	}
}

// FuzzRoute routes random requests with Twilio's full spec and with the
// competing templates of routeContract: the tree must agree with the linear
// matcher it replaced, in the operation, the values and the reason.
func FuzzRoute(f *testing.F) {
	plans := []*Plan{loadTwilio(f), routePlan(f)}
	for _, p := range plans {
		for _, op := range p.ops {
			path := strings.NewReplacer("{", "", "}", "").Replace(op.template)
			f.Add(op.method, path, false)
			f.Add("GET", path+"/", true)
		}
	}
	f.Add("POST", "/v1/Conversations/CH%2F1/Webhooks", true)
	f.Add("PATCH", "/v1/Services//Conversations", false)
	f.Fuzz(func(t *testing.T, method, path string, absolute bool) {
		target := path
		if absolute {
			target = "https://conversations.twilio.com" + path
		}
		for i, p := range plans {
			op, vals, reason := p.router.match(method, target)
			lop, lvals, lreason := linearMatch(&p.router, method, target)
			if opID(op) != opID(lop) || fmt.Sprint(vals) != fmt.Sprint(lvals) || reason != lreason {
				t.Fatalf("plan %d, %s %q: the tree gives %q %q %q, the linear matcher %q %q %q",
					i, method, target, opID(op), vals, reason, opID(lop), lvals, lreason)
			}
		}
	})
}

// BenchmarkRoute routes the documentation's example request alone, with the
// embedded contract (one operation) and with Twilio's full spec (103).
func BenchmarkRoute(b *testing.B) {
	ex := docsExchange()
	for _, c := range []struct {
		name string
		plan *Plan
	}{{"embedded", embeddedPlan(b)}, {"full", loadTwilio(b)}} {
		b.Run(c.name, func(b *testing.B) {
			var room [maxPathValues]string
			b.ReportAllocs()
			for b.Loop() {
				if op, _, _ := c.plan.router.matchInto("POST", ex.Request.URL, room[:0]); op == nil {
					b.Fatal("no operation")
				}
			}
		})
	}
}

func opID(op *operation) string {
	if op == nil {
		return ""
	}
	return op.id
}

// linearMatch is the matcher the routing tree replaced: every operation of
// the method, the most literal first, tried in turn under every candidate
// path. Tests compare the tree with it (the wording of a skip is shared).
func linearMatch(r *router, method, target string) (*operation, []string, string) {
	var ops []*operation
	for _, op := range r.all {
		if op.method == method {
			ops = append(ops, op)
		}
	}
	sort.SliceStable(ops, func(i, j int) bool {
		a, b := ops[i].segs, ops[j].segs
		for k := 0; k < len(a) && k < len(b); k++ {
			if (a[k].param == "") != (b[k].param == "") {
				return a[k].param == ""
			}
		}
		return false
	})
	path, host, port, free := r.parts(target)
	hostServed := free
	for i := -1; i < len(r.servers); i++ {
		hostServed = hostServed || i >= 0 && r.servers[i].admits(host, port)
		p, ok := r.candidate(i, free, host, port, path)
		if !ok {
			continue
		}
		for _, op := range ops {
			if vals, ok := linearSegments(op.segs, p); ok {
				return op, vals, ""
			}
		}
	}
	if !hostServed {
		return nil, nil, r.hostReason(host, port)
	}
	var methods []string
	for _, op := range r.all {
		for i := -1; i < len(r.servers); i++ {
			if p, ok := r.candidate(i, free, host, port, path); ok {
				if _, ok := linearSegments(op.segs, p); ok {
					methods = append(methods, op.method)
					break
				}
			}
		}
	}
	return nil, nil, r.unmatched(method, path, host, port, free, methods)
}

// linearSegments matches an escaped path against a template's segments, as
// the linear matcher did.
func linearSegments(segs []segment, path string) ([]string, bool) {
	if !strings.HasPrefix(path, "/") {
		return nil, false
	}
	rest := path[1:]
	var vals []string
	for i, s := range segs {
		var part string
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			if i == len(segs)-1 {
				return nil, false
			}
			part, rest = rest[:j], rest[j+1:]
		} else {
			if i != len(segs)-1 {
				return nil, false
			}
			part, rest = rest, ""
		}
		if s.param == "" {
			if part != s.lit {
				return nil, false
			}
			continue
		}
		if part == "" {
			return nil, false
		}
		v, err := url.PathUnescape(part)
		if err != nil {
			v = part
		}
		vals = append(vals, v)
	}
	return vals, true
}
