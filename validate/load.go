package validate

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strconv"
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
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/contractcheck/contractcheck/internal/yamlalias"
	"github.com/contractcheck/contractcheck/internal/yamlerror"
	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
	"github.com/contractcheck/contractcheck/validate/internal/route"
)

// schemaURL is the URL under which a contract's schemas are compiled; the
// fragments of jsonschema's keyword locations are JSON pointers into the
// contract document.
const schemaURL = "mem://contract.json"

// Load compiles a contract, an OpenAPI 3.0 or 3.1 document in YAML or JSON.
// file names the contract in findings ("file:line"). The document is first
// validated against the OpenAPI specification (libopenapi-validator); a
// document that is not OpenAPI 3, breaks the specification, or holds a schema
// that does not compile is refused with a [*LoadError] listing every problem
// with its line.
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
	oa, err := libopenapi.NewDocumentWithConfiguration(data, &datamodel.DocumentConfiguration{})
	<-jsonDone
	if err != nil {
		if strings.Contains(err.Error(), "not supported") {
			return nil, fail(1, "not an OpenAPI document: it has no openapi field naming version 3.0 or 3.1")
		}
		return nil, &LoadError{File: file, Problems: []Problem{syntaxProblem(data, err)}}
	}
	info := oa.GetSpecInfo()
	switch info.SpecFormat {
	case datamodel.OAS3, datamodel.OAS31:
	case datamodel.OAS2:
		return nil, fail(1, "Swagger %s is not supported; convert the document to OpenAPI 3", info.Version)
	default:
		return nil, fail(1, "OpenAPI %s is not supported; want 3.0 or 3.1", info.Version)
	}
	// The document is decoded once, for the compilation and for the
	// specification check.
	tree, treeErr := specTree(info, jsonTree)
	// The specification check reads the document only: it runs beside the
	// compilation, on another core, and its problems come first.
	var specErr error
	specDone := make(chan struct{})
	go func() {
		defer close(specDone)
		if !checkSpec {
			return
		}
		// A JSON document that passes the OpenAPI schema passes
		// libopenapi-validator, which would decode it again; it is asked
		// only for the problems of one that does not, or of YAML (whose
		// keys it checks as well).
		if treeErr == nil && info.SpecFileType == datamodel.JSONFileType && specSchema(info.APISchema).Validate(tree) == nil {
			return
		}
		if ok, errs := schema_validation.ValidateOpenAPIDocumentWithPrecompiled(oa, specSchema(info.APISchema)); !ok {
			specErr = specProblems(file, errs)
		}
	}()
	p, err := compilePlan(file, info, tree, treeErr, fail)
	<-specDone
	if specErr != nil {
		return nil, specErr
	}
	return p, err
}

// specTree decodes the JSON form of a loaded document. jsonTree, when not
// nil, is the document's bytes already decoded (contract.DecodeWholeJSON): for a JSON
// document they are its JSON form, which libopenapi would decode once more
// (into a map no one reads) before handing them back.
func specTree(info *datamodel.SpecInfo, jsonTree any) (any, error) {
	if jsonTree != nil && info.SpecFileType == datamodel.JSONFileType {
		return jsonTree, nil
	}
	raw := info.GetSpecJSONBytes()
	if raw == nil {
		if err := info.GetSpecJSONError(); err != nil {
			return nil, err
		}
		return nil, errors.New("libopenapi gives no JSON form of it")
	}
	return contract.DecodeJSONTree(*raw)
}

// compilePlan compiles the operations of a loaded document, tree (or
// treeErr) its JSON form from specTree.
func compilePlan(file string, info *datamodel.SpecInfo, tree any, treeErr error, fail func(line int, format string, args ...any) error) (*Plan, error) {
	if treeErr != nil {
		return nil, fail(0, "the document cannot be read as JSON: %v", treeErr)
	}
	doc := &contract.Document{File: file, Tree: tree, Root: info.RootNode}
	p := &Plan{doc: doc, version: info.Version, keywords: new(sync.Map)}
	if t, ok := doc.Object("/info")["title"].(string); ok {
		p.title = t
	}
	refs := doc.Operations()
	// The schemas are compiled in as many parts as there are cores (up to
	// four), each by a jsonschema.Compiler of its own (see newCompiler).
	parts := min(runtime.GOMAXPROCS(0), 4, len(refs))
	c := newCompiler(doc, info.SpecFormat == datamodel.OAS3, parts)
	var errs []loadProblem
	for i, ref := range refs {
		c.part = i * len(c.workers) / len(refs)
		op, opErrs := compileOperation(doc, c, ref)
		errs = append(errs, opErrs...)
		if op != nil {
			p.ops = append(p.ops, op)
		}
	}
	schemaErrs, err := c.compiled()
	if err != nil {
		return nil, fail(0, "preparing the schemas: %v", err)
	}
	errs = append(errs, schemaErrs...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].seq < errs[j].seq })
	var problems []Problem
	for _, e := range errs {
		problems = append(problems, Problem{Line: doc.Line(e.ptr), Message: e.msg})
	}
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
		return nil, &LoadError{File: file, Problems: problems}
	}
	if len(p.ops) == 0 {
		return nil, fail(doc.Line("/paths"), "the contract describes no operation")
	}
	p.router = newRouter(p.ops, contractServers(doc))
	p.main = p.ops[0]
	for _, op := range p.ops {
		if op.own != nil {
			p.main = op
			break
		}
	}
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

