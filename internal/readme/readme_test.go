// Package readme tests the Go snippets of the README's "Use it as a
// library" and "Use it in go test" sections: they are the files of
// testdata/ (a program, audit/, and a test file, webhooks/), each README
// block marked with its file and equal to it, and they compile and run in a
// module of their own, outside the repository, as a user would write them.
package readme

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the README's snippets from the files of testdata/, and its failure output from a run")

// root is the repository's root, from this directory.
const root = "../.."

// sectionTitles are the README sections whose Go blocks are snippets.
var sectionTitles = []string{"## Use it as a library\n", "## Use it in go test\n"}

// maxSectionLines bounds the two sections together, so that they stay a
// quick read.
const maxSectionLines = 130

// block is a fenced block of the README that a marker comment names:
// <!-- file: PATH --> before a Go snippet, whose file is testdata/PATH;
// <!-- output: PATH … --> before the go test output of that file broken.
type block struct {
	kind, path string
	start, end int // the byte offsets of the block's content in the README
}

// markedBlock finds a marker and the fenced block right after it.
var markedBlock = regexp.MustCompile("<!-- (file|output): (\\S+)[^>]*-->\n```(?:go|text)\n((?s:.*?))```\n")

// sections returns the README and the offsets of the snippet sections.
func sections(t *testing.T) (readme string, spans [][2]int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	readme = string(b)
	for _, title := range sectionTitles {
		start := strings.Index(readme, "\n"+title)
		require.GreaterOrEqual(t, start, 0, "README.md has no section %q", title)
		end := strings.Index(readme[start+len(title):], "\n## ")
		require.GreaterOrEqual(t, end, 0)
		spans = append(spans, [2]int{start + 1, start + len(title) + end + 1})
	}
	return readme, spans
}

// blocks returns the marked blocks of the snippet sections, in order.
func blocks(t *testing.T, readme string, spans [][2]int) []block {
	t.Helper()
	var out []block
	for _, sp := range spans {
		for _, m := range markedBlock.FindAllStringSubmatchIndex(readme[sp[0]:sp[1]], -1) {
			out = append(out, block{kind: readme[sp[0]+m[2] : sp[0]+m[3]], path: readme[sp[0]+m[4] : sp[0]+m[5]],
				start: sp[0] + m[6], end: sp[0] + m[7]})
		}
	}
	return out
}

// replaceBlocks rewrites the content of blocks, the last first so that the
// offsets of the others hold.
func replaceBlocks(readme string, bs []block, content func(block) (string, bool)) string {
	for i := len(bs) - 1; i >= 0; i-- {
		if c, ok := content(bs[i]); ok {
			readme = readme[:bs[i].start] + c + readme[bs[i].end:]
		}
	}
	return readme
}

// TestSnippetsAreTheFiles: every Go block of the two sections is marked
// with the file of testdata/ it must equal, and equals it (go test -update
// rewrites the blocks from the files); TestREADMEInAModuleOfItsOwn compiles
// and runs them.
func TestSnippetsAreTheFiles(t *testing.T) {
	readme, spans := sections(t)
	bs := blocks(t, readme, spans)
	lines, goBlocks, files := 0, 0, 0
	for _, sp := range spans {
		lines += strings.Count(readme[sp[0]:sp[1]], "\n")
		goBlocks += strings.Count(readme[sp[0]:sp[1]], "```go\n")
	}
	for _, b := range bs {
		if b.kind == "file" {
			files++
		}
	}
	assert.Equal(t, goBlocks, files, "every Go block of the sections is marked <!-- file: PATH -->")
	assert.LessOrEqual(t, lines, maxSectionLines, "the two sections stay short")

	if *update {
		readme = replaceBlocks(readme, bs, func(b block) (string, bool) {
			if b.kind != "file" {
				return "", false
			}
			src, err := os.ReadFile(filepath.Join("testdata", b.path))
			require.NoError(t, err)
			return string(src), true
		})
		require.NoError(t, os.WriteFile(filepath.Join(root, "README.md"), []byte(readme), 0o644))
		return
	}
	for _, b := range bs {
		if b.kind != "file" {
			continue
		}
		src, err := os.ReadFile(filepath.Join("testdata", b.path))
		require.NoError(t, err, "the README's snippet %s has no file in internal/readme/testdata", b.path)
		assert.Equal(t, string(src), readme[b.start:b.end], "README.md's %s differs from internal/readme/testdata/%s (go test ./internal/readme -update rewrites the README)", b.path, b.path)
	}
}

