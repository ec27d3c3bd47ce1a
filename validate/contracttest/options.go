package contracttest

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/ruleset"
)

// Option tunes the checks and the fake endpoint. Every entry point takes the
// same options; an option that concerns only the fake (such as [Clock]) has
// no effect on the assertions and wrappers, and says so.
type Option func(*config)

// config is the options applied.
type config struct {
	plan   *validate.Plan
	failOn validate.Severity
	expect []string // rule IDs the test expects to be broken, in the order given

	account, token string // the credentials the fake requires; "" for none
	clock          func() time.Time
	sids           io.Reader
	origin         string
	observe        func(Call)

	err error // the first bad option
}

// WithPlan checks against p instead of the embedded contract, such as
// Twilio's full Conversations description loaded with [validate.LoadFile].
// The fake still serves only CreateConversationScopedWebhook, and refuses to
// start when p does not describe it as the embedded contract does.
func WithPlan(p *validate.Plan) Option {
	return func(c *config) {
		if p == nil {
			c.fail(errors.New("WithPlan: the plan is nil"))
			return
		}
		c.plan = p
	}
}

// FailOn sets the lowest severity of a finding that fails the test:
// [validate.SeverityError] (the default, as for contractcheck check) or
// [validate.SeverityWarning]. Findings below it are logged, not failed.
func FailOn(s validate.Severity) Option {
	return func(c *config) {
		if s != validate.SeverityError && s != validate.SeverityWarning {
			c.fail(fmt.Errorf("FailOn: %v is neither error nor warning", s))
			return
		}
		c.failOn = s
	}
}

// ExpectViolation says the test means to break the given rules (IDs of
// [validate.Rules], such as [validate.RuleSIDFormat]): their findings do not
// fail the test, and each of them must occur, or the test fails. For an
// assertion, "occur" means in the exchange asserted; for a wrapper or a
// server, in at least one exchange before the test ends. The fake answers
// an expected violation as any other: with a 400.
//
// An unknown rule ID is an error of the option, with a did-you-mean as
// contractcheck's --rule gives, so that a typo does not silently expect
// nothing: the entry point fails the test at once.
func ExpectViolation(rules ...string) Option {
	return func(c *config) {
		for _, id := range rules {
			if err := ruleset.CheckRule(id); err != nil {
				c.fail(fmt.Errorf("ExpectViolation: %w", err))
				return
			}
			c.expect = append(c.expect, id)
		}
	}
}

// Credentials makes the fake require HTTP Basic authentication as the given
// account (an AC SID) with the given auth token, as Twilio does: a request
// without them, or with others, gets Twilio's 401 (error 20003). The 201
// body names the account. A 401 does not by itself fail the test (the
// client sees it); the request's contract findings still do. Without this
// option the fake takes any credentials, and names the Basic-auth user as
// the account when it is an AC SID. Only for the fake.
func Credentials(accountSID, authToken string) Option {
	return func(c *config) {
		if accountSID == "" || authToken == "" {
			c.fail(errors.New("Credentials: the account SID and the auth token must not be empty"))
			return
		}
		c.account, c.token = accountSID, authToken
	}
}

// Clock sets the fake's clock, which dates the webhooks it creates
// (date_created and date_updated, RFC 3339 in UTC, to the second, as Twilio
// writes them). The default is time.Now. Only for the fake.
func Clock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.fail(errors.New("Clock: the clock is nil"))
			return
		}
		c.clock = now
	}
}

// SIDSource sets where the fake takes the 32 hex digits of each new webhook
// SID from: 16 bytes of r per webhook, read under a lock. The default is
// crypto/rand; a fixed reader (such as a seeded math/rand/v2 ChaCha8) makes
// the SIDs deterministic. A reader that runs dry makes the fake answer 500.
// Only for the fake.
func SIDSource(r io.Reader) Option {
	return func(c *config) {
		if r == nil {
			c.fail(errors.New("SIDSource: the reader is nil"))
			return
		}
		c.sids = r
	}
}

// AllowOrigin sets the origin the fake allows in its CORS headers. The
// default, "*", is what Twilio sends. An origin such as
// "https://app.example.com" is echoed, with Access-Control-Allow-Credentials:
// true and Vary: Origin, to requests that come from it, and not allowed to
// others (the response carries no Access-Control-Allow-Origin, so a browser
// blocks it). Only for the fake.
func AllowOrigin(origin string) Option {
	return func(c *config) {
		if origin == "" || strings.ContainsAny(origin, ", \t\r\n") {
			c.fail(fmt.Errorf("AllowOrigin: %q is not one origin or *", origin))
			return
		}
		c.origin = origin
	}
}

// Observe calls fn after the fake has answered each request, with the
// exchange and what the request breaks; a process serving the fake logs
// them with it. fn is called from the server's goroutines, possibly at
// once. Only for the fake.
func Observe(fn func(Call)) Option {
	return func(c *config) {
		if fn == nil {
			c.fail(errors.New("Observe: the function is nil"))
			return
		}
		prev := c.observe
		if prev == nil {
			c.observe = fn
			return
		}
		c.observe = func(call Call) { prev(call); fn(call) }
	}
}

func (c *config) fail(err error) {
	if c.err == nil {
		c.err = fmt.Errorf("contracttest: %w", err)
	}
}

// newConfig applies the options over the defaults: the embedded contract,
// failing on errors, time.Now, crypto/rand and the origin *.
func newConfig(opts []Option) (*config, error) {
	c := &config{failOn: validate.SeverityError, clock: time.Now, sids: rand.Reader, origin: "*"}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.err != nil {
		return nil, c.err
	}
	if c.plan == nil {
		p, err := validate.Embedded()
		if err != nil {
			return nil, fmt.Errorf("contracttest: loading the embedded contract: %w", err)
		}
		c.plan = p
	}
	return c, nil
}

// matches reports whether an operation of the plan describes a request with
// this method and target; routing stays the plan's ([validate.Plan.Match]).
func (c *config) matches(method, target string) bool {
	op, _ := c.plan.Match(method, target)
	return op != ""
}
