package validate

import (
	"encoding/json"
	"fmt"
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

// redact hides the exchange's secrets in s (see [Redact]). Every value of
// the exchange a finding shows goes through it whole, before it is
// shortened or quoted.
func (c *checker) redact(s string) string {
	if !c.haveSecrets {
		c.secrets, c.haveSecrets = c.ex.Secrets(), true
	}
	return Redact(s, c.secrets)
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
	norm := normalizeName(name)
	var exact []string
	for _, c := range candidates {
		if normalizeName(c) == norm {
			exact = append(exact, c)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	var suffix []string
	for _, c := range candidates {
		if i := strings.LastIndexByte(c, '.'); i >= 0 && normalizeName(c[i+1:]) == norm {
			suffix = append(suffix, c)
		}
	}
	if len(suffix) > 0 {
		return suffix
	}
	best, bestD := []string(nil), 1+len(norm)/5
	if bestD > 3 {
		bestD = 3
	}
	for _, c := range candidates {
		d := editDistance(norm, normalizeName(c))
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
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
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
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
