// Package audit is contractcheck's audit of recorded traffic as an Apache
// Beam pipeline: the audit of `contractcheck check`, spread over the workers
// of a Beam runner (Prism in process, Dataflow, Flink, Spark).
//
// Checking is stateless per exchange, so the audit is a map and a sum:
//
//	match --input ─► classify ─► reshuffle ─► check (splittable) ─┬─► findings NDJSON shards (GroupByKey on a shard)
//	                                                               └─► tallies ─► combine ─► summary JSON, counts per rule
//
// Each file the pattern matches is told apart by content as check tells it.
// An NDJSON file is a splittable range of bytes, cut in blocks (64 MiB by
// default) that the runner may split again while they are read; a worker
// checks the lines that start in its range, read with recording.NDJSONRange,
// which counts the lines before the range while it skips them, so that every
// line keeps the entry and line number check gives it. Beam's Go filesystems
// open a file only from its start, so a range costs a read of the bytes
// before it (as Beam's own textio does): files of up to a few GiB split well.
// A HAR or a cassette is read whole by one worker.
//
// Each worker loads the contract once (the DoFn's Setup) and checks each
// exchange with validate, under the rule settings of the run, as check does.
// It writes the pairs that have findings, and the input errors, with
// report's NDJSON writer: the lines of `check --format ndjson`. The summary
// is report.Summary, the summary of `check --format json`; the counts per
// rule are the findings of each rule and severity, and the pairs that have
// one.
package audit
