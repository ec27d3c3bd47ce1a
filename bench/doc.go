// Package bench compares contractcheck with its peers on one valid pair: the
// documentation's example request of CreateConversationScopedWebhook and its
// 201 response, read from testdata/recordings/docs-example.har.
//
// The package holds only benchmarks (bench_test.go, load_test.go) and lives in
// a module of its own, so that kin-openapi and golang.org/x/perf never enter
// the dependencies of contractcheck's main module. Each pair benchmark does
// the full request and response validation of one peer; before its loop it
// proves that the peer accepts the pair and rejects broken variants of it, so
// that no benchmark measures a validator that checks nothing. The load
// benchmarks compile the embedded contract and Twilio's full Conversations
// spec.
//
// Run the benchmarks and print the table of medians and ratios with
//
//	make bench
//
// from the repository root, or by hand:
//
//	cd bench
//	go test -c -o bench.test .
//	for i in 1 2 3 4 5 6; do ./bench.test -test.run '^$' -test.bench . -test.benchmem; done | tee bench.txt
//	go run ./cmd/benchtable bench.txt
//
// (rounds of every benchmark rather than -count, so that contractcheck and a
// peer share the load of the machine run by run; -count output reads too).
//
// README.md in this directory says what each benchmark measures and how fair
// the comparison is.
package bench
