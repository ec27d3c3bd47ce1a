package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"

	"github.com/contractcheck/contractcheck/validate/recording"
)

// runConvert runs contractcheck convert: it reads each recording in turn
// (HAR, go-vcr cassette or NDJSON, as check reads them) and writes its
// exchanges as NDJSON, one a line, credentials redacted, to standard output
// or to the file of -o. An entry that cannot be read is printed on stderr as
// check prints it and left out; the others are still converted.
func runConvert(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("convert")
	out := fs.String("o", "", "")
	files, code, done := parseCommand(fs, args, stdout, stderr)
	if done {
		return code
	}
	switch {
	case len(files) == 0:
		return usageError(stderr, "convert", errors.New("no recording given (use - to read standard input)"))
	case countOf(files, stdinName) > 1:
		return usageError(stderr, "convert", errors.New("standard input (-) can be read only once"))
	}
	var file *os.File // the file of -o
	if *out != "" && *out != stdinName {
		for _, in := range files {
			if in != stdinName && sameFile(*out, in) {
				return usageError(stderr, "convert", fmt.Errorf("-o %s is the recording %s: write the NDJSON to another file", *out, in))
			}
		}
		var err error
		if dir := filepath.Dir(*out); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				fmt.Fprintf(stderr, "contractcheck: creating the directory of %s: %v\n", *out, err)
				return exitError
			}
		}
		if file, err = os.Create(*out); err != nil {
			fmt.Fprintf(stderr, "contractcheck: %v\n", err)
			return exitError
		}
		stdout = file
	}
	bw := bufio.NewWriterSize(stdout, 64<<10)
	// The writer flushes after each line when it can; hide Flush so that it
	// writes through the buffer, and flush at the end.
	w := recording.NewNDJSONWriter(struct{ io.Writer }{bw})
	written, failed, err := convertAll(ctx, recordingFrames(ctx, files, stdin), w, stderr)
	if ferr := bw.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing the NDJSON: %w", ferr)
	}
	if file != nil {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("writing the NDJSON: %w", cerr)
		}
	}
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "contractcheck: interrupted: the NDJSON is incomplete")
		return exitError
	case err != nil:
		fmt.Fprintf(stderr, "contractcheck: %v\n", err)
		return exitError
	case failed > 0:
		fmt.Fprintf(stderr, "contractcheck convert: %s, left out of the NDJSON; %s written\n",
			count(failed, "input error"), count(written, "exchange"))
		return exitError
	}
	return exitOK
}

// convertAll writes the exchange of each job to w, and prints the input
// errors on stderr as check does; after an input error that ends a file, the
// rest of the file is left. It returns how many exchanges it wrote and how
// many input errors it met, and stops at the first error writing.
func convertAll(ctx context.Context, jobs iter.Seq[job], w *recording.NDJSONWriter, stderr io.Writer) (written, failed int, err error) {
	ended := -1 // the file whose reading has ended early, if any
	for j := range jobs {
		if ctx.Err() != nil {
			return written, failed, nil
		}
		if j.file == ended {
			continue
		}
		it := item{err: j.err}
		if j.frame != nil {
			it.ex, it.err = decode(j.frame)
		}
		switch {
		case it.err != nil:
			failed++
			fmt.Fprintln(stderr, inputErrorPair(it.err).InputErrorLine())
			var entryErr *recording.EntryError
			if errors.As(it.err, &entryErr) && entryErr.Final() {
				ended = j.file
			}
		case it.ex != nil:
			if err := w.Write(it.ex.WithoutSecrets()); err != nil {
				return written, failed, err
			}
			written++
		}
	}
	return written, failed, nil
}
