package recording

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/contractcheck/contractcheck/internal/yamlalias"
	"github.com/contractcheck/contractcheck/internal/yamlerror"
	"github.com/contractcheck/contractcheck/validate"
)

// This file reads go-vcr cassettes: YAML documents of a version and a list of
// interactions, as Go test suites keep them in testdata or fixtures. go-vcr v1
// and v2 write version 1; v3 and v4 write version 2 (cassette.
// CassetteFormatVersion). The interactions of both are decoded into go-vcr
// v4's own cassette.Interaction: the fields this package reads (method, url,
// headers, body and form of the request; code, headers and body of the
// response) are the same in both versions.

// cassetteVersions are the cassette format versions Frames reads.
var cassetteVersions = []int{1, cassette.CassetteFormatVersion}

// looksLikeCassette reports whether start, the start of a recording, is a
// go-vcr cassette: YAML whose top level has the keys "version" and
// "interactions". known is false when start is too short to tell and more
// follows (atEOF is false).
func looksLikeCassette(start []byte, atEOF bool) (is, known bool) {
	sawVersion, sawInteractions := false, false
	for len(start) > 0 {
		line, rest, found := bytes.Cut(start, newline)
		if !found && !atEOF {
			break // a line cut short
		}
		start = rest
		switch {
		case bytes.HasPrefix(line, []byte("version:")):
			sawVersion = true
		case bytes.HasPrefix(line, []byte("interactions:")):
			sawInteractions = true
		}
		if sawVersion && sawInteractions {
			return true, true
		}
	}
	return false, atEOF
}

// readCassette yields the interactions of the go-vcr cassette that br holds
// as frames, and the problems found in it. YAML cannot be streamed: the
// cassette is read whole, up to limit bytes.
func readCassette(source string, br *bufio.Reader, limit int, yield func(*Frame, error) bool) {
	fileError := func(line int, field string, err error) {
		yield(nil, &EntryError{Source: source, Entry: -1, Line: line, Field: field, Err: err, final: true})
	}
	data, err := io.ReadAll(io.LimitReader(br, int64(limit)+1))
	switch {
	case err != nil:
		fileError(0, "", fmt.Errorf("reading the recording: %w", err))
		return
	case len(data) > limit:
		fileError(0, "", fmt.Errorf("the cassette is larger than %d bytes (MaxEntryBytes)", limit))
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		if e := yamlerror.Read(err); e != nil {
			line, _ = e.Place(data)
			err = e
		}
		fileError(line, "", fmt.Errorf("invalid YAML: %w", err))
		return
	}
	// Decoding an interaction expands its aliases: count what they stand for
	// first, on the parsed tree.
	var aerr *yamlalias.Error
	if errors.As(yamlalias.Check(&doc), &aerr) {
		fileError(aerr.Line, "", aerr)
		return
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		fileError(root.Line, "", fmt.Errorf("want a mapping of version and interactions, got %s", describeNode(root)))
		return
	}
	version, interactions := mappingValue(root, "version"), mappingValue(root, "interactions")
	if version == nil {
		fileError(root.Line, "version", errMissing)
		return
	}
	var v int
	if err := version.Decode(&v); err != nil || !containsInt(cassetteVersions, v) {
		fileError(version.Line, "version", fmt.Errorf("%w %q; want 1 (go-vcr v1, v2) or 2 (go-vcr v3, v4)", cassette.ErrUnsupportedCassetteFormat, version.Value))
		return
	}
	switch {
	case interactions == nil:
		fileError(root.Line, "interactions", errMissing)
		return
	case interactions.Kind == yaml.ScalarNode && interactions.Tag == "!!null":
		return // no interactions
	case interactions.Kind != yaml.SequenceNode:
		fileError(interactions.Line, "interactions", fmt.Errorf("want a sequence, got %s", describeNode(interactions)))
		return
	}
	for i, node := range interactions.Content {
		f := &Frame{Source: source, Entry: i, Line: node.Line, format: formatCassette, node: node}
		if !yield(f, nil) {
			return
		}
	}
}

// mappingValue returns the value of key in the mapping node m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// containsInt reports whether s holds v.
func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// describeNode names the kind of a YAML node, for messages.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "null"
	}
	return "a scalar " + strings.TrimPrefix(n.Tag, "!!")
}

