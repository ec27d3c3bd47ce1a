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
