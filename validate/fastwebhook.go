package validate

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"strings"
	"time"
	"unsafe"
)

// sbytes views a string's bytes without copying; they must not be written.
func sbytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// wordsClean reports whether checkWords would find nothing in a scanned
// form: the Configuration.Url is a plain absolute URL, and the fields the
// Target needs are set.
func (wp *webhookPlan) wordsClean(fs *formScan) bool {
	if u, ok := fs.first(fs.named(fieldURL)); ok && !isPlainAbsoluteURL(u) {
		return false // maybe not absolute: the full path says
	}
	target, _ := fs.first(fs.named(fieldTarget))
	need := func(field string) bool {
		_, documented := wp.fields[field]
		return !documented || fs.count(fs.named(field)) > 0
	}
	switch string(target) {
	case "studio":
		return need(fieldFlowSid)
	case "webhook":
		return need(fieldURL)
	case "trigger":
		return need(fieldURL) && need(fieldTriggers)
	}
	return true
}

// pairClean reports whether checkPair would find nothing: the response
// names the request's conversation, target, configuration and account, its
// url is the new webhook's address and its dates are in order.
func (st *fastState) pairClean(c *checker, wp *webhookPlan, formOK bool) bool {
	sc := &st.sc
	pathConv, _ := c.pathValue(pathConversation)
	convIsSID := isSID(sbytes(pathConv), wp.convPrefix)
	respConv, _ := sc.text(st.prop(propConversation))
	if convIsSID && len(respConv) > 0 && string(respConv) != pathConv {
		return false
	}
	if formOK {
		fs := &st.form
		if target, ok := sc.text(st.prop(propTarget)); ok {
			if sent, ok := fs.first(fs.named(fieldTarget)); ok && !bytes.Equal(target, sent) {
				return false
			}
		}
		if !st.configurationClean(fs) {
			return false
		}
	}
	if !st.urlClean(c, pathConv, convIsSID, respConv) {
		return false
	}
	if !st.datesClean() {
		return false
	}
	var buf [128]byte
	user, ok := basicUserBytes(first(c.ex.Request.Header["Authorization"]), buf[:])
	if !ok {
		return false
	}
	if isSID(user, wp.accountPrefix) {
		if acct, ok := sc.text(st.prop(propAccount)); ok && !bytes.Equal(acct, user) {
			return false
		}
	}
	return true
}

// configurationClean is checkConfiguration: every configuration field the
// request set is stated back alike, or not at all.
func (st *fastState) configurationClean(fs *formScan) bool {
	sc := &st.sc
	cfg := st.prop(propConfiguration)
	if k := cfg.kind(); k == 0 || k == 'n' {
		return true
	}
	var echoed [8]jsonValue // the last occurrence of each property
	if len(configEcho) > len(echoed) {
		return false
	}
	isObject := sc.members(cfg, func(key []byte, val jsonValue) bool {
		for k, e := range configEcho {
			if string(key) == e.prop {
				echoed[k] = val
			}
		}
		return true
	})
	for k, e := range configEcho {
		field := fs.named(e.field)
		sent, ok := fs.first(field)
		if !ok {
			continue
		}
		if !isObject {
			return false
		}
		got := echoed[k]
		if k := got.kind(); k == 0 || k == 'n' {
			continue
		}
		var same bool
		switch e.field {
		case fieldURL, fieldFlowSid:
			s, ok := sc.text(got)
			same = ok && bytes.Equal(s, sent)
		case fieldMethod:
			s, ok := sc.text(got)
			same = ok && bytes.EqualFold(s, sent)
		case fieldFilters, fieldTriggers:
			same = st.sameSet(field, got)
		case fieldReplayAfter:
			other := []byte(got)
			if s, ok := sc.text(got); ok {
				other = s
			} else if !got.isNumber() {
				return false
			}
			same = numbersEqual(bstr(sent), bstr(other))
		default:
			return false // a field this fast path does not know
		}
		if !same {
			return false
		}
	}
	return true
}