// specProblems turns libopenapi-validator's findings on a document into a
// LoadError.
func specProblems(file string, errs []*liberrors.ValidationError) error {
	le := &LoadError{File: file}
	for _, e := range errs {
		if len(e.SchemaValidationErrors) == 0 {
			le.Problems = append(le.Problems, Problem{Line: e.SpecLine, Column: e.SpecCol, Message: strings.TrimSpace(e.Message + ": " + e.Reason)})
			continue
		}
		for _, s := range e.SchemaValidationErrors {
			msg := s.Reason
			if s.FieldPath != "" {
				msg = s.FieldPath + ": " + msg
			}
			le.Problems = append(le.Problems, Problem{Line: s.Line, Column: s.Column, Message: msg})
		}
	}
	le.Problems = dropRefNoise(le.Problems)
	if len(le.Problems) == 0 {
		le.Problems = []Problem{{Message: "the document does not pass OpenAPI validation"}}
	}
	sort.SliceStable(le.Problems, func(i, j int) bool { return le.Problems[i].Line < le.Problems[j].Line })
	return le
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

// compiler compiles the schemas of one document.
type compiler struct {
	fast  gate.Compiler // the same schemas for the gate
	seq   int           // the number of the next problem or schema, in walk order
	oas30 bool
	// schemaJSON writes jsonschema's copy of the document, once for all
	// workers (each reads it into a Compiler of its own).
	schemaJSON func() []byte

	// The schemas to compile with jsonschema, compiled by goroutines of
	// their own while the rest of the plan is built (see compileLater):
	// one per part of the operations, part the one being walked.
	workers []*schemaWorker
	part    int
	all     []schemaTask // every schema, in walk order (see compiled)
}

// schemaWorker compiles the schemas of a part of the operations with a
// jsonschema.Compiler of its own (one is not safe for concurrent use).
type schemaWorker struct {
	jc    *jsonschema.Compiler
	tasks chan schemaTask
	done  chan []loadProblem
	later []schemaTask // the content schemas, sent last (see compileLater)
	// prepErr is why jsonschema could not read the document; written by
	// the worker's goroutine, read after done.
	prepErr error
}

// schemaTask is a schema for the compiling goroutine: where it is, where to
// put it, and what to say when it does not compile.
type schemaTask struct {
	ptr    string
	dst    **jsonschema.Schema
	seq    int
	format string // the problem's message, with the error as its last argument
	args   []any
}

// problem returns a problem at ptr, numbered in walk order.
func (c *compiler) problem(ptr, format string, args ...any) loadProblem {
	c.seq++
	return loadProblem{ptr: ptr, msg: fmt.Sprintf(format, args...), seq: c.seq}
}

// compileLater has the schema at ptr compiled into *dst. Until
// compiled (see compiled) *dst must not be read; when the schema does not
// compile, the problem is format with args and the error.
//
// The schemas of parameters and headers, small and many, are compiled as
// they come; those of content (bodies), few and large, after them. Each
// schema jsonschema meets for the first time costs it a pass over all those
// it met before, so the large ones are best met last.
func (c *compiler) compileLater(ptr string, dst **jsonschema.Schema, format string, args ...any) {
	c.seq++
	t := schemaTask{ptr: ptr, dst: dst, seq: c.seq, format: format, args: args}
	c.all = append(c.all, t)
	w := c.workers[c.part]
	if strings.Contains(ptr, "/content/") {
		w.later = append(w.later, t)
		return
	}
	w.tasks <- t
}

// compiled waits for the schemas of compileLater and returns their problems,
// or the error of preparing the document for jsonschema (see newCompiler).
//
// jsonschema reports a schema that does not compile the first time a
// Compiler meets it only, and each part's Compiler meets the shared
// components anew: so that the problems do not depend on the parts, when
// any schema fails, all are compiled again by one worker, in the order of
// the walk, and its problems are the document's.
func (c *compiler) compiled() ([]loadProblem, error) {
	var probs []loadProblem
	var prepErr error
	for _, w := range c.workers {
		for _, t := range w.later {
			w.tasks <- t
		}
		close(w.tasks)
		probs = append(probs, <-w.done...)
		prepErr = cmp.Or(prepErr, w.prepErr)
	}
	if len(c.workers) == 1 || (len(probs) == 0 && prepErr == nil) {
		return probs, prepErr
	}
	w := c.startWorker()
	var later []schemaTask
	for _, t := range c.all {
		if strings.Contains(t.ptr, "/content/") {
			later = append(later, t)
			continue
		}
		w.tasks <- t
	}
	w.later = later
	c.workers = []*schemaWorker{w}
	return c.compiled()
}

// newCompiler prepares the document's schemas for jsonschema: OpenAPI 3.0's
// schema dialect is JSON Schema draft 4 plus "nullable", which becomes a
// "null" type (and a null enum member); 3.1 documents are JSON Schema 2020-12.
//
// The operations' schemas are compiled in parts (the caller says which part
// an operation is in, see compileLater), each by a worker (a goroutine and a
// jsonschema.Compiler, see startWorker) started here, so that the workers and
// the caller's walk of the operations share the cores.
func newCompiler(doc *contract.Document, oas30 bool, parts int) *compiler {
	c := &compiler{fast: gate.Compiler{Doc: doc, OAS30: oas30}, oas30: oas30}
	c.schemaJSON = sync.OnceValue(func() []byte { return appendSchemaJSON(nil, doc.Tree, oas30) })
	for range max(parts, 1) {
		c.workers = append(c.workers, c.startWorker())
	}
	return c
}

// startWorker starts a worker: its goroutine reads jsonschema's copy of the
// document (written by the first to need it), then compiles the schemas sent
// to it.
func (c *compiler) startWorker() *schemaWorker {
	jc := jsonschema.NewCompiler()
	jc.AssertFormat = true
	jc.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("loading %s: external references are not supported", s)
	}
	if c.oas30 {
		jc.Draft = jsonschema.Draft4
	} else {
		jc.Draft = jsonschema.Draft2020
	}
	// The buffer holds the schemas the walk finds while jsonschema is still
	// reading the document, so that the walk seldom waits.
	w := &schemaWorker{jc: jc, tasks: make(chan schemaTask, 1024), done: make(chan []loadProblem, 1)}
	go func() {
		var probs []loadProblem
		w.prepErr = jc.AddResource(schemaURL, bytes.NewReader(c.schemaJSON()))
		for t := range w.tasks {
			if w.prepErr != nil {
				continue
			}
			s, err := w.compile(t.ptr)
			if err != nil {
				probs = append(probs, loadProblem{ptr: t.ptr, msg: fmt.Sprintf(t.format, append(t.args, err)...), seq: t.seq})
				continue
			}
			*t.dst = s
		}
		w.done <- probs
	}()
	return w
}

