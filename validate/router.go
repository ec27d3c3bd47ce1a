package validate

import "github.com/contractcheck/contractcheck/validate/internal/route"

// router finds the compiled operation of a request: the routing tree
// (package route) gives the operation's index in ops, where the operations
// are in document order.
type router struct {
	servers []route.Server // where the operations are served, the contract's then the caller's
	anyHost bool           // route by method and path alone ([Plan.AnyHost])
	tree    *route.Tree    // the operations' templates, segment by segment
	ops     []*operation
}

func newRouter(ops []*operation, servers []route.Server) router {
	routes := make([]route.Route, len(ops))
	for i, op := range ops {
		routes[i] = route.Route{Method: op.method, Segs: op.segs}
	}
	return router{servers: servers, tree: route.NewTree(routes), ops: ops}
}

// match finds the operation for a method and a recorded request target,
// and the values of its path parameters, or why none matches
// ([route.Router.Match]).
func (r *router) match(method, target string) (*operation, []string, string) {
	return r.matchInto(method, target, nil)
}

// matchInto is match appending the values of the path parameters to vals:
// a caller with room for them routes without allocating.
func (r *router) matchInto(method, target string, vals []string) (*operation, []string, string) {
	rt := route.Router{Servers: r.servers, AnyHost: r.anyHost, Tree: r.tree}
	i, vals, reason := rt.Match(method, target, vals)
	if i < 0 {
		return nil, nil, reason
	}
	return r.ops[i], vals, ""
}
