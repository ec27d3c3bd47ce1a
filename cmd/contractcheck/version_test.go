package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribeBuild(t *testing.T) {
	const rev = "0e7f7b2c1a2b3c4d5e6f708192a3b4c5d6e7f809"
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name     string
		bi       *debug.BuildInfo
		override string
		line     string   // String()
		printed  []string // lines of writeTo
	}{
		{"a build from a git checkout", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/contractcheck/contractcheck", Version: "(devel)"},
			Settings: vcs("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-12-02T10:11:12Z", "vcs.modified", "false")},
			"", "devel (" + rev + ", 2026-12-02T10:11:12Z)",
			[]string{"contractcheck devel", "  module    github.com/contractcheck/contractcheck", "  revision  " + rev, "  time      2026-12-02T10:11:12Z", "  go        go1.26.8 "}},
		{"a changed tree, a time with an offset", &debug.BuildInfo{Main: debug.Module{Path: "m", Version: "(devel)"},
			Settings: vcs("vcs.revision", rev, "vcs.time", "2026-12-02T11:11:12+01:00", "vcs.modified", "true")},
			"", "devel (" + rev + ", 2026-12-02T10:11:12Z, modified)",
			[]string{"  revision  " + rev + " (modified: the tree had uncommitted changes)"}},
		{"a tagged module", &debug.BuildInfo{Main: debug.Module{Path: "github.com/contractcheck/contractcheck", Version: "v1.4.0"}},
			"", "v1.4.0", []string{"contractcheck v1.4.0", "  revision  unknown (the binary has no VCS information"}},
		{"go install module@commit", &debug.BuildInfo{Main: debug.Module{Path: "github.com/contractcheck/contractcheck", Version: "v0.0.0-20261202101112-0e7f7b2c1a2b"}},
			"", "v0.0.0-20261202101112-0e7f7b2c1a2b (0e7f7b2c1a2b, 2026-12-02T10:11:12Z)",
			[]string{"  revision  0e7f7b2c1a2b", "  time      2026-12-02T10:11:12Z"}},
		{"a pre-release pseudo-version", &debug.BuildInfo{Main: debug.Module{Path: "m", Version: "v1.5.0-rc.1.0.20261202101112-0e7f7b2c1a2b"}},
			"", "v1.5.0-rc.1.0.20261202101112-0e7f7b2c1a2b (0e7f7b2c1a2b, 2026-12-02T10:11:12Z)", nil},
		{"-buildvcs=false", &debug.BuildInfo{Main: debug.Module{Path: "github.com/contractcheck/contractcheck", Version: "(devel)"}, Settings: vcs("-buildvcs", "false")},
			"", "devel", []string{"  revision  unknown (the binary has no VCS information: built with -buildvcs=false", "  time      unknown"}},
		{"-ldflags -X main.version", &debug.BuildInfo{Main: debug.Module{Path: "m", Version: "(devel)"}, Settings: vcs("vcs.revision", rev)},
			"v2.0.0", "v2.0.0 (" + rev + ")", []string{"contractcheck v2.0.0", "  time      unknown"}},
		{"no build information", nil, "", "devel", []string{"  module    unknown", "  revision  unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := describeBuild(tt.bi, tt.override)
			assert.Equal(t, tt.line, b.String())
			var out bytes.Buffer
			b.writeTo(&out)
			for _, want := range tt.printed {
				assert.Contains(t, out.String(), want)
			}
			assert.Len(t, strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"), 5)
		})
	}
}

// TestVersionOfABuild builds contractcheck with VCS stamping, as make build
// does, and wants the revision and time of the commit it was built from in
// contractcheck version and in a SARIF report's driver.version. In a git
// clone (as on CI) it builds the checkout itself, whose packages are in the
// build cache already; elsewhere (a git worktree, which the go command does
// not stamp, or a tree without git) it commits a copy of the source to a
// temporary repository first. It needs git, and skips without it.
func TestVersionOfABuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel() // with the other long tests: it mostly waits for the go command
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("needs git")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	repo := root
	if fi, err := os.Stat(filepath.Join(root, ".git")); err != nil || !fi.IsDir() {
		repo = committedCopy(t, git, root)
	}
	gitOut := func(args ...string) string {
		cmd := exec.Command(git, args...)
		cmd.Dir = repo
		out, err := cmd.Output()
		require.NoError(t, err, "git %v", args)
		return strings.TrimSpace(string(out))
	}
	rev := gitOut("rev-parse", "HEAD")
	when, err := time.Parse(time.RFC3339, gitOut("log", "-1", "--format=%cI", "HEAD"))
	require.NoError(t, err)
	commitTime := when.UTC().Format(time.RFC3339)

	bin := filepath.Join(t.TempDir(), "contractcheck")
	args := []string{"build", "-buildvcs=true", "-o", bin}
	if raceEnabled {
		args = append(args, "-race") // the race build of the packages is in the cache already
	}
	build := exec.Command("go", append(args, "./cmd/contractcheck")...)
	build.Dir = repo
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false") // the flag wins over GOFLAGS
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	out, err = exec.Command(bin, "version").Output()
	require.NoError(t, err)
	assert.Contains(t, string(out), "\n  revision  "+rev)
	assert.Contains(t, string(out), "\n  time      "+commitTime+"\n")
	assert.Contains(t, string(out), "\n  module    github.com/contractcheck/contractcheck\n")

	sarif, err := exec.Command(bin, "check", "--format", "sarif", filepath.Join(root, "testdata", "recordings", "valid.har")).Output()
	require.NoError(t, err)
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string `json:"version"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(sarif, &doc))
	require.Len(t, doc.Runs, 1)
	assert.Contains(t, doc.Runs[0].Tool.Driver.Version, " ("+rev+", "+commitTime)
	assert.Contains(t, string(out), "contractcheck "+strings.Fields(doc.Runs[0].Tool.Driver.Version)[0]+"\n", "the version line names the same version")
}

// committedCopy copies the source contractcheck is built from to a new git
// repository and commits it, and returns the repository's directory.
func committedCopy(t *testing.T, git, root string) string {
	t.Helper()
	repo := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum", "cmd", "contracts", "internal", "validate"} {
		copySource(t, filepath.Join(root, name), filepath.Join(repo, name))
	}
	const date = "2026-12-02T10:11:12Z"
	env := append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_CONFIG_GLOBAL=/dev/null")
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"commit", "-q", "-m", "a build"}} {
		cmd := exec.Command(git, args...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %s: %s", args[0], out)
	}
	return repo
}

// copySource copies the Go source and embedded files under from to to,
// leaving out tests and their data.
func copySource(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	require.NoError(t, err)
}
