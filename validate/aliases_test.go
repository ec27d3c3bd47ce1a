package validate

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aliasBomb is an OpenAPI document whose aliases stand for 9^levels nodes.
func aliasBomb(levels int) string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.1\ninfo: {title: bomb, version: \"1\"}\npaths: {}\nx-a0: &a0 [l,l,l,l,l,l,l,l,l]\n")
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "x-a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d,", i-1), 9), ","))
	}
	return b.String()
}

// TestLoadRefusesAliasBombs checks that a contract whose YAML aliases stand
// for more than the budget is refused, with the alias's line, before
// libopenapi expands them: with little memory, whatever they stand for.
func TestLoadRefusesAliasBombs(t *testing.T) {
	for _, levels := range []int{6, 9, 12} {
		doc := aliasBomb(levels)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Load("bomb.yaml", []byte(doc))
		runtime.ReadMemStats(&after)
		var le *LoadError
		require.ErrorAs(t, err, &le, "%d levels", levels)
		require.Len(t, le.Problems, 1)
		assert.Equal(t, 9, le.Problems[0].Line)
		assert.Contains(t, le.Problems[0].Message, "aliases stand for more than 100000 nodes")
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "bytes allocated to refuse %d bytes", len(doc))
	}
}

// TestLoadTakesModestAliases checks that a contract sharing schemas through
// anchors and aliases loads as it always did.
func TestLoadTakesModestAliases(t *testing.T) {
	doc := strings.Replace(string(contracts.ScopedWebhook), "\nopenapi: 3.0.1\n", "\nopenapi: 3.0.1\nx-shared: &shared {a: [1, 2, 3], b: {c: d}}\nx-uses: [*shared, *shared, *shared]\n", 1)
	require.Contains(t, doc, "x-uses: [*shared")
	p, err := Load("anchors.yaml", []byte(doc))
	require.NoError(t, err)
	assert.NotEmpty(t, p.Operations())
}
