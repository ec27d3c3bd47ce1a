package main

import (
	"fmt"
	"io"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// version is the version of contractcheck; release builds may set it with
// -ldflags "-X main.version=v1.2.3". When empty, the module version recorded
// in the binary is used.
var version = ""

// buildInfo is what a binary knows of how it was built.
type buildInfo struct {
	module   string // the main module's path
	version  string // main.version, the module version, or "devel"
	revision string // the VCS revision; "" when unknown
	time     string // the revision's time, RFC 3339 in UTC; "" when unknown
	modified bool   // the work tree had changes the revision does not hold
	goVer    string // the Go toolchain, os/arch
}

// pseudoVersion matches the end of a Go pseudo-version (go install
// module@commit): the commit's time (yyyymmddhhmmss, UTC) and the first 12
// hex digits of its revision.
var pseudoVersion = regexp.MustCompile(`[-.](\d{14})-([0-9a-f]{12})(\+incompatible)?$`)

// describeBuild reads a binary's build information: the module version and,
// from the vcs.* settings that go build stamps (with -buildvcs=true, or auto
// in a git checkout), the revision, its time and whether the tree was
// modified; a module built with go install module@version has the revision
// and time only in its pseudo-version. override (main.version) wins over the
// module version. bi may be nil.
func describeBuild(bi *debug.BuildInfo, override string) buildInfo {
	b := buildInfo{version: "devel", goVer: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		b.module = bi.Main.Path
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			b.version = v
			if m := pseudoVersion.FindStringSubmatch(v); m != nil {
				if t, err := time.Parse("20060102150405", m[1]); err == nil {
					b.time = t.UTC().Format(time.RFC3339)
				}
				b.revision = m[2]
			}
		}
		if bi.GoVersion != "" {
			b.goVer = bi.GoVersion + " " + runtime.GOOS + "/" + runtime.GOARCH
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.revision = s.Value
			case "vcs.time":
				if t, err := time.Parse(time.RFC3339Nano, s.Value); err == nil {
					b.time = t.UTC().Format(time.RFC3339)
				} else {
					b.time = s.Value
				}
			case "vcs.modified":
				b.modified = s.Value == "true"
			}
		}
	}
	if override != "" {
		b.version = override
	}
	return b
}

// String is the version on one line, as reports (SARIF's driver.version)
// and recordings name it: "v1.2.3", or "devel (REVISION, TIME)" when the
// revision is known, with ", modified" for a build of a changed tree.
func (b buildInfo) String() string {
	if b.revision == "" {
		return b.version
	}
	var extra []string
	extra = append(extra, b.revision)
	if b.time != "" {
		extra = append(extra, b.time)
	}
	if b.modified {
		extra = append(extra, "modified")
	}
	return b.version + " (" + strings.Join(extra, ", ") + ")"
}

// writeTo prints the build information as contractcheck version does: the
// version line, then the module, revision, time and toolchain, "unknown"
// where the binary does not know them.
func (b buildInfo) writeTo(w io.Writer) {
	unknown := "unknown (the binary has no VCS information: built with -buildvcs=false, or outside a git clone)"
	revision, when := unknown, "unknown"
	if b.revision != "" {
		revision = b.revision
		if b.modified {
			revision += " (modified: the tree had uncommitted changes)"
		}
	}
	if b.time != "" {
		when = b.time
	}
	module := b.module
	if module == "" {
		module = "unknown"
	}
	fmt.Fprintf(w, "contractcheck %s\n  module    %s\n  revision  %s\n  time      %s\n  go        %s\n",
		b.version, module, revision, when, b.goVer)
}

// currentBuild is this binary's build information.
func currentBuild() buildInfo {
	bi, _ := debug.ReadBuildInfo()
	return describeBuild(bi, version)
}

// versionString is this binary's version on one line ([buildInfo.String]).
func versionString() string { return currentBuild().String() }

// runVersion prints the version.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version")
	positional, code, done := parseCommand(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(positional) > 0 {
		return usageError(stderr, "version", fmt.Errorf("version takes no arguments, got %q", positional[0]))
	}
	currentBuild().writeTo(stdout)
	return exitOK
}
