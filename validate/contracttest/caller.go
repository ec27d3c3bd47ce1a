package contracttest

import (
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
)

// A failure names the line of the test that made the exchange, as testify's
// assertions do, even when it is found on another goroutine than the
// test's (a server's) or deep inside net/http: the stack is captured where
// the request was made and searched for the caller's frame.

// maxFrames bounds the frames captured of a stack.
const maxFrames = 64

// libraryPrefix is the package path prefix of contractcheck's own
// packages: their frames are never the caller (their _test.go files are,
// since they are tests).
const libraryPrefix = "github.com/contractcheck/contractcheck/"

// stack is a captured call stack: program counters, innermost first.
type stack []uintptr

// captureStack captures the stack of its caller's caller.
func captureStack() stack {
	pcs := make([]uintptr, maxFrames)
	return stack(pcs[:runtime.Callers(3, pcs)])
}

// site is where an exchange was made: the caller's frame and the frames of
// the test code it was called from, innermost first. The zero site is
// unknown.
type site struct {
	frames []runtime.Frame
}

// siteOf finds the caller in a stack: the first frame in a _test.go file
// outside the standard library (the test, or a helper of the test), else
// the first frame outside contractcheck's packages and the standard library
// (the code under test). The frames of test files further out follow it,
// up to the test function.
func siteOf(s stack) site {
	var user, tests []runtime.Frame
	frames := runtime.CallersFrames(s)
	for {
		f, more := frames.Next()
		if f.Function == "testing.tRunner" || f.Function == "testing.runExample" {
			break
		}
		if !inStdlib(f) && f.Function != "" && !(strings.HasPrefix(f.Function, libraryPrefix) && !isTestFile(f.File)) {
			user = append(user, f)
			if isTestFile(f.File) {
				tests = append(tests, f)
			}
		}
		if !more {
			break
		}
	}
	switch {
	case len(tests) > 0:
		return site{tests}
	case len(user) > 0:
		return site{user[:1]}
	}
	return site{}
}

// known reports whether the site names a caller.
func (s site) known() bool { return len(s.frames) > 0 }

// or returns s when it is known, and else other.
func (s site) or(other site) site {
	if s.known() {
		return s
	}
	return other
}

// String is "file_test.go:12", as go test names a line.
func (s site) String() string {
	if !s.known() {
		return ""
	}
	return frameLine(s.frames[0])
}

// trace tells the frames of the test code the caller was called from, one
// per line, when there are any: "called from helpers_test.go:40 (TestX)".
func (s site) trace() string {
	var b strings.Builder
	for _, f := range s.frames[min(1, len(s.frames)):] {
		b.WriteString("\ncalled from " + frameLine(f) + " (" + funcName(f.Function) + ")")
	}
	return b.String()
}

func frameLine(f runtime.Frame) string {
	return filepath.Base(f.File) + ":" + strconv.Itoa(f.Line)
}

// funcName drops the package path of a function's name:
// "example.com/m/hooks.TestAdd.func1" gives "TestAdd.func1".
func funcName(fn string) string {
	fn = fn[strings.LastIndexByte(fn, '/')+1:]
	if _, after, ok := strings.Cut(fn, "."); ok {
		return after
	}
	return fn
}

func isTestFile(file string) bool { return strings.HasSuffix(file, "_test.go") }

// goroot is where the test binary names the standard library's files:
// the directory of net/http's request.go, less "net/http/"; "" in a
// -trimpath build, which names them by import path alone.
var goroot = func() string {
	fn := runtime.FuncForPC(reflect.ValueOf(http.NewRequest).Pointer())
	if fn == nil {
		return ""
	}
	file, _ := fn.FileLine(fn.Entry())
	root, ok := strings.CutSuffix(filepath.ToSlash(file), "net/http/request.go")
	if !ok || !strings.HasSuffix(root, "/src/") {
		return ""
	}
	return root
}()

// inStdlib reports whether a frame is of the standard library (net/http,
// testing, runtime): its file is under goroot, or, in a -trimpath build
// (where files are named by import path, "net/http/client.go" but
// "example.com/m/x.go"), its path has no dot in its first element and is
// not in a module ("mod@version/...").
func inStdlib(f runtime.Frame) bool {
	file := filepath.ToSlash(f.File)
	switch {
	case goroot != "" && strings.HasPrefix(file, goroot):
		return true
	case filepath.IsAbs(f.File), strings.Contains(file, "@"):
		return false
	}
	first, _, _ := strings.Cut(file, "/")
	return !strings.Contains(first, ".")
}

// outputT is the part of testing.TB that reporting at a site needs: an
// undecorated writer to the test's output, and Fail.
type outputT interface {
	Output() io.Writer
	Fail()
}

// failAt fails the test with msg, reported at the site as go test reports
// t.Errorf at a line: "file_test.go:12: msg", later lines indented. A test
// value without Output (a double, another framework's T) gets
// t.Errorf(msg), and its own idea of the line.
func failAt(t TestingT, at site, msg string) {
	t.Helper()
	o, ok := t.(outputT)
	if !ok || !at.known() {
		t.Errorf("%s", msg)
		return
	}
	msg = strings.TrimSuffix(msg+at.trace(), "\n")
	_, _ = io.WriteString(o.Output(), at.String()+": "+strings.ReplaceAll(msg, "\n", "\n    ")+"\n")
	o.Fail()
}
