package finding

import (
	"encoding"
	"fmt"
	"strconv"
	"strings"

	"github.com/contractcheck/contractcheck/internal/escape"
)

// Severity says how much a finding matters: a [SeverityError] breaks the contract, a
// [SeverityWarning] is something the contract's words suggest but its schema does not
// require, and a [SeverityInfo] is a note that explains other findings. Severities
// are ordered: info < warning < error.
type Severity uint8

const (
	// SeverityInfo marks a note: it never fails a pair, whatever the severity
	// that fails one (such as the server's right refusal of a request that
	// breaks the contract, rule response.refused).
	SeverityInfo Severity = iota + 1
	// SeverityWarning marks a finding that does not break the schema but is likely a
	// mistake.
	SeverityWarning
	// SeverityError marks a finding that breaks the contract.
	SeverityError
)

var (
	_ encoding.TextMarshaler   = Severity(0)
	_ encoding.TextUnmarshaler = (*Severity)(nil)
)

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInfo:
		return "info"
	}
	return "severity(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText renders the severity as [Severity.String] does.
func (s Severity) MarshalText() ([]byte, error) {
	if s != SeverityError && s != SeverityWarning && s != SeverityInfo {
		return nil, fmt.Errorf("marshalling severity: unknown value %d", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses "error", "warning" or "info".
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity parses "error", "warning" or "info". Only error and warning
// can fail a pair: callers that parse a threshold refuse info.
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return SeverityError, nil
	case "warning":
		return SeverityWarning, nil
	case "info":
		return SeverityInfo, nil
	}
	return 0, fmt.Errorf("parsing severity: %q is not error, warning or info", s)
}

// SpecPos is a place in a contract document: the file and a 1-based line. The
// zero value means the place is unknown.
type SpecPos struct {
	File string
	Line int
}

// String returns "file:line", or the file alone when the line is unknown.
func (p SpecPos) String() string {
	if p.Line <= 0 {
		return p.File
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}

// MarshalText renders the position as [SpecPos.String] does.
func (p SpecPos) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText parses "file:line" or "file".
func (p *SpecPos) UnmarshalText(b []byte) error {
	s := string(b)
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if n, err := strconv.Atoi(s[i+1:]); err == nil {
			*p = SpecPos{File: s[:i], Line: n}
			return nil
		}
	}
	*p = SpecPos{File: s}
	return nil
}

// Finding is one way an exchange breaks its contract. Every check reports
// findings, and every report renders them; nothing else crosses that line.
//
// The strings of a finding never hold a secret of the exchange: values of
// Authorization headers, Basic-auth passwords and auth tokens are redacted
// before a finding is made.
type Finding struct {
	// Rule is the stable ID of the rule in [Rules], such as "sid.format".
	Rule string `json:"rule"`
	// Severity is the rule's severity.
	Severity Severity `json:"severity"`
	// Location is where in the exchange the problem is, such as
	// "request.body#/Configuration.FlowSid", "request.header/Content-Type",
	// "response.status" or "response.body#/configuration/url".
	Location Location `json:"location"`
	// Message says what is wrong, in one sentence.
	Message string `json:"message"`
	// Want is what the contract asks for.
	Want string `json:"want"`
	// Got is what the exchange holds.
	Got string `json:"got"`
	// Hint says how to fix it.
	Hint string `json:"hint"`
	// Spec is where the rule comes from in the contract.
	Spec SpecPos `json:"spec"`
}

// String renders the finding on one line, for logs and test failures. The
// values are escaped: control characters (line breaks included) and
// Unicode's invisible and bidirectional controls are shown as Go escapes,
// so that the line is the finding's alone.
func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s: %s", f.Severity, escape.Line(f.Rule), escape.Line(f.Location.String()), escape.Line(f.Message))
	if f.Want != "" || f.Got != "" {
		fmt.Fprintf(&b, " (want %s, got %s)", escape.Line(f.Want), escape.Line(f.Got))
	}
	if f.Hint != "" {
		b.WriteString("; hint: " + escape.Line(f.Hint))
	}
	if f.Spec.File != "" {
		b.WriteString(" [" + escape.Line(f.Spec.String()) + "]")
	}
	return b.String()
}
