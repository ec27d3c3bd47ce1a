#!/bin/sh
# bench-audit.sh BINARY: check generated recordings with BINARY (contractcheck)
# and print, side by side, the time, the throughput and the peak resident
# memory of each run. First HARs of 100 MiB and 1 GiB of mixed pairs (80%
# passing, 14% skipped, 5% failing); then the audit of valid pairs (the
# documentation's example, 100 MiB, as HAR and as NDJSON), checked with the
# embedded contract and with Twilio's full spec, beside the reader alone
# (auditbench read: recording.Read, no checks, one goroutine), the reader as
# check runs it on a regular file (auditbench read -batches:
# recording.Batches, decoded on GOMAXPROCS goroutines, no checks) and the
# decoding floor (auditbench floor: encoding/json, one goroutine) on the same
# file, with the ratio of each MB/s to the floor's. The files go to a
# temporary directory that is removed however the script ends. Run by `make
# bench-audit`. SIZES overrides the sizes of the mixed HARs ("100MiB 1GiB"),
# VALID the size of the valid ones ("100MiB"; "" skips them), SPEC the full
# spec (bench/testdata/twilio_conversations_v1.json; its rows are left out
# when it is missing), TIME_BIN the GNU time to use (when it is missing,
# auditbench measure reads the rusage of the child instead).
set -eu
bin=$1
go=${GO:-go}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
spec=${SPEC-bench/testdata/twilio_conversations_v1.json}
$go build -o "$dir/auditbench" ./internal/auditbench

timebin=${TIME_BIN:-/usr/bin/time}
if [ -x "$timebin" ] && "$timebin" -f '%e' true >/dev/null 2>&1; then
	how="GNU time ($timebin -v)"
else
	how='auditbench measure (rusage of the child: /usr/bin/time is missing or not GNU time)'
fi

# measure FILE COMMAND...: run COMMAND (exit 1, pairs failed, is expected),
# its standard output in $dir/out, and set wall, cpu and rss (KiB).
measure() {
	file=$1
	shift
	if [ "$how" != "${how#GNU}" ]; then
		# -v also prints the user and system time.
		"$timebin" -v -o "$dir/time" "$@" "$file" >"$dir/out" 2>/dev/null || true
		wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time" |
			awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
		cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$dir/time")
		rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
	else
		"$dir/auditbench" measure -- "$@" "$file" >"$dir/out" 2>"$dir/time" || true
		read -r wall rss cpu code <<-EOT
		$(tail -n 1 "$dir/time")
		EOT
	fi
}

echo "peak memory measured with $how"
printf '%-8s %10s %9s %9s %9s %9s %11s\n' size bytes pairs wall_s cpu_s MB/s max_RSS_MiB
for size in ${SIZES:-100MiB 1GiB}; do
	har="$dir/$size.har"
	"$dir/auditbench" gen -size "$size" -o "$har" 2>/dev/null
	bytes=$(wc -c <"$har")
	measure "$har" "$bin" check --progress never
	pairs=$(tail -n 1 "$dir/out" | sed 's/ pairs:.*//')
	awk -v s="$size" -v b="$bytes" -v p="$pairs" -v w="$wall" -v c="$cpu" -v r="$rss" 'BEGIN {
		printf "%-8s %10d %9s %9.2f %9.2f %9.1f %11.1f\n", s, b, p, w, c, b / w / 1e6, r / 1024 }'
	rm -f "$har"
done

valid=${VALID-100MiB}
[ -n "$valid" ] || exit 0
echo
echo "valid pairs ($valid of the documentation's example): check beside the reader alone and the encoding/json floor"
printf '%-7s %-30s %9s %9s %9s %9s %11s %9s\n' format run entries wall_s cpu_s MB/s max_RSS_MiB x_floor
for format in har ndjson; do
	file="$dir/valid.$format"
	"$dir/auditbench" gen -valid -format "$format" -size "$valid" -o "$file" 2>/dev/null
	bytes=$(wc -c <"$file")
	measure "$file" "$dir/auditbench" floor
	floor=$(awk -v b="$bytes" -v w="$wall" 'BEGIN { print b / w / 1e6 }')
	# row LABEL: print the row of the last measure.
	row() {
		entries=$(sed -n 's/^\([0-9][0-9]*\) \(entries\|pairs\).*/\1/p' "$dir/out" | tail -n 1)
		awk -v f="$format" -v l="$1" -v b="$bytes" -v n="$entries" -v w="$wall" -v c="$cpu" -v r="$rss" -v fl="$floor" 'BEGIN {
			printf "%-7s %-30s %9s %9.2f %9.2f %9.1f %11.1f %9.2f\n", f, l, n, w, c, b / w / 1e6, r / 1024, b / w / 1e6 / fl }'
	}
	row "floor: encoding/json"
	measure "$file" "$dir/auditbench" read
	row "reader alone: recording.Read"
	measure "$file" "$dir/auditbench" read -batches
	row "reader, batches on all cores"
	measure "$file" "$bin" check --quiet --progress never
	row "check, embedded contract"
	if [ -f "$spec" ]; then
		measure "$file" "$bin" check --quiet --progress never --spec "$spec"
		row "check --spec (full spec)"
	fi
	rm -f "$file"
done
