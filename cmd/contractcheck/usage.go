package main

// mainUsage is the usage of contractcheck.
const mainUsage = `contractcheck checks recorded HTTP exchanges of Twilio Conversations'
"Create a conversation-scoped webhook" operation
(POST /v1/Conversations/{ConversationSid}/Webhooks) against its OpenAPI contract.

Usage:
  contractcheck check [flags] FILE...   check recordings (HAR, NDJSON, go-vcr cassettes)
  contractcheck convert FILE...         write recordings as NDJSON, one exchange a line
  contractcheck coverage FILE...        merge the coverage files of check --coverage
  contractcheck diff --base OLD --head NEW FILE...
                                        what a new contract changes for recorded traffic
  contractcheck probe --base-url URL    check a live server by sending it requests
  contractcheck serve [flags]           fake the endpoint, for development and demos
  contractcheck proxy --upstream URL    check every exchange through a reverse proxy
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
before or after the files; -- ends the flags. A --report, --summary or
--write-baseline that would overwrite a recording, the contract, the
configuration, the baseline or another output is refused (exit 2) before
anything is written.

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
                         ::error and ::warning annotations), markdown (a
                         summary: counts by rule, the first failing pairs) or
                         html (one self-contained page: summary, a chart of
                         findings by rule, a filter, the failing pairs with
                         their request, response and curl replay)
  --report FORMAT=FILE   also write a report in FORMAT to FILE (its directory
                         is created); may be repeated, such as
                         --report junit=out/junit.xml --report html=out/r.html
  --html-max-pairs N     how many failing pairs of each rule the html report
                         lists (default 50); it says how many more there were
  --coverage FILE        write what the pairs covered of the contract to FILE
                         (JSON; contractcheck coverage merges such files): per
                         operation, statuses, request fields and enum values,
                         response fields seen not null, CORS shapes, rules
                         exercised; the json, markdown and html reports show it
  --min-coverage N       fail the run (exit 1) when under N percent of those
                         items are covered
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
  --server URL           also check exchanges sent to this server, such as
                         https://api.example.com (with a path, only under that
                         prefix); may be repeated; adds to the configuration's
                         servers. The contract's servers and loopback
                         (localhost, 127.0.0.0/8, ::1) are always checked;
                         exchanges with other hosts are skipped
  --allow-empty          pass a run that checks no pair (by default a run
                         whose exchanges are all skipped, or that has none,
                         fails with exit 1 and says why)
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
  servers:
    - https://api.example.com

Exit status: 0 when no pair fails, 1 when a pair fails, 2 when a recording,
the contract, the configuration or the baseline cannot be read, a report
cannot be written, or the command line is wrong (2 wins over 1). A run that
checks no pair (none recorded, or all skipped) exits 1 unless --allow-empty.
`

// convertUsage is the usage of contractcheck convert.
const convertUsage = `Usage: contractcheck convert [-o FILE] FILE...

Writes the exchanges of each recording FILE (HAR, go-vcr cassette or NDJSON,
told apart by content, as check reads them; - reads standard input) as NDJSON,
one exchange a line, in the order read: the format check, and the Beam
pipeline of beam/, read fastest, which can be split across machines. It
streams: memory does not grow with the recordings (a cassette, being YAML, is
read whole). Credentials are redacted as in the recordings of serve and
proxy: Authorization values (a Basic one keeps its user, an account SID) and
the secrets of URLs.

An entry that cannot be read is an input error: it is printed on standard
error as check prints it, "source#entry (line N): field: message", and left
out; the other entries are still converted. The NDJSON renumbers the entries
(its line index is the entry).

Flags:
  -o FILE                write the NDJSON to FILE instead of standard output
                         (its directory is created; not one of the recordings)
  -h, --help             print this help

Exit status: 0 when every entry was converted, 2 when an entry or a
recording could not be read, the output could not be written, or the command
line is wrong.
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
  --format FORMAT        text (default: an aligned table), json (one
                         document: contract, fail_on, and rules with id,
                         severity, default, set_by, summary, help and spec)
                         or markdown (a table of rule, severity and summary,
                         as the README's)
  -h, --help             print this help
`

// versionUsage is the usage of contractcheck version.
const versionUsage = `Usage: contractcheck version

Prints the version of contractcheck (the module version, or devel for a
build from a work tree), its module, the VCS revision and time it was built
from (unknown when the binary was built without VCS information, as with
-buildvcs=false; make build stamps them), and the Go toolchain that built it.
SARIF reports name the same version, revision and time in driver.version.
`

