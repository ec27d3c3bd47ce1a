package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/contractcheck/contractcheck/validate/report"
)

// reportFile is one --report FORMAT=FILE.
type reportFile struct {
	format report.Format
	file   string
}

// parseReportFlag parses the value of --report, "FORMAT=FILE".
func parseReportFlag(v string) (reportFile, error) {
	name, file, ok := strings.Cut(v, "=")
	if !ok || file == "" {
		return reportFile{}, fmt.Errorf("--report %q: want FORMAT=FILE, such as junit=out/junit.xml", v)
	}
	f, err := report.ParseFormat(name)
	if err != nil {
		return reportFile{}, fmt.Errorf("--report %q: %w", v, err)
	}
	return reportFile{format: f, file: file}, nil
}

// parseReportFlags parses every --report and rejects two reports to the
// same file.
func parseReportFlags(values []string) ([]reportFile, error) {
	var out []reportFile
	seen := map[string]bool{}
	for _, v := range values {
		rf, err := parseReportFlag(v)
		if err != nil {
			return nil, err
		}
		key := filepath.Clean(rf.file)
		if seen[key] {
			return nil, fmt.Errorf("--report: two reports to %s", rf.file)
		}
		seen[key] = true
		out = append(out, rf)
	}
	return out, nil
}

// outputs are the report files of a run, besides standard output.
type outputs struct {
	writers []report.Writer
	files   []*os.File
	bufs    []*bufio.Writer
}

// open creates a report file (and its directory) for each of reports, and
// opens the summary file for appending when summary is not "" (as
// $GITHUB_STEP_SUMMARY wants: other steps may have written to it).
func (o *outputs) open(reports []reportFile, summary string, opts report.Options) error {
	opts.Color, opts.Quiet = false, false
	for _, rf := range reports {
		if dir := filepath.Dir(rf.file); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("creating the directory of report %s: %w", rf.file, err)
			}
		}
		f, err := os.Create(rf.file)
		if err != nil {
			return fmt.Errorf("creating report %s: %w", rf.file, err)
		}
		if err := o.add(f, rf.format, opts); err != nil {
			return err
		}
	}
	if summary != "" {
		f, err := os.OpenFile(summary, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("opening the summary file: %w", err)
		}
		if err := o.add(f, report.FormatMarkdown, opts); err != nil {
			return err
		}
	}
	return nil
}

// add writes a report of the format to f.
func (o *outputs) add(f *os.File, format report.Format, opts report.Options) error {
	o.files = append(o.files, f)
	b := bufio.NewWriter(f)
	o.bufs = append(o.bufs, b)
	w, err := report.New(b, format, opts)
	if err != nil {
		return fmt.Errorf("making report %s: %w", f.Name(), err)
	}
	o.writers = append(o.writers, w)
	return nil
}

// close flushes and closes every file.
func (o *outputs) close() error {
	var errs []error
	for i, f := range o.files {
		if err := o.bufs[i].Flush(); err != nil {
			errs = append(errs, fmt.Errorf("writing report %s: %w", f.Name(), err))
		}
		if err := f.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing report %s: %w", f.Name(), err))
		}
	}
	o.files, o.bufs = nil, nil
	return errors.Join(errs...)
}

// writer returns the writer of every report: main (to standard output)
// first, then the files'.
func (o *outputs) writer(main report.Writer) report.Writer {
	return report.Multi(append([]report.Writer{main}, o.writers...)...)
}

// runFile is a file a run reads or writes, as the command line names it.
type runFile struct {
	what     string // how the command line names it, such as "--report json=t.har"
	name     string
	baseline bool // --baseline or --write-baseline
}

// sameFile reports whether a and b are one file: by identity when both exist
// (os.SameFile sees through hard and symbolic links and through spellings of
// a path), by resolved absolute path otherwise. Devices, FIFOs and other files
// that are not regular are never the same: writing to /dev/null or
// /dev/stdout twice destroys nothing.
func sameFile(a, b string) bool {
	ai, aerr := os.Stat(a)
	bi, berr := os.Stat(b)
	switch {
	case aerr == nil && !ai.Mode().IsRegular(), berr == nil && !bi.Mode().IsRegular():
		return false
	case aerr == nil && berr == nil:
		return os.SameFile(ai, bi)
	case aerr == nil || berr == nil:
		return false // one exists, the other does not
	}
	return resolvedPath(a) == resolvedPath(b)
}

// resolvedPath is the absolute path of name, its directory's symbolic links
// resolved.
func resolvedPath(name string) string {
	abs, err := filepath.Abs(name)
	if err != nil {
		return filepath.Clean(name)
	}
	dir, base := filepath.Split(abs)
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(d, base)
	}
	return abs
}

// overlap returns the problem of a command line whose outputs would destroy
// one of its inputs or each other, before anything is written: a report
// written over the recording it reports on, a summary appended to a JUnit
// report, a baseline written over a report. Writing the baseline that was
// read (--baseline F --write-baseline F) is allowed: the baseline is read
// whole before anything is written, and written again only after a complete
// run, which is how a baseline is refreshed.
func overlap(outputs, inputs []runFile) error {
	for i, out := range outputs {
		for _, other := range outputs[:i] {
			if sameFile(out.name, other.name) {
				return fmt.Errorf("%s and %s write to the same file", other.what, out.what)
			}
		}
		for _, in := range inputs {
			if in.baseline && out.baseline {
				continue
			}
			if sameFile(out.name, in.name) {
				return fmt.Errorf("%s would overwrite %s, which this run reads; write it to another file", out.what, in.what)
			}
		}
	}
	return nil
}

// settingsInputs lists the contract and the configuration a command reads
// ("" for none).
func settingsInputs(spec, config string) []runFile {
	var in []runFile
	if spec != "" {
		in = append(in, runFile{what: "the contract (--spec) " + spec, name: spec})
	}
	if config != "" {
		in = append(in, runFile{what: "the configuration " + config, name: config})
	}
	return in
}

// liveOutputs lists the files of serve and proxy: --record and --ndjson
// (flag names and files, "" for a file not asked for).
func liveOutputs(flagFiles ...string) []runFile {
	var out []runFile
	for i := 0; i+1 < len(flagFiles); i += 2 {
		if name := flagFiles[i+1]; name != "" {
			out = append(out, runFile{what: flagFiles[i] + " " + name, name: name})
		}
	}
	return out
}
