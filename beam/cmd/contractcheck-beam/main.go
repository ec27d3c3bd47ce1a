// Command contractcheck-beam runs contractcheck's audit of recorded traffic
// as an Apache Beam pipeline: locally on the Prism runner (the default, in
// process), or on Dataflow, Flink or Spark with Beam's runner flags.
//
//	contractcheck-beam --input 'traffic/*.ndjson' --output out/audit [flags] [beam flags]
//
// It checks every exchange of the recordings the pattern matches (NDJSON
// files are split across workers; HAR files and cassettes are read whole:
// `contractcheck convert` turns them into NDJSON) and writes
//
//	OUTPUT-findings-SSSSS-of-NNNNN.ndjson  each pair with findings, and each input error, as `check --format ndjson` writes it
//	OUTPUT-summary.json                    the summary, as in `check --format json`
//	OUTPUT-rules.json                      the findings and pairs of each rule
//
// then prints the summary line. The exit status is check's: 0 when no pair
// fails, 1 when one does, 2 when an entry could not be read, the run failed
// or the command line is wrong.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/contractcheck/contractcheck/beam/audit"
	"github.com/contractcheck/contractcheck/validate/report"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// Exit statuses, as contractcheck check's.
const (
	exitOK    = 0
	exitFail  = 1
	exitError = 2
)

// usage is printed by -h and with a usage error.
const usage = `Usage: contractcheck-beam --input PATTERN --output PREFIX [flags] [beam flags]

Checks every exchange of the recordings PATTERN matches (a path or a glob of
one of Beam's filesystems: traffic/*.ndjson, gs://bucket/traffic/*.ndjson)
as contractcheck check does, on a Beam runner, and writes
PREFIX-findings-SSSSS-of-NNNNN.ndjson (the pairs with findings and the input
errors, as check --format ndjson writes them), PREFIX-summary.json (the
summary of check --format json) and PREFIX-rules.json (findings and pairs per
rule). NDJSON files are split across workers; HAR files and cassettes are read
whole (contractcheck convert turns them into NDJSON).

Flags:
  --input PATTERN        the recordings
  --output PREFIX        the prefix of the files written
  --spec FILE            check against the OpenAPI 3 contract in FILE instead of
                         the built-in one (read here, sent to the workers)
  --config FILE          read the rule settings from FILE (default:
                         contractcheck.yaml in the working directory, when it
                         exists)
  --fail-on SEVERITY     lowest severity that fails a pair: error or warning
  --rule RULE=LEVEL      set a rule to off, warning or error; may be repeated
  --fail-on-unmatched    fail exchanges no operation of the contract describes
  --shards N             how many files the findings are written to (default 8)
  --block-mib N          the MiB of NDJSON a worker checks at a time (default 64)

Beam flags choose and configure the runner: --runner prism (the default: in
this process), --runner dataflow --project P --region R --staging_location
gs://... , --runner flink --endpoint HOST:PORT, --runner spark --endpoint
HOST:PORT; see docs/beam.md.

Exit status: 0 when no pair fails, 1 when a pair fails, 2 when an entry could
not be read, the pipeline failed, or the command line is wrong.
`

// flags are the command line's own flags, on top of Beam's.
type flags struct {
	input, output, spec, config, failOn string
	rules                               listFlag
	failOnUnmatched                     bool
	shards, blockMiB                    int
	// detached: the runner only prints the job (--dry_run) or submits it
	// without waiting for its end (--async), so there is no summary to read.
	detached bool
}

// flagValue is the value of a flag Beam's packages define, "" when none
// does.
func flagValue(name string) string {
	if f := flag.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// listFlag is a flag that may be given many times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func main() {
	var f flags
	flag.StringVar(&f.input, "input", "", "the recordings: a path or a glob")
	flag.StringVar(&f.output, "output", "", "the prefix of the files written")
	flag.StringVar(&f.spec, "spec", "", "the OpenAPI 3 contract (default: the built-in one)")
	flag.StringVar(&f.config, "config", "", "the rule settings (default: ./contractcheck.yaml, when it exists)")
	flag.StringVar(&f.failOn, "fail-on", "", "lowest severity that fails a pair: error or warning")
	flag.Var(&f.rules, "rule", "RULE=off|warning|error; may be repeated")
	flag.BoolVar(&f.failOnUnmatched, "fail-on-unmatched", false, "fail exchanges no operation describes")
	flag.IntVar(&f.shards, "shards", audit.DefaultShards, "how many files the findings are written to")
	flag.IntVar(&f.blockMiB, "block-mib", audit.DefaultBlockSize>>20, "the MiB of NDJSON a worker checks at a time")
	flag.Usage = func() { fmt.Fprint(flag.CommandLine.Output(), usage) }
	flag.Parse()
	// On a runner's worker, Init runs the worker and does not return.
	beam.Init()
	if r := flagValue("runner"); r == "" || r == "prism" {
		// The Prism runner logs every step of a job at INFO: keep warnings.
		// Other runners log what to follow the job by (its ID, its page).
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	}
	f.detached = flagValue("dry_run") == "true" || flagValue("async") == "true"
	os.Exit(run(context.Background(), f, flag.Args(), os.Stdout, os.Stderr))
}

