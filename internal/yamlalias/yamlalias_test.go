package yamlalias

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bomb is a billion laughs of levels levels of fan out 9.
func bomb(levels int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [l,l,l,l,l,l,l,l,l]\n")
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d,", i-1), 9), ","))
	}
	return b.String()
}

func check(t *testing.T, doc string) error {
	t.Helper()
	var n yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(doc), &n))
	return Check(&n)
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		line int  // of the refusal; 0 for none
		loop bool // a loop, not the budget
	}{
		{name: "no aliases", doc: "a: 1\nb: [1, 2, {c: d}]\n"},
		{name: "a shared block", doc: "base: &base {type: string, maxLength: 34}\na: *base\nb: {<<: *base, pattern: x}\n"},
		{name: "aliases of aliases within the budget", doc: bomb(5)},
		{name: "the billion laughs", doc: bomb(9), line: 6},
		{name: "a wide fan", doc: "list: &l [" + strings.Repeat("x,", 9999) + "x]\n" +
			"uses: [" + strings.TrimSuffix(strings.Repeat("*l,", 20000), ",") + "]\n", line: 2},
		{name: "a loop", doc: "a: &a [1, *a]\n", line: 1, loop: true},
		{name: "a loop through a mapping", doc: "a: &a {b: {c: *a}}\n", line: 1, loop: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := check(t, tt.doc)
			if tt.line == 0 {
				assert.NoError(t, err)
				return
			}
			var aerr *Error
			require.ErrorAs(t, err, &aerr)
			assert.Equal(t, tt.line, aerr.Line)
			assert.Equal(t, tt.loop, aerr.Loop)
			assert.Less(t, time.Since(start), 5*time.Second, "the refusal is found without expanding")
		})
	}
}

// TestCheckBudget checks the edge of the budget: aliases standing for
// exactly Budget nodes pass, one more is refused.
func TestCheckBudget(t *testing.T) {
	// An anchored sequence of k scalars stands for k+1 nodes.
	doc := func(total int) string {
		const per = 999 // nodes per alias: a sequence of 998 scalars
		n := total / per
		return "s: &s [" + strings.TrimSuffix(strings.Repeat("x,", per-1), ",") + "]\n" +
			"u: [" + strings.TrimSuffix(strings.Repeat("*s,", n), ",") + "]\n" +
			"r: &r [" + strings.TrimSuffix(strings.Repeat("x,", total-n*per), ",") + "]\n"
	}
	assert.NoError(t, check(t, doc(Budget-1)+"v: *r\n"))
	assert.Error(t, check(t, doc(Budget-1)+"v: [*r, *r]\n"))
}

// FuzzCheck checks Check against the expansion it stands for: a document
// is refused exactly when expanding its aliases one by one (stopping past the
// budget, or at a loop) adds more than Budget nodes or loops.
func FuzzCheck(f *testing.F) {
	for _, doc := range []string{bomb(5), bomb(7), "a: &a [1, *a]\n", "a: &a {b: 1}\nc: [*a, *a]\nd: {<<: *a}\n", "- &x [&y [1], *y]\n- *x\n"} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n yaml.Node
		if yaml.Unmarshal(data, &n) != nil {
			return
		}
		err := Check(&n)
		over := naiveOver(&n)
		if over {
			require.Error(t, err)
		} else {
			require.NoError(t, err)
		}
	})
}

// naiveOver expands the aliases of the tree under root one by one and
// reports whether they add more than Budget nodes or loop.
func naiveOver(root *yaml.Node) bool {
	used := 0
	open := map[*yaml.Node]bool{}
	var expand func(n *yaml.Node) bool // counts n's nodes into used; true once over or looping
	expand = func(n *yaml.Node) bool {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if open[n] {
			return true
		}
		open[n] = true
		defer delete(open, n)
		if used++; used > Budget {
			return true
		}
		for _, c := range n.Content {
			if expand(c) {
				return true
			}
		}
		return false
	}
	var walk func(n *yaml.Node) bool
	walk = func(n *yaml.Node) bool {
		if n.Kind == yaml.AliasNode {
			return expand(n.Alias)
		}
		for _, c := range n.Content {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(root)
}
