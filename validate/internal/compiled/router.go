package compiled

import "github.com/contractcheck/contractcheck/validate/internal/route"

// Router finds the compiled operation of a request: the routing tree
// (package route) gives the operation's index in ops, where the operations
// are in document order.
type Router struct {
	Servers []route.Server // where the operations are served, the contract's then the caller's
	AnyHost bool           // route by method and path alone (validate's Plan.AnyHost)
	tree    *route.Tree    // the operations' templates, segment by segment
	ops     []*Operation
}

// NewRouter builds the router of ops, served by servers.
func NewRouter(ops []*Operation, servers []route.Server) Router {
	routes := make([]route.Route, len(ops))
	for i, op := range ops {
		routes[i] = route.Route{Method: op.Method, Segs: op.Segs}
	}
	return Router{Servers: servers, tree: route.NewTree(routes), ops: ops}
}

// Match finds the operation for a method and a recorded request target,
// and the values of its path parameters, or why none matches
// ([route.Router.Match]).
func (r *Router) Match(method, target string) (*Operation, []string, string) {
	return r.MatchInto(method, target, nil)
}

// MatchInto is Match appending the values of the path parameters to vals:
// a caller with room for them routes without allocating.
func (r *Router) MatchInto(method, target string, vals []string) (*Operation, []string, string) {
	rt := route.Router{Servers: r.Servers, AnyHost: r.AnyHost, Tree: r.tree}
	i, vals, reason := rt.Match(method, target, vals)
	if i < 0 {
		return nil, nil, reason
	}
	return r.ops[i], vals, ""
}
