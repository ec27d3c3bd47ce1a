package specdoc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOperations(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []string // "ID method path"
		err       bool
	}{
		{name: "yaml", doc: "paths:\n  /a:\n    get: {operationId: A}\n    post: {operationId: B}\n    parameters: []\n  /b:\n    put: {summary: no id}\n",
			want: []string{"A get /a", "B post /a"}},
		{name: "json", doc: `{"paths": {"/c": {"delete": {"operationId": "C"}}}}`, want: []string{"C delete /c"}},
		{name: "no paths", doc: "openapi: 3.0.1\n"},
		{name: "empty", doc: "", err: true},
		{name: "not yaml", doc: "a: [", err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			top, err := Parse([]byte(tc.doc))
			if tc.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			var got []string
			for _, op := range Operations(top) {
				got = append(got, op.ID+" "+op.Method+" "+op.Path)
				assert.NotNil(t, Member(op.Node, "operationId"))
			}
			assert.Equal(t, tc.want, got)
		})
	}
	assert.Nil(t, Member(nil, "x"))
}
