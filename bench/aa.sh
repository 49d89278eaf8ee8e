#!/bin/sh
# bench/aa.sh - the A/A experiment: how often does benchrun call two
# identical strategies "different"?
#
# Runs N invocations of a scenario with two identical eventloop entries (A
# and B) and counts the invocations whose verdict line says B is faster or
# slower than A (wall time; and separately peak memory), for each run order
# asked for.  A 95% procedure should do so in about 5% of invocations: at
# most 2 of 20.  Then it compares consecutive invocations' results files
# with `benchrun compare --threshold 5` (Holm over every metric and group)
# and counts how many of those gates fail.
#
# Usage: bench/aa.sh [BUILDDIR] [N] [ORDERS] [REPETITIONS]
#   e.g. bench/aa.sh _build/main 20 "interleaved blocked" 5
set -eu
builddir=${1:-build}
n=${2:-20}
orders=${3:-interleaved}
reps=${4:-5}
bin="$builddir/benchrun"
test -x "$bin" || { echo "no $bin: build first (or pass the build dir)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for order in $orders; do
	cat > "$tmp/aa.yaml" <<YAML
name: aa
seed: 7
workload: {days: 100, trips: 5}
server: {latency: {model: lognormal, median: 5ms, p99: 20ms}}
strategies:
  - {plugin: eventloop, label: A, params: {concurrency: 10}}
  - {plugin: eventloop, label: B, params: {concurrency: 10}}
runs: {repetitions: $reps, warmup: 1, baseline: A, order: $order}
YAML
	wall=0 mem=0 gates=0 prev=
	for i in $(seq 1 "$n"); do
		"$bin" --plugin-path "$builddir/plugins/.libs" --no-color -q \
			"$tmp/aa.yaml" -o "$tmp/aa$i.json" > "$tmp/out$i.txt" 2>/dev/null || true
		# "  B: 1.09x slower than A (CI ...)" is a verdict of difference;
		# "  B: no difference detected (...)" is not.
		if grep -q '^  B: .*than A (CI' "$tmp/out$i.txt"; then
			wall=$((wall + 1))
			echo "  $order $i: $(grep '^  B: ' "$tmp/out$i.txt")"
		fi
		if grep -A1 '^  B: ' "$tmp/out$i.txt" | grep -q 'x \(more\|less\) (CI'; then
			mem=$((mem + 1))
		fi
		if [ -n "$prev" ] && ! "$bin" compare --no-color "$prev" "$tmp/aa$i.json" \
			--threshold 5 > "$tmp/cmp$i.txt" 2>&1; then
			gates=$((gates + 1))
			echo "  $order compare $((i - 1)) -> $i failed: $(grep -A3 'regression' "$tmp/cmp$i.txt" | tr '\n' ' ')"
		fi
		prev="$tmp/aa$i.json"
	done
	echo "order $order: $n invocations x $reps runs each: wall verdict 'different' in $wall/$n, peak memory in $mem/$n; compare --threshold 5 of consecutive files failed $gates/$((n - 1))"
done
