// Command audit prints the findings of a recording (HAR, NDJSON, go-vcr) on its standard input,
// and exits 1 when one is an error.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/recording"
)

func main() {
	plan, err := validate.Embedded() // or validate.LoadFile("spec.yaml"): compile once, check many
	if err != nil {
		log.Fatal(err)
	}
	failed := false
	for ex, err := range recording.Read("stdin", os.Stdin) {
		if err != nil {
			log.Fatal(err) // a *recording.EntryError: entry, line and field
		}
		for _, finding := range plan.Check(ex).Findings { // Check is safe on many goroutines
			fmt.Printf("#%d %v\n", ex.Entry, finding)
			failed = failed || finding.Severity == validate.SeverityError
		}
	}
	if failed {
		os.Exit(1)
	}
}
