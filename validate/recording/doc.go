// Package recording reads recorded HTTP traffic into [validate.Exchange] values
// and writes exchanges back out. It knows nothing of contracts: it turns bytes
// into exchanges, and a [validate.Plan] checks them.
//
// [Read] takes a recording in any of three formats:
//
//   - HAR 1.2 (HTTP Archive), as browsers, proxies and [HARWriter] write it.
//     The file is streamed entry by entry, so it may be larger than memory.
//   - NDJSON, this package's own line format, described below, as
//     [NDJSONWriter] writes it.
//   - go-vcr cassettes, the YAML files Go test suites keep their recorded
//     HTTP interactions in, described below.
//
// It tells them apart by content, within the first 64 KiB: a JSON object
// with the key "log" is a HAR, one with "request" or "response" NDJSON; YAML
// with the top-level keys "version" and "interactions" a cassette.
//
// [Frames] does the same reading in two steps, so that entries can be decoded
// on several goroutines while one reads the recording in order: it finds
// each entry in the stream (a [Frame], cheap), and [Frame.Decode] decodes it.
// [Frame.DecodeInto] decodes it into a [Scratch] whose memory (the exchange,
// its header maps, its bodies) the next entry reuses, for a consumer that is
// done with an exchange before it decodes the next.
// [Batches] frames a recording that can also be read by offset (a regular
// file) without copying its entries: it yields batches of consecutive
// entries, and [Batch.Read] reads each batch's text with one ReadAt on the
// goroutine that decodes it.
// [NDJSONRange] frames the lines of a byte range of an NDJSON recording, with
// the entries and lines of the whole, so that one recording can be read in
// parts on several machines ([IsNDJSON] tells whether it can).
//
// Every exchange Read yields carries its Source (the name given to Read), its
// 0-based Entry index and the 1-based Line where it starts. Every problem is an
// [*EntryError] that says where it is, down to the field. A bad entry does not
// stop the reading; a file that cannot be read on does.
//
// # The NDJSON format
//
// An NDJSON recording is UTF-8 text holding one exchange per line. A byte
// order mark at the start is ignored. Lines end with "\n" (a "\r" before it is
// allowed); the last line may end without one. A line holding only white space
// is skipped, but still counts: the exchange on line n (1-based) has the entry
// index n-1. A line may be at most [MaxEntryBytes] long, not counting its end.
//
// Every other line is one JSON object, such as (wrapped here, on one line in a
// file):
//
//	{"request":{"method":"POST",
//	  "url":"https://conversations.twilio.com/v1/Conversations/CH00000000000000000000000000000000/Webhooks",
//	  "headers":{"Content-Type":"application/x-www-form-urlencoded","Authorization":"Basic QUM6c2VjcmV0"},
//	  "body":"Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com"},
//	 "response":{"status":201,
//	  "headers":{"Content-Type":["application/json"]},
//	  "body":"{\"sid\":\"WH00000000000000000000000000000000\"}"}}
//
// The object has these fields; a field of any other name, at any level
// outside "headers", is an error, so that a misspelt field is reported rather
// than ignored. (As with encoding/json, the case of a field name does not
// matter; writers should use the names as given here.)
//
//	request            object, required
//	  method           string, required: the request method, such as "POST"
//	  url              string, required: an absolute URL, or an origin-form
//	                   target such as "/v1/Conversations/CH…/Webhooks"
//	  headers          object, optional: header name to value, where a value
//	                   is a string or an array of strings (one per field line,
//	                   in order; an empty array is no header). Names may be in
//	                   any case, but a name may not come twice in different
//	                   cases. Names starting with ":" (HTTP/2 pseudo-headers)
//	                   are ignored.
//	  body             string, optional: the body, as text
//	  body_base64      string, optional: the body in standard base64 with
//	                   padding (RFC 4648, section 4), for a body that is not
//	                   UTF-8 text. At most one of body and body_base64 is set;
//	                   neither means an empty body.
//	response           object, required
//	  status           integer, required: the status code, 100 to 999
//	  headers          as for the request
//	  body             as for the request
//	  body_base64      as for the request
//
// Bodies are as sent on the wire after any transfer and content encoding has
// been undone. [NDJSONWriter] writes a header with one value as a string and
// one with several as an array, names in sorted order, and a body as "body"
// when it is valid UTF-8 and as "body_base64" otherwise.
//
// # HAR
//
// Of a HAR 1.2 file, Read takes log.entries and skips everything else (the
// creator, pages, other top-level keys). From each entry it takes
// request.method, request.url, request.headers, request.postData (text, or
// params rebuilt as an application/x-www-form-urlencoded body), response.status,
// response.headers and response.content (text, decoded when its encoding is
// "base64"). A postData with "encoding": "base64", which HAR 1.2 does not define
// but several tools and [HARWriter] write for binary bodies, is decoded too.
// HTTP/2 pseudo-headers are skipped. When a body has no Content-Type header, the
// postData or content mimeType stands in for it.
//
// # go-vcr cassettes
//
// A cassette of gopkg.in/dnaeon/go-vcr is a YAML mapping of "version" and
// "interactions". Version 1 is what go-vcr v1 and v2 write, version 2 what
// v3 and v4 write; both are read with go-vcr v4's cassette types. Each
// interaction is an entry: its index in interactions is the Entry, the line of
// its first key the Line. Of it, Read takes request.method, request.url,
// request.headers, request.body (or, when there is no body, request.form,
// less the URL's query parameters, as a form-encoded body with its keys in
// sorted order), response.code, response.headers and response.body. YAML
// cannot be streamed: a cassette is read whole, and may be at most
// [MaxEntryBytes] long.
package recording
