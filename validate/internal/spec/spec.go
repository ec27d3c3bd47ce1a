// Package spec reads a contract document the way libopenapi reads it: its
// OpenAPI version, its YAML node tree (for line numbers), its JSON form, and
// what it breaks of the OpenAPI specification (libopenapi-validator).
//
// It is the one package of the checker that names libopenapi's types, and it
// keeps them inside. A package that names them compiles libopenapi's generic
// ordered maps for every type of the document model, some 11,000 functions
// and about 15 s of CPU from an empty build cache; the checker's package,
// compiled three times by its own tests, would pay it three times. Its
// tests are in package spec_test for the same reason: in-package tests would
// compile it a second time.
package spec

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pb33f/go-yaml"
	specschema "github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel"

	"github.com/contractcheck/contractcheck/validate/internal/contract"
)

// Format is the kind of document libopenapi found.
type Format uint8

const (
	// Other is neither OpenAPI 3 nor Swagger 2 (Document.Version says what
	// version it claims).
	Other Format = iota
	// Swagger2 is a Swagger 2.0 document.
	Swagger2
	// OpenAPI30 is an OpenAPI 3.0.x document.
	OpenAPI30
	// OpenAPI31 is an OpenAPI 3.1.x document.
	OpenAPI31
)

// Document is a contract document as libopenapi read it.
type Document struct {
	// Version is the version the document claims, such as "3.0.1".
	Version string
	// Format is the kind of document that version names.
	Format Format
	// Root is the document's YAML node tree, which gives line numbers.
	Root *yaml.Node

	// read is libopenapi's reading of the document, behind an any: a
	// package that only holds a Document then needs no type of libopenapi's
	// (a field of their types would make it compile them all).
	read any // *reading
}

// reading is what libopenapi made of a document.
type reading struct {
	data []byte
	oa   libopenapi.Document
	info *datamodel.SpecInfo
}

// Read parses data, an OpenAPI document in YAML or JSON. Its error is
// libopenapi's, unwrapped, so that the caller can say why in its own words
// (yamlerror.Read).
func Read(data []byte) (*Document, error) {
	oa, err := libopenapi.NewDocumentWithConfiguration(data, &datamodel.DocumentConfiguration{})
	if err != nil {
		return nil, err
	}
	info := oa.GetSpecInfo()
	d := &Document{Version: info.Version, Root: info.RootNode, read: &reading{data: data, oa: oa, info: info}}
	switch info.SpecFormat {
	case datamodel.OAS3:
		d.Format = OpenAPI30
	case datamodel.OAS31:
		d.Format = OpenAPI31
	case datamodel.OAS2:
		d.Format = Swagger2
	}
	return d, nil
}

// JSONTree decodes the document's JSON form. decoded, when not nil, is the
// document's bytes already decoded (contract.DecodeWholeJSON): for a JSON
// document they are its JSON form, which libopenapi would decode once more
// (into a map no one reads) before handing them back.
func (d *Document) JSONTree(decoded any) (any, error) {
	r := d.read.(*reading)
	if decoded != nil && r.info.SpecFileType == datamodel.JSONFileType {
		return decoded, nil
	}
	raw := r.info.GetSpecJSONBytes()
	if raw == nil {
		if err := r.info.GetSpecJSONError(); err != nil {
			return nil, err
		}
		return nil, errors.New("libopenapi gives no JSON form of it")
	}
	return contract.DecodeJSONTree(*raw)
}

// Problem is one thing the document breaks of the OpenAPI specification.
type Problem struct {
	// Line and Column are 1-based; 0 when unknown.
	Line, Column int
	// Message says what is wrong.
	Message string
}

