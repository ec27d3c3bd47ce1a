// Package report writes the reports of contractcheck: what checking recorded
// exchanges against a contract found, as text for people, as JSON or NDJSON
// for other tools, and as JUnit XML, SARIF 2.1.0, GitHub Actions annotations
// or a Markdown summary for CI systems, and as one self-contained HTML page.
//
// A report is made of [Pair] values, one per exchange read (or per entry that
// could not be read), followed by a [Summary]. Every format renders the same
// pairs and the same findings; none re-checks anything, and [Multi] writes
// several reports of one run. Writers stream: each pair is written as soon as
// it is checked, so memory stays bounded however many pairs a recording
// holds. The formats that must hold something back keep it small: JUnit holds
// the test cases of the open suite (moving them to a temporary file past a
// few megabytes), SARIF the input errors, Markdown the counts by rule and the
// first failing pairs, HTML the counts by rule and the first failing pairs of
// each rule (moving them to a temporary file past a few megabytes).
//
// Secrets never reach a report: [NewPair] redacts the URL with
// [redact.Text], and the findings of a [validate.Plan] are redacted
// already, each value whole before it was shortened or quoted. The
// exchange's secrets are computed once at most from Check to NewPair, and
// only when a text may hold one: NewPair takes those the check computed,
// unless the exchange's URL or credential header fields changed since.
//
// No value forges a line: the text, JUnit, GitHub and Markdown reports show
// every value of a recording on its own line with its control characters
// (line breaks included) and Unicode's invisible and bidirectional controls
// written as Go escapes (\n, \x1b, \u202e), and a line never starts with a
// workflow command's "::" but for the GitHub report's own commands, whose
// data and properties are escaped as the Actions runner expects.
package report
