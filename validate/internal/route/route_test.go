package route

import (
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/pb33f/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// routeContract has templates that compete for the same paths: a literal
// and a parameter at the same segment, a parameter earlier or later, a
// template with a trailing slash and one without; in document order.
var routeContract = []struct{ id, method, template string }{
	{"getRoot", "GET", "/"},
	{"listThings", "GET", "/v1/Things"},
	{"createThing", "POST", "/v1/Things"},
	{"getThing", "GET", "/v1/Things/{Sid}"},
	{"updateThing", "POST", "/v1/Things/{Sid}"},
	{"getSpecial", "GET", "/v1/Things/Special"},
	{"putKindSpecial", "PUT", "/v1/{Kind}/Special"},
	{"getPart", "GET", "/v1/Things/{Sid}/Parts/{PartSid}"},
	{"getTrailingSlash", "GET", "/v1/trailing/"},
	{"postTrailing", "POST", "/v1/trailing"},
}

// testRouter is a router with the names of its routes, for tests.
type testRouter struct {
	Router
	ids       []string // each route's operationId
	templates []string // each route's template
}

// routeRouter routes among routeContract's templates, served at
// https://api.example.com.
func routeRouter(t testing.TB) *testRouter {
	t.Helper()
	tr := &testRouter{}
	var routes []Route
	for _, o := range routeContract {
		routes = append(routes, mustRoute(t, o.method, o.template))
		tr.ids = append(tr.ids, o.id)
		tr.templates = append(tr.templates, o.template)
	}
	s, err := ParseServer("https://api.example.com")
	require.NoError(t, err)
	tr.Router = Router{Servers: []Server{s}, Tree: NewTree(routes)}
	return tr
}

func mustRoute(t testing.TB, method, template string) Route {
	t.Helper()
	segs, err := ParseTemplate(template)
	require.NoError(t, err)
	return Route{Method: method, Segs: segs}
}

// twilioSpec is Twilio's Conversations spec (103 operations).
var twilioSpec = filepath.Join("..", "..", "..", "bench", "testdata", "twilio_conversations_v1.json")

// specRouter routes among the operations of an OpenAPI document (JSON or
// YAML) of Twilio's, in the order of its sorted paths and methods, served
// at https://conversations.twilio.com as the document's servers say.
func specRouter(t testing.TB, data []byte) *testRouter {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(data, &doc))
	tr := &testRouter{}
	var routes []Route
	for _, template := range slices.Sorted(maps.Keys(doc.Paths)) {
		for _, method := range []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"} {
			op, ok := doc.Paths[template][method].(map[string]any)
			if !ok {
				continue
			}
			id, _ := op["operationId"].(string)
			routes = append(routes, mustRoute(t, strings.ToUpper(method), template))
			tr.ids = append(tr.ids, id)
			tr.templates = append(tr.templates, template)
		}
	}
	s, err := ParseServer("https://conversations.twilio.com")
	require.NoError(t, err)
	tr.Router = Router{Servers: []Server{s}, Tree: NewTree(routes)}
	return tr
}

// twilioRouter routes among the operations of Twilio's full spec.
func twilioRouter(t testing.TB) *testRouter {
	t.Helper()
	data, err := os.ReadFile(twilioSpec)
	if err != nil {
		t.Skipf("Twilio's Conversations spec is not at %s (it is in the repository, not in the main module's zip): %v", twilioSpec, err)
	}
	return specRouter(t, data)
}

// embeddedRouter routes to the embedded contract's one operation.
func embeddedRouter(t testing.TB) *testRouter {
	t.Helper()
	return specRouter(t, contracts.ScopedWebhook)
}

// docsURL is the documentation's example request's target.
const docsURL = "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks"

// match routes method and target, naming the route matched by its
// operationId ("" for none).
func (tr *testRouter) match(method, target string) (string, []string, string) {
	i, vals, reason := tr.Match(method, target, nil)
	return tr.id(i), vals, reason
}

func (tr *testRouter) id(i int) string {
	if i < 0 {
		return ""
	}
	return tr.ids[i]
}

// TestRouteTree routes requests among templates that compete: the tree
// gives the operation, the parameters' values and the reason of a skip, and
// the linear matcher it replaced agrees.
func TestRouteTree(t *testing.T) {
	tr := routeRouter(t)
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
			op, vals, reason := tr.match(tt.method, tt.target)
			assert.Equal(t, tt.op, op)
			assert.Equal(t, tt.vals, vals)
			assert.Equal(t, tt.reason, reason)
			lop, lvals, lreason := linearMatch(tr, tt.method, tt.target)
			assert.Equal(t, tr.id(lop), op, "the linear matcher")
			assert.Equal(t, lvals, vals, "the linear matcher")
			assert.Equal(t, lreason, reason, "the linear matcher")
		})
	}
}

