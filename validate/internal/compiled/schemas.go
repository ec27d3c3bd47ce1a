package compiled

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
	"github.com/contractcheck/contractcheck/validate/internal/route"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// schemaURL is the URL under which a contract's schemas are compiled; the
// fragments of jsonschema's keyword locations are JSON pointers into the
// contract document.
const schemaURL = "mem://contract.json"

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

// Servers returns the servers of the document
// ([contract.Document.ServerURLs]); a server URL that cannot be read is
// left out.
func Servers(doc *contract.Document) []route.Server {
	urls := doc.ServerURLs()
	servers := make([]route.Server, 0, len(urls))
	for _, u := range urls {
		if s, err := route.ParseServer(u); err == nil {
			servers = append(servers, s)
		}
	}
	return servers
}