// cassetteExchange makes an exchange of one interaction of a cassette. Where
// it fails, it returns an *EntryError that names the field at fault and
// leaves the place to the caller.
func cassetteExchange(node *yaml.Node) (*validate.Exchange, *EntryError) {
	if node.Kind != yaml.MappingNode {
		return nil, &EntryError{Err: fmt.Errorf("want a mapping, got %s", describeNode(node))}
	}
	for _, field := range []string{"request", "response"} {
		if v := mappingValue(node, field); v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
			return nil, &EntryError{Field: field, Err: errMissing}
		}
	}
	var in cassette.Interaction
	if err := node.Decode(&in); err != nil {
		e := yamlerror.Read(err)
		if e == nil {
			return nil, &EntryError{Err: err}
		}
		return nil, &EntryError{Field: nodePath(node, "", e.Line, e.Column), Err: e}
	}
	req, err := cassetteRequest(&in.Request)
	if err != nil {
		return nil, err
	}
	resp, err := cassetteResponse(&in.Response)
	if err != nil {
		return nil, err
	}
	return &validate.Exchange{Request: req, Response: resp}, nil
}

// nodePath names the field of n, at path, whose value starts at line and
// column; "" when none does.
func nodePath(n *yaml.Node, path string, line, col int) string {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := joinPath(path, k.Value)
			if v.Line == line && (col == 0 || v.Column == col) {
				return p
			}
			if found := nodePath(v, p, line, col); found != "" {
				return found
			}
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			p := path + "[" + strconv.Itoa(i) + "]"
			if v.Line == line && (col == 0 || v.Column == col) {
				return p
			}
			if found := nodePath(v, p, line, col); found != "" {
				return found
			}
		}
	}
	return ""
}

// cassetteRequest makes the request half of an exchange.
func cassetteRequest(r *cassette.Request) (validate.Request, *EntryError) {
	if r.Method == "" {
		return validate.Request{}, &EntryError{Field: "request.method", Err: errMissing}
	}
	if err := checkURL(r.URL); err != nil {
		return validate.Request{}, &EntryError{Field: "request.url", Err: err}
	}
	header := cassetteHeader(r.Headers)
	var body []byte
	switch {
	case r.Body != "":
		body = []byte(r.Body)
	case len(r.Form) > 0:
		// A cassette written by hand, or edited, may keep the parsed form only.
		// go-vcr's form holds the URL's query parameters too; the body is the
		// rest, its keys in sorted order (the order is not recorded).
		if form := formBodyOf(r.Form, r.URL); len(form) > 0 {
			body = []byte(form.Encode())
			setContentType(header, body, "application/x-www-form-urlencoded")
		}
	}
	return validate.Request{Method: r.Method, URL: r.URL, Header: header, Body: body}, nil
}

// formBodyOf returns the fields of a recorded form that do not come from the
// query of rawURL.
func formBodyOf(form url.Values, rawURL string) url.Values {
	var query url.Values
	if u, err := url.Parse(rawURL); err == nil {
		query = u.Query()
	}
	body := url.Values{}
	for key, values := range form {
		// net/http puts the body's values first, then the query's.
		if q, ok := query[key]; ok && len(q) <= len(values) && slices.Equal(q, values[len(values)-len(q):]) {
			values = values[:len(values)-len(q)]
		}
		if len(values) > 0 {
			body[key] = values
		}
	}
	return body
}

// cassetteResponse makes the response half of an exchange.
func cassetteResponse(r *cassette.Response) (validate.Response, *EntryError) {
	if r.Code == 0 {
		return validate.Response{}, &EntryError{Field: "response.code", Err: errMissing}
	}
	if err := checkStatus(r.Code); err != nil {
		return validate.Response{}, &EntryError{Field: "response.code", Err: err}
	}
	var body []byte
	if r.Body != "" {
		body = []byte(r.Body)
	}
	return validate.Response{Status: r.Code, Header: cassetteHeader(r.Headers), Body: body}, nil
}

// cassetteHeader makes a header of a recorded one, with canonical names and
// without HTTP/2 pseudo-headers.
func cassetteHeader(recorded http.Header) http.Header {
	header := make(http.Header, len(recorded))
	for name, values := range recorded {
		if strings.HasPrefix(name, ":") {
			continue
		}
		for _, v := range values {
			header.Add(name, v)
		}
	}
	return header
}
