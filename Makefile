# contractcheck: the commands the README documents.

GO        ?= go
FUZZTIME  ?= 30s
BENCHTIME ?= 1s
COUNT     ?= 6
BENCHSTAT ?= $(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

.PHONY: all build demo test bench fuzz clean

all: build test

## build: the contractcheck binary in the repository root
build:
	$(GO) build -o contractcheck ./cmd/contractcheck

## demo: the main job: check the shipped recording with the embedded contract
## (it exits 1: the recording holds three pairs that break the contract)
demo:
	$(GO) run ./cmd/contractcheck check testdata/recordings/traffic.har

## test: vet, then every test with the race detector
test:
	$(GO) vet ./...
	$(GO) test -race ./...

## bench: the benchmarks, COUNT runs each, summarised by benchstat
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) ./... | tee bench.txt
	$(BENCHSTAT) bench.txt

## fuzz: every fuzz target for FUZZTIME each; new crashers land in testdata/fuzz
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeForm$$' -fuzztime $(FUZZTIME) ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzFastPath$$' -fuzztime $(FUZZTIME) ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzReadHAR$$' -fuzztime $(FUZZTIME) ./validate/recording
	$(GO) test -run '^$$' -fuzz '^FuzzReadNDJSON$$' -fuzztime $(FUZZTIME) ./validate/recording

clean:
	rm -f contractcheck bench.txt
