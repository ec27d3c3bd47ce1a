package route

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// Segment is one segment of a path template: a literal, or a parameter.
type Segment struct {
	Lit   string // the literal, when the segment is not a parameter
	Param string // the parameter's name when the segment is "{name}"
}

// ParseTemplate splits a path template such as
// "/v1/Conversations/{ConversationSid}/Webhooks" into segments. A segment is
// either literal or one whole parameter.
func ParseTemplate(t string) ([]Segment, error) {
	if !strings.HasPrefix(t, "/") {
		return nil, fmt.Errorf("a path template must start with /")
	}
	parts := strings.Split(t[1:], "/")
	segs := make([]Segment, len(parts))
	for i, p := range parts {
		open, close := strings.IndexByte(p, '{'), strings.IndexByte(p, '}')
		switch {
		case open < 0 && close < 0:
			segs[i] = Segment{Lit: p}
		case open == 0 && close == len(p)-1 && len(p) > 2:
			segs[i] = Segment{Param: p[1 : len(p)-1]}
		default:
			return nil, fmt.Errorf("segment %q: a parameter must be a whole segment, such as {Sid}", p)
		}
	}
	return segs, nil
}

// Route is one operation to route to: its method, upper case, and its
// path template's segments.
type Route struct {
	Method string
	Segs   []Segment
}

// Tree holds the routes' templates segment by segment, built once and
// read-only after. A route is named by its index in the slice it was built
// from.
type Tree struct {
	root   *routeNode
	routes []Route
}

// NewTree builds the tree of routes.
func NewTree(routes []Route) *Tree {
	t := &Tree{root: &routeNode{}, routes: routes}
	for i, r := range routes {
		t.root.add(r.Segs, routeLeaf{method: r.Method, order: i})
	}
	return t
}

// Router finds the route of a request: by its method and path, under the
// servers that serve its host.
type Router struct {
	Servers []Server // where the routes are served, the contract's then the caller's
	AnyHost bool     // route by method and path alone, whatever the host
	Tree    *Tree    // the routes
}

// smallTable is how many literal children a node compares in turn; a node
// with more looks them up by hash (contract.SmallTable's size).
const smallTable = 12

// routeNode is a node of the routing tree, built once at Load and read-only
// after: a literal child for each literal segment of the templates under it
// and one parameter child for all their parameter segments, whatever their
// names. A template ends at a node that holds its routes.
type routeNode struct {
	lits   []routeEdge           // the literal children, in the order added
	litMap map[string]*routeNode // the same by literal, when there are many
	param  *routeNode            // the child of a parameter segment; nil for none
	leaves []routeLeaf           // the routes whose template ends here
}

// routeEdge is a literal child of a routeNode.
type routeEdge struct {
	lit  string
	node *routeNode
}

// routeLeaf is a route at the node where its template ends.
type routeLeaf struct {
	method string
	order  int // the route's index in the tree's routes
}

// add adds the template segs under n.
func (n *routeNode) add(segs []Segment, leaf routeLeaf) {
	for _, s := range segs {
		if s.Param != "" {
			if n.param == nil {
				n.param = &routeNode{}
			}
			n = n.param
			continue
		}
		next := n.literal(s.Lit)
		if next == nil {
			next = &routeNode{}
			n.lits = append(n.lits, routeEdge{lit: s.Lit, node: next})
			if len(n.lits) > smallTable {
				if n.litMap == nil {
					n.litMap = make(map[string]*routeNode, 2*len(n.lits))
				}
				for _, e := range n.lits {
					n.litMap[e.lit] = e.node
				}
			}
		}
		n = next
	}
	n.leaves = append(n.leaves, leaf)
}

// literal returns the literal child of n for the segment seg, or nil: a few
// children are compared in turn, more are looked up by hash.
func (n *routeNode) literal(seg string) *routeNode {
	if n.litMap != nil {
		return n.litMap[seg]
	}
	for i := range n.lits {
		if n.lits[i].lit == seg {
			return n.lits[i].node
		}
	}
	return nil
}

