package check

import (
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
	"github.com/contractcheck/contractcheck/validate/internal/wire"
)

// fieldValue is one documented key=value pair of one form body: the index
// of its tableField and the decoded value, as formScan keeps it.
type fieldValue struct {
	field int
	val   []byte
}

// formScan holds the documented pairs of one form body, decoded once and
// read by every rule of the form.
type formScan struct {
	plan     *compiled.FormTable
	pairs    []fieldValue
	r        wire.FormReader // splits and decodes the body; its Buf holds the decoded keys and values
	complete bool            // scan read the whole body: pairs are all its documented pairs
}

// scan reads a form body as wire.DecodeForm does and keeps its documented pairs.
// It returns false when the full path would report something about the
// pairs themselves: a bad escape, invalid UTF-8, an undocumented key.
func (fs *formScan) scan(fp *compiled.FormTable, body []byte) bool {
	fs.plan, fs.pairs, fs.complete = fp, fs.pairs[:0], false
	fs.r.Reset(body)
	for {
		key, val, clean, ok := fs.r.Next()
		if !ok {
			break
		}
		if !clean {
			return false // form.syntax, even for a key the form ignores
		}
		field, documented := fp.Lookup(key)
		if !documented {
			if fp.Open {
				continue
			}
			return false
		}
		fs.pairs = append(fs.pairs, fieldValue{field, val})
	}
	fs.complete = true
	return true
}

// count returns how many values a field has.
func (fs *formScan) count(field int) int {
	n := 0
	for _, p := range fs.pairs {
		if p.field == field {
			n++
		}
	}
	return n
}

// first returns a field's first value.
func (fs *formScan) first(field int) ([]byte, bool) {
	for _, p := range fs.pairs {
		if p.field == field {
			return p.val, true
		}
	}
	return nil, false
}

// values returns a field's values, in order.
func (fs *formScan) values(field int) []string {
	var out []string
	for _, p := range fs.pairs {
		if p.field == field {
			out = append(out, string(p.val))
		}
	}
	return out
}

// named returns the index of a documented field, or -1.
func (fs *formScan) named(name string) int {
	if i, ok := fs.plan.Lookup(wire.Bytes(name)); ok {
		return i
	}
	return -1
}

// valid reports whether the full path's checkForm would find nothing in the
// scanned pairs: each value decodes as its field's type, single fields are
// given once, and the form meets its schema.
func (fs *formScan) valid(ff *compiled.FormGate) bool {
	for i, f := range ff.Table.List {
		n := 0
		for _, p := range fs.pairs {
			if p.field != i {
				continue
			}
			n++
			kind, s := f.Kind, ff.Schemas[i]
			if f.Kind == compiled.KindArray {
				kind = f.Items
				if s != nil && !s.AnyValue {
					s = s.Items
				}
			} else if n > 1 {
				return false // form.duplicate-key
			}
			if !textDecodes(kind, p.val) {
				return false
			}
			if judgeText(s, kind, p.val) != gate.Valid {
				return false
			}
		}
		if n == 0 {
			continue
		}
		if s := ff.Schemas[i]; f.Kind == compiled.KindArray && s != nil && !s.AnyValue {
			if !s.Allows(gate.TypeArray) || n < s.MinItems || s.MaxItems >= 0 && n > s.MaxItems {
				return false
			}
		}
	}
	for _, i := range ff.Required {
		if fs.count(i) == 0 {
			return false
		}
	}
	return true
}

// textDecodes reports whether decodeText accepts the text of a value of the
// given kind; for numbers it accepts only plain JSON literals, a subset of
// what decodeText takes.
func textDecodes(kind compiled.ValueKind, b []byte) bool {
	switch kind {
	case compiled.KindInteger:
		return isDecimal(wire.String(b))
	case compiled.KindNumber:
		if len(b) == 0 {
			return false
		}
		return gate.ReadsNumber(b)
	case compiled.KindBoolean:
		return string(b) == "true" || string(b) == "false"
	}
	return true
}

// judgeText judges a decoded text value of the given kind against s (nil
// accepts any value).
func judgeText(s *gate.Schema, kind compiled.ValueKind, b []byte) gate.Verdict {
	if s == nil || s.AnyValue {
		return gate.Valid
	}
	switch kind {
	case compiled.KindInteger, compiled.KindNumber:
		return s.Number(b)
	case compiled.KindBoolean:
		return s.Boolean()
	}
	return s.Str(b)
}
