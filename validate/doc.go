// Package validate checks HTTP exchanges against an OpenAPI contract: by
// default, the contract of Twilio Conversations' "Create a conversation-scoped
// webhook" operation (POST /v1/Conversations/{ConversationSid}/Webhooks).
//
// There is one way through:
//
//	contract ── Load ──► Plan            (once: compile schemas, routes, field tables)
//	Exchange ── Plan.Check ──► []Finding (per pair: never compiles, never does I/O)
//
// [Load] (or [Embedded] for the built-in contract) compiles a contract into a
// [Plan], which is immutable and safe for concurrent use. [Plan.Check] takes
// an [Exchange] (a request and its response, as bytes and headers) and
// returns a [Result] listing [Finding]s: each names a rule of the catalogue
// ([Rules]), where in the exchange the problem is (such as
// "request.body#/Configuration.FlowSid" or
// "response.header/Access-Control-Allow-Credentials"), what the contract
// wants, what the exchange holds, a hint, and the contract line the rule
// comes from.
//
// The checks cover the form encoding of the request (media type, escapes,
// unknown and repeated keys, arrays as repeated keys, integers as decimal
// text), the values of every field (types, enums in the contract's case, SID
// formats, patterns, lengths, formats, nullability), the response (status,
// media type, JSON body), the CORS headers under the Fetch standard, the
// rules the documentation states in words (an absolute Configuration.Url; a
// configuration that fits its Target), and whether the response agrees with
// the request (the same conversation, target and configuration).
//
// Exchanges are routed to an operation by method and path, and by host: an
// absolute URL must name one of the contract's servers (with its path
// prefix, if any), loopback, or a server added with [Plan.WithServers];
// others are skipped with the reason. [Plan.AnyHost] routes by method and
// path alone, for servers, which receive only their own traffic.
//
// Findings never hold the secrets of an exchange: Authorization values,
// Basic-auth passwords and auth tokens are redacted (by package internal/redact).
package validate
