# contractcheck: the commands the README documents.

GO        ?= go
FUZZTIME  ?= 30s
FUZZCHECKTIME ?= 60s
SMOKETIME ?= 10s
BENCHTIME ?= 1s
COUNT     ?= 6
PROFILE_DIR ?= $(or $(TMPDIR),/tmp)/contractcheck-profile
PROFILE_SPEC ?= $(CURDIR)/bench/testdata/twilio_conversations_v1.json
BENCHSTAT ?= $(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

.PHONY: all build demo test test-race test-oracle test-ci beam-test browser-test bench bench-peers bench-audit bench-worst profile-audit fuzz fuzz-smoke clean

all: build test

## build: the contractcheck binary in the repository root, stamped with the
## git revision and time (contractcheck version shows them): -buildvcs=auto
## wins over a GOFLAGS=-buildvcs=false in the environment, and stamps when the
## tree is a git clone
build:
	$(GO) build -buildvcs=auto -o contractcheck ./cmd/contractcheck

## demo: the main job: check the shipped recording with the embedded contract
## (it exits 1: the recording holds three pairs that break the contract)
demo:
	$(GO) run ./cmd/contractcheck check testdata/recordings/traffic.har

## test: vet, then every test of the module (at most 5 minutes on 2 cores
## from an empty build cache: most of it is compiling libopenapi and
## libopenapi-validator). go test's own vet is off: go vet has just run all
## of its analyzers on the same packages. CI runs more (.ci/run): test-race,
## the same tests under the race detector, and test-oracle
test:
	$(GO) vet ./...
	$(GO) test -vet=off ./...

## test-race: every test of the module under the race detector (the CLI's
## pipeline and servers, the proxy, the go test wrappers, the ordered map are
## where goroutines meet); it compiles everything again, instrumented
test-race:
	$(GO) test -race ./...

## test-oracle: the differential test against libopenapi-validator, an
## independent implementation, on every recorded pair (build tag oracle: it
## compiles all of libopenapi-validator's request and response validation,
## which nothing else of the module needs)
test-oracle:
	$(GO) vet -tags oracle ./validate
	$(GO) test -tags oracle -run Differential -count=1 ./validate

## test-ci: what CI runs besides make test: the bench module's vet and tests,
## which prove each peer there accepts the documentation's pair and rejects
## broken ones (they compile kin-openapi and libopenapi-validator's peers)
test-ci:
	cd bench && $(GO) vet ./... && $(GO) test ./...

## beam-test: the Beam pipeline's module (beam/, so that Beam never enters
## the main module): vet, and its tests on the Prism runner, among them the
## proof that it finds what check finds on 100,000 exchanges (CI runs it)
beam-test:
	cd beam && $(GO) vet ./... && $(GO) test -count=1 ./...

## browser-test: the HTML report in headless Chromium (/usr/bin/chromium, or
## $$CHROMIUM), driven by chromedp: the browser/ module, so that chromedp
## never enters the main module's go.sum. -count=1: the test builds and runs
## the contractcheck binary, which go test's cache does not see. Without the
## browser it fails when CI=true and is skipped otherwise (.ci/run installs it)
browser-test:
	cd browser && $(GO) vet ./... && $(GO) test -count=1 ./...

## bench: the benchmarks, COUNT runs each, summarised by benchstat; then the
## peer comparison (bench-peers)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) ./... | tee bench.txt
	$(BENCHSTAT) bench.txt
	$(MAKE) bench-peers

## bench-peers: contractcheck against kin-openapi, libopenapi-validator,
## jsonschema/v5 and the decoding floor (the bench module, so that the peers
## never enter the main module), then the table of medians, ratios and targets
## (with validate's BenchmarkLoadEmbedded from bench.txt when make bench wrote it).
## The COUNT runs are rounds of every benchmark, so that a change in the load of
## a shared machine shifts contractcheck and its peers alike.
bench-peers:
	cd bench && $(GO) test -c -o bench.test . && \
		for i in $$(seq $(COUNT)); do \
			./bench.test -test.run '^$$' -test.bench . -test.benchmem -test.benchtime $(BENCHTIME) || exit 1; \
		done | tee bench.txt
	$(BENCHSTAT) bench/bench.txt
	cd bench && $(GO) run ./cmd/benchtable bench.txt $$(test -f ../bench.txt && echo ../bench.txt)

## bench-audit: check generated HARs of 100 MiB and 1 GiB, and 100 MiB of
## valid pairs as HAR and NDJSON beside the reader alone and the
## encoding/json floor (in a temporary
## directory, removed afterwards) and print time, MB/s and peak memory of each
bench-audit: build
	GO=$(GO) ./internal/auditbench/bench-audit.sh ./contractcheck

## profile-audit: a CPU profile of check --quiet (BenchmarkAudit, three
## runs) on a 100 MiB HAR of the documentation's example pair, generated once
## in PROFILE_DIR, against Twilio's full spec (bench/testdata)
## (PROFILE_SPEC= for the embedded contract); prints pprof's top by
## cumulative time (the stages) and by own time
profile-audit:
	mkdir -p $(PROFILE_DIR)
	test -f $(PROFILE_DIR)/valid.har || $(GO) run ./internal/auditbench gen -valid -size 100MiB -o $(PROFILE_DIR)/valid.har
	AUDIT_FILE=$(PROFILE_DIR)/valid.har AUDIT_SPEC=$(PROFILE_SPEC) $(GO) test -run '^$$' -bench '^BenchmarkAudit$$' -benchtime 3x \
		-cpuprofile $(PROFILE_DIR)/cpu.prof -o $(PROFILE_DIR)/contractcheck.test ./cmd/contractcheck
	$(GO) tool pprof -top -cum -nodecount 45 $(PROFILE_DIR)/contractcheck.test $(PROFILE_DIR)/cpu.prof
	$(GO) tool pprof -top -nodecount 25 $(PROFILE_DIR)/contractcheck.test $(PROFILE_DIR)/cpu.prof

## bench-worst: check the worst cases for memory (a 1 GiB log.comment, 64
## entries of 60 MiB, 64 NDJSON lines of 60 MiB; about 9 GB in a temporary
## directory, removed afterwards) and print time and peak memory of each
bench-worst: build
	GO=$(GO) ./internal/auditbench/bench-worst.sh ./contractcheck

## fuzz: every fuzz target for FUZZTIME each (the checker's FuzzCheck for
## FUZZCHECKTIME); new crashers land in testdata/fuzz
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeForm$$' -fuzztime $(FUZZTIME) ./validate/internal/wire
	$(GO) test -run '^$$' -fuzz '^FuzzScan$$' -fuzztime $(FUZZTIME) ./validate/internal/gate
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZCHECKTIME) ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzFastPath$$' -fuzztime $(FUZZTIME) ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzRedact$$' -fuzztime $(FUZZTIME) ./internal/redact
	$(GO) test -run '^$$' -fuzz '^FuzzPlain$$' -fuzztime $(FUZZTIME) ./internal/redact
	$(GO) test -run '^$$' -fuzz '^FuzzRoute$$' -fuzztime $(FUZZTIME) ./validate/internal/route
	$(GO) test -run '^$$' -fuzz '^FuzzReadHAR$$' -fuzztime $(FUZZTIME) ./validate/recording
	$(GO) test -run '^$$' -fuzz '^FuzzReadNDJSON$$' -fuzztime $(FUZZTIME) ./validate/recording
	$(GO) test -run '^$$' -fuzz '^FuzzParseConfig$$' -fuzztime $(FUZZTIME) ./validate/ruleset
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./validate/baseline
	$(GO) test -run '^$$' -fuzz '^FuzzWriters$$' -fuzztime $(FUZZTIME) ./validate/report
	$(GO) test -run '^$$' -fuzz '^FuzzCurl$$' -fuzztime $(FUZZTIME) ./validate/report
	$(GO) test -run '^$$' -fuzz '^FuzzFake$$' -fuzztime $(FUZZTIME) ./validate/contracttest
	$(GO) test -run '^$$' -fuzz '^FuzzHARDecoder$$' -fuzztime $(FUZZTIME) ./validate/recording
	$(GO) test -run '^$$' -fuzz '^FuzzNDJSONDecoder$$' -fuzztime $(FUZZTIME) ./validate/recording
	$(GO) test -run '^$$' -fuzz '^FuzzJSONScanner$$' -fuzztime $(FUZZTIME) ./validate/recording
	$(GO) test -run '^$$' -fuzz '^FuzzReadCassette$$' -fuzztime $(FUZZTIME) ./validate/recording
	$(GO) test -run '^$$' -fuzz '^FuzzNDJSONRange$$' -fuzztime $(FUZZTIME) ./validate/recording
	$(GO) test -run '^$$' -fuzz '^FuzzBatches$$' -fuzztime $(FUZZTIME) ./validate/recording
	$(GO) test -run '^$$' -fuzz '^FuzzProxy$$' -fuzztime $(FUZZTIME) ./validate/proxy
	$(GO) test -run '^$$' -fuzz '^FuzzLine$$' -fuzztime $(FUZZTIME) ./internal/escape
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./internal/yamlalias
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME) ./internal/yamlerror

## fuzz-smoke: a short run of the checker's fuzz targets (CI runs it): the
## gate never changes what Check finds, and never calls a failing pair clean;
## of the gate's scanner: it reads what encoding/json reads and calls valid
## only what jsonschema/v5 accepts; and of the batched reader's: it finds
## what the reader in order finds
fuzz-smoke:
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(SMOKETIME) ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzFastPath$$' -fuzztime $(SMOKETIME) ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzScan$$' -fuzztime $(SMOKETIME) ./validate/internal/gate
	$(GO) test -run '^$$' -fuzz '^FuzzBatches$$' -fuzztime $(SMOKETIME) ./validate/recording

clean:
	rm -f contractcheck bench.txt bench/bench.txt bench/bench.test
