// Package coverage tells what recorded traffic covered of a contract: per
// operation, the documented statuses seen, each request field seen and each
// of its enum values, each field of the success response seen not null, the
// CORS shapes seen (none, wildcard, echoed origin, with credentials), and the
// rules exercised. Each item is covered or not; an operation has a
// percentage, and so has the whole. Coverage of several runs (CI shards, go
// test packages) merges into the coverage of all of them.
package coverage

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/contractcheck/contractcheck/validate"
)

// The kinds of items.
const (
	KindStatus   = "status"         // a documented status, such as "201"
	KindField    = "request.field"  // a request body field
	KindEnum     = "request.enum"   // a value of an enum field, such as "Target=studio"
	KindResponse = "response.field" // a success response field seen not null
	KindCORS     = "cors"           // a CORS shape
	KindRule     = "rule"           // a rule exercised
)

// The CORS shapes of a response.
const (
	CORSNone        = "none"        // no Access-Control-Allow-Origin
	CORSWildcard    = "wildcard"    // Access-Control-Allow-Origin: *
	CORSEchoed      = "echoed"      // the request's Origin, echoed
	CORSCredentials = "credentials" // Access-Control-Allow-Credentials: true
)

// corsShapes are the CORS shapes, in the order listed.
var corsShapes = []string{CORSNone, CORSWildcard, CORSEchoed, CORSCredentials}

// Item is one thing the traffic may cover.
type Item struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Pairs counts the pairs that covered it; it is covered when not 0.
	Pairs int `json:"pairs"`
}

// Covered reports whether a pair covered the item.
func (i Item) Covered() bool { return i.Pairs > 0 }

// Operation is the coverage of one operation.
type Operation struct {
	Operation string  `json:"operation"`
	Pairs     int     `json:"pairs"`
	Covered   int     `json:"covered"`
	Total     int     `json:"total"`
	Percent   float64 `json:"percent"`
	Items     []Item  `json:"items"`
}

// Report is the coverage of a contract by traffic: the operations the traffic
// used (NotUsed lists the others), and the percentage of all their items.
type Report struct {
	Contract   string      `json:"contract"`
	Covered    int         `json:"covered"`
	Total      int         `json:"total"`
	Percent    float64     `json:"percent"`
	Operations []Operation `json:"operations"`
	NotUsed    []string    `json:"not_used,omitempty"`
}

// Recorder counts what exchanges cover. It is safe for concurrent use.
type Recorder struct {
	contract string
	model    map[string]*opModel
	mu       sync.Mutex
	ops      map[string]*Operation
	index    map[string]map[string]int // operation -> kind+name -> index in Items
}

// NewRecorder returns a Recorder of the contract file, whose document is
// doc (load it with [validate.Load] first, which refuses what cannot be
// read safely).
func NewRecorder(file string, doc []byte) (*Recorder, error) {
	m, err := readModel(doc)
	if err != nil {
		return nil, fmt.Errorf("reading the operations of %s for coverage: %w", file, err)
	}
	return &Recorder{contract: file, model: m, ops: map[string]*Operation{}, index: map[string]map[string]int{}}, nil
}

// rulesCovered are the rules of the catalogue that coverage lists: those
// about the traffic of an operation.
func rulesCovered() []string {
	var out []string
	for _, r := range validate.Rules() {
		if r.ID != validate.RuleUnmatched {
			out = append(out, r.ID)
		}
	}
	return out
}

// operation returns the coverage of id, made with its items when missing;
// call with r.mu held.
func (r *Recorder) operation(id string) *Operation {
	if op := r.ops[id]; op != nil {
		return op
	}
	op := &Operation{Operation: id}
	m := r.model[id]
	if m == nil {
		m = &opModel{id: id}
	}
	add := func(kind string, names ...string) {
		for _, n := range names {
			op.Items = append(op.Items, Item{Kind: kind, Name: n})
		}
	}
	add(KindStatus, m.statuses...)
	add(KindField, m.fields...)
	for _, f := range m.fields {
		for _, v := range m.enums[f] {
			add(KindEnum, f+"="+v)
		}
	}
	add(KindResponse, m.response...)
	add(KindCORS, corsShapes...)
	add(KindRule, rulesCovered()...)
	idx := map[string]int{}
	for i, it := range op.Items {
		idx[it.Kind+"\x00"+it.Name] = i
	}
	r.ops[id], r.index[id] = op, idx
	return op
}

// Add counts what ex, checked with the result res, covers. An exchange that
// no operation matched covers nothing.
func (r *Recorder) Add(ex *validate.Exchange, res validate.Result) {
	if res.Operation == "" {
		return
	}
	hits := r.hits(ex, res)
	r.mu.Lock()
	defer r.mu.Unlock()
	op := r.operation(res.Operation)
	op.Pairs++
	idx := r.index[res.Operation]
	for _, h := range hits {
		if i, ok := idx[h]; ok {
			op.Items[i].Pairs++
		}
	}
}