// sameSet is sameSet over the scanned form and a recorded array: the same
// strings, as many times each, in any order.
func (st *fastState) sameSet(field int, got jsonValue) bool {
	fs, sc := &st.form, &st.sc
	var elems [16][]byte
	n, ok := 0, true
	isArray := sc.elements(got, func(v jsonValue) bool {
		var s []byte
		if s, ok = sc.text(v); ok && n < len(elems) {
			elems[n] = s
		}
		n++
		return ok && n <= len(elems)
	})
	if !isArray || !ok || n > len(elems) || n != fs.count(field) {
		return false
	}
	// Each distinct sent value occurs as often in the response.
	for i, p := range fs.pairs {
		if p.field != field || fs.seenBefore(i, field, p.val) {
			continue
		}
		want, have := 0, 0
		for _, q := range fs.pairs[i:] {
			if q.field == field && bytes.Equal(q.val, p.val) {
				want++
			}
		}
		for _, e := range elems[:n] {
			if bytes.Equal(e, p.val) {
				have++
			}
		}
		if have != want {
			return false
		}
	}
	return true
}

// seenBefore reports whether a field's value occurs before pair i.
func (fs *formScan) seenBefore(i, field int, val []byte) bool {
	for _, q := range fs.pairs[:i] {
		if q.field == field && bytes.Equal(q.val, val) {
			return true
		}
	}
	return false
}

// urlClean is checkURL: the response's url ends in the request's path and
// the new webhook's sid. A url that is not plain is left to the full path.
func (st *fastState) urlClean(c *checker, pathConv string, convIsSID bool, respConv []byte) bool {
	sc := &st.sc
	raw, ok1 := sc.text(st.prop(propURL))
	sid, ok2 := sc.text(st.prop(propSID))
	if !ok1 || !ok2 || len(sid) == 0 {
		return true
	}
	if !isPlainAbsoluteURL(raw) {
		return false
	}
	conv := sbytes(pathConv)
	if !convIsSID {
		if len(respConv) == 0 {
			return true
		}
		conv = respConv
	}
	// want is the path with its first "/<escaped conv>/" replaced by
	// "/conv/", then "/" + sid; the url's path must end in it. Compare it
	// part by part, from the end.
	path := requestPath(c.ex.Request.URL)
	esc := url.PathEscape(pathConv)
	parts := [7][]byte{sid, slash, sbytes(path)}
	n := 3
	for k := 0; k+len(esc)+2 <= len(path); k++ {
		if path[k] == '/' && strings.HasPrefix(path[k+1:], esc) && path[k+1+len(esc)] == '/' {
			parts = [7][]byte{sid, slash, sbytes(path[k+2+len(esc):]), slash, conv, slash, sbytes(path[:k])}
			n = 7
			break
		}
	}
	ep := urlPath(raw)
	for _, part := range parts[:n] {
		if !bytes.HasSuffix(ep, part) {
			return false
		}
		ep = ep[:len(ep)-len(part)]
	}
	return true
}

var slash, colon, colonSlashes = []byte{'/'}, []byte{':'}, []byte("://")

// urlPath returns the path of a plain absolute URL.
func urlPath(u []byte) []byte {
	rest := u[bytes.Index(u, colonSlashes)+3:]
	i := bytes.IndexByte(rest, '/')
	if i < 0 {
		return nil
	}
	rest = rest[i:]
	if j := bytes.IndexByte(rest, '?'); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// datesClean is checkDates: date_updated is not before date_created.
func (st *fastState) datesClean() bool {
	cs, ok1 := st.sc.text(st.prop(propDateCreated))
	us, ok2 := st.sc.text(st.prop(propDateUpdated))
	if !ok1 || !ok2 {
		return true
	}
	if len(cs) == 20 && len(us) == 20 && cs[19] == 'Z' && us[19] == 'Z' && isPlainDateTime(cs) && isPlainDateTime(us) {
		// The same layout in UTC: the text orders as the time.
		return bytes.Compare(us, cs) >= 0
	}
	created, err1 := time.Parse(time.RFC3339Nano, bstr(cs))
	updated, err2 := time.Parse(time.RFC3339Nano, bstr(us))
	return err1 != nil || err2 != nil || !updated.Before(created)
}

// basicUserBytes is basicUser, decoding into buf; ok is false when buf is too
// small.
func basicUserBytes(auth string, buf []byte) (user []byte, ok bool) {
	scheme, cred, found := splitCredentials(auth)
	if !found || !strings.EqualFold(scheme, "Basic") {
		return nil, true
	}
	if base64.StdEncoding.DecodedLen(len(cred)) > len(buf) {
		return nil, false
	}
	n, err := base64.StdEncoding.Decode(buf, sbytes(cred))
	if err != nil {
		return nil, true
	}
	user, _, _ = bytes.Cut(buf[:n], colon)
	return user, true
}
