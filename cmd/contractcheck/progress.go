package main

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/contractcheck/contractcheck/validate/report"
)

// The values of --progress.
const (
	progressAuto   = "auto"
	progressAlways = "always"
	progressNever  = "never"
)

// progressInterval is the least time between two refreshes of the progress
// line.
const progressInterval = 250 * time.Millisecond

// clearLine returns the cursor to the start of the line and clears it.
const clearLine = "\r\x1b[K"

// useProgress decides whether check shows a progress line on stderr: always,
// never, or (auto) when stderr is a terminal.
func useProgress(mode string, stderr io.Writer) bool {
	switch mode {
	case progressAlways:
		return true
	case progressNever:
		return false
	}
	return isTerminal(stderr)
}

// progress keeps a line on stderr up to date with the pairs checked, the
// bytes read and the findings so far. Its methods do nothing on a nil
// *progress. add and finish must be called from one goroutine; read may grow
// on another.
type progress struct {
	w       io.Writer
	read    atomic.Int64 // bytes of the recordings read so far
	start   time.Time
	last    time.Time // of the last refresh
	now     func() time.Time
	summary report.Summary
	shown   bool // the line is on the screen, so that other output must clear it
}

// newProgress starts a progress line on w.
func newProgress(w io.Writer, now func() time.Time) *progress {
	t := now()
	return &progress{w: w, start: t, last: t, now: now}
}

// bytesRead is the counter the readers add to; nil for a nil progress.
func (p *progress) bytesRead() *atomic.Int64 {
	if p == nil {
		return nil
	}
	return &p.read
}

// add counts a pair and refreshes the line when it is due.
func (p *progress) add(pair report.Pair) {
	if p == nil {
		return
	}
	p.summary.Add(pair)
	if p.summary.Pairs%64 != 0 {
		return
	}
	if t := p.now(); t.Sub(p.last) >= progressInterval {
		p.last = t
		p.draw("")
	}
}

// finish draws the line one last time and ends it.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.draw("\n")
	p.shown = false
}

// draw writes the line, then end.
func (p *progress) draw(end string) {
	seconds := max(p.now().Sub(p.start).Seconds(), 1e-9)
	mb := float64(p.read.Load()) / 1e6
	fmt.Fprintf(p.w, "%scontractcheck: %d pairs, %.1f MB, %.1f MB/s, %d findings, %d failed%s",
		clearLine, p.summary.Pairs, mb, mb/seconds, p.summary.Errors+p.summary.Warnings, p.summary.Failed, end)
	p.shown = true
}

// writer returns w wrapped so that what is written through it first clears
// the progress line; w itself for a nil progress.
func (p *progress) writer(w io.Writer) io.Writer {
	if p == nil {
		return w
	}
	return progressClearer{p: p, w: w}
}

// progressClearer clears the progress line before each write.
type progressClearer struct {
	p *progress
	w io.Writer
}

// Write clears the line, if it is shown, and writes b.
func (c progressClearer) Write(b []byte) (int, error) {
	if c.p.shown {
		if _, err := io.WriteString(c.w, clearLine); err != nil {
			return 0, err
		}
		c.p.shown = false
	}
	return c.w.Write(b)
}
