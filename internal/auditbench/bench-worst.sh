#!/bin/sh
# bench-worst.sh BINARY: check the worst cases for memory that the README's
# Reliability section measures (a HAR whose log.comment is 1 GiB, a HAR of 64
# entries of 60 MiB, NDJSON of 64 lines of 60 MiB) with BINARY (contractcheck)
# and print the time and peak resident memory of each. The files (about
# 9 GB) go to a temporary directory that is removed however the script ends.
# Run by `make bench-worst`. KINDS overrides the kinds ("comment entries
# ndjson").
set -eu
bin=$1
go=${GO:-go}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM

timebin=${TIME_BIN:-/usr/bin/time}
if ! "$timebin" -f '%e' true >/dev/null 2>&1; then
	echo "bench-worst: needs GNU time at $timebin (or TIME_BIN)" >&2
	exit 2
fi
$go build -o "$dir/auditbench" ./internal/auditbench
printf '%-8s %12s %8s %9s %11s\n' kind bytes pairs wall_s max_RSS_MiB
for kind in ${KINDS:-comment entries ndjson}; do
	file="$dir/$kind"
	"$dir/auditbench" worst -kind "$kind" -o "$file"
	bytes=$(wc -c <"$file")
	"$timebin" -v -o "$dir/time" "$bin" check --progress never "$file" >"$dir/report" 2>/dev/null || true
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
	pairs=$(tail -n 1 "$dir/report" | sed 's/ pairs\{0,1\}:.*//')
	awk -v k="$kind" -v b="$bytes" -v p="$pairs" -v w="$wall" -v r="$rss" 'BEGIN {
		printf "%-8s %12.0f %8s %9.2f %11.1f\n", k, b, p, w, r / 1024 }'
	rm -f "$file"
done