// run builds and runs the pipeline, and returns the exit status.
func run(ctx context.Context, f flags, args []string, stdout, stderr io.Writer) int {
	opts, err := f.options(args)
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck-beam: %v\n\n%s", err, usage)
		return exitError
	}
	if err := matches(ctx, opts.Input); err != nil {
		fmt.Fprintf(stderr, "contractcheck-beam: %v\n", err)
		return exitError
	}
	p, s := beam.NewPipelineWithRoot()
	if err := audit.Build(s, opts); err != nil {
		fmt.Fprintf(stderr, "contractcheck-beam: %v\n", err)
		return exitError
	}
	if err := beamx.Run(ctx, p); err != nil {
		fmt.Fprintf(stderr, "contractcheck-beam: the pipeline failed: %v\n", err)
		return exitError
	}
	files := audit.FilesOf(opts.Output, opts.Shards)
	if f.detached {
		fmt.Fprintf(stdout, "the job is not run here: when it has run, its summary is %s\n", files.Summary)
		return exitOK
	}
	sum, err := readSummary(ctx, files.Summary)
	if err != nil {
		fmt.Fprintf(stderr, "contractcheck-beam: the pipeline ran, but its summary cannot be read: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s\nwrote %s, %s and %s-findings-*-of-%05d.ndjson\n", sum, files.Summary, files.Rules, opts.Output, opts.Shards)
	switch {
	case sum.InputErrors > 0:
		return exitError
	case sum.Failed > 0:
		return exitFail
	}
	return exitOK
}

// options checks the command line and reads the contract and the rule
// settings, as check does.
func (f flags) options(args []string) (audit.Options, error) {
	switch {
	case len(args) > 0:
		return audit.Options{}, fmt.Errorf("unexpected argument %q (the recordings are --input)", args[0])
	case f.input == "":
		return audit.Options{}, errors.New("--input is required: the pattern of the recordings")
	case f.output == "":
		return audit.Options{}, errors.New("--output is required: the prefix of the files to write")
	case f.shards < 1:
		return audit.Options{}, fmt.Errorf("--shards %d: want 1 or more", f.shards)
	case f.blockMiB < 1:
		return audit.Options{}, fmt.Errorf("--block-mib %d: want 1 or more", f.blockMiB)
	}
	set, _, err := ruleset.Load(ruleset.Sources{Config: f.config, FailOn: f.failOn, Rules: f.rules})
	if err != nil {
		return audit.Options{}, err
	}
	var contract []byte
	if f.spec != "" {
		if contract, err = os.ReadFile(f.spec); err != nil {
			return audit.Options{}, fmt.Errorf("reading contract: %w", err)
		}
	}
	return audit.Options{
		Input:     f.input,
		Output:    f.output,
		Settings:  audit.NewSettings(f.spec, contract, set, f.failOnUnmatched),
		Shards:    f.shards,
		BlockSize: int64(f.blockMiB) << 20,
	}, nil
}

// matches fails when no file matches the pattern: an audit of nothing is no
// audit.
func matches(ctx context.Context, pattern string) error {
	fs, err := filesystem.New(ctx, pattern)
	if err != nil {
		return err
	}
	defer fs.Close()
	files, err := fs.List(ctx, pattern)
	switch {
	case err != nil:
		return fmt.Errorf("--input %s: %w", pattern, err)
	case len(files) == 0:
		return fmt.Errorf("--input %s: no file matches", pattern)
	}
	return nil
}

// readSummary reads the summary the pipeline wrote.
func readSummary(ctx context.Context, name string) (report.Summary, error) {
	var sum report.Summary
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return sum, err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, name)
	if err != nil {
		return sum, err
	}
	defer r.Close()
	err = json.NewDecoder(r).Decode(&sum)
	return sum, err
}
