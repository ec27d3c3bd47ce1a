package validate

import (
	"fmt"
	"net/textproto"
	"net/url"
	"sort"
	"strings"
)

// segment is one segment of a path template: a literal, or a parameter.
type segment struct {
	lit   string
	param string // the parameter's name when the segment is "{name}"
}

// parseTemplate splits a path template such as
// "/v1/Conversations/{ConversationSid}/Webhooks" into segments. A segment is
// either literal or one whole parameter.
func parseTemplate(t string) ([]segment, error) {
	if !strings.HasPrefix(t, "/") {
		return nil, fmt.Errorf("a path template must start with /")
	}
	parts := strings.Split(t[1:], "/")
	segs := make([]segment, len(parts))
	for i, p := range parts {
		open, close := strings.IndexByte(p, '{'), strings.IndexByte(p, '}')
		switch {
		case open < 0 && close < 0:
			segs[i] = segment{lit: p}
		case open == 0 && close == len(p)-1 && len(p) > 2:
			segs[i] = segment{param: p[1 : len(p)-1]}
		default:
			return nil, fmt.Errorf("segment %q: a parameter must be a whole segment, such as {Sid}", p)
		}
	}
	return segs, nil
}

// router finds the operation of a request.
type router struct {
	bases []string                // server base paths; "" first
	ops   map[string][]*operation // by method, most literal first
	all   []*operation
}

func newRouter(ops []*operation, bases []string) router {
	r := router{bases: bases, ops: map[string][]*operation{}, all: ops}
	for _, op := range ops {
		r.ops[op.method] = append(r.ops[op.method], op)
	}
	for _, list := range r.ops {
		sort.SliceStable(list, func(i, j int) bool { return moreLiteral(list[i].segs, list[j].segs) })
	}
	return r
}

// moreLiteral orders templates so that at the first segment where they
// differ, a literal comes before a parameter.
func moreLiteral(a, b []segment) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if (a[i].param == "") != (b[i].param == "") {
			return a[i].param == ""
		}
	}
	return false
}

// match finds the operation for a method and an escaped path, and the values
// of its path parameters, unescaped, in template order. When none matches it
// returns a reason.
func (r *router) match(method, path string) (*operation, []string, string) {
	for _, base := range r.bases {
		p := path
		if base != "" {
			if !strings.HasPrefix(path, base+"/") {
				continue
			}
			p = path[len(base):]
		}
		for _, op := range r.ops[method] {
			if vals, ok := matchSegments(op.segs, p); ok {
				return op, vals, ""
			}
		}
	}
	var methods []string
	for _, op := range r.all {
		for _, base := range r.bases {
			p := strings.TrimPrefix(path, base)
			if _, ok := matchSegments(op.segs, p); ok && (base == "" || p != path) {
				methods = append(methods, op.method)
				break
			}
		}
	}
	if len(methods) > 0 {
		return nil, nil, fmt.Sprintf("the contract describes %s %s but not %s", strings.Join(methods, ", "), path, method)
	}
	return nil, nil, fmt.Sprintf("the contract describes no operation at %s", path)
}

// matchSegments matches an escaped path against a template's segments.
func matchSegments(segs []segment, path string) ([]string, bool) {
	if !strings.HasPrefix(path, "/") {
		return nil, false
	}
	rest := path[1:]
	var vals []string
	for i, s := range segs {
		var part string
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			if i == len(segs)-1 {
				return nil, false
			}
			part, rest = rest[:j], rest[j+1:]
		} else {
			if i != len(segs)-1 {
				return nil, false
			}
			part, rest = rest, ""
		}
		if s.param == "" {
			if part != s.lit {
				return nil, false
			}
			continue
		}
		if part == "" {
			return nil, false
		}
		v, err := url.PathUnescape(part)
		if err != nil {
			v = part
		}
		vals = append(vals, v)
	}
	return vals, true
}

// requestPath returns the escaped path of a recorded request target: an
// absolute URL or an origin-form path and query.
func requestPath(target string) string {
	if i := strings.Index(target, "://"); i >= 0 {
		rest := target[i+3:]
		j := indexAnyOf(rest, "/?#")
		if j < 0 || rest[j] != '/' {
			return "/"
		}
		target = rest[j:]
	}
	if i := indexAnyOf(target, "?#"); i >= 0 {
		target = target[:i]
	}
	if target == "" {
		return "/"
	}
	return target
}

// indexAnyOf is strings.IndexAny for a few ASCII characters, without
// building a set on every call.
func indexAnyOf(s, chars string) int {
	first := -1
	for i := 0; i < len(chars); i++ {
		if j := strings.IndexByte(s, chars[i]); j >= 0 {
			first, s = j, s[:j]
		}
	}
	return first
}

// requestQuery returns the raw query of a recorded request target.
func requestQuery(target string) string {
	i := strings.IndexByte(target, '?')
	if i < 0 {
		return ""
	}
	q := target[i+1:]
	if j := strings.IndexByte(q, '#'); j >= 0 {
		q = q[:j]
	}
	return q
}

func canonicalHeader(name string) string {
	return textproto.CanonicalMIMEHeaderKey(name)
}
