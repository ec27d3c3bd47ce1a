package recording

import (
	"net/http"
	"sync"

	"github.com/contractcheck/contractcheck/validate"
)

// headerPool recycles the header maps of exchanges given back with
// [ReleaseExchange], emptied: a map keeps the room it grew to, so that the
// next exchange's headers cost no allocation.
var headerPool sync.Pool

// maxPooledHeader is the most names a header map given back may have held:
// a larger one is left to the garbage collector.
const maxPooledHeader = 64

// newHeader returns an empty header map for about n names: one given back,
// or a new one.
func newHeader(n int) http.Header {
	if h, ok := headerPool.Get().(http.Header); ok {
		return h
	}
	return make(http.Header, n)
}

// ReleaseExchange gives the header maps of ex, an exchange that [Frame.Decode]
// or [Read] made, back for reuse by the exchanges decoded after it. Call it
// only once nothing refers to ex's header maps any more (its header values,
// strings, may be kept); ex must not be used after. It is optional: an
// exchange not given back is collected as garbage.
func ReleaseExchange(ex *validate.Exchange) {
	if ex == nil {
		return
	}
	for _, h := range []http.Header{ex.Request.Header, ex.Response.Header} {
		if h != nil && len(h) <= maxPooledHeader {
			clear(h)
			headerPool.Put(h)
		}
	}
	ex.Request.Header, ex.Response.Header = nil, nil
}

// Scratch is memory that entries are decoded into one after the other
// ([Frame.DecodeInto]), so that an audit of many entries does not allocate an
// exchange, its header maps and its bodies for each: the exchange, its two
// header maps (emptied and filled again), the slices of their values and the
// bodies' buffers are the scratch's, reused by the next entry decoded into
// it. The strings of an exchange (its method, URL, header names and values)
// are never reused: they may be kept. Nothing may change the exchange's
// header maps: when the next entry has the same header names in the same
// order, its values are written over those of the entry before, in place.
// A Scratch is not safe for concurrent use; its zero value is ready to use.
type Scratch struct {
	ex                    validate.Exchange
	reqHeader, respHeader http.Header
	reqBody, respBody     []byte

	// For each half of the exchange (requestHalf, responseHalf): the
	// slices of the header's values, one a field; the canonical keys of
	// the fields, in order ("" for one the header leaves out); how many
	// names the header had once filled; and whether it holds exactly
	// those fields' values, so that the next entry's may be written over
	// them.
	values   [2][]string
	keys     [2][]string
	names    [2]int
	refillOK [2]bool
}

// maxScratchBody is the largest body buffer a scratch keeps for the next
// entry; a larger one is left to the garbage collector once the entry is
// done.
const maxScratchBody = 256 << 10

// reset readies s for the next entry: nothing may refer any more to what the
// entry before put in it. It drops what grew too large to keep.
func (s *Scratch) reset() {
	s.ex = validate.Exchange{}
	for half, h := range []*http.Header{&s.reqHeader, &s.respHeader} {
		if len(*h) > maxPooledHeader || cap(s.values[half]) > maxPooledScratch {
			*h, s.values[half], s.keys[half], s.refillOK[half] = nil, nil, nil, false
		}
	}
	if cap(s.reqBody) > maxScratchBody {
		s.reqBody = nil
	}
	if cap(s.respBody) > maxScratchBody {
		s.respBody = nil
	}
	s.reqBody, s.respBody = s.reqBody[:0], s.respBody[:0]
}

// refillable is a header field as a decoder gives it (a HAR name-value
// pair, a name of an NDJSON line's header object): one returns its
// canonical header key and its value, and whether the field is one name
// with one value whose key the decoder knew (only such a field can be
// written over another in place).
type refillable interface {
	harNV | headerField
	one() (key, value string, ok bool)
}

// one returns the pair's canonical key, known to the decoder, and its
// value.
func (f harNV) one() (key, value string, ok bool) {
	return f.key, f.Value, f.key != ""
}

// one returns the field's canonical key, known to the decoder, and its
// value, when the fast decoder gave it as one string.
func (f headerField) one() (key, value string, ok bool) {
	return f.key, f.single, f.key != "" && !f.decoded && f.multi == nil
}

// refill writes the values of fields over those of the header of half of
// s's exchange, and reports whether it could: the header holds exactly the
// fields of the entry before, and fields have the same canonical keys in
// the same order, each one value whose key the decoder knew. It makes
// no map operation.
func refill[F refillable](s *Scratch, half int, fields []F) (http.Header, bool) {
	h := s.reqHeader
	if half == responseHalf {
		h = s.respHeader
	}
	keys, values := s.keys[half], s.values[half]
	if !s.refillOK[half] || len(keys) != len(fields) || len(h) != s.names[half] {
		return nil, false
	}
	for i, f := range fields {
		if key, _, ok := f.one(); !ok || key != keys[i] {
			return nil, false
		}
	}
	for i, f := range fields {
		_, values[i], _ = f.one()
	}
	return h, true
}

// startFill empties the header of half of the exchange, made when nil, for
// the n fields of an entry, and returns it with n empty strings for the
// fields' first values and n for their canonical keys (what finishFill
// needs to let the next entry refill the header).
func (s *Scratch) startFill(half, n int) (http.Header, []string, []string) {
	h := &s.reqHeader
	if half == responseHalf {
		h = &s.respHeader
	}
	if *h == nil {
		*h = make(http.Header, n)
	}
	clear(*h)
	s.refillOK[half] = false
	if cap(s.values[half]) < n {
		s.values[half], s.keys[half] = make([]string, n), make([]string, n)
	}
	s.values[half], s.keys[half] = s.values[half][:n], s.keys[half][:n]
	clear(s.values[half])
	clear(s.keys[half])
	return *h, s.values[half], s.keys[half]
}

// changed records that the header of half of the exchange was changed
// after it was filled (a Content-Type set where the entry had none, or an
// empty one), so that the next entry must fill it anew. s may be nil.
func (s *Scratch) changed(half int) {
	if s != nil {
		s.refillOK[half] = false
	}
}

// finishFill records that the header of half of the exchange holds the
// fields startFill was given, and no other: the next entry may refill it,
// unless a name was given twice (repeated).
func (s *Scratch) finishFill(half int, h http.Header, repeated bool) {
	s.names[half], s.refillOK[half] = len(h), !repeated
}
