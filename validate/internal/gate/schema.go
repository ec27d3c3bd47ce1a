package gate

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contractcheck/contractcheck/internal/ascii"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/wire"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Schema is a JSON Schema compiled for the gate: the subset of
// keywords contracts commonly use (type with nullable, enum of strings,
// pattern, minLength, maxLength, integer minimum and maximum, format uri and
// date-time, properties, required, additionalProperties, items, minItems,
// maxItems), checked without decoding the instance into Go values. A schema
// that uses anything else has no Schema: its values take the full path,
// where jsonschema/v5 stays the authority.
//
// A Schema never answers "valid" when jsonschema would not; where exact
// agreement would be costly (a number such as 1e2 for an integer, a leap
// second) it answers "unsure" instead.
type Schema struct {
	types   Types    // allowed types; 0 allows every type
	enum    []string // allowed strings, when hasEnum
	enumNil bool     // null is an enum member
	hasEnum bool

	minLen, maxLen int // in runes; -1 when absent
	pattern        *regexp.Regexp
	sidPrefix      string // pattern is ^XX[0-9a-fA-F]{32}$ with this prefix
	format         gateFormat

	hasMin, hasMax bool
	min, max       int64 // integer bounds

	Props     map[string]int // property name → index in propList
	PropList  []*Schema
	propNames []string // by index
	Required  []int    // indexes into propList
	Listed    uint64   // bit k: propList[k] is listed under properties (not writeOnly): response.missing-property
	Closed    bool     // additionalProperties: false
	Extra     *Schema  // additionalProperties as a schema
	Items     *Schema  // nil allows any items
	MinItems  int      // 0 when absent
	MaxItems  int      // -1 when absent
	AnyValue  bool     // the schema constrains nothing

	requiredNames []string // while compiling
}

// Types is a set of JSON types, the types a Schema allows.
type Types uint8

// The JSON types of a Schema's type keyword.
const (
	TypeNull    Types = 1 << iota // null
	TypeBoolean                   // true or false
	TypeInteger                   // integers only; TypeNumber includes them
	TypeNumber                    // any number
	TypeString                    // a string
	TypeArray                     // an array
	TypeObject                    // an object
)

// gateFormat is a format the gate checks.
type gateFormat uint8

const (
	formatNone gateFormat = iota
	formatURI
	formatDateTime
)

// Verdict is what the gate says of a value.
type Verdict uint8

// The verdicts of the gate.
const (
	Valid   Verdict = iota // the value meets the schema: jsonschema/v5 would find nothing
	Unsure                 // the gate cannot tell: the full path decides
	Invalid                // the value breaks the schema: the full path builds the findings
)

// and combines the verdicts of two keywords that must both hold: invalid
// wins, then unsure.
func (v Verdict) and(w Verdict) Verdict { return max(v, w) }

// SIDPattern recognises the patterns of Twilio SIDs, such as
// ^WH[0-9a-fA-F]{32}$, and captures the prefix.
var SIDPattern = regexp.MustCompile(`^\^([A-Z]{2})\[0-9a-fA-F\]\{32\}\$$`)

// ColonSlashes is what follows the scheme of an absolute URL with a host.
var ColonSlashes = []byte("://")

// annotations are keywords that never change a Verdict.
var annotations = map[string]bool{
	"description": true, "title": true, "example": true, "examples": true, "default": true,
	"readOnly": true, "writeOnly": true, "deprecated": true, "externalDocs": true, "xml": true,
	"$comment": true, "nullable": true,
}

// Compiler builds Schemas from a document's tree.
type Compiler struct {
	// Doc is the document the schemas are read from.
	Doc *contract.Document
	// OAS30 marks an OpenAPI 3.0 document: nullable adds null to a
	// schema's type.
	OAS30 bool
	busy  map[string]bool
	// done holds the schemas compiled, by pointer, that did not meet a
	// schema being compiled (a cycle): the operations of a contract share
	// their components. cycles counts such meetings.
	done     map[string]*Schema
	cycles   int
	patterns map[string]*regexp.Regexp // compiled patterns, by their text
}

