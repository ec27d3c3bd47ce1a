// Package yamlalias bounds how far the aliases of a YAML document expand.
//
// A YAML alias (*name) stands for the node its anchor (&name) names, so a
// document of a few hundred bytes can stand for billions of nodes (the
// "billion laughs"): a 374-byte contract cost 4 GB before contractcheck
// refused it. [Check] counts, on the parsed node tree and without expanding
// anything, the nodes that the aliases of a document stand for, and refuses
// the document as soon as they pass [Budget]. It works in time and memory
// proportional to the parsed tree, whatever the aliases stand for.
//
// It counts on the node tree of github.com/pb33f/go-yaml, the YAML package
// of libopenapi and the only one contractcheck uses.
package yamlalias

import (
	"fmt"

	"github.com/pb33f/go-yaml"
)

// Budget is the most nodes that the aliases of one document may stand for,
// in all: each alias counts the nodes of what it names, the aliases in that
// counted as what they name. Hand-written documents that share a schema or
// a header block through anchors stay far below it; a document past it is
// refused.
const Budget = 100_000

// Error is the refusal of a document whose aliases stand for more than
// [Budget] nodes, or whose aliases loop.
type Error struct {
	// Line is the 1-based line of the alias at which the budget was passed,
	// or of the alias that refers to a node containing it.
	Line int
	// Loop is true when the alias refers to a node that contains it.
	Loop bool
}

// Error says what is wrong, without the line (the caller's error has it).
func (e *Error) Error() string {
	if e.Loop {
		return "a YAML alias refers to a node that contains it"
	}
	return fmt.Sprintf("the document's YAML aliases stand for more than %d nodes, the most contractcheck expands (an alias bomb?)", Budget)
}

// Check returns an [*Error] when the aliases of the document under root
// stand for more than [Budget] nodes, or refer to a node that contains them;
// nil otherwise.
func Check(root *yaml.Node) error {
	c := &counter{sizes: map[*yaml.Node]int64{}, open: map[*yaml.Node]bool{}}
	return c.walk(root)
}

// counter walks a parsed tree once, adding up what its aliases stand for.
type counter struct {
	sizes map[*yaml.Node]int64 // the expanded size of anchored nodes, once known
	open  map[*yaml.Node]bool  // the anchored nodes whose size is being computed
	used  int64                // the nodes the aliases seen so far stand for
}

// alias returns the node the alias node n stands for, and nil for any other
// node.
func alias(n *yaml.Node) *yaml.Node {
	if n.Kind != yaml.AliasNode {
		return nil
	}
	return n.Alias
}

// walk visits the parsed tree under n, aliases not followed.
func (c *counter) walk(n *yaml.Node) error {
	if n == nil {
		return nil
	}
	if target := alias(n); target != nil {
		size, err := c.size(target)
		if err != nil {
			return err
		}
		if c.used += size; c.used > Budget {
			return &Error{Line: n.Line}
		}
		return nil
	}
	for _, child := range n.Content {
		if err := c.walk(child); err != nil {
			return err
		}
	}
	return nil
}

// size returns how many nodes n stands for once its aliases are expanded,
// or Budget+1 when that is more than Budget.
func (c *counter) size(n *yaml.Node) (int64, error) {
	if n == nil {
		return 0, nil
	}
	if target := alias(n); target != nil {
		return c.size(target)
	}
	anchored := n.Anchor != ""
	if anchored {
		if s, ok := c.sizes[n]; ok {
			return s, nil
		}
		if c.open[n] {
			return 0, &Error{Line: n.Line, Loop: true}
		}
		c.open[n] = true
		defer delete(c.open, n)
	}
	total := int64(1)
	for _, child := range n.Content {
		s, err := c.size(child)
		if err != nil {
			return 0, err
		}
		if total += s; total > Budget {
			total = Budget + 1
			break
		}
	}
	if anchored {
		c.sizes[n] = total
	}
	return total, nil
}
