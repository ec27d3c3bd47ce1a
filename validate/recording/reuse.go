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
// are never reused: they may be kept. A Scratch is not safe for concurrent
// use; its zero value is ready to use.
type Scratch struct {
	ex                    validate.Exchange
	reqHeader, respHeader http.Header
	values                []string // the header values' slices, one a field
	reqBody, respBody     []byte
}

// maxScratchBody is the largest body buffer a scratch keeps for the next
// entry; a larger one is left to the garbage collector once the entry is
// done.
const maxScratchBody = 256 << 10

// reset readies s for the next entry: nothing may refer any more to what the
// entry before put in it. It drops what grew too large to keep.
func (s *Scratch) reset() {
	s.ex = validate.Exchange{}
	if len(s.reqHeader) > maxPooledHeader {
		s.reqHeader = nil
	}
	if len(s.respHeader) > maxPooledHeader {
		s.respHeader = nil
	}
	clear(s.reqHeader)
	clear(s.respHeader)
	if cap(s.values) > maxPooledScratch {
		s.values = nil
	}
	clear(s.values)
	s.values = s.values[:0]
	if cap(s.reqBody) > maxScratchBody {
		s.reqBody = nil
	}
	if cap(s.respBody) > maxScratchBody {
		s.respBody = nil
	}
	s.reqBody, s.respBody = s.reqBody[:0], s.respBody[:0]
}

// header returns the scratch's header map h, made when nil, for n names.
func (s *Scratch) header(h *http.Header, n int) http.Header {
	if *h == nil {
		*h = make(http.Header, n)
	}
	return *h
}

// headerValues returns n empty strings for the first values of a header's
// fields, from the scratch's slice.
func (s *Scratch) headerValues(n int) []string {
	k := len(s.values)
	if cap(s.values)-k < n {
		// A new array: the old one still backs the header fields of the
		// other half of the exchange.
		s.values = make([]string, k, max(2*cap(s.values), k+n, 32))
	}
	s.values = s.values[:k+n]
	return s.values[k : k+n : k+n]
}