// Compile builds the Schema of the schema at ptr; nil when the schema
// uses a keyword the gate does not check, or refers to itself.
func (fc *Compiler) Compile(ptr string) *Schema {
	if s, ok := fc.done[ptr]; ok {
		return s
	}
	if fc.busy[ptr] {
		fc.cycles++
		return nil
	}
	if fc.busy == nil {
		fc.busy, fc.done = map[string]bool{}, map[string]*Schema{}
	}
	fc.busy[ptr] = true
	cycles := fc.cycles
	s := fc.build(ptr)
	delete(fc.busy, ptr)
	if fc.cycles == cycles {
		fc.done[ptr] = s
	}
	return s
}

// build builds the Schema of the schema at ptr, for compile.
func (fc *Compiler) build(ptr string) *Schema {
	v, ok := fc.Doc.Get(ptr)
	if !ok {
		return nil
	}
	if b, ok := v.(bool); ok && !fc.OAS30 {
		if b {
			return &Schema{AnyValue: true, minLen: -1, maxLen: -1, MaxItems: -1}
		}
		return nil
	}
	o, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if ref, ok := o["$ref"].(string); ok {
		for k := range o {
			if k != "$ref" && !annotations[k] && !strings.HasPrefix(k, "x-") {
				return nil
			}
		}
		target, err := contract.LocalRef(ref)
		if err != nil {
			return nil
		}
		return fc.Compile(target)
	}
	s := &Schema{minLen: -1, maxLen: -1, MaxItems: -1}
	for k, val := range o {
		if annotations[k] || strings.HasPrefix(k, "x-") {
			continue
		}
		if !fc.keyword(s, ptr, k, val) {
			return nil
		}
	}
	for _, name := range s.requiredNames {
		if _, ok := s.Props[name]; ok {
			s.Required = append(s.Required, s.Props[name])
			continue
		}
		if s.Closed || s.Extra != nil {
			return nil // a required key that is not a property: rare, left to jsonschema
		}
		s.addProp(name, &Schema{AnyValue: true, minLen: -1, maxLen: -1, MaxItems: -1})
		s.Required = append(s.Required, s.Props[name])
	}
	s.requiredNames = nil
	if len(s.PropList) > 64 {
		return nil // an object's seen properties are 64 bits (see Scanner.object)
	}
	if _, named := o["type"].(string); fc.OAS30 && named && o["nullable"] == true {
		s.types |= TypeNull
		if s.hasEnum {
			s.enumNil = true
		}
	}
	if s.types&TypeNumber != 0 {
		s.types |= TypeInteger
	}
	s.AnyValue = s.types == 0 && !s.hasEnum && s.minLen < 0 && s.maxLen < 0 && s.pattern == nil &&
		s.format == formatNone && !s.hasMin && !s.hasMax && s.Props == nil && s.Required == nil && s.Listed == 0 &&
		!s.Closed && s.Extra == nil && s.Items == nil && s.MinItems == 0 && s.MaxItems < 0
	return s
}

// addProp adds a property.
func (s *Schema) addProp(name string, sub *Schema) {
	if s.Props == nil {
		s.Props = map[string]int{}
	}
	s.Props[name] = len(s.PropList)
	s.PropList = append(s.PropList, sub)
	s.propNames = append(s.propNames, name)
}

// prop finds a property by name: a few names are compared in turn, more
// through the map.
func (s *Schema) prop(key []byte) (int, bool) {
	if len(s.propNames) > contract.SmallTable {
		k, ok := s.Props[wire.String(key)]
		return k, ok
	}
	for k, name := range s.propNames {
		if name == string(key) {
			return k, true
		}
	}
	return 0, false
}

// setTypes reads "type": a name or a list of names.
func (s *Schema) setTypes(val any) bool {
	names, ok := val.([]any)
	if !ok {
		names = []any{val}
	}
	for _, n := range names {
		name, _ := n.(string)
		t, ok := typeNames[name]
		if !ok {
			return false
		}
		s.types |= t
	}
	return len(names) > 0
}

// typeNames are JSON Schema's names of the JSON types.
var typeNames = map[string]Types{
	"null": TypeNull, "boolean": TypeBoolean, "integer": TypeInteger, "number": TypeNumber,
	"string": TypeString, "array": TypeArray, "object": TypeObject,
}

// SmallInt reads a keyword's integer value.
func SmallInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil && i > -1<<53 && i < 1<<53
}

// Allows reports whether the schema's type admits t.
func (s *Schema) Allows(t Types) bool { return s.types == 0 || s.types&t != 0 }

