package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// worst writes one of the worst-case recordings that the README's
// Reliability section measures peak memory on:
//
//	comment  a HAR whose log.comment is -size bytes, before 100 ordinary entries
//	entries  a HAR of -n entries of -size bytes each (a padded response body)
//	ndjson   an NDJSON recording of -n lines of -size bytes each
//
// Each streams: its memory does not grow with the file.
func worst(args []string) error {
	fs := flag.NewFlagSet("worst", flag.ContinueOnError)
	kind := fs.String("kind", "comment", "comment, entries or ndjson")
	sizeFlag := fs.String("size", "", "the size of the comment, or of each entry (default 1GiB for comment, 60MiB otherwise)")
	n := fs.Int("n", 64, "how many big entries or lines")
	out := fs.String("o", "", "file to write")
	root := fs.String("root", ".", "the repository root")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sizeFlag == "" {
		*sizeFlag = "60MiB"
		if *kind == "comment" {
			*sizeFlag = "1GiB"
		}
	}
	size, err := parseSize(*sizeFlag)
	if err != nil {
		return err
	}
	if *out == "" {
		return errors.New("worst: -o FILE is required")
	}
	entries, err := harEntries(filepath.Join(*root, "testdata/recordings/docs-example.har"))
	if err != nil {
		return err
	}
	example := entries[0]
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	switch *kind {
	case "comment":
		w.WriteString(`{"log":{"version":"1.2","creator":{"name":"auditbench","version":"1"},"comment":"`)
		writeFill(w, size)
		w.WriteString("\",\"entries\":[\n")
		for i := range 100 {
			if i > 0 {
				w.WriteString(",\n")
			}
			w.Write(example)
		}
		w.WriteString("\n]}}\n")
	case "entries":
		w.WriteString("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"auditbench\",\"version\":\"1\"},\"entries\":[\n")
		for i := range *n {
			if i > 0 {
				w.WriteString(",\n")
			}
			if err := writePadded(w, example, size); err != nil {
				f.Close()
				return err
			}
		}
		w.WriteString("\n]}}\n")
	case "ndjson":
		for range *n {
			if err := writePaddedLine(w, size); err != nil {
				f.Close()
				return err
			}
		}
	default:
		f.Close()
		return fmt.Errorf("worst: unknown kind %q; want comment, entries or ndjson", *kind)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeFill writes n bytes of JSON string content.
func writeFill(w io.Writer, n int64) {
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	for n > 0 {
		k := min(n, int64(len(chunk)))
		w.Write(chunk[:k])
		n -= k
	}
}

// writePadded writes the HAR entry example with a padding member in its
// response body's JSON, so that the entry is about size bytes long.
func writePadded(w io.Writer, example []byte, size int64) error {
	// The request's form body comes first: pad the response's JSON body,
	// the last "text" that starts an object.
	marker := []byte(`"text":"{`)
	i := bytes.LastIndex(example, marker)
	if i < 0 {
		return errors.New("worst: the example has no JSON response body")
	}
	before, after := example[:i], example[i+len(marker):]
	w.Write(before)
	w.Write([]byte(`"text":"{\"_pad\":\"`))
	writeFill(w, max(size-int64(len(example)), 0))
	w.Write([]byte(`\",`))
	_, err := w.Write(after)
	return err
}

// writePaddedLine writes an NDJSON line of about size bytes: a pair that
// keeps the contract, its response body padded.
func writePaddedLine(w io.Writer, size int64) error {
	const head = `{"request":{"method":"POST","url":"https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks",` +
		`"headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=get"},` +
		`"response":{"status":201,"headers":{"Content-Type":"application/json"},"body":"{\"_pad\":\"`
	const tail = `\",\"account_sid\":\"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"conversation_sid\":\"CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"sid\":\"WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",` +
		`\"target\":\"webhook\",\"configuration\":{\"url\":\"https://example.com\",\"method\":\"get\"},\"date_created\":\"2016-03-24T21:05:50Z\",\"date_updated\":\"2016-03-24T21:05:50Z\",` +
		`\"url\":\"https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"}}` + "\n"
	io.WriteString(w, head)
	writeFill(w, max(size-int64(len(head)+len(tail)), 0))
	_, err := io.WriteString(w, tail)
	return err
}
