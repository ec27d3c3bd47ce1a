package contract

import (
	"testing"

	"github.com/pb33f/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// operationsDoc lists its paths and methods out of sorted order, with keys
// of a path item that are no method, an alias to a path item, and servers
// at each level (one of them twice).
const operationsDoc = `openapi: 3.0.1
servers: [{url: "https://api.example.com"}]
paths:
  /z:
    servers: [{url: "https://z.example.com"}]
    parameters: []
    post: {responses: {}}
    get:
      servers: [{url: "https://api.example.com"}, {url: "https://get.example.com"}]
      responses: {}
  /a/{Sid}: &item
    summary: an item
    delete: {responses: {}}
  /b: *item
`

func parseDoc(t *testing.T, src string) *Document {
	t.Helper()
	var root yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(src), &root))
	var tree any
	require.NoError(t, yaml.Unmarshal([]byte(src), &tree))
	return &Document{File: "ops.yaml", Tree: tree, Root: &root}
}

// TestOperations: operations come in the source's order, methods only,
// through aliases, with their pointers.
func TestOperations(t *testing.T) {
	assert.Equal(t, []OperationRef{
		{Template: "/z", Method: "POST", Ptr: "/paths/~1z/post"},
		{Template: "/z", Method: "GET", Ptr: "/paths/~1z/get"},
		{Template: "/a/{Sid}", Method: "DELETE", Ptr: "/paths/~1a~1{Sid}/delete"},
		{Template: "/b", Method: "DELETE", Ptr: "/paths/~1b/delete"},
	}, parseDoc(t, operationsDoc).Operations())
	assert.Nil(t, parseDoc(t, "openapi: 3.0.1\n").Operations())
}

// TestServerURLs: the top-level servers, then those of paths and
// operations in sorted order, each once; "/" when there are none.
func TestServerURLs(t *testing.T) {
	assert.Equal(t, []string{"https://api.example.com", "https://z.example.com", "https://get.example.com"},
		parseDoc(t, operationsDoc).ServerURLs())
	assert.Equal(t, []string{"/"}, parseDoc(t, "openapi: 3.0.1\npaths: {/a: {get: {}}}\n").ServerURLs())
}