// hits lists the items ex covers, as kind+"\x00"+name, each once.
func (r *Recorder) hits(ex *validate.Exchange, res validate.Result) []string {
	set := map[string]bool{}
	hit := func(kind, name string) { set[kind+"\x00"+name] = true }
	m := r.model[res.Operation]
	hit(KindStatus, fmt.Sprint(ex.Response.Status))
	if m != nil && len(ex.Request.Body) > 0 {
		if form, err := url.ParseQuery(string(ex.Request.Body)); err == nil {
			for name, values := range form {
				hit(KindField, name)
				for _, v := range values {
					if slices.Contains(m.enums[name], v) {
						hit(KindEnum, name+"="+v)
					}
				}
			}
		}
	}
	if ct, _, _ := mime.ParseMediaType(ex.Response.Header.Get("Content-Type")); strings.HasSuffix(ct, "json") {
		var body map[string]any
		if json.Unmarshal(ex.Response.Body, &body) == nil {
			for k, v := range body {
				if v == nil {
					continue
				}
				hit(KindResponse, k)
				if sub, ok := v.(map[string]any); ok {
					for sk, sv := range sub {
						if sv != nil {
							hit(KindResponse, k+"."+sk)
						}
					}
				}
			}
		}
	}
	origin := ex.Request.Header.Get("Origin")
	acao := ex.Response.Header.Get("Access-Control-Allow-Origin")
	switch {
	case acao == "":
		hit(KindCORS, CORSNone)
	case acao == "*":
		hit(KindCORS, CORSWildcard)
	case origin != "" && acao == origin:
		hit(KindCORS, CORSEchoed)
	}
	if strings.EqualFold(strings.TrimSpace(ex.Response.Header.Get("Access-Control-Allow-Credentials")), "true") {
		hit(KindCORS, CORSCredentials)
	}
	for _, rule := range rulesCovered() {
		if exercises(rule, ex) {
			hit(KindRule, rule)
		}
	}
	for _, f := range res.Findings {
		hit(KindRule, f.Rule)
	}
	return slices.Collect(maps.Keys(set))
}

// exercises reports whether ex has the part of an exchange that rule
// checks, so that it could break the rule: an Origin for the CORS rules, a
// request body and a success response body for the rules of the pair, a
// response for the response and header rules, a request body for the
// others (form, values, SIDs, configuration).
func exercises(rule string, ex *validate.Exchange) bool {
	switch {
	case strings.HasPrefix(rule, "cors."):
		return ex.Request.Header.Get("Origin") != ""
	case strings.HasPrefix(rule, "pair."):
		return len(ex.Request.Body) > 0 && len(ex.Response.Body) > 0 && ex.Response.Status/100 == 2
	case strings.HasPrefix(rule, "response."), strings.HasPrefix(rule, "header."):
		return ex.Response.Status != 0
	}
	return len(ex.Request.Body) > 0 || ex.Request.Method == http.MethodGet && strings.Contains(ex.Request.URL, "?")
}

// Report returns the coverage so far: every operation of the contract that
// a pair used, sorted, with its percentage; the others in NotUsed.
func (r *Recorder) Report() Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep := Report{Contract: r.contract}
	for _, id := range slices.Sorted(maps.Keys(r.ops)) {
		op := *r.ops[id]
		op.Items = slices.Clone(op.Items)
		rep.Operations = append(rep.Operations, op)
	}
	for _, id := range slices.Sorted(maps.Keys(r.model)) {
		if r.ops[id] == nil {
			rep.NotUsed = append(rep.NotUsed, id)
		}
	}
	rep.total()
	return rep
}

// total computes the counts and percentages of rep and its operations.
func (rep *Report) total() {
	rep.Covered, rep.Total = 0, 0
	for i := range rep.Operations {
		op := &rep.Operations[i]
		op.Covered, op.Total = 0, len(op.Items)
		for _, it := range op.Items {
			if it.Covered() {
				op.Covered++
			}
		}
		op.Percent = percent(op.Covered, op.Total)
		rep.Covered += op.Covered
		rep.Total += op.Total
	}
	rep.Percent = percent(rep.Covered, rep.Total)
	if rep.Operations == nil {
		rep.Operations = []Operation{}
	}
}

// percent is 100*n/total rounded to one decimal, 0 when total is 0.
func percent(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(1000*float64(n)/float64(total)) / 10
}

// Merge returns the coverage of all the reports' traffic: the pairs of each
// item summed, operation by operation. Reports of different contracts merge
// too (their operations side by side); the contract named is the first's,
// or "several contracts".
func Merge(reports ...Report) Report {
	var out Report
	ops := map[string]*Operation{}
	notUsed := map[string]bool{}
	for i, rep := range reports {
		switch {
		case i == 0:
			out.Contract = rep.Contract
		case rep.Contract != out.Contract:
			out.Contract = "several contracts"
		}
		for _, id := range rep.NotUsed {
			notUsed[id] = true
		}
		for _, op := range rep.Operations {
			m := ops[op.Operation]
			if m == nil {
				m = &Operation{Operation: op.Operation}
				ops[op.Operation] = m
			}
			m.Pairs += op.Pairs
			for _, it := range op.Items {
				j := slices.IndexFunc(m.Items, func(x Item) bool { return x.Kind == it.Kind && x.Name == it.Name })
				if j < 0 {
					m.Items = append(m.Items, it)
				} else {
					m.Items[j].Pairs += it.Pairs
				}
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(ops)) {
		out.Operations = append(out.Operations, *ops[id])
		delete(notUsed, id)
	}
	out.NotUsed = slices.Sorted(maps.Keys(notUsed))
	out.total()
	return out
}