// TestRouteAllocs checks that routing a request to an operation allocates
// nothing, with the full spec's 103 operations as with one.
func TestRouteAllocs(t *testing.T) {
	for name, tr := range map[string]*testRouter{"embedded": embeddedRouter(t), "full spec": twilioRouter(t)} {
		var room [MaxValues]string
		allocs := testing.AllocsPerRun(100, func() {
			if i, _, _ := tr.Match("POST", docsURL, room[:0]); i < 0 {
				t.Fatal("no operation")
			}
		})
		assert.Zero(t, allocs, name)
	}
}

// FuzzRoute routes random requests with Twilio's full spec and with the
// competing templates of routeContract: the tree must agree with the linear
// matcher it replaced, in the operation, the values and the reason.
func FuzzRoute(f *testing.F) {
	routers := []*testRouter{twilioRouter(f), routeRouter(f)}
	for _, tr := range routers {
		for i, template := range tr.templates {
			path := strings.NewReplacer("{", "", "}", "").Replace(template)
			f.Add(tr.Tree.routes[i].Method, path, false)
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
		for i, tr := range routers {
			op, vals, reason := tr.match(method, target)
			lop, lvals, lreason := linearMatch(tr, method, target)
			if op != tr.id(lop) || fmt.Sprint(vals) != fmt.Sprint(lvals) || reason != lreason {
				t.Fatalf("router %d, %s %q: the tree gives %q %q %q, the linear matcher %q %q %q",
					i, method, target, op, vals, reason, tr.id(lop), lvals, lreason)
			}
		}
	})
}

// BenchmarkRoute routes the documentation's example request alone, with the
// embedded contract (one operation) and with Twilio's full spec (103).
func BenchmarkRoute(b *testing.B) {
	for _, c := range []struct {
		name string
		tr   *testRouter
	}{{"embedded", embeddedRouter(b)}, {"full", twilioRouter(b)}} {
		b.Run(c.name, func(b *testing.B) {
			var room [MaxValues]string
			b.ReportAllocs()
			for b.Loop() {
				if i, _, _ := c.tr.Match("POST", docsURL, room[:0]); i < 0 {
					b.Fatal("no operation")
				}
			}
		})
	}
}

// linearMatch is the matcher the routing tree replaced: every operation of
// the method, the most literal first, tried in turn under every candidate
// path. Tests compare the tree with it (the wording of a skip is shared).
func linearMatch(tr *testRouter, method, target string) (int, []string, string) {
	r, all := &tr.Router, tr.Tree.routes
	var ops []int
	for i, rt := range all {
		if rt.Method == method {
			ops = append(ops, i)
		}
	}
	sort.SliceStable(ops, func(i, j int) bool {
		a, b := all[ops[i]].Segs, all[ops[j]].Segs
		for k := 0; k < len(a) && k < len(b); k++ {
			if (a[k].Param == "") != (b[k].Param == "") {
				return a[k].Param == ""
			}
		}
		return false
	})
	path, host, port, free := r.parts(target)
	hostServed := free
	for i := -1; i < len(r.Servers); i++ {
		hostServed = hostServed || i >= 0 && r.Servers[i].admits(host, port)
		p, ok := r.candidate(i, free, host, port, path)
		if !ok {
			continue
		}
		for _, op := range ops {
			if vals, ok := linearSegments(all[op].Segs, p); ok {
				return op, vals, ""
			}
		}
	}
	if !hostServed {
		return -1, nil, r.hostReason(host, port)
	}
	var methods []string
	for _, rt := range all {
		for i := -1; i < len(r.Servers); i++ {
			if p, ok := r.candidate(i, free, host, port, path); ok {
				if _, ok := linearSegments(rt.Segs, p); ok {
					methods = append(methods, rt.Method)
					break
				}
			}
		}
	}
	return -1, nil, r.unmatched(method, path, host, port, free, methods)
}

// linearSegments matches an escaped path against a template's segments, as
// the linear matcher did.
func linearSegments(segs []Segment, path string) ([]string, bool) {
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
		if s.Param == "" {
			if part != s.Lit {
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

// TestSpecRouters makes sure the routers the tests build from documents
// hold their operations: the full spec's 103 and the embedded one.
func TestSpecRouters(t *testing.T) {
	assert.Equal(t, []string{"CreateConversationScopedWebhook"}, embeddedRouter(t).ids)
	assert.Len(t, twilioRouter(t).ids, 103)
}
