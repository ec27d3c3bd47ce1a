// Command contractcheck checks recorded HTTP exchanges of Twilio
// Conversations' "Create a conversation-scoped webhook" operation (POST
// /v1/Conversations/{ConversationSid}/Webhooks) against its OpenAPI contract.
//
// Usage:
//
//	contractcheck check [flags] FILE...
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
// contract could not be read or the command line is wrong; 2 wins over 1. Run
// "contractcheck help check" for every flag.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signalContext()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// signalContext returns a context cancelled by the first interrupt; a second
// interrupt kills the process as usual.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
