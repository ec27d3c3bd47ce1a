package contracttest

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/contractcheck/contractcheck/contracts"
	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/coverage"
)

// RunWithCoverage runs the tests of m with contract coverage recorded: every
// exchange that an assertion, a [Transport] or a [Handler] checks counts
// towards it. When the tests have run it writes the coverage to file (JSON,
// as contractcheck check --coverage writes it; contractcheck coverage merges
// the files of several packages) and returns m.Run's exit code, or 1 when
// the file cannot be written. Call it from TestMain:
//
//	func TestMain(m *testing.M) {
//		os.Exit(contracttest.RunWithCoverage(m, "contract-coverage.json"))
//	}
func RunWithCoverage(m *testing.M, file string) int {
	startCoverage()
	code := m.Run()
	if err := writeCoverage(file); err != nil {
		fmt.Fprintf(os.Stderr, "contracttest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// covering is whether coverage is being recorded; the checks read it on
// every exchange, so it is an atomic, not behind the lock.
var covering atomic.Bool

// covered holds the recorders of the contracts checked, by file.
var covered struct {
	sync.Mutex
	recorders map[string]*coverage.Recorder
	errs      []error
}

// startCoverage starts recording coverage, from nothing.
func startCoverage() {
	covered.Lock()
	covered.recorders, covered.errs = map[string]*coverage.Recorder{}, nil
	covered.Unlock()
	covering.Store(true)
}

// noteCoverage counts what ex, checked under plan with the result res,
// covers, when coverage is being recorded.
func noteCoverage(plan *validate.Plan, ex *validate.Exchange, res validate.Result) {
	if !covering.Load() {
		return
	}
	covered.Lock()
	rec, ok := covered.recorders[plan.File()]
	if !ok {
		var err error
		if rec, err = newCoverageRecorder(plan); err != nil {
			covered.errs = append(covered.errs, err)
		}
		covered.recorders[plan.File()] = rec // nil after an error: tried once
	}
	covered.Unlock()
	if rec != nil {
		rec.Add(ex, res)
	}
}

// newCoverageRecorder returns a recorder of plan's contract: the embedded
// one, or the file it was loaded from.
func newCoverageRecorder(plan *validate.Plan) (*coverage.Recorder, error) {
	doc := contracts.ScopedWebhook
	if plan.File() != contracts.ScopedWebhookFile {
		var err error
		if doc, err = os.ReadFile(plan.File()); err != nil {
			return nil, fmt.Errorf("coverage of %s: %w", plan.File(), err)
		}
	}
	return coverage.NewRecorder(plan.File(), doc)
}

// writeCoverage stops recording and writes the coverage of every contract
// checked, merged, to file.
func writeCoverage(file string) error {
	covering.Store(false)
	covered.Lock()
	defer covered.Unlock()
	var reps []coverage.Report
	for _, rec := range covered.recorders {
		if rec != nil {
			reps = append(reps, rec.Report())
		}
	}
	if err := errors.Join(covered.errs...); err != nil {
		return err
	}
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("writing the contract coverage: %w", err)
	}
	if err := coverage.Write(f, coverage.Merge(reps...), coverage.FormatJSON); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing the contract coverage: %w", err)
	}
	return nil
}
