package report

import "errors"

// multiWriter writes the same report to several writers.
type multiWriter []Writer

// Multi returns a writer that writes every pair, and the summary, to each of
// ws in turn, so that one run yields several reports. A writer that fails does
// not stop the others; the errors are joined.
func Multi(ws ...Writer) Writer {
	if len(ws) == 1 {
		return ws[0]
	}
	return multiWriter(ws)
}

// WritePair writes the pair to every writer.
func (m multiWriter) WritePair(p Pair) error {
	var errs []error
	for _, w := range m {
		if err := w.WritePair(p); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Finish finishes every writer.
func (m multiWriter) Finish(s Summary) error {
	var errs []error
	for _, w := range m {
		if err := w.Finish(s); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
