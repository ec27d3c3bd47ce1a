// Package report writes the reports of contractcheck: what checking recorded
// exchanges against a contract found, as text for people, or as JSON or NDJSON
// for other tools.
//
// A report is made of [Pair] values, one per exchange read (or per entry that
// could not be read), followed by a [Summary]. Every format renders the same
// pairs and the same findings; none re-checks anything. Writers stream: each
// pair is written as soon as it is checked, so memory stays constant however
// many pairs a recording holds.
//
// Secrets never reach a report: [NewPair] redacts the URL with
// [validate.RedactURL], and the findings of a [validate.Plan] are redacted
// already.
package report