// null judges a JSON null.
func (s *Schema) null() Verdict {
	if !s.Allows(TypeNull) || s.hasEnum && !s.enumNil {
		return Invalid
	}
	return Valid
}

// Boolean judges true or false.
func (s *Schema) Boolean() Verdict {
	if !s.Allows(TypeBoolean) || s.hasEnum {
		return Invalid
	}
	return Valid
}

// Number judges a number, given as its JSON literal.
func (s *Schema) Number(lit []byte) Verdict {
	integral := true
	for _, c := range lit {
		if c == '.' || c == 'e' || c == 'E' {
			integral = false
		}
	}
	v := Valid
	if s.types != 0 && s.types&TypeNumber == 0 {
		switch {
		case s.types&TypeInteger == 0:
			return Invalid
		case !integral:
			v = Unsure // 1.0 and 1e2 are integers to jsonschema
		}
	}
	if s.hasEnum {
		return Invalid
	}
	if s.hasMin || s.hasMax {
		n, err := strconv.ParseInt(wire.String(lit), 10, 64)
		if !integral || err != nil {
			return v.and(Unsure)
		}
		if s.hasMin && n < s.min || s.hasMax && n > s.max {
			return Invalid
		}
	}
	return v
}

// Str judges a string, given decoded.
func (s *Schema) Str(b []byte) Verdict {
	if !s.Allows(TypeString) {
		return Invalid
	}
	if s.hasEnum && !s.inEnum(b) {
		return Invalid
	}
	if s.minLen >= 0 || s.maxLen >= 0 {
		n := utf8.RuneCount(b)
		if s.minLen >= 0 && n < s.minLen || s.maxLen >= 0 && n > s.maxLen {
			return Invalid
		}
	}
	switch {
	case s.sidPrefix != "":
		if !IsSID(b, s.sidPrefix) {
			return Invalid
		}
	case s.pattern != nil:
		if !s.pattern.Match(b) {
			return Invalid
		}
	}
	switch s.format {
	case formatURI:
		if !IsPlainAbsoluteURL(b) {
			return Unsure
		}
	case formatDateTime:
		if !IsPlainDateTime(b) {
			return Unsure
		}
	}
	return Valid
}

func (s *Schema) inEnum(b []byte) bool {
	for _, e := range s.enum {
		if string(b) == e {
			return true
		}
	}
	return false
}

// IsSID matches ^XX[0-9a-fA-F]{32}$ for a two-letter prefix XX.
func IsSID(b []byte, prefix string) bool {
	if len(b) != 34 || string(b[:2]) != prefix {
		return false
	}
	for _, c := range b[2:] {
		if !ascii.IsHex(c) {
			return false
		}
	}
	return true
}

// IsPlainAbsoluteURL recognises the plainest absolute URLs:
// scheme://host[:port][/path][?query], with a host of letters, digits, dots
// and dashes, a path of unreserved characters and slashes, a query without
// percent escapes, and no fragment. url.Parse accepts each of them with a
// scheme and a host, and EscapedPath returns the path as written. Other URLs
// are not judged here.
func IsPlainAbsoluteURL(b []byte) bool {
	i := 0
	for i < len(b) && (ascii.IsAlnum(b[i]) || i > 0 && (b[i] == '+' || b[i] == '-' || b[i] == '.')) {
		i++
	}
	if i == 0 || !isLetter(b[0]) || !bytes.HasPrefix(b[i:], ColonSlashes) {
		return false
	}
	i += 3
	host := i
	for i < len(b) && (ascii.IsAlnum(b[i]) || b[i] == '.' || b[i] == '-') {
		i++
	}
	if i == host {
		return false
	}
	if i < len(b) && b[i] == ':' {
		i++
		port := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == port || i-port > 5 {
			return false
		}
	}
	if i < len(b) && b[i] == '/' {
		for i < len(b) && urlChars[b[i]]&urlPathChar != 0 {
			i++
		}
	}
	if i < len(b) && b[i] == '?' {
		for i++; i < len(b) && urlChars[b[i]]&urlQueryChar != 0; i++ {
		}
	}
	return i == len(b)
}

// The classes of urlChars.
const (
	urlPathChar  = 1 << iota // unreserved characters and /
	urlQueryChar             // those and the sub-delimiters, : and @, without %
)

