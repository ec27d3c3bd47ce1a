package main

import (
	"io"
	"os"
)

// The values of --color.
const (
	colorAuto   = "auto"
	colorAlways = "always"
	colorNever  = "never"
)

// useColor decides whether the text report is coloured: always, never, or
// (auto) when stdout is a terminal and NO_COLOR is unset or empty (the value
// of NO_COLOR is noColor).
func useColor(mode string, stdout io.Writer, noColor string) bool {
	switch mode {
	case colorAlways:
		return true
	case colorNever:
		return false
	}
	return noColor == "" && isTerminal(stdout)
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
