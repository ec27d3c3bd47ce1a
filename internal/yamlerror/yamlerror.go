// Package yamlerror reads back the errors of the YAML parser
// (github.com/pb33f/go-yaml, the one contractcheck and libopenapi use): where
// the problem is and what it is, in the parser's words without its prefix,
// so that every loader (a contract, a configuration, a go-vcr cassette)
// reports malformed YAML as "file:line" the same way.
//
// The parser's errors come either as values ([*yaml.LoadError] and
// [*yaml.LoadErrors]) or, once libopenapi has formatted them, as text only,
// such as
//
//	go-yaml load error in parser (while parsing a flow sequence) at L3.C10-L4.C1: did not find expected ',' or ']'
//	yaml: construct errors: line 1: cannot construct !!str `hello w...` into map[string]interface {}
//
// [Read] reads both into the same [*Error].
package yamlerror

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pb33f/go-yaml"
)

// Error is an error of the YAML parser, read back.
type Error struct {
	// Stage is the parser's stage that failed: yaml.ScannerStage,
	// yaml.ParserStage, ..., yaml.ConstructorStage for a value that does
	// not decode into its Go type.
	Stage yaml.Stage
	// Message is the parser's description of the problem, without its
	// prefix and position: "mapping values are not allowed in this
	// context".
	Message string
	// Line and Column (1-based, 0 when unknown) are where the parser found
	// the problem.
	Line, Column int
	// ContextLine and ContextColumn are where the construct being read when
	// the problem was found starts (an opening quote or bracket, the start
	// of a mapping); 0 when the error names none.
	ContextLine, ContextColumn int
	// Tag is, for a value that cannot be constructed (Stage is
	// yaml.ConstructorStage), the YAML tag of the value, such as "!!str";
	// "" otherwise.
	Tag string

	err error
}

// Error returns the parser's description of the problem, without its
// position: the caller names the file and the line.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the parser's error.
func (e *Error) Unwrap() error { return e.err }

// Place returns the line and column to report for the problem in data, the
// document the parser read: where the problem was found; when that is the
// end of the document (an unclosed quote or bracket is found missing only
// there), where the unclosed construct starts; and when that is the end too,
// just past the document's last character that is not white space, so that
// the line is one an editor shows with text.
func (e *Error) Place(data []byte) (line, col int) {
	line, col = e.Line, e.Column
	if line == 0 || !atEnd(data, line, col) {
		return line, col
	}
	if e.ContextLine > 0 && !atEnd(data, e.ContextLine, e.ContextColumn) {
		return e.ContextLine, e.ContextColumn
	}
	text := bytes.TrimRight(data, " \t\r\n")
	if len(text) == 0 {
		return line, col
	}
	start := bytes.LastIndexByte(text, '\n') + 1
	return bytes.Count(text, []byte{'\n'}) + 1, utf8.RuneCount(text[start:]) + 1
}

// atEnd reports whether only white space follows the 1-based line and
// column of data (a column counts characters, as the parser does).
func atEnd(data []byte, line, col int) bool {
	for i := 1; i < line; i++ {
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			return true
		}
		data = data[nl+1:]
	}
	for i := 1; i < col && len(data) > 0; i++ {
		_, size := utf8.DecodeRune(data)
		data = data[size:]
	}
	return len(bytes.TrimSpace(data)) == 0
}

// The texts of the parser's errors, as in the package documentation. The
// position of a load error is "L3.C10", "L3", a range "L3.C10-L4.C1" or
// "L2.C6-C7" from the context's start to the problem, or
// "<unknown position>".
var (
	loadText      = regexp.MustCompile(`go-yaml load error in (\w+)(?: \(([^)]*)\))?(?: at ([^:]*))?: (.*)$`)
	constructText = regexp.MustCompile(`yaml: construct errors: line (\d+): (.*)$`)
	markText      = regexp.MustCompile(`^L(\d+)(?:\.C(\d+))?$`)
	columnText    = regexp.MustCompile(`^C(\d+)$`)
	tagText       = regexp.MustCompile(`^cannot construct (!!\w+)`)
)

// Read reads back err, an error of the YAML parser or one that quotes its
// text; nil when err is neither.
func Read(err error) *Error {
	if err == nil {
		return nil
	}
	var le *yaml.LoadError
	if errors.As(err, &le) {
		e := &Error{Stage: le.Stage, Message: le.Message, Line: le.Mark.Line, Column: le.Mark.Column, err: err}
		if le.ContextMsg != "" {
			e.ContextLine, e.ContextColumn = le.ContextMark.Line, le.ContextMark.Column
		}
		e.setTag()
		return e
	}
	msg := err.Error()
	if m := loadText.FindStringSubmatch(msg); m != nil {
		e := &Error{Stage: yaml.Stage(m[1]), Message: m[4], err: err}
		e.readMarks(m[3], m[2] != "")
		e.setTag()
		return e
	}
	if m := constructText.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		e := &Error{Stage: yaml.ConstructorStage, Message: m[2], Line: line, err: err}
		e.setTag()
		return e
	}
	return nil
}

// setTag sets Tag from the message of a constructor's error.
func (e *Error) setTag() {
	if e.Stage != yaml.ConstructorStage {
		return
	}
	if m := tagText.FindStringSubmatch(e.Message); m != nil {
		e.Tag = m[1]
	}
}

// readMarks sets the positions of a load error's text: a single mark is the
// problem's (and the context's too, when the error names a context: the
// parser prints one mark when both are the same); a range goes from the
// context's start to the problem.
func (e *Error) readMarks(s string, context bool) {
	start, end, isRange := strings.Cut(s, "-")
	m := markText.FindStringSubmatch(start)
	if m == nil {
		return
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2]) // 0 when absent
	if !isRange {
		e.Line, e.Column = line, col
		if context {
			e.ContextLine, e.ContextColumn = line, col
		}
		return
	}
	e.ContextLine, e.ContextColumn = line, col
	if c := columnText.FindStringSubmatch(end); c != nil { // the same line
		e.Line = line
		e.Column, _ = strconv.Atoi(c[1])
	} else if m := markText.FindStringSubmatch(end); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Column, _ = strconv.Atoi(m[2])
	}
}