// urlChars classifies the bytes of plain URLs' paths and queries.
var urlChars = func() (t [256]uint8) {
	for c := range 256 {
		if ascii.IsAlnum(byte(c)) || strings.IndexByte("-._~/", byte(c)) >= 0 {
			t[c] = urlPathChar | urlQueryChar
		} else if strings.IndexByte("=&+,:;@!$'()*", byte(c)) >= 0 {
			t[c] = urlQueryChar
		}
	}
	return t
}()

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// IsPlainDateTime recognises RFC 3339 date-times in their plainest form,
// YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm), with every field in range and no
// leap second: jsonschema's date-time format and time.Parse with
// time.RFC3339Nano accept each of them.
func IsPlainDateTime(b []byte) bool {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return false
	}
	rest := b[19:]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return false
		}
		rest = rest[n:]
	}
	switch {
	case len(rest) == 1 && rest[0] == 'Z':
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		return ok1 && ok2 && oh <= 23 && om <= 59
	}
	return false
}

// digits reads a fixed number of decimal digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// keyword compiles one keyword into s; false when the gate cannot
// check it.
func (fc *Compiler) keyword(s *Schema, ptr, k string, val any) bool {
	switch k {
	case "type":
		return s.setTypes(val)
	case "enum":
		list, ok := val.([]any)
		if !ok || len(list) == 0 {
			return false
		}
		s.hasEnum = true
		for _, e := range list {
			switch e := e.(type) {
			case string:
				s.enum = append(s.enum, e)
			case nil:
				s.enumNil = true
			default:
				return false
			}
		}
	case "pattern":
		p, ok := val.(string)
		if !ok {
			return false
		}
		re, ok := fc.patterns[p]
		if !ok {
			var err error
			if re, err = regexp.Compile(p); err != nil {
				return false
			}
			if fc.patterns == nil {
				fc.patterns = map[string]*regexp.Regexp{}
			}
			fc.patterns[p] = re
		}
		s.pattern = re
		if m := SIDPattern.FindStringSubmatch(p); m != nil {
			s.sidPrefix = m[1]
		}
	case "minLength", "maxLength", "minItems", "maxItems":
		n, ok := SmallInt(val)
		if !ok || n < 0 {
			return false
		}
		switch k {
		case "minLength":
			s.minLen = int(n)
		case "maxLength":
			s.maxLen = int(n)
		case "minItems":
			s.MinItems = int(n)
		default:
			s.MaxItems = int(n)
		}
	case "minimum", "maximum":
		n, ok := SmallInt(val)
		if !ok {
			return false
		}
		if k == "minimum" {
			s.hasMin, s.min = true, n
		} else {
			s.hasMax, s.max = true, n
		}
	case "exclusiveMinimum", "exclusiveMaximum":
		return val == false // draft 4's default; anything else takes the full path
	case "format":
		f, ok := val.(string)
		if !ok {
			return false
		}
		switch f {
		case "uri":
			s.format = formatURI
		case "date-time":
			s.format = formatDateTime
		default:
			if _, known := jsonschema.Formats[f]; known {
				return false
			}
		}
	case "properties":
		props, ok := val.(map[string]any)
		if !ok {
			return false
		}
		if len(props) > 64 {
			return false
		}
		s.Props = make(map[string]int, len(props))
		for name := range props {
			pptr := contract.JoinPointer(ptr, k, name)
			sub := fc.Compile(pptr)
			if sub == nil {
				return false
			}
			if !fc.Doc.WriteOnly(pptr) {
				s.Listed |= 1 << len(s.PropList)
			}
			s.addProp(name, sub)
		}
	case "required":
		list, ok := val.([]any)
		if !ok {
			return false
		}
		for _, e := range list {
			name, ok := e.(string)
			if !ok {
				return false
			}
			s.requiredNames = append(s.requiredNames, name)
		}
	case "additionalProperties":
		switch v := val.(type) {
		case bool:
			s.Closed = !v
		case map[string]any:
			sub := fc.Compile(contract.JoinPointer(ptr, k))
			if sub == nil {
				return false
			}
			if !sub.AnyValue {
				s.Extra = sub
			}
		default:
			return false
		}
	case "items":
		if _, ok := val.(map[string]any); !ok {
			return false
		}
		sub := fc.Compile(contract.JoinPointer(ptr, k))
		if sub == nil {
			return false
		}
		if !sub.AnyValue {
			s.Items = sub
		}
	default:
		return false
	}
	return true
}
