package check

import (
	"strings"
	"sync"

	"github.com/contractcheck/contractcheck/validate/internal/compiled"
	"github.com/contractcheck/contractcheck/validate/internal/gate"
	"github.com/contractcheck/contractcheck/validate/internal/route"
)

// The gate answers one question about an exchange: would the full check
// find nothing at all? It reads the bodies in place with the schemas
// compiled into gate.Schemas at Load (jsonschema/v5 stays the authority on
// every schema finding: the gate only ever says "valid" for sure), and runs
// the rules that read the scanned form and response in gate mode, where a
// rule that fails builds no finding. It says "clean" only when it is sure;
// for anything else the exchange takes the full path, which produces every
// finding.

// pairScan is the scanned form and response of one check, reused through a
// pool so that a clean check allocates nothing for it.
type pairScan struct {
	sc        gate.Scanner
	form      formScan
	got       [len(webhookProps)]gate.Span
	propsDone bool                    // got holds the response's properties, read whole
	pathVals  [route.MaxValues]string // room for the path parameters' values
	ex        Exchange                // the exchange checked

	// c is the checker of the check. It lives here, pooled, because an
	// operation's own rules take it through an interface, which would
	// otherwise move it to the heap on every check.
	c checker
}

var pairScans = sync.Pool{New: func() any { return new(pairScan) }}

// maxPooledBuffer bounds the scratch a pooled pairScan keeps between
// checks, so that one huge body does not pin its memory.
const maxPooledBuffer = 64 << 10

// release returns the state to the pool, without its references to the
// exchange.
func (st *pairScan) release() {
	st.sc.Buf, st.form.r.Buf = st.sc.Buf[:0], st.form.r.Buf[:0]
	if cap(st.sc.Buf) > maxPooledBuffer {
		st.sc.Buf = nil
	}
	if cap(st.form.r.Buf) > maxPooledBuffer {
		st.form.r.Buf = nil
	}
	if cap(st.form.pairs) > maxPooledBuffer/16 {
		st.form.pairs = nil
	}
	clear(st.form.pairs)
	st.form.pairs = st.form.pairs[:0]
	st.sc.Doc, st.form.plan = nil, nil
	st.form.r.Reset(nil)
	st.form.complete, st.propsDone = false, false
	clear(st.pathVals[:])
	st.ex = Exchange{}
	st.c = checker{}
	pairScans.Put(st)
}

// webhookProps are the response properties the webhook's pair rules read.
var webhookProps = [...]string{"conversation_sid", "target", "configuration", "url", "sid", "date_created", "date_updated", "account_sid"}

// Indexes of webhookProps, as pairScan.prop takes them.
const (
	propConversation = iota
	propTarget
	propConfiguration
	propURL
	propSID
	propDateCreated
	propDateUpdated
	propAccount
)

// Gate reports whether checking the exchange against op finds nothing;
// false means "not sure": the caller runs the full check. Tests use it to
// prove that the gate never calls a failing pair clean.
func (p *Plan) Gate(op *compiled.Operation, pathVals []string, ex Exchange, withResponse bool) bool {
	st := pairScans.Get().(*pairScan)
	defer st.release()
	st.ex = ex
	c := checker{p: p, op: op, ex: &st.ex, pathVals: pathVals, scan: st}
	return c.gate(withResponse)
}

// gate reports whether the full check of c's exchange would find nothing;
// false means "not sure". It leaves c as a gate: run a new checker after it.
func (c *checker) gate(withResponse bool) bool {
	c.gating = true
	c.run(withResponse)
	return !c.failed
}

// judge scans a JSON body with its media type's fast schema and reports
// whether it is sure the body is valid. props records the properties the
// webhook's pair rules read; listed makes a left-out listed property unsure.
func (st *pairScan) judge(mp *compiled.Media, body []byte, props, listed bool) bool {
	if mp.Schema != nil && mp.Fast == nil {
		return false
	}
	st.sc.Want, st.sc.Got = nil, nil
	if props {
		st.sc.Want, st.sc.Got = webhookProps[:], st.got[:]
	}
	st.sc.Listed = listed
	v, ok := st.sc.ScanJSON(mp.Fast, body)
	st.sc.Listed = false
	st.propsDone = props && ok
	return ok && v == gate.Valid
}

// firstNonSpace returns the first byte of b that is not JSON whitespace, or 0.
func firstNonSpace(b []byte) byte {
	for _, c := range b {
		if !gate.JSONSpace[c] {
			return c
		}
	}
	return 0
}

// exactMedia finds the documented media type of a Content-Type exactly, as
// matchMedia's first pass does; nil when it is not found that way.
func exactMedia(media []*compiled.Media, ct string) *compiled.Media {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	for i := 0; i < len(ct); i++ {
		if ct[i] >= 0x80 {
			return nil // strings.TrimSpace would also trim Unicode spaces
		}
	}
	for len(ct) > 0 && asciiSpace[ct[0]] {
		ct = ct[1:]
	}
	for len(ct) > 0 && asciiSpace[ct[len(ct)-1]] {
		ct = ct[:len(ct)-1]
	}
	if ct == "" {
		return nil
	}
	for _, m := range media {
		if asciiEqualFold(m.MediaType, ct) {
			return m
		}
	}
	return nil
}

// asciiSpace marks the ASCII bytes strings.TrimSpace trims.
var asciiSpace = [256]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}

// asciiEqualFold compares ASCII strings regardless of case.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// recordProps records the top-level properties of a well-formed JSON
// response body that the webhook's pair rules read, for the full path.
func (st *pairScan) recordProps(body []byte) {
	if st.propsDone {
		return // the gate read the whole body
	}
	st.sc.Want, st.sc.Got, st.sc.Deep = webhookProps[:], st.got[:], true
	st.sc.ScanJSON(nil, body)
	st.sc.Deep = false
}

// prop returns a recorded top-level property of the response.
func (st *pairScan) prop(k int) gate.Value {
	sp := st.got[k]
	return st.sc.At(sp)
}
