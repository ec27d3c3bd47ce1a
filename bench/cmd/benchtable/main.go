// Command benchtable prints the peer comparison of contractcheck as a
// Markdown table: the median time, bytes and allocations of each benchmark
// over its runs (benchstat's median and 95% confidence interval), the ratio
// of each peer to contractcheck (the median of the ratios of their i-th runs,
// which make bench makes in the same round), the load ratios, and PASS or
// MISS for each performance target.
//
// Usage:
//
//	benchtable [file ...]
//
// It reads `go test -bench -benchmem` output from the files (standard input
// if none): the bench module's benchmarks and, optionally, the main module's
// (validate's BenchmarkLoadEmbedded loads the embedded contract as
// validate.Embedded does, without the specification check). A target it has
// no numbers for is reported as such. benchtable exits 0 whether targets are
// met or missed: it informs a human; it fails only on unreadable input.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(2)
	}
}

// run reads the results named by args (stdin if none) and writes the table.
func run(args []string, stdin io.Reader, stdout io.Writer) error {
	res := results{}
	if len(args) == 0 {
		if err := res.read(stdin, "stdin"); err != nil {
			return err
		}
	}
	for _, name := range args {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("reading benchmark results: %w", err)
		}
		err = res.read(f, name)
		f.Close()
		if err != nil {
			return err
		}
	}
	if len(res) == 0 {
		return fmt.Errorf("no benchmark results in the input")
	}
	return writeTable(stdout, res)
}
