package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/contractcheck/contractcheck/validate/recording"
)

// read decodes every entry of a recording into an exchange with
// recording.Read, on one goroutine, without checking it: the reader alone.
// It prints how many entries it read.
func read(args []string) error {
	batches := len(args) == 2 && args[0] == "-batches"
	if batches {
		args = args[1:]
	}
	if len(args) != 1 {
		return errors.New("usage: auditbench read [-batches] FILE")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	if batches {
		n, err := readBatches(args[0], f)
		if err != nil {
			return err
		}
		fmt.Println(n, "entries")
		return nil
	}
	n := 0
	for _, err := range recording.Read(args[0], f) {
		if err != nil {
			return err
		}
		n++
	}
	fmt.Println(n, "entries")
	return nil
}

// readBatches frames f with recording.Batches, as check frames a regular
// file, and reads and decodes the batches on GOMAXPROCS goroutines, without
// checking them: the reader's part of check, on every core. It returns how
// many exchanges it decoded, or the first problem it met.
func readBatches(name string, f *os.File) (int, error) {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *recording.Batch, 2*workers)
	var n atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				b.Read()
				for _, fr := range b.Frames {
					ex, err := fr.Decode()
					switch {
					case err != nil:
						failed.CompareAndSwap(nil, &err)
					case ex != nil:
						n.Add(1)
					}
				}
				b.Release()
			}
		}()
	}
	var err error
	for b, berr := range recording.Batches(name, f, f, 64<<10, 4) {
		if berr != nil {
			err = berr
			break
		}
		work <- b
	}
	close(work)
	wg.Wait()
	if p := failed.Load(); err == nil && p != nil {
		err = *p
	}
	return int(n.Load()), err
}

// floorEntry is what the floor decodes of a HAR entry: what an exchange
// needs, into the types encoding/json fills.
type floorEntry struct {
	Request struct {
		Method   string    `json:"method"`
		URL      string    `json:"url"`
		Headers  []floorNV `json:"headers"`
		PostData *struct {
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
		} `json:"postData"`
	} `json:"request"`
	Response struct {
		Status  int       `json:"status"`
		Headers []floorNV `json:"headers"`
		Content struct {
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
		} `json:"content"`
	} `json:"response"`
}

type floorNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// floorLine is what the floor decodes of an NDJSON line.
type floorLine struct {
	Request struct {
		Method  string         `json:"method"`
		URL     string         `json:"url"`
		Headers map[string]any `json:"headers"`
		Body    string         `json:"body"`
	} `json:"request"`
	Response struct {
		Status  int            `json:"status"`
		Headers map[string]any `json:"headers"`
		Body    string         `json:"body"`
	} `json:"response"`
}

// floor decodes every entry of a HAR (or every line of an NDJSON file, named
// .ndjson) with encoding/json, streaming, on one goroutine: the decoding
// floor an audit is compared with. It prints how many entries it decoded.
func floor(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: auditbench floor FILE")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	var n int
	if strings.HasSuffix(args[0], ".ndjson") {
		n, err = floorNDJSON(f)
	} else {
		n, err = floorHAR(f)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	fmt.Println(n, "entries")
	return nil
}

// floorHAR decodes the entries of the HAR r holds.
func floorHAR(r io.Reader) (int, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	// Down to log.entries: {"log":{... "entries":[
	for _, want := range []string{"log", "entries"} {
		if err := expectDelim(dec, '{'); err != nil {
			return 0, err
		}
		for {
			t, err := dec.Token()
			if err != nil {
				return 0, err
			}
			if t == want {
				break
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return 0, err
			}
		}
	}
	if err := expectDelim(dec, '['); err != nil {
		return 0, err
	}
	n := 0
	for dec.More() {
		var e floorEntry
		if err := dec.Decode(&e); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// expectDelim reads the delimiter d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != d {
		return fmt.Errorf("found %v, want %v", t, d)
	}
	return nil
}

// floorNDJSON decodes the lines r holds.
func floorNDJSON(r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), recording.MaxEntryBytes+2)
	n := 0
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l floorLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return n, fmt.Errorf("line %d: %w", n+1, err)
		}
		n++
	}
	return n, sc.Err()
}
