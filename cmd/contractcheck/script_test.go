package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary run as the contractcheck command of the
// scripts.
// With CONTRACTCHECK_MAIN=1 in its environment it is the command itself, for
// tests that signal a process (see TestSignals).
func TestMain(m *testing.M) {
	if os.Getenv("CONTRACTCHECK_MAIN") == "1" {
		main()
	}
	testscript.Main(m, map[string]func(){"contractcheck": main})
}

// scriptDir holds the end-to-end scripts, relative to this package.
var scriptDir = filepath.Join("..", "..", "testdata", "script")

// twilioSpec is Twilio's own OpenAPI description of Conversations v1, the
// bench module's test data. It is in the repository but not in the main
// module's zip: scripts that need it start with
//
//	[!twilio-spec] skip 'needs bench/testdata/twilio_conversations_v1.json (a clone of the repository)'
var twilioSpec = filepath.Join("..", "..", "bench", "testdata", "twilio_conversations_v1.json")

// TestScripts runs the scripts of testdata/script. Besides the commands of
// testscript they have:
//
//	status CODE PROG [ARGS...]   run PROG, which must exit with status CODE
//	jsonq [-lines] FILE PATH WANT
//	                             the JSON value at PATH of FILE (stdout, stderr
//	                             or a file) is WANT; with -lines FILE is NDJSON,
//	                             read as an array of its lines
//
// and the condition [twilio-spec] (Twilio's OpenAPI description is present,
// its path in $TWILIO_SPEC). $CONTRACT is the path of the built-in contract's
// file in the repository, $TESTDATA that of its testdata directory.
func TestScripts(t *testing.T) {
	t.Parallel() // with the other long tests, while scripts wait on their processes
	spec, err := filepath.Abs(twilioSpec)
	if err != nil {
		t.Fatal(err)
	}
	contract, err := filepath.Abs(filepath.Join("..", "..", "contracts", "conversations_scoped_webhook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	testdata, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 scriptDir,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("TWILIO_SPEC", spec)
			env.Setenv("CONTRACT", contract)
			env.Setenv("TESTDATA", testdata)
			env.Setenv("NO_COLOR", "")
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "twilio-spec" {
				_, err := os.Stat(spec)
				return err == nil, nil
			}
			return false, errors.New("unknown condition " + cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status": cmdStatus,
			"jsonq":  cmdJSONQ,
		},
	})
}

// cmdStatus runs a program and checks its exit status.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("running %s: %v", args[1], err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdJSONQ checks a value of a JSON document. PATH is dot-separated: object
// keys, array indices, "@len" for the length of an array or object, and "@keys"
// for the sorted, comma-separated keys of an object; "." is the whole
// document. A string value is compared as it is, others as compact JSON.
func cmdJSONQ(ts *testscript.TestScript, neg bool, args []string) {
	lines := len(args) > 0 && args[0] == "-lines"
	if lines {
		args = args[1:]
	}
	if len(args) != 3 {
		ts.Fatalf("usage: jsonq [-lines] FILE PATH WANT")
	}
	data := ts.ReadFile(args[0])
	var doc any
	if lines {
		var docs []any
		for i, line := range strings.Split(strings.TrimSuffix(data, "\n"), "\n") {
			var v any
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				ts.Fatalf("%s line %d is not JSON: %v", args[0], i+1, err)
			}
			docs = append(docs, v)
		}
		doc = docs
	} else if err := json.Unmarshal([]byte(data), &doc); err != nil {
		ts.Fatalf("%s is not one JSON document: %v", args[0], err)
	}
	got, err := jsonPath(doc, args[1])
	if err != nil {
		ts.Fatalf("%s: %v", args[0], err)
	}
	switch {
	case got == args[2] && neg:
		ts.Fatalf("%s of %s is %q", args[1], args[0], got)
	case got != args[2] && !neg:
		ts.Fatalf("%s of %s is %q, want %q", args[1], args[0], got, args[2])
	}
}

// jsonPath renders the value at path in doc.
func jsonPath(doc any, path string) (string, error) {
	v := doc
	if path != "." {
		for _, key := range strings.Split(path, ".") {
			switch x := v.(type) {
			case map[string]any:
				switch key {
				case "@len":
					v = float64(len(x))
				case "@keys":
					keys := make([]string, 0, len(x))
					for k := range x {
						keys = append(keys, k)
					}
					slices.Sort(keys)
					v = strings.Join(keys, ",")
				default:
					var ok bool
					if v, ok = x[key]; !ok {
						return "", errors.New("no key " + key + " in " + path)
					}
				}
			case []any:
				if key == "@len" {
					v = float64(len(x))
					continue
				}
				i, err := strconv.Atoi(key)
				if err != nil || i < 0 || i >= len(x) {
					return "", errors.New("no index " + key + " in " + path)
				}
				v = x[i]
			default:
				return "", errors.New(key + " of a scalar in " + path)
			}
		}
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}
