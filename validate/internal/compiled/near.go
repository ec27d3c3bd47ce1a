package compiled

import (
	"slices"
	"strings"
)

// NearNames are the names a suggestion compares a misspelt name with, folded
// once by normalizeName, so that a plan folds its form's field names once
// and not for every unknown key.
type NearNames struct {
	Names []string
	norms []string // normalizeName of each name
	tails []string // normalizeName of the part after each name's last dot
	dots  []bool   // whether each name has a dot
	List  string   // the names, joined by ", "
}

// NewNearNames folds names for [NearNames.Suggest].
func NewNearNames(names []string) *NearNames {
	n := &NearNames{Names: names, norms: make([]string, len(names)), tails: make([]string, len(names)), dots: make([]bool, len(names)), List: strings.Join(names, ", ")}
	for i, c := range names {
		n.norms[i] = normalizeName(c)
		if j := strings.LastIndexByte(c, '.'); j >= 0 {
			n.tails[i], n.dots[i] = normalizeName(c[j+1:]), true
		}
	}
	return n
}

// Suggest returns the names of n closest to a misspelt name: those equal to
// it but for case, punctuation (_ - [ ]) or a missing prefix, else those
// within a small edit distance. It returns nil when nothing is close.
func (n *NearNames) Suggest(name string) []string {
	norm := normalizeName(name)
	var exact, suffix []string
	for i, c := range n.Names {
		if n.norms[i] == norm {
			exact = append(exact, c)
		}
		if exact == nil && n.dots[i] && n.tails[i] == norm {
			suffix = append(suffix, c)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	if len(suffix) > 0 {
		return suffix
	}
	best, bestD := []string(nil), min(1+len(norm)/5, 3)
	for i, c := range n.Names {
		d := editDistanceWithin(norm, n.norms[i], bestD)
		switch {
		case d < bestD:
			best, bestD = []string{c}, d
		case d == bestD:
			best = append(best, c)
		}
	}
	if len(best) > 3 {
		return nil
	}
	return best
}

// normalizeName folds the differences suggest forgives: case, the
// punctuation of other naming styles (flow_sid, flow-sid), array brackets
// (Filters[] or Filters[0]) and bracketed nesting (Configuration[Url]).
func normalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inIndex := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '[':
			inIndex = i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' || i+1 < len(s) && s[i+1] == ']'
			if !inIndex {
				b.WriteByte('.')
			}
		case c == ']':
			inIndex = false
		case inIndex, c == '_', c == '-':
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// editDistance is the Levenshtein distance of two strings, by bytes.
func editDistance(a, b string) int { return editDistanceWithin(a, b, 98) }

// editDistanceWithin is editDistance when it is at most limit, and limit+1
// (sooner) when it is more.
func editDistanceWithin(a, b string, limit int) int {
	if len(a) > 64 || len(b) > 64 {
		return min(99, limit+1)
	}
	if len(a)-len(b) > limit || len(b)-len(a) > limit {
		return limit + 1
	}
	// A common prefix or suffix adds nothing to the distance.
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	var rows [2][65]int
	prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		if slices.Min(cur) > limit {
			return limit + 1 // a row's least never shrinks
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit+1)
}
