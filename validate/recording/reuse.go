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