// compile compiles the schema at a JSON pointer of the document.
//
// A panic of jsonschema is an error: a Compiler keeps the schemas it met in
// a compilation that failed, unchecked, and compiling one of them again
// (a broken component used twice) can panic, on a pattern that does not
// compile for one.
func (w *schemaWorker) compile(ptr string) (s *jsonschema.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("jsonschema failed on a schema it met broken before: %v", r)
		}
	}()
	return w.jc.Compile(schemaURL + "#" + ptr)
}

// appendSchemaJSON appends the JSON text of a decoded document tree to b,
// for jsonschema. With nullable (OpenAPI 3.0, whose schema dialect is JSON
// Schema draft 4 plus "nullable"), every object with "nullable": true and a
// "type" also allows null: its type becomes [type, "null"] and its enum, if
// any, gains a null member. Members are written in map order, which
// jsonschema, decoding them into a map, does not keep anyway.
func appendSchemaJSON(b []byte, v any, nullable bool) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, t)
	case json.Number:
		return append(b, t...)
	case string:
		return appendJSONString(b, t)
	case []any:
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendSchemaJSON(b, e, nullable)
		}
		return append(b, ']')
	case map[string]any:
		typ, orNull := t["type"].(string)
		orNull = orNull && nullable && t["nullable"] == true
		b = append(b, '{')
		first := true
		for k, e := range t {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, k)
			b = append(b, ':')
			switch {
			case orNull && k == "type":
				b = append(appendJSONString(append(b, '['), typ), `,"null"]`...)
			case orNull && k == "enum":
				enum, ok := e.([]any)
				if !ok || slices.Contains(enum, nil) {
					b = appendSchemaJSON(b, e, nullable)
					break
				}
				b = appendSchemaJSON(b, append(slices.Clip(enum), nil), nullable)
			default:
				b = appendSchemaJSON(b, e, nullable)
			}
		}
		return append(b, '}')
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, j...)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, the rest as it is (s is UTF-8 text decoded
// from JSON).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(append(b, s[start:]...), '"')
	return b
}

// contractServers returns the servers of the document
// ([contract.Document.ServerURLs]); a server URL that cannot be read is
// left out.
func contractServers(doc *contract.Document) []route.Server {
	urls := doc.ServerURLs()
	servers := make([]route.Server, 0, len(urls))
	for _, u := range urls {
		if s, err := route.ParseServer(u); err == nil {
			servers = append(servers, s)
		}
	}
	return servers
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
