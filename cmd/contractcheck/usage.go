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

Exit status: 0 when no pair fails, 1 when a pair fails, 2 when a recording
or the contract cannot be read or the command line is wrong (2 wins over 1).

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
                         contract, pairs, summary) or ndjson (one pair per line)
  --fail-on SEVERITY     lowest severity that fails a pair: error (default) or
                         warning
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

Exit status: 0 when no pair fails, 1 when a pair fails, 2 when a recording or
the contract cannot be read or the command line is wrong (2 wins over 1).
`

// rulesUsage is the usage of contractcheck rules.
const rulesUsage = `Usage: contractcheck rules [flags]

Prints the rule catalogue: the ID findings name, the default severity, the
line of the contract the rule comes from, and what the rule checks.

Flags:
  --spec FILE            cite the lines of the OpenAPI 3 contract in FILE (YAML
                         or JSON) instead of the built-in one
  --format FORMAT        text (default: an aligned table) or json (one
                         document: contract, and rules with id, severity,
                         summary, help and spec)
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
