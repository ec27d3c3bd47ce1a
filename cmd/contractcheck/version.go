package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is the version of contractcheck; release builds set it with
// -ldflags "-X main.version=v1.2.3". When empty, the module version recorded
// in the binary is used.
var version = ""

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
	fmt.Fprintf(stdout, "contractcheck %s (%s %s/%s)\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// versionString is the version of this binary: main.version, or the module
// version, or "devel" for a build from a work tree.
func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
