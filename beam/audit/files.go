package audit

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/rtrackers/offsetrange"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/contractcheck/contractcheck/validate/recording"
)

func init() {
	register.DoFn3x1[context.Context, fileio.FileMetadata, func(File), error](&classifyFn{})
	register.Emitter1[File]()
}

// File is a recording to audit, as the input pattern matched it.
type File struct {
	// Path names the file as the pattern matched it: check's name of it.
	Path string
	// Size is its size in bytes when it was matched.
	Size int64
	// Whole says the file is not NDJSON: a HAR or a cassette, read whole by
	// one worker (or no recording at all, which reading reports).
	Whole bool
}

// classifyFn tells the files that can be split (NDJSON) from the others, as
// check tells the formats apart.
type classifyFn struct{}

// ProcessElement classifies one file.
func (fn *classifyFn) ProcessElement(ctx context.Context, file fileio.FileMetadata, emit func(File)) error {
	r, err := open(ctx, file.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	emit(File{Path: file.Path, Size: file.Size, Whole: !recording.IsNDJSON(r)})
	return nil
}

// cut cuts size bytes in restrictions of block bytes, the last one taking a
// remainder of less than a quarter block (as Beam's textio cuts files).
func cut(size, block int64) []offsetrange.Restriction {
	var out []offsetrange.Restriction
	start := int64(0)
	for size-start >= block+block/4 {
		out = append(out, offsetrange.Restriction{Start: start, End: start + block})
		start += block
	}
	return append(out, offsetrange.Restriction{Start: start, End: size})
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