// helpUsage is the usage of contractcheck help.
const helpUsage = `Usage: contractcheck help [COMMAND]

Prints the usage of contractcheck, or of COMMAND (check, convert, probe,
serve, proxy, rules, version, help).
`

// commandUsage maps each command to its usage.
var commandUsage = map[string]string{
	"check":    checkUsage,
	"convert":  convertUsage,
	"diff":     diffUsage,
	"coverage": coverageUsage,
	"probe":    probeUsage,
	"serve":    serveUsage,
	"proxy":    proxyUsage,
	"rules":    rulesUsage,
	"version":  versionUsage,
	"help":     helpUsage,
}

// probeUsage is the usage of contractcheck probe.
const probeUsage = `Usage: contractcheck probe --base-url URL [flags]

Checks a live server of the operation (a staging service, a fake, a gateway)
by sending it requests and checking what comes back. The requests are written
from the contract: its own example of the body, one valid request per Target
(webhook, trigger, studio), and negative requests that each break one
documented constraint (a missing Target, an unknown Target or
Configuration.Method, a bad Configuration.FlowSid, a non-integer
Configuration.ReplayAfter, a JSON body) and must be refused with a 4xx. Each
answer is checked like a recorded pair; a negative request the server does
not refuse is a finding of rule probe.refusal. The report and the exit status
are those of check; a line per request goes to standard error.

WARNING: against Twilio itself, or a service that acts on requests, every
valid request CREATES A WEBHOOK on the account (four of them per run): probe
a test account or conversation, and delete them afterwards. --dry-run prints
the requests without sending them.

Credentials are sent with HTTP Basic auth, from --account-sid and
--auth-token or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN; they are never
printed, and the recording keeps the account SID but not the token.

Flags:
  --base-url URL         the server, such as http://127.0.0.1:4010 or
                         https://conversations.twilio.com; a path in it is a
                         prefix of every request's path (a gateway's)
  --conversation SID     the conversation the requests address (default
                         CH00000000000000000000000000000000); a unique name
                         works too
  --account-sid SID      the account to authenticate as (default
                         $TWILIO_ACCOUNT_SID)
  --auth-token TOKEN     its auth token (default $TWILIO_AUTH_TOKEN)
  --timeout DURATION     how long to wait for each answer (default 10s)
  --record FILE          append the exchanges to FILE, a HAR (new, or one to
                         which entries are added)
  --dry-run              print the requests, credentials redacted, and send
                         nothing
  --spec FILE            write and check the requests from the OpenAPI 3
                         contract in FILE instead of the built-in one
  --format FORMAT        report format, as for check: text (default), json,
                         ndjson, junit, sarif, github, markdown or html
  --html-max-pairs N     how many failing pairs of each rule the html report
                         lists (default 50)
  --report FORMAT=FILE   also write a report in FORMAT to FILE; may be repeated
  --summary FILE         append a Markdown summary to FILE
  --fail-on SEVERITY     lowest severity that fails a pair: error (default) or
                         warning
  --rule RULE=LEVEL      set a rule to off, warning or error; may be repeated
  --config FILE          read the settings from FILE (default:
                         contractcheck.yaml in the working directory)
  --baseline FILE        accept the findings FILE lists
  --write-baseline FILE  write every finding of this run to FILE as a baseline
  --coverage FILE        write what the answers covered of the contract to FILE,
                         as check does
  --min-coverage N       exit 1 when under N percent of it is covered
  --fail-on-unmatched    accepted for symmetry with check (every request of a
                         probe is of the operation)
  --server URL           accepted for symmetry with check (the server of
                         --base-url is checked whatever its host)
  --quiet                print no line per request, and with the text format
                         only the summary line
  --color WHEN           colour the text report: auto (default), always or
                         never
  --progress WHEN        accepted for symmetry with check; a probe is short
  -h, --help             print this help

Exit status: 0 when every answer keeps the contract, 1 when one does not, 2
when the server cannot be reached or does not answer in time, the contract or
the settings cannot be read, or the command line is wrong (2 wins over 1).
`

