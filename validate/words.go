package validate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxShown is how many bytes of a value findings show before eliding it.
const maxShown = 80

// shorten elides the middle of a value longer than maxShown bytes, at rune
// boundaries.
func shorten(s string) string {
	if len(s) <= maxShown {
		return s
	}
	cut := maxShown / 2
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	tail := len(s) - maxShown/2
	for tail < len(s) && !utf8.RuneStart(s[tail]) {
		tail++
	}
	return s[:cut] + "…" + s[tail:]
}

// quoteShort quotes a value for a message, eliding the middle of a long one.
// It is for values that hold no secret, such as the contract's; a value of
// an exchange goes through checker.quote, which redacts it first.
func quoteShort(s string) string { return strconv.Quote(shorten(s)) }

// show renders a JSON value of the contract for a finding's want; a value
// of an exchange goes through checker.show.
func show(v any) string { return render(v, nil) }

// redact hides the exchange's secrets in s (see [redact.Text]). Every value of
// the exchange a finding shows goes through it whole, before it is
// shortened or quoted.
func (c *checker) redact(s string) string {
	if !c.haveSecrets {
		c.secrets, c.haveSecrets = c.ex.lazySecrets(), true
	}
	return c.secrets.Text(s)
}

// quote redacts a value of the exchange, then shortens and quotes it.
func (c *checker) quote(s string) string { return quoteShort(c.redact(s)) }

// quoteAll quotes values of the exchange, each as [checker.quote] does.
func (c *checker) quoteAll(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = c.quote(v)
	}
	return out
}

// show renders a JSON value of the exchange for a finding's got: redacted
// (a string before it is quoted, any other value once encoded), then
// shortened.
func (c *checker) show(v any) string { return render(v, c.redact) }

// render renders a JSON value for a finding, passing its text through redact
// (when not nil) before shortening it.
func render(v any, redact func(string) string) string {
	if redact == nil {
		redact = func(s string) string { return s }
	}
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return quoteShort(redact(t))
	case json.Number:
		return redact(t.String())
	case bool:
		return strconv.FormatBool(t)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return redact(fmt.Sprint(v))
	}
	s := redact(string(b))
	if len(s) > maxShown {
		cut := maxShown
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// jsonTypeOf names the JSON type of a decoded value.
func jsonTypeOf(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if _, err := t.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// plural returns "1 thing" or "n things".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// orList renders a list of alternatives: "a", "a or b", "a, b or c".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// suggest returns the candidates closest to a misspelt name: those equal to
// it but for case, punctuation (_ - [ ]) or a missing prefix, else those within
// a small edit distance. It returns nil when nothing is close.
func suggest(name string, candidates []string) []string {
	return newNearNames(candidates).suggest(name)
}

// nearNames are the names [suggest] compares a misspelt name with, folded
// once by normalizeName, so that a plan folds its form's field names once
// and not for every unknown key.
type nearNames struct {
	names []string
	norms []string // normalizeName of each name
	tails []string // normalizeName of the part after each name's last dot
	dots  []bool   // whether each name has a dot
	list  string   // the names, joined by ", "
}

func newNearNames(names []string) *nearNames {
	n := &nearNames{names: names, norms: make([]string, len(names)), tails: make([]string, len(names)), dots: make([]bool, len(names)), list: strings.Join(names, ", ")}
	for i, c := range names {
		n.norms[i] = normalizeName(c)
		if j := strings.LastIndexByte(c, '.'); j >= 0 {
			n.tails[i], n.dots[i] = normalizeName(c[j+1:]), true
		}
	}
	return n
}

// suggest is [suggest] over the names of n.
func (n *nearNames) suggest(name string) []string {
	norm := normalizeName(name)
	var exact, suffix []string
	for i, c := range n.names {
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
	for i, c := range n.names {
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