// find returns the index of the route of method whose template matches rest, the
// escaped path after the slash that begins the next segment. At each segment
// the literal child is tried before the parameter child, so that of the
// templates that match, the one literal first where they differ wins (/a/b
// before /a/{x}); of templates that differ only in their parameters' names,
// the first in the document. A parameter matches any segment but an empty
// one. find returns -1 when no route matches; it does not allocate.
func (n *routeNode) find(method, rest string) int {
	seg, tail, more := strings.Cut(rest, "/")
	if next := n.literal(seg); next != nil {
		if i := next.found(method, tail, more); i >= 0 {
			return i
		}
	}
	if n.param == nil || seg == "" {
		return -1
	}
	return n.param.found(method, tail, more)
}

// found continues find at n, the child of the segment just matched: at the
// last segment, n's route of method, else the rest of the path below n.
func (n *routeNode) found(method, tail string, more bool) int {
	if more {
		return n.find(method, tail)
	}
	for i := range n.leaves {
		if n.leaves[i].method == method {
			return n.leaves[i].order
		}
	}
	return -1
}

// pathValues appends to vals the values of the parameters of segs in rest,
// which matches them, unescaped.
func pathValues(segs []Segment, rest string, vals []string) []string {
	for _, s := range segs {
		seg, tail, _ := strings.Cut(rest, "/")
		rest = tail
		if s.Param == "" {
			continue
		}
		v := seg
		if strings.IndexByte(seg, '%') >= 0 {
			if u, err := url.PathUnescape(seg); err == nil {
				v = u
			}
		}
		vals = append(vals, v)
	}
	return vals
}

// findAll calls yield with every route, of any method, whose template
// matches rest (as in find).
func (n *routeNode) findAll(rest string, yield func(routeLeaf)) {
	seg, tail, more := strings.Cut(rest, "/")
	for _, next := range [2]*routeNode{n.literal(seg), n.param} {
		switch {
		case next == nil || next == n.param && seg == "":
		case more:
			next.findAll(tail, yield)
		default:
			for _, l := range next.leaves {
				yield(l)
			}
		}
	}
}

// Server is one place the routes are served: a host, and a path prefix
// that comes before every operation's path there. It is made from a server
// URL of the contract (servers, at the top, of a path or of an operation) or
// of the caller.
type Server struct {
	url  string // as written, for skip reasons
	host string // lower case, without port or trailing dot; "" for any host (a relative server URL)
	port string // "" for any port
	base string // the path prefix, without a trailing slash; "" for none
}

// ParseServer reads a server URL: absolute (https://api.example.com/prefix)
// or relative to wherever the contract is served (/prefix, or "" for the
// root). A server variable ({region}) in the host stands for any text
// within a label; a prefix with a variable is not used as a prefix.
func ParseServer(raw string) (Server, error) {
	s := Server{url: raw}
	rest := raw
	if i := strings.Index(raw, "://"); i >= 0 {
		scheme := raw[:i]
		if scheme == "" || strings.ContainsAny(scheme, "/?#{}") {
			return s, fmt.Errorf("server %q: the scheme %q is not one of a URL", raw, scheme)
		}
		rest = raw[i+3:]
		authority := rest
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			authority, rest = rest[:j], rest[j:]
		} else {
			rest = ""
		}
		if strings.Contains(authority, "@") {
			return s, fmt.Errorf("server %q: a server URL has no user information", raw)
		}
		s.host, s.port = splitHostPort(authority)
		s.host = strings.TrimSuffix(strings.ToLower(s.host), ".")
		if s.host == "" {
			return s, fmt.Errorf("server %q: the URL has no host", raw)
		}
	} else if rest != "" && !strings.HasPrefix(rest, "/") {
		return s, fmt.Errorf("server %q: want an absolute URL, such as https://api.example.com, or a path", raw)
	}
	if strings.ContainsAny(rest, "?#") {
		return s, fmt.Errorf("server %q: a server URL has no query or fragment", raw)
	}
	s.base = strings.TrimRight(rest, "/")
	if strings.Contains(s.base, "{") {
		s.base = ""
	}
	return s, nil
}

