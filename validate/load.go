package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"

	"github.com/pb33f/go-yaml"

	"github.com/contractcheck/contractcheck/internal/yamlalias"
	"github.com/contractcheck/contractcheck/internal/yamlerror"
	"github.com/contractcheck/contractcheck/validate/internal/check"
	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/spec"
)

// Load compiles a contract, an OpenAPI 3.0 or 3.1 document in YAML or JSON.
// file names the contract in findings ("file:line"). The document is first
// validated against the OpenAPI specification (libopenapi-validator); a
// document that is not OpenAPI 3, breaks the specification, holds a schema
// that does not compile, or a number whose exponent is beyond what math/big
// reads (1E1000001) where a schema would meet it, is refused with a
// [*LoadError] listing every problem with its line.
//
// A YAML document whose aliases stand for more than 100,000 nodes
// (yamlalias.Budget) is refused before it is parsed further: libopenapi
// expands aliases, and a few hundred bytes of them can stand for billions of
// nodes.
func Load(file string, data []byte) (*Plan, error) {
	if err := checkAliases(file, data); err != nil {
		return nil, err
	}
	return load(file, data, true)
}

// checkAliases refuses a YAML document whose aliases expand past the budget
// of yamlalias, counting them on the parsed node tree without expanding
// them. JSON has no aliases, and a document that is not YAML is left to
// libopenapi to report.
func checkAliases(file string, data []byte) error {
	if json.Valid(data) {
		return nil
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return nil
	}
	err := yamlalias.Check(&root)
	var aerr *yamlalias.Error
	if !errors.As(err, &aerr) {
		return nil
	}
	return &LoadError{File: file, Problems: []Problem{{Line: aerr.Line, Message: aerr.Error()}}}
}

// load is Load with the specification check optional: the embedded contract
// is checked by a test, not at every start.
func load(file string, data []byte, checkSpec bool) (*Plan, error) {
	fail := func(line int, format string, args ...any) error {
		return &LoadError{File: file, Problems: []Problem{{Line: line, Message: fmt.Sprintf(format, args...)}}}
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fail(0, "the file is empty; want an OpenAPI 3 document")
	}
	// A document that libopenapi will take for JSON (its test: braces at
	// both ends) is decoded for the plan while libopenapi parses it.
	var jsonTree any
	jsonDone := make(chan struct{})
	go func() {
		defer close(jsonDone)
		if trimmed[0] == '{' && trimmed[len(trimmed)-1] == '}' {
			jsonTree = contract.DecodeWholeJSON(data)
		}
	}()
	sd, err := spec.Read(data)
	<-jsonDone
	if err != nil {
		if strings.Contains(err.Error(), "not supported") {
			return nil, fail(1, "not an OpenAPI document: it has no openapi field naming version 3.0 or 3.1")
		}
		return nil, &LoadError{File: file, Problems: []Problem{syntaxProblem(data, err)}}
	}
	switch sd.Format {
	case spec.OpenAPI30, spec.OpenAPI31:
	case spec.Swagger2:
		return nil, fail(1, "Swagger %s is not supported; convert the document to OpenAPI 3", sd.Version)
	default:
		return nil, fail(1, "OpenAPI %s is not supported; want 3.0 or 3.1", sd.Version)
	}
	// The document is decoded once, for the compilation and for the
	// specification check.
	tree, treeErr := sd.JSONTree(jsonTree)
	// The specification check reads the document only: it runs beside the
	// compilation, on another core, and its problems come first.
	var specErr error
	specDone := make(chan struct{})
	go func() {
		defer close(specDone)
		if !checkSpec {
			return
		}
		if problems := sd.Check(tree, treeErr); problems != nil {
			specErr = specProblems(file, problems)
		}
	}()
	p, err := compilePlan(file, sd, tree, treeErr, fail)
	<-specDone
	if specErr != nil {
		return nil, specErr
	}
	return p, err
}

// compilePlan compiles the operations of a loaded document, tree (or
// treeErr) its JSON form from spec.Document.JSONTree.
func compilePlan(file string, sd *spec.Document, tree any, treeErr error, fail func(line int, format string, args ...any) error) (*Plan, error) {
	if treeErr != nil {
		return nil, fail(0, "the document cannot be read as JSON: %v", treeErr)
	}
	doc := &contract.Document{File: file, Tree: tree, Root: sd.Root}
	p := &Plan{version: sd.Version}
	if t, ok := doc.Object("/info")["title"].(string); ok {
		p.title = t
	}
	// The schemas are compiled in as many parts as there are cores (up to
	// four).
	ops, probs, err := compiled.Compile(doc, sd.Format == spec.OpenAPI30, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, fail(0, "preparing the schemas: %v", err)
	}
	var problems []Problem
	for _, e := range probs {
		problems = append(problems, Problem{Line: doc.Line(e.Ptr), Message: e.Message})
	}
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
		return nil, &LoadError{File: file, Problems: problems}
	}
	if len(ops) == 0 {
		return nil, fail(doc.Line("/paths"), "the contract describes no operation")
	}
	p.chk = check.New(doc, ops, compiled.NewRouter(ops, compiled.Servers(doc)))
	return p, nil
}

// syntaxProblem says, in the project's words, why data could not be read
// as a document at all (err is the parser's): not well-formed JSON, not
// well-formed YAML, or YAML whose top is not a mapping of OpenAPI fields;
// with the line and column when known.
func syntaxProblem(data []byte, err error) Problem {
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && !json.Valid(data) {
		var v any
		jerr := json.Unmarshal(data, &v)
		var se *json.SyntaxError
		if errors.As(jerr, &se) {
			line, col := lineColumn(data, se.Offset)
			return Problem{Line: line, Column: col, Message: "not an OpenAPI document: the file is not well-formed JSON: " + se.Error()}
		}
		if jerr != nil {
			return Problem{Message: "not an OpenAPI document: the file is not well-formed JSON: " + jerr.Error()}
		}
	}
	e := yamlerror.Read(err)
	if e == nil {
		return Problem{Message: "not an OpenAPI document: the file cannot be read as YAML or JSON"}
	}
	line, col := e.Place(data)
	if e.Tag != "" {
		what := map[string]string{"!!str": "text", "!!seq": "a list", "!!int": "a number", "!!float": "a number", "!!bool": "a boolean"}[e.Tag]
		if what == "" {
			what = "a single value"
		}
		return Problem{Line: line, Message: "not an OpenAPI document: the file holds " + what + ", not a mapping of fields such as openapi, info and paths (is it YAML or JSON?)"}
	}
	if e.Stage != yaml.ConstructorStage {
		return Problem{Line: line, Column: col, Message: "not an OpenAPI document: the file is neither well-formed YAML nor JSON: " + e.Message}
	}
	return Problem{Line: line, Column: col, Message: "not an OpenAPI document: the file cannot be read as YAML or JSON"}
}

// lineColumn turns a byte offset of data into a 1-based line and column.
func lineColumn(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// specProblems turns what a document breaks of the OpenAPI specification
// (spec.Document.Check) into a LoadError.
func specProblems(file string, problems []spec.Problem) error {
	le := &LoadError{File: file, Problems: make([]Problem, len(problems))}
	for i, p := range problems {
		le.Problems[i] = Problem{Line: p.Line, Column: p.Column, Message: p.Message}
	}
	return le
}