// Where the README's test of a plain client is broken, for its failure.
const (
	goodFlow   = `"FW9b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a"`
	brokenFlow = `"FW123"`
)

// TestREADMEInAModuleOfItsOwn writes the README's snippets, and nothing
// else, into a new module outside the repository that requires
// contractcheck (replaced by this checkout; the module cache serves the
// rest, GOPROXY=off) on go 1.26.0, the oldest the go directive allows; then
// runs them: the program prints the findings of the shipped recordings, the
// tests of the plain client and of twilio-go pass, and a copy of the plain
// client's test with a broken FlowSid fails with one report, at the test's
// own line, which is the output the README shows. The module's go line
// stays 1.26.0.
func TestREADMEInAModuleOfItsOwn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module of the README's snippets")
	}
	readme, spans := sections(t)
	bs := blocks(t, readme, spans)
	repo, err := filepath.Abs(root)
	require.NoError(t, err)

	dir := t.TempDir()
	gomod := "module example.com/app\n\ngo 1.26.0\n\nrequire github.com/contractcheck/contractcheck v0.0.0\n\nreplace github.com/contractcheck/contractcheck => " + repo + "\n"
	writeFile(t, dir, "go.mod", gomod)
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	require.NoError(t, err)
	writeFile(t, dir, "go.sum", string(sum))
	var testFile string
	for _, b := range bs {
		if b.kind == "file" {
			writeFile(t, dir, b.path, readme[b.start:b.end])
			if strings.HasSuffix(b.path, "_test.go") && strings.Contains(readme[b.start:b.end], goodFlow) {
				testFile = b.path
			}
		}
	}
	require.NotEmpty(t, testFile, "a snippet tests a plain client with the FlowSid %s", goodFlow)
	src := readme[strings.Index(readme, testFile)+len(testFile):]
	src = src[strings.Index(src, "```go\n")+len("```go\n"):]
	src = src[:strings.Index(src, "```\n")]
	require.Equal(t, 1, strings.Count(src, goodFlow))
	// The broken copy sits beside the snippet, in the same package (one test
	// binary to link, not two): its tests and its constant renamed, on the
	// same lines.
	broken := strings.Replace(src, goodFlow, brokenFlow, 1)
	broken = regexp.MustCompile(`\bconversation\b`).ReplaceAllString(broken, "brokenConversation")
	broken = regexp.MustCompile(`func (Test\w+)\(`).ReplaceAllString(broken, "func ${1}Broken(")
	brokenFile := "broken_" + filepath.Base(testFile)
	writeFile(t, dir, filepath.Join(filepath.Dir(testFile), brokenFile), broken)
	postLine := 0
	for i, line := range strings.Split(broken, "\n") {
		if strings.Contains(line, ".PostForm(") {
			postLine = i + 1
		}
	}
	require.NotZero(t, postLine)

	goCmd := func(args ...string) *exec.Cmd {
		if raceEnabled && (args[0] == "vet" || args[0] == "build" || args[0] == "test") {
			// Share the instrumented standard library and dependencies
			// that make test's go test -race has built.
			args = append([]string{args[0], "-race"}, args[1:]...)
		}
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
		return cmd
	}
	started := time.Now()
	var program string
	for _, b := range bs {
		if b.kind == "file" && !strings.HasSuffix(b.path, "_test.go") {
			program = "./" + filepath.Dir(b.path)
		}
	}
	require.NotEmpty(t, program, "a snippet is a program")
	out, err := goCmd("vet", program).CombinedOutput()
	require.NoError(t, err, "go vet %s:\n%s", program, out)
	bin := filepath.Join(dir, "program")
	out, err = goCmd("build", "-o", bin, program).CombinedOutput()
	require.NoError(t, err, "go build %s:\n%s", program, out)
	for name, want := range map[string][]string{
		"valid.har": nil,
		"traffic.har": {
			"#2 error sid.format request.body#/Configuration.FlowSid: Configuration.FlowSid is not an FW SID",
			"#2 info response.refused response.status: the server rightly refused the request",
			"#6 error cors.credentials-wildcard response.header/Access-Control-Allow-Origin",
		},
	} {
		f, err := os.Open(filepath.Join(repo, "testdata", "recordings", name))
		require.NoError(t, err)
		cmd := exec.Command(bin)
		cmd.Stdin = f
		got, err := cmd.Output()
		f.Close()
		if want == nil {
			assert.NoError(t, err, "%s: the program fails on a recording without errors:\n%s", name, got)
			assert.Empty(t, string(got), name)
			continue
		}
		var exit *exec.ExitError
		if assert.ErrorAs(t, err, &exit, "%s: the program passes a recording with errors", name) {
			assert.Equal(t, 1, exit.ExitCode())
		}
		for _, w := range want {
			assert.Contains(t, string(got), w, name)
		}
	}
	out, err = goCmd("test", "-json", "-count=1", "./"+filepath.Dir(testFile)).Output()
	var exit *exec.ExitError
	if err != nil && !assert.ErrorAs(t, err, &exit, "go test did not run: %s", out) {
		return
	}
	t.Logf("go vet, go build and go test in the module of the README took %v", time.Since(started).Round(time.Millisecond))
	results, outputs := testEvents(t, out)

	pkg := "example.com/app/" + filepath.ToSlash(filepath.Dir(testFile))
	for _, name := range []string{"TestCreateStudioWebhook", "TestTwilioGo", "TestTwilioGoBroken"} {
		assert.Equal(t, "pass", results[pkg+" "+name], "%s %s:\n%s", pkg, name, outputs[pkg+" "+name])
	}
	key := pkg + " TestCreateStudioWebhookBroken"
	require.Equal(t, "fail", results[key], "the broken request fails the test:\n%s", out)
	got := outputs[key]
	assert.Equal(t, 1, strings.Count(got, "the exchange breaks the contract"), "one report of the broken exchange:\n%s", got)
	at := fmt.Sprintf("    %s:%d: the exchange breaks the contract contracts/conversations_scoped_webhook.yaml:\n", brokenFile, postLine)
	assert.Contains(t, got, at, "the report names the test's own line")

	// The README shows that output, as it is.
	var shown strings.Builder
	for line := range strings.Lines(got) {
		if strings.HasPrefix(line, "    ") { // the file is the snippet's, on the same lines
			shown.WriteString(strings.ReplaceAll(line, brokenFile+":", filepath.Base(testFile)+":"))
		}
	}
	i := slices.IndexFunc(bs, func(b block) bool { return b.kind == "output" })
	require.GreaterOrEqual(t, i, 0, "the README shows the failure in a block marked <!-- output: … -->")
	if *update {
		readme = replaceBlocks(readme, bs[i:i+1], func(block) (string, bool) { return shown.String(), true })
		require.NoError(t, os.WriteFile(filepath.Join(root, "README.md"), []byte(readme), 0o644))
	} else {
		assert.Equal(t, shown.String(), readme[bs[i].start:bs[i].end], "the README's failure output is not what go test prints (go test ./internal/readme -update rewrites it)")
	}

	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	require.NoError(t, err)
	assert.Contains(t, string(mod), "\ngo 1.26.0\n", "importing contractcheck raised the module's go line")
	assert.Regexp(t, `github.com/twilio/twilio-go v1\.31\.0`, string(mod))
}

// testEvents reads go test -json: each test's result ("pass", "fail") and
// output, by "package test".
func testEvents(t *testing.T, out []byte) (results, outputs map[string]string) {
	t.Helper()
	results, outputs = map[string]string{}, map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e struct{ Action, Package, Test, Output string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e), "%s", sc.Bytes())
		if e.Test == "" {
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			outputs[key] += e.Output
		case "pass", "fail", "skip":
			results[key] = e.Action
		}
	}
	require.NoError(t, sc.Err())
	return results, outputs
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}
