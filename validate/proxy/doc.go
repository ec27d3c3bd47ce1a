// Package proxy is a reverse proxy that checks every exchange passing through
// it against a contract: put it between a client of Twilio Conversations'
// "Create a conversation-scoped webhook" operation
// (POST /v1/Conversations/{ConversationSid}/Webhooks) and the server, or a
// fake of it, and every request and response is checked with
// [validate.Plan.Check] as it passes.
//
// By default the proxy only watches: requests and responses are forwarded
// unchanged, headers included (CORS headers too), and each exchange is
// reported once to [Options.OnExchange] after the client has its answer,
// with what the plan found and what the proxy did ([Action]).
//
// With [Options.Enforce] the proxy refuses what breaks the contract: a
// request with an error finding is answered 400 and never sent upstream; an
// upstream response with an error finding on the response side is replaced
// by a 502. Both answers are RFC 9457 problem documents
// (Content-Type: application/problem+json, see [Problem]) that list the
// findings. Warnings never refuse.
//
// Bodies larger than [Options.MaxBody] are streamed through unchanged
// without being held in memory, and the exchange is reported as not checked
// ([Exchange.NotChecked]). An upstream that cannot be reached is answered
// 502 with a problem document.
package proxy
