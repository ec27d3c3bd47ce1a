// Command auditbench supports `make bench-audit`, which measures how fast
// contractcheck checks a large recording and how much memory it takes.
//
//	auditbench gen -size BYTES -o FILE
//
// writes a HAR of about BYTES bytes (suffixes KiB, MiB, GiB) made of the
// entries of the shipped recordings, one compact entry a line as
// recording.HARWriter writes them: mostly pairs that keep the contract, some
// skipped (other operations) and some that break it, about 2.8 KB each, as
// the documentation's example. It streams: its memory does not grow with
// BYTES.
//
//	auditbench worst -kind comment|entries|ndjson [-size BYTES] [-n N] -o FILE
//
// writes a worst case for memory: a HAR whose log.comment is 1 GiB, a HAR
// of 64 entries of 60 MiB, or NDJSON of 64 lines of 60 MiB (see worst.go).
//
// With -valid, every entry is the documentation's example pair, which keeps
// the contract: what issue 16's figures measure.
//
//	auditbench gen -format ndjson [-count N] [-broken N] -o FILE
//
// writes the same exchanges as NDJSON instead, one a line (as
// recording.NDJSONWriter writes them), with -count N exactly N entries
// (instead of -size), and with -broken N every Nth entry broken (a missing
// field, a wrong type, broken JSON, bad base64, an unknown field, invalid
// UTF-8, in turn), some blank lines and some lines ended by CRLF: what an
// audit must count and report without dropping (beam/ tests with it).
//
//	auditbench read [-batches] FILE
//	auditbench floor FILE
//
// decode every entry of FILE on one goroutine, without checking it, and print
// how many: read with recording.Read (the reader alone; with -batches,
// recording.Batches decoded on GOMAXPROCS goroutines, as check reads a
// regular file), floor with
// encoding/json into the fields an exchange needs (the decoding floor).
// `make bench-audit` measures both beside check.
//
//	auditbench measure -- COMMAND [ARGS...]
//
// runs COMMAND and prints on stderr "WALL_SECONDS MAXRSS_KIB CPU_SECONDS EXIT"
// for it, from the rusage of the child (CPU is user plus system time): what
// `/usr/bin/time -f '%e %M %U+%S %x'` tells, for machines without GNU time.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/contractcheck/contractcheck/validate/recording"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "auditbench:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: auditbench gen -size BYTES -o FILE | auditbench worst -kind KIND -o FILE | auditbench read [-batches] FILE | auditbench floor FILE | auditbench measure -- COMMAND [ARGS...]")
	}
	switch args[0] {
	case "gen":
		return gen(args[1:])
	case "measure":
		return measure(args[1:])
	case "worst":
		return worst(args[1:])
	case "read":
		return read(args[1:])
	case "floor":
		return floor(args[1:])
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// sources are the recordings gen takes entries from, relative to the
// repository root, and how many times each comes in a cycle: the documented
// example and the valid pairs most, the demo session (three failures in eight)
// once.
var sources = []struct {
	file   string
	weight int
}{
	{"testdata/recordings/docs-example.har", 20},
	{"testdata/recordings/valid.har", 2},
	{"testdata/recordings/traffic.har", 1},
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	sizeFlag := fs.String("size", "100MiB", "size of the recording to write")
	out := fs.String("o", "", "file to write")
	root := fs.String("root", ".", "the repository root")
	format := fs.String("format", "har", "har or ndjson")
	count := fs.Int("count", 0, "write this many entries instead of -size (ndjson)")
	broken := fs.Int("broken", 0, "make every Nth entry broken (ndjson)")
	valid := fs.Bool("valid", false, "only the documentation's example pair, which keeps the contract")
	if err := fs.Parse(args); err != nil {
		return err
	}
	size, err := parseSize(*sizeFlag)
	if err != nil {
		return err
	}
	switch {
	case *out == "":
		return errors.New("gen: -o FILE is required")
	case *format != "har" && *format != "ndjson":
		return fmt.Errorf("gen: -format %q: want har or ndjson", *format)
	case *format == "har" && (*count > 0 || *broken > 0):
		return errors.New("gen: -count and -broken are for -format ndjson")
	case *count < 0 || *broken < 0:
		return errors.New("gen: -count and -broken are not negative")
	}
	var cycle [][]byte
	for _, s := range sources {
		if *valid && s.file != sources[0].file {
			continue
		}
		entries, err := harEntries(filepath.Join(*root, s.file))
		if err != nil {
			return err
		}
		for range s.weight {
			cycle = append(cycle, entries...)
		}
	}
	if *format == "ndjson" {
		lines, err := ndjsonLines(cycle)
		if err != nil {
			return err
		}
		return genNDJSON(*out, lines, size, *count, *broken)
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(w, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"auditbench\",\"version\":\"1\"},\"entries\":[\n")
	written, n := int64(0), 0
	for written < size {
		if n > 0 {
			w.WriteString(",\n")
		}
		e := cycle[n%len(cycle)]
		w.Write(e)
		written += int64(len(e)) + 2
		n++
	}
	w.WriteString("\n]}}\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "auditbench: wrote %s: %d entries, %.0f bytes each on average\n", *out, n, float64(written)/float64(n))
	return nil
}

// brokenLines are the broken entries gen -broken puts among the others, in
// turn, each with a problem check reports as an input error of its line.
var brokenLines = []string{
	`{"request":{"method":"POST"},"response":{"status":201}}`,
	`{"request":{"method":"POST","url":"/v1/Conversations/CH00000000000000000000000000000000/Webhooks"},"response":{"status":"201"}}`,
	`{"request":{"method":"POST","url":"/v1/Conversations`,
	`{"request":{"method":"POST","url":"/v1/Services","body_base64":"!!"},"response":{"status":201}}`,
	`{"request":{"method":"POST","url":"/v1/Services","metod":"GET"},"response":{"status":201}}`,
	"{\"request\":{\"method\":\"P\xffST\",\"url\":\"/v1/Services\"},\"response\":{\"status\":201}}",
}

// genNDJSON writes an NDJSON recording to out: the lines in turn until size
// bytes, or count entries when count > 0, every broken-th entry broken when
// broken > 0, a blank line after every 97th entry and CRLF after every 89th.
func genNDJSON(out string, lines [][]byte, size int64, count, broken int) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	written, n, bad := int64(0), 0, 0
	for (count > 0 && n < count) || (count == 0 && written < size) {
		line := lines[(n-bad)%len(lines)]
		if broken > 0 && n%broken == broken-1 {
			line = []byte(brokenLines[bad%len(brokenLines)])
			bad++
		}
		end := "\n"
		switch {
		case n%97 == 96:
			end = "\n \t\n"
		case n%89 == 88:
			end = "\r\n"
		}
		w.Write(line)
		w.WriteString(end)
		written += int64(len(line) + len(end))
		n++
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "auditbench: wrote %s: %d entries (%d broken), %.0f bytes each on average\n", out, n, bad, float64(written)/float64(n))
	return nil
}

// ndjsonLines turns HAR entries into NDJSON lines.
func ndjsonLines(entries [][]byte) ([][]byte, error) {
	har := append([]byte(`{"log":{"entries":[`), bytes.Join(entries, []byte(","))...)
	har = append(har, "]}}"...)
	var buf bytes.Buffer
	w := recording.NewNDJSONWriter(&buf)
	for ex, err := range recording.Read("cycle", bytes.NewReader(har)) {
		if err != nil {
			return nil, err
		}
		if err := w.Write(ex); err != nil {
			return nil, err
		}
	}
	return bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n")), nil
}

// harEntries returns the entries of a HAR, each compacted to one line.
func harEntries(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var har struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &har); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var entries [][]byte
	for _, e := range har.Log.Entries {
		var b bytes.Buffer
		if err := json.Compact(&b, e); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		entries = append(entries, b.Bytes())
	}
	return entries, nil
}

// parseSize parses a size such as 100MiB.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = rest, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q: want a number of bytes, KiB, MiB or GiB", s)
	}
	return n * mult, nil
}

func measure(args []string) error {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return errors.New("measure: no command given")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return err
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return errors.New("measure: no rusage on this system")
	}
	// On Linux, Maxrss is in KiB.
	cpu := time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
	fmt.Fprintf(os.Stderr, "%.2f %d %.2f %d\n", elapsed.Seconds(), ru.Maxrss, cpu.Seconds(), cmd.ProcessState.ExitCode())
	return nil
}
