// Package route routes a request to an operation of the compiled contract:
// path templates parsed into segments, a literal-prefix tree over them
// (built once, read-only after, and read without allocating), the servers
// that serve the operations and the reasons a request is not routed. It
// knows nothing of operations beyond their method and template: a route is
// named by its index in the slice the tree was built from, and package
// validate keeps the compiled operations in that order.
package route
