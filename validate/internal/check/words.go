package check

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/redact"
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
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
		c.secrets, c.haveSecrets = redact.NewLazy(c.ex.URL, c.ex.ReqHeader, c.ex.RespHeader), true
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
	return compiled.NewNearNames(candidates).Suggest(name)
}