// serveUsage is the usage of contractcheck serve.
const serveUsage = `Usage: contractcheck serve [flags]

Serves a fake of the endpoint POST /v1/Conversations/{ConversationSid}/Webhooks
(the fake of validate/contracttest), for local development and demos: a
request that keeps the contract gets a 201 whose body keeps it too (a fresh
WH SID, the path's conversation, the configuration echoed, RFC 3339 dates,
CORS headers); one that breaks it gets the 400 Twilio returns (JSON code,
message, more_info, status). Each exchange is logged as a line on standard
output. SIGINT or SIGTERM stops it cleanly: exchanges in flight finish.
The recording is a complete HAR after every exchange; an existing HAR is
appended to, and a file that is not one is refused (exit 2).

Flags:
  --addr ADDR            the address to listen on (default 127.0.0.1:4010; port
                         0 picks a free one, and the address is printed on
                         standard error)
  --record FILE          append each exchange to FILE, a HAR (new, or one to
                         which entries are added), credentials redacted
  --spec FILE            fake the operation as the OpenAPI 3 contract in FILE
                         describes it instead of the built-in one
  --account-sid SID      require HTTP Basic auth as this account (an AC SID);
                         without it any credentials are taken
  --auth-token TOKEN     the auth token required with --account-sid
  --allow-origin ORIGIN  the origin the CORS headers allow (default *, as
                         Twilio); another is echoed with credentials allowed
  --quiet                log no line per exchange
  --read-timeout D       the most time a client may take to send a request,
                         headers and body (default 30s; 0 for no limit)
  -h, --help             print this help

Exit status: 0 after a clean stop, 2 when the address cannot be listened on,
the contract cannot be read, the recording cannot be written, or the command
line is wrong.
`

// proxyUsage is the usage of contractcheck proxy.
const proxyUsage = `Usage: contractcheck proxy --upstream URL [flags]

A reverse proxy that checks every exchange as it passes: requests to
--listen go to --upstream, answers come back, bodies and headers (CORS
headers included) forwarded byte for byte. The findings of each failing
exchange stream to standard error as check's text report, and to --ndjson as
one JSON line per exchange; SIGINT or SIGTERM stops it cleanly, after the
exchanges in flight, with the summary line. The recording is a complete HAR
after every exchange; an existing HAR is appended to, and a file that is not
one is refused (exit 2).

At most --max-body bytes of a request or response body are read into memory:
a larger body is passed through unchanged, the rest of its exchange (status,
headers, CORS) is checked, and the exchange is reported as not fully checked
(skipped when nothing checked fails), never as passed. So is an answer
encoded in a way the proxy does not decode (gzip it decodes).

With --enforce, a request that breaks the contract is not forwarded: it is
answered 400 with an RFC 9457 problem document (application/problem+json,
with the findings); a request body over --max-body, which cannot be checked,
is answered 413; a response that breaks it is answered 502 with one instead
of being passed on.

A client has --read-timeout to send a whole request (a body trickled in is
cut off: 408); the upstream has --upstream-timeout to answer (then 504). A
client that goes away, and an upstream answer that breaks off, are told on
standard error and recorded as what happened. On SIGINT or SIGTERM the
exchanges in flight have 10s to finish; those still waiting are then
answered 503, and all of them are recorded.

Flags:
  --listen ADDR          the address to listen on (default 127.0.0.1:4011)
  --upstream URL         where requests go, such as http://127.0.0.1:4010; a
                         path in it is a prefix of every request's path
  --record FILE          append each exchange to FILE, a HAR (new, or one to
                         which entries are added), credentials redacted
  --ndjson FILE          append a report line per exchange to FILE (the ndjson
                         format of check)
  --max-body SIZE        the most bytes of a body checked (default 1MiB;
                         such as 65536, 512KiB, 4MiB)
  --enforce              refuse exchanges that break the contract (400 for a
                         request, 413 for a request body over --max-body, 502
                         for a response) instead of forwarding
  --read-timeout D       the most time a client may take to send a request,
                         headers and body (default 30s; 0 for no limit)
  --upstream-timeout D   the most time the upstream may take to answer, its
                         headers and the checked part of its body (default
                         30s; 0 for no limit)
  --quiet                print only the findings and the summary line on
                         standard error, no line per refused or unchecked
                         exchange
  --spec FILE            check against the OpenAPI 3 contract in FILE instead
                         of the built-in one
  --fail-on SEVERITY     lowest severity that fails a pair: error (default) or
                         warning
  --rule RULE=LEVEL      set a rule to off, warning or error; may be repeated
  --config FILE          read the settings from FILE (default:
                         contractcheck.yaml in the working directory)
  --coverage FILE        when stopped, write what the exchanges covered of the
                         contract to FILE, as check --coverage does
  -h, --help             print this help

Exit status: 0 after a clean stop when no exchange failed, 1 when one did, 2
when the address cannot be listened on, the contract, the settings or a file
cannot be read or written, or the command line is wrong.
`
