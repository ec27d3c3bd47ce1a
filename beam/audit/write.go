package audit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	register.DoFn2x0[[]byte, func(int, string)](&shardsFn{})
	register.DoFn3x1[context.Context, int, func(*string) bool, error](&writeShardFn{})
	register.Iter1[string]()
	register.DoFn2x1[context.Context, Tally, error](&writeTallyFn{})
}

// shardsFn emits an empty line for every shard, so that every shard file is
// written, empty when it has no findings.
type shardsFn struct {
	Shards int `json:"shards"`
}

// ProcessElement emits the empty lines.
func (fn *shardsFn) ProcessElement(_ []byte, emit func(int, string)) {
	for i := range fn.Shards {
		emit(i, "")
	}
}

// writeShardFn writes the lines of a shard to its file, leaving out the
// empty ones. A retried shard writes its whole file again.
type writeShardFn struct {
	Names []string `json:"names"`
}

// ProcessElement writes one shard.
func (fn *writeShardFn) ProcessElement(ctx context.Context, shard int, lines func(*string) bool) error {
	if shard < 0 || shard >= len(fn.Names) {
		return fmt.Errorf("shard %d of %d", shard, len(fn.Names))
	}
	return writeFile(ctx, fn.Names[shard], func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		var line string
		for lines(&line) {
			if line == "" {
				continue
			}
			bw.WriteString(line)
			if err := bw.WriteByte('\n'); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}

// writeTallyFn writes the summary and the counts per rule.
type writeTallyFn struct {
	Summary string `json:"summary"`
	Rules   string `json:"rules"`
}

// ProcessElement writes the two files.
func (fn *writeTallyFn) ProcessElement(ctx context.Context, t Tally) error {
	if err := writeJSON(ctx, fn.Summary, t.Summary); err != nil {
		return err
	}
	return writeJSON(ctx, fn.Rules, t.Counts())
}

// writeJSON writes v to the file name as indented JSON.
func writeJSON(ctx context.Context, name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return writeFile(ctx, name, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// writeFile writes the file name, of any of Beam's filesystems, with write.
func writeFile(ctx context.Context, name string, write func(io.Writer) error) error {
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, name)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := write(w); err != nil {
		w.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
