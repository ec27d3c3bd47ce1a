package audit

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/contractcheck/contractcheck/validate/recording"
)

func init() {
	register.DoFn3x1[context.Context, fileio.FileMetadata, func(Block), error](&planFn{})
	register.Emitter1[Block]()
}

// Block is a worker's share of a recording: the lines of an NDJSON file
// that start in the bytes [Start, End), or a whole file of another format.
type Block struct {
	// Path is the file, as the input pattern matched it: check's name of it.
	Path string
	// Start and End delimit the bytes; End is -1 for the end of the file.
	Start, End int64
	// Whole says the file is not NDJSON: a HAR or a cassette, read whole
	// (or no recording at all, which reading reports).
	Whole bool
}

// planFn cuts each file in blocks: an NDJSON file in blocks of BlockSize
// bytes, the last one taking a remainder of less than a quarter block; any
// other file in one whole block.
type planFn struct {
	BlockSize int64 `json:"block_size"`
}

// ProcessElement emits the blocks of one file.
func (fn *planFn) ProcessElement(ctx context.Context, file fileio.FileMetadata, emit func(Block)) error {
	ndjson, err := isNDJSON(ctx, file.Path)
	if err != nil {
		return err
	}
	if !ndjson {
		emit(Block{Path: file.Path, End: -1, Whole: true})
		return nil
	}
	for _, b := range cut(file.Size, fn.BlockSize) {
		emit(Block{Path: file.Path, Start: b[0], End: b[1]})
	}
	return nil
}

// cut cuts size bytes in ranges of about block bytes; the last one ends at
// -1, the end of the file, whatever its size by then.
func cut(size, block int64) [][2]int64 {
	var out [][2]int64
	start := int64(0)
	for size-start >= block+block/4 {
		out = append(out, [2]int64{start, start + block})
		start += block
	}
	return append(out, [2]int64{start, -1})
}

// isNDJSON tells whether the file is NDJSON, as check tells it.
func isNDJSON(ctx context.Context, path string) (bool, error) {
	r, err := open(ctx, path)
	if err != nil {
		return false, err
	}
	defer r.Close()
	return recording.IsNDJSON(r), nil
}

// open opens a file of any of Beam's filesystems for reading.
func open(ctx context.Context, path string) (io.ReadCloser, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return r, nil
}
