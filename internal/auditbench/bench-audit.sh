#!/bin/sh
# bench-audit.sh BINARY: check generated HARs of 100 MiB and 1 GiB with BINARY
# (contractcheck) and print, side by side, the time, the throughput and the
# peak resident memory of each run. The HARs go to a temporary directory that
# is removed however the script ends. Run by `make bench-audit`. SIZES
# overrides the sizes ("100MiB 1GiB"); TIME_BIN the GNU time to use (when it
# is missing, auditbench measure reads the rusage of the child instead).
set -eu
bin=$1
go=${GO:-go}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM

timebin=${TIME_BIN:-/usr/bin/time}
if [ -x "$timebin" ] && "$timebin" -f '%e' true >/dev/null 2>&1; then
	how="GNU time ($timebin -v)"
else
	how='auditbench measure (rusage of the child: /usr/bin/time is missing or not GNU time)'
fi
echo "peak memory measured with $how"
printf '%-8s %10s %9s %9s %9s %9s %11s\n' size bytes pairs wall_s cpu_s MB/s max_RSS_MiB
for size in ${SIZES:-100MiB 1GiB}; do
	har="$dir/$size.har"
	$go run ./internal/auditbench gen -size "$size" -o "$har" 2>/dev/null
	bytes=$(wc -c <"$har")
	if [ "$how" != "${how#GNU}" ]; then
		# -v also prints the user and system time; exit 1 (pairs failed) is expected.
		"$timebin" -v -o "$dir/time" "$bin" check --progress never "$har" >"$dir/report" 2>/dev/null || true
		wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time" |
			awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
		cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$dir/time")
		rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
	else
		$go build -o "$dir/auditbench" ./internal/auditbench
		"$dir/auditbench" measure -- "$bin" check --progress never "$har" >"$dir/report" 2>"$dir/time" || true
		read -r wall rss cpu code <<-EOT
		$(tail -n 1 "$dir/time")
		EOT
	fi
	pairs=$(tail -n 1 "$dir/report" | sed 's/ pairs:.*//')
	awk -v s="$size" -v b="$bytes" -v p="$pairs" -v w="$wall" -v c="$cpu" -v r="$rss" 'BEGIN {
		printf "%-8s %10d %9s %9.2f %9.2f %9.1f %11.1f\n", s, b, p, w, c, b / w / 1e6, r / 1024 }'
	rm -f "$har"
done
