package gate

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzScan holds the scanner to its promises on any input: it reads a
// document only when encoding/json reads it (in UTF-8), and every such
// document nested no deeper than MaxDepth; against the embedded contract's
// 201 schema and each schema of keywordCases it says Valid only where
// jsonschema/v5 finds nothing and Invalid only where it finds something;
// with Listed, Valid only when every listed property is there; and the
// top-level values it records are the ones encoding/json keeps, decoded
// as encoding/json decodes them.
func FuzzScan(f *testing.F) {
	f.Add(documented201(f))
	for _, tc := range syntaxCases {
		f.Add([]byte(tc.doc))
	}
	for _, s := range escapedStrings {
		f.Add([]byte(`{"sid":` + s + `}`))
	}
	for _, set := range []map[string]bool{uris, dateTimes} {
		for s := range set {
			f.Add([]byte(s))
		}
	}
	pairs := []pair{{name: "no schema"}, embeddedPair(f)}
	for _, tc := range keywordCases {
		p := inlinePair(f, tc.schema, tc.oas30)
		if p.fast == nil {
			continue
		}
		pairs = append(pairs, p)
		for _, docs := range [][]string{tc.valid, tc.unsure, tc.invalid} {
			for _, doc := range docs {
				f.Add([]byte(doc))
			}
		}
	}
	listed := pairs[1]
	want := []string{"sid", "url", "configuration", "target"}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, p := range pairs {
			checkScan(t, p, doc)
		}
		if IsPlainAbsoluteURL(doc) {
			plainURLHolds(t, string(doc))
		}
		if IsPlainDateTime(doc) {
			plainDateTimeHolds(t, string(doc))
		}
		sc := Scanner{Listed: true, Want: want, Got: make([]Span, len(want))}
		v, ok := sc.ScanJSON(listed.fast, doc)
		if !ok {
			return
		}
		var members map[string]json.RawMessage
		isObject := json.Unmarshal(doc, &members) == nil && bytes.TrimLeft(doc, " \t\r\n")[0] == '{'
		if v == Valid && isObject {
			for name, k := range listed.fast.Props {
				if _, there := members[name]; !there && listed.fast.Listed&(1<<k) != 0 {
					t.Fatalf("Listed: the gate calls %q valid without %q", doc, name)
				}
			}
		}
		for k, name := range want {
			got := sc.At(sc.Got[k])
			if !bytes.Equal(got, members[name]) {
				t.Fatalf("%q: recorded %q for %q, encoding/json keeps %q", doc, got, name, members[name])
			}
			eachAgrees(t, &sc, got)
			if text, isText := sc.Text(got); isText {
				var s string
				if err := json.Unmarshal(got, &s); err != nil || s != string(text) {
					t.Fatalf("%q: Text of %q is %q, encoding/json decodes %q (%v)", doc, got, text, s, err)
				}
			}
		}
	})
}

// eachAgrees checks that Each walks a recorded object or array as
// encoding/json's token stream reads it: keys decoded, values as written,
// in order, duplicates kept.
func eachAgrees(t *testing.T, sc *Scanner, v Value) {
	t.Helper()
	open := v.Kind()
	if open != '{' && open != '[' {
		return
	}
	type member struct{ key, val string }
	var want, got []member
	dec := json.NewDecoder(bytes.NewReader(v))
	if _, err := dec.Token(); err != nil {
		t.Fatalf("%q: %v", v, err)
	}
	for dec.More() {
		var m member
		if open == '{' {
			key, err := dec.Token()
			if err != nil {
				t.Fatalf("%q: %v", v, err)
			}
			m.key = key.(string)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		m.val = string(raw)
		want = append(want, m)
	}
	sc.Each(v, open, func(key []byte, val Value) bool {
		got = append(got, member{string(key), string(val)})
		return true
	})
	if len(got) != len(want) {
		t.Fatalf("Each of %q: %q, encoding/json reads %q", v, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("Each of %q: %q, encoding/json reads %q", v, got, want)
		}
	}
}