// Check validates the document against the OpenAPI specification's schema
// and returns what it breaks, sorted by line, or nil when it breaks nothing.
// tree is the document's JSON form (JSONTree), or nil with treeErr when it
// has none.
func (d *Document) Check(tree any, treeErr error) (problems []Problem) {
	// jsonschema panics on a number whose exponent is too large for
	// math/big (1E1000001): that is the document's problem, not the end of
	// the process.
	defer func() {
		if r := recover(); r != nil {
			problems = d.unreadableNumbers(tree)
			if len(problems) == 0 {
				problems = []Problem{{Message: fmt.Sprintf("the document cannot be checked against the OpenAPI specification: %v", r)}}
			}
		}
	}()
	// A number math/big cannot read is refused before any schema meets it:
	// a schema keyword holding one would fail every value it judges.
	r := d.read.(*reading)
	if treeErr == nil && mayHoldHugeExponent(r.data) {
		if problems := d.unreadableNumbers(tree); len(problems) > 0 {
			return problems
		}
	}
	schema := specSchema(r.info.APISchema)
	// A JSON document that passes the OpenAPI schema passes
	// libopenapi-validator, which would decode it again; it is asked only
	// for the problems of one that does not, or of YAML (whose keys it
	// checks as well).
	if treeErr == nil && r.info.SpecFileType == datamodel.JSONFileType && schema != nil && schema.Validate(tree) == nil {
		return nil
	}
	ok, errs := schema_validation.ValidateOpenAPIDocumentWithPrecompiled(r.oa, schema)
	if ok {
		return nil
	}
	return validatorProblems(errs)
}

// mayHoldHugeExponent reports whether data, the document's text in JSON or
// YAML, may hold a number math/big cannot read: one whose exponent has seven
// digits or more (math/big reads exponents up to 1,000,000). It reads the
// text in one pass, far quicker than a walk of the decoded document.
func mayHoldHugeExponent(data []byte) bool {
	for i := 0; i < len(data); {
		j := bytes.IndexAny(data[i:], "eE")
		if j < 0 {
			return false
		}
		i += j + 1
		if i < 2 || data[i-2] < '0' || data[i-2] > '9' {
			continue
		}
		k := i
		if k < len(data) && (data[k] == '+' || data[k] == '-') {
			k++
		}
		start := k
		for k < len(data) && data[k] >= '0' && data[k] <= '9' {
			k++
		}
		if k-start >= 7 {
			return true
		}
	}
	return false
}

// unreadableNumbers lists the numbers of tree, the document's JSON form,
// that math/big cannot read, with their lines.
func (d *Document) unreadableNumbers(tree any) []Problem {
	doc := &contract.Document{Tree: tree, Root: d.Root}
	var out []Problem
	for _, n := range contract.UnreadableNumbers(tree) {
		out = append(out, Problem{Line: doc.Line(n.Pointer), Message: fmt.Sprintf("%s: the number %.40s has an exponent too large to read", n.Pointer, n.Text)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// validatorProblems turns libopenapi-validator's findings on a document into
// problems.
func validatorProblems(errs []*liberrors.ValidationError) []Problem {
	var out []Problem
	for _, e := range errs {
		if len(e.SchemaValidationErrors) == 0 {
			out = append(out, Problem{Line: e.SpecLine, Column: e.SpecCol, Message: strings.TrimSpace(e.Message + ": " + e.Reason)})
			continue
		}
		for _, s := range e.SchemaValidationErrors {
			msg := s.Reason
			if s.FieldPath != "" {
				msg = s.FieldPath + ": " + msg
			}
			out = append(out, Problem{Line: s.Line, Column: s.Column, Message: msg})
		}
	}
	out = dropRefNoise(out)
	if len(out) == 0 {
		out = []Problem{{Message: "the document does not pass OpenAPI validation"}}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// dropRefNoise drops the "missing property '$ref'" problems that the
// OpenAPI schema's oneOf of a Reference and an inline object adds to every
// real problem of an inline object, unless they are all there is.
func dropRefNoise(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !strings.HasSuffix(p.Message, "missing property '$ref'") {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return ps
	}
	return out
}

// specSchemas holds the compiled JSON Schema of each OpenAPI version's
// specification (3.0, 3.1), keyed by the schema's text: compiling one takes
// longer than loading a small contract, and a compiled schema is immutable,
// so every Load in the process shares it.
var specSchemas sync.Map // string -> *specschema.Schema

// specSchema returns the compiled specification schema of the given text, or
// nil when it does not compile: libopenapi-validator then compiles it itself
// and reports why it cannot.
func specSchema(text string) *specschema.Schema {
	if s, ok := specSchemas.Load(text); ok {
		return s.(*specschema.Schema)
	}
	s, err := helpers.NewCompiledSchema("schema", []byte(text), config.NewValidationOptions())
	if err != nil {
		return nil
	}
	actual, _ := specSchemas.LoadOrStore(text, s)
	return actual.(*specschema.Schema)
}
