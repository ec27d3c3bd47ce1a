// Command contractcheck checks recorded HTTP exchanges of Twilio
// Conversations' "Create a conversation-scoped webhook" operation (POST
// /v1/Conversations/{ConversationSid}/Webhooks) against its OpenAPI contract.
//
// Usage:
//
//	contractcheck check [flags] FILE...
//	contractcheck convert [-o FILE] FILE...
//	contractcheck probe --base-url URL [flags]
//	contractcheck serve [--addr 127.0.0.1:4010] [--record FILE]
//	contractcheck proxy --listen ADDR --upstream URL [--record FILE] [--enforce]
//	contractcheck rules [--spec FILE] [--config FILE] [--rule RULE=LEVEL]... [--format text|json]
//	contractcheck version
//	contractcheck help [COMMAND]
//
// check reads each recording (HAR, NDJSON or a go-vcr cassette; - is standard
// input), checks every exchange in it on every core and writes a report (text,
// json, ndjson, junit, sarif, github or markdown) to standard output, in the
// recordings' order, and more reports to files with --report FORMAT=FILE.
// Rule settings come from contractcheck.yaml, --config, --fail-on and --rule;
// --baseline accepts known findings and --write-baseline records them;
// --progress shows a progress line on standard error. The exit status is 0
// when no pair fails, 1 when a pair fails, and 2 when a recording or the
// contract could not be read or the command line is wrong; 2 wins over 1.
//
// convert writes recordings as NDJSON, one exchange a line, credentials
// redacted, for the Beam pipeline of beam/ and other tools.
//
// probe checks a live server by sending it the contract's example, a valid
// request per Target and negative requests that must be refused; serve fakes
// the endpoint (the fake of validate/contracttest) as a process; proxy is a
// reverse proxy that checks, records and, with --enforce, refuses the
// exchanges that pass it. Run
// "contractcheck help COMMAND" for the flags of a command.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signalContext()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// signalContext returns a context cancelled by the first interrupt or
// SIGTERM; a second one kills the process as usual.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
