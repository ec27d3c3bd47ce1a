package audit

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local files; beamx adds gcs
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

// DefaultBlockSize is the size of the blocks an NDJSON file is cut in: big
// enough that a block is worth a worker's while (about 25,000 exchanges),
// small enough that a file of a few GiB keeps many workers busy.
const DefaultBlockSize = 64 << 20

// DefaultShards is how many files the findings are written to by default.
const DefaultShards = 8

// Options are what an audit checks and where it writes.
type Options struct {
	// Input is the pattern of the recordings, as Beam's filesystems match
	// it: a path, or a glob such as "traffic/*.ndjson" or
	// "gs://bucket/traffic/*.ndjson".
	Input string
	// Output is the prefix of the files written: OUTPUT-findings-SSSSS-of-NNNNN.ndjson,
	// OUTPUT-summary.json and OUTPUT-rules.json (see [Files]).
	Output string
	// Settings are the contract and the rule settings, as check takes them.
	Settings Settings
	// Shards is how many files the findings are written to
	// ([DefaultShards] when 0).
	Shards int
	// BlockSize is the size, in bytes, of the blocks an NDJSON file is cut
	// in ([DefaultBlockSize] when 0).
	BlockSize int64
}

// Files are the names of the files an audit writes.
type Files struct {
	// Findings are the shards of the findings: each pair that has a finding,
	// and each input error, as a line of `check --format ndjson`, in no
	// particular order.
	Findings []string
	// Summary holds the summary, as the "summary" of `check --format json`.
	Summary string
	// Rules holds the counts per rule ([RuleCounts]).
	Rules string
}

// FilesOf returns the names of the files that an audit with the output
// prefix and number of shards writes.
func FilesOf(output string, shards int) Files {
	if shards <= 0 {
		shards = DefaultShards
	}
	f := Files{Summary: output + "-summary.json", Rules: output + "-rules.json"}
	for i := range shards {
		f.Findings = append(f.Findings, fmt.Sprintf("%s-findings-%05d-of-%05d.ndjson", output, i, shards))
	}
	return f
}

func init() {
	beam.RegisterType(reflect.TypeOf((*File)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*Tally)(nil)).Elem())
	register.Function2x1(MergeTallies)
}

// Build adds the audit to the pipeline of s. It checks opts and the
// settings (the contract loads, the rules exist) before it adds anything, so
// that a mistake is reported before a runner starts.
func Build(s beam.Scope, opts Options) error {
	switch {
	case opts.Input == "":
		return errors.New("no input: give the pattern of the recordings")
	case opts.Output == "":
		return errors.New("no output: give the prefix of the files to write")
	case opts.Shards < 0 || opts.Shards > 99999:
		return fmt.Errorf("%d shards: want 1 to 99999", opts.Shards)
	case opts.BlockSize < 0:
		return fmt.Errorf("a block size of %d bytes: want a positive size", opts.BlockSize)
	}
	if _, _, err := opts.Settings.load(); err != nil {
		return err
	}
	if opts.Shards == 0 {
		opts.Shards = DefaultShards
	}
	if opts.BlockSize == 0 {
		opts.BlockSize = DefaultBlockSize
	}
	for _, path := range []string{opts.Input, opts.Output} {
		if err := validScheme(path); err != nil {
			return err
		}
	}
	s = s.Scope("contractcheck.Audit")

	matched := fileio.MatchFiles(s, opts.Input, fileio.MatchEmptyDisallow())
	files := beam.Reshuffle(s, beam.ParDo(s, &classifyFn{}, matched))
	lines, tallies := beam.ParDo2(s, &checkFn{Settings: opts.Settings, Shards: opts.Shards, BlockSize: opts.BlockSize}, files)

	names := FilesOf(opts.Output, opts.Shards)
	every := beam.ParDo(s, &shardsFn{Shards: opts.Shards}, beam.Impulse(s))
	shards := beam.GroupByKey(s, beam.Flatten(s, lines, every))
	beam.ParDo0(s, &writeShardFn{Names: names.Findings}, shards)

	total := beam.Combine(s, MergeTallies, beam.Flatten(s, tallies, beam.Create(s, Tally{})))
	beam.ParDo0(s, &writeTallyFn{Summary: names.Summary, Rules: names.Rules}, total)
	return nil
}

// validScheme fails when no filesystem of this program reads the path's
// scheme (gs://, s3://; none is a local file).
func validScheme(path string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%s: %v", path, v)
		}
	}()
	filesystem.ValidateScheme(path)
	return nil
}
