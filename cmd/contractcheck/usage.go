package main

// mainUsage is the usage of contractcheck.
const mainUsage = `contractcheck checks recorded HTTP exchanges of Twilio Conversations'
"Create a conversation-scoped webhook" operation
(POST /v1/Conversations/{ConversationSid}/Webhooks) against its OpenAPI contract.

Usage:
  contractcheck check [flags] FILE...   check recordings (HAR, NDJSON, go-vcr cassettes)
  contractcheck rules [flags]           list the rules findings name
  contractcheck version                 print the version
  contractcheck help [COMMAND]          print this help, or a command's

Exit status: 0 when no pair fails, 1 when a pair fails, 2 when a recording,
the contract, the configuration or a baseline cannot be read or the command
line is wrong (2 wins over 1).

Run 'contractcheck help COMMAND' for the flags of a command.
`

// checkUsage is the usage of contractcheck check.
const checkUsage = `Usage: contractcheck check [flags] FILE...

Checks every exchange of each recording FILE (HAR, NDJSON or go-vcr cassette,
told apart by content; - reads standard input) against the contract and writes
a report to standard output, the files in the order given. Flags may come
before or after the files; -- ends the flags.

An entry that cannot be read, or a file that cannot be opened, is an input
error: it is printed on standard error as "source#entry (line N): field:
message", shown in the report, and the other entries and files are still
checked.

Flags:
  --spec FILE            check against the OpenAPI 3 contract in FILE (YAML or
                         JSON) instead of the built-in one
  --format FORMAT        report format: text (default), json (one document:
                         contract, pairs, summary), ndjson (one pair per line),
                         junit (JUnit XML: a suite per file, a test case per
                         pair), sarif (SARIF 2.1.0), github (GitHub Actions
                         ::error and ::warning annotations) or markdown (a
                         summary: counts by rule, the first failing pairs)
  --report FORMAT=FILE   also write a report in FORMAT to FILE (its directory
                         is created); may be repeated, such as
                         --report junit=out/junit.xml --report sarif=out/r.sarif
  --summary FILE         append a Markdown summary to FILE, such as
                         "$GITHUB_STEP_SUMMARY"
  --fail-on SEVERITY     lowest severity that fails a pair: error (default) or
                         warning; overrides the configuration's fail-on
  --rule RULE=LEVEL      set a rule to off, warning or error (off drops its
                         findings, the others set their severity); may be
                         repeated; overrides the configuration
  --config FILE          read the settings (fail-on, rules) from FILE
                         (default: contractcheck.yaml in the working directory,
                         when it exists)
  --baseline FILE        accept the findings FILE lists: they do not fail a
                         pair, and entries that no longer occur are listed on
                         standard error
  --write-baseline FILE  write every finding of this run to FILE as a baseline
                         (by a fingerprint of rule, location, operation and the
                         request's shape); the run then exits 0 unless an input
                         could not be read
  --fail-on-unmatched    fail exchanges that no operation of the contract
                         describes (rule operation.unmatched) instead of
                         skipping them
  --quiet                print the summary line only (text format only)
  --color WHEN           colour the text report: auto (default: when standard
                         output is a terminal and NO_COLOR is not set), always
                         or never
  --progress WHEN        keep a progress line on standard error (pairs, MB
                         read, MB/s, findings and failed pairs so far, at most
                         4 refreshes a second): auto (default: when standard
                         error is a terminal), always or never
  -h, --help             print this help

Settings apply in this order, the last winning: the rule catalogue, the
configuration file, --fail-on, each --rule. A configuration file:

  fail-on: warning
  rules:
    config.target-fit: error
    cors.vary-origin: off

Exit status: 0 when no pair fails, 1 when a pair fails, 2 when a recording,
the contract, the configuration or the baseline cannot be read, a report
cannot be written, or the command line is wrong (2 wins over 1).
`

// rulesUsage is the usage of contractcheck rules.
const rulesUsage = `Usage: contractcheck rules [flags]

Prints the rule catalogue: the ID findings name, the effective severity
(off, warning or error) and where it was set (default, FILE:LINE of the
configuration, or --rule), the line of the contract the rule comes from, and
what the rule checks; then the severity that fails a pair.

Flags:
  --spec FILE            cite the lines of the OpenAPI 3 contract in FILE (YAML
                         or JSON) instead of the built-in one
  --config FILE          read the settings from FILE (default:
                         contractcheck.yaml in the working directory, when it
                         exists)
  --rule RULE=LEVEL      set a rule to off, warning or error; may be repeated
  --format FORMAT        text (default: an aligned table) or json (one
                         document: contract, fail_on, and rules with id,
                         severity, default, set_by, summary, help and spec)
  -h, --help             print this help
`

// versionUsage is the usage of contractcheck version.
const versionUsage = `Usage: contractcheck version

Prints the version of contractcheck and of the Go toolchain that built it.
`

// helpUsage is the usage of contractcheck help.
const helpUsage = `Usage: contractcheck help [COMMAND]

Prints the usage of contractcheck, or of COMMAND (check, rules, version, help).
`

// commandUsage maps each command to its usage.
var commandUsage = map[string]string{
	"check":   checkUsage,
	"rules":   rulesUsage,
	"version": versionUsage,
	"help":    helpUsage,
}