// splitHostPort splits an authority (without user information) into its
// host, unbracketed, and its port ("" when none).
func splitHostPort(authority string) (host, port string) {
	if strings.HasPrefix(authority, "[") {
		if end := strings.IndexByte(authority, ']'); end > 0 {
			host, rest := authority[1:end], authority[end+1:]
			return host, strings.TrimPrefix(rest, ":")
		}
		return authority, ""
	}
	if i := strings.LastIndexByte(authority, ':'); i >= 0 && !strings.Contains(authority[:i], ":") {
		return authority[:i], authority[i+1:]
	}
	return authority, ""
}

// requestHost returns the host and port a recorded request target names:
// those of an absolute URL; ok is false for an origin-form target, which
// names no host.
func requestHost(target string) (host, port string, ok bool) {
	i := strings.Index(target, "://")
	if i < 0 || strings.ContainsAny(target[:i], "/?#") {
		return "", "", false
	}
	authority := target[i+3:]
	if j := indexAnyOf(authority, "/?#"); j >= 0 {
		authority = authority[:j]
	}
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		authority = authority[at+1:]
	}
	host, port = splitHostPort(authority)
	return strings.TrimSuffix(host, "."), port, true
}

// isLoopback reports whether host is localhost or a loopback address
// (127.0.0.0/8, ::1): a recording of a local fake or a test server.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if host == "" || (host[0] < '0' || host[0] > '9') && !strings.Contains(host, ":") {
		return false // a name: no address to parse (and no error to allocate)
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// admits reports whether the server serves the host and port of a request.
func (s *Server) admits(host, port string) bool {
	if s.host == "" {
		return true
	}
	return (s.port == "" || s.port == port) && matchHost(s.host, host)
}

// matchHost matches a host against a server's lower-case host, whose
// variables ({name}) each stand for one or more characters other than a dot.
func matchHost(pattern, host string) bool {
	for {
		open := strings.IndexByte(pattern, '{')
		if open < 0 {
			return strings.EqualFold(pattern, host)
		}
		if len(host) < open || !strings.EqualFold(pattern[:open], host[:open]) {
			return false
		}
		pattern, host = pattern[open:], host[open:]
		end := strings.IndexByte(pattern, '}')
		if end < 0 {
			return false
		}
		pattern = pattern[end+1:]
		for n := 1; n <= len(host) && host[n-1] != '.'; n++ {
			if matchHost(pattern, host[n:]) {
				return true
			}
		}
		return false
	}
}

// MaxValues is how many path parameter values a caller of Match makes room
// for on its stack: Twilio's templates have at most three.
const MaxValues = 8

// Match finds the route for a method and a recorded request target (an
// absolute URL, or an origin-form path and query): its index in the tree's
// routes, and the values of its path parameters, unescaped, in template
// order, appended to vals (a caller with room for them routes without
// allocating). A target's host must be one a server names, or loopback,
// unless the router takes any host; an origin-form target names no host
// and is routed by its path. Under a server with a path prefix, the path
// must start with that prefix; loopback and host-less targets may leave it
// out. When no route matches, Match returns -1 and why.
func (r *Router) Match(method, target string, vals []string) (int, []string, string) {
	path, host, port, free := r.parts(target)
	hostServed := free
	// Candidate i is the bare path (i == -1) or the prefix of server i.
	for i := -1; i < len(r.Servers); i++ {
		hostServed = hostServed || i >= 0 && r.Servers[i].admits(host, port)
		p, ok := r.candidate(i, free, host, port, path)
		if !ok || !strings.HasPrefix(p, "/") {
			continue
		}
		if k := r.Tree.root.find(method, p[1:]); k >= 0 {
			return k, pathValues(r.Tree.routes[k].Segs, p[1:], vals), ""
		}
	}
	if !hostServed {
		return -1, nil, r.hostReason(host, port)
	}
	// The routes of other methods at the path, in the tree's order.
	matched := make([]bool, len(r.Tree.routes))
	for i := -1; i < len(r.Servers); i++ {
		if p, ok := r.candidate(i, free, host, port, path); ok && strings.HasPrefix(p, "/") {
			r.Tree.root.findAll(p[1:], func(l routeLeaf) { matched[l.order] = true })
		}
	}
	var methods []string
	for i, rt := range r.Tree.routes {
		if matched[i] {
			methods = append(methods, rt.Method)
		}
	}
	return -1, nil, r.unmatched(method, path, host, port, free, methods)
}

// parts reads what routing needs of a request target: its escaped path, its
// host and port, and whether it is free of the servers' hosts (routed by its
// path alone).
func (r *Router) parts(target string) (path, host, port string, free bool) {
	host, port, named := requestHost(target)
	return RequestPath(target), host, port, r.AnyHost || !named || isLoopback(host)
}

// unmatched says why no operation describes a request to a host the
// contract serves: methods are those of the operations at its path.
func (r *Router) unmatched(method, path, host, port string, free bool, methods []string) string {
	if len(methods) > 0 {
		return fmt.Sprintf("the contract describes %s %s but not %s", strings.Join(methods, ", "), path, method)
	}
	reason := fmt.Sprintf("the contract describes no operation at %s", path)
	if !free {
		for _, s := range r.Servers {
			if s.base != "" && s.admits(host, port) && !s.prefixes(path) {
				return reason + " (" + s.url + " serves its operations under " + s.base + ")"
			}
		}
	}
	return reason
}

// candidate returns the path an operation's template is matched against
// under candidate i (-1: the path as it is, for a request free of host
// checks; else server i, when it serves the host and the path has its
// prefix).
func (r *Router) candidate(i int, free bool, host, port, path string) (string, bool) {
	if i < 0 {
		return path, free
	}
	s := &r.Servers[i]
	if !free && !s.admits(host, port) {
		return "", false
	}
	if s.base == "" {
		return path, true
	}
	if !s.prefixes(path) {
		return "", false
	}
	return path[len(s.base):], true
}

// prefixes reports whether path is under the server's prefix.
func (s *Server) prefixes(path string) bool {
	return len(path) > len(s.base) && path[len(s.base)] == '/' && strings.HasPrefix(path, s.base)
}

// hostReason says why a request to host was not checked: the contract
// serves its operations elsewhere.
func (r *Router) hostReason(host, port string) string {
	hp := host
	if strings.Contains(hp, ":") {
		hp = "[" + hp + "]"
	}
	if port != "" {
		hp += ":" + port
	}
	urls := make([]string, 0, len(r.Servers))
	for _, s := range r.Servers {
		if s.host != "" && !slices.Contains(urls, s.url) {
			urls = append(urls, s.url)
		}
	}
	return fmt.Sprintf("the host %s is not a server of the contract (%s) or loopback", hp, strings.Join(urls, ", "))
}

// RequestPath returns the escaped path of a recorded request target: an
// absolute URL or an origin-form path and query.
func RequestPath(target string) string {
	if i := strings.Index(target, "://"); i >= 0 {
		rest := target[i+3:]
		j := indexAnyOf(rest, "/?#")
		if j < 0 || rest[j] != '/' {
			return "/"
		}
		target = rest[j:]
	}
	if i := indexAnyOf(target, "?#"); i >= 0 {
		target = target[:i]
	}
	if target == "" {
		return "/"
	}
	return target
}

// indexAnyOf is strings.IndexAny for a few ASCII characters, without
// building a set on every call.
func indexAnyOf(s, chars string) int {
	first := -1
	for i := 0; i < len(chars); i++ {
		if j := strings.IndexByte(s, chars[i]); j >= 0 {
			first, s = j, s[:j]
		}
	}
	return first
}

// RequestQuery returns the raw query of a recorded request target.
func RequestQuery(target string) string {
	i := strings.IndexByte(target, '?')
	if i < 0 {
		return ""
	}
	q := target[i+1:]
	if j := strings.IndexByte(q, '#'); j >= 0 {
		q = q[:j]
	}
	return q
}
