#!/bin/bash
# plugins.sh - what each strategy plugin costs, in three tables for
# BENCHMARKS.md ("Strategy plugins"):
#
#   1. latency-bound: N=10,000 requests, fixed 100 ms server delay,
#      concurrency 1,000 (ideal 1.0 s); sync runs N=100 and is extrapolated.
#   2. throughput-bound: N=100,000, no delay, keep-alive, concurrency 100
#      and 1,000: req/s and client CPU per request without the core's ticket
#      processing, next to wrk against the same server in the same run.
#      (client CPU = cpu - cpu_processing; bench/processing-bias.sh
#      measures how far that is from a run with processing skipped.)
#   3. memory per request in flight at concurrency 100, 1,000 and 10,000
#      (or what RLIMIT_NOFILE allows): the run's cgroup peak minus its
#      baseline (exact, the worker's tree only: the embedded server is not
#      in the group), per request; and the worker's peak RSS (VmHWM) minus
#      that at 10, per extra request.
#   4. receive buffer (recv_buffer, -s SIZES): for each size, memory per
#      request in flight at concurrency 1,000 (as in 3) and req/s and client
#      CPU at concurrency 100, no delay, N=30,000, all sizes in one scenario.
#
#   bench/plugins.sh [-b BUILDDIR] [-r REPS] [-t 1,2,3,4] [-p PLUGINS] [-k DIR]
#                    [-s 4KiB,6KiB,8KiB,12KiB,16KiB]
#
# -b: a configured build tree with benchrun and plugins (default: ./ if it
#     holds benchrun, else ./build); -r: repetitions per point (default 3,
#     medians are shown); -t: which tables; -p: comma-separated plugins
#     (default: every plugin `benchrun plugins` finds, minus null/exec/calib);
# -k: keep the scenarios and result files in DIR; -s: the recv_buffer
#     sizes of table 4 (only plugins with that parameter get the sweep).
# Needs wrk and python3.  Prints markdown on stdout, logs on stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=
reps=3
tables=1,2,3
only=
keep=
sizes=4KiB,6KiB,8KiB,12KiB,16KiB
while getopts b:r:t:p:k:s:h opt; do
	case $opt in
	b) build=$OPTARG ;;
	r) reps=$OPTARG ;;
	t) tables=$OPTARG ;;
	p) only=$OPTARG ;;
	k) keep=$OPTARG ;;
	s) sizes=$OPTARG ;;
	*) sed -n '2,27p' "$0"; exit 2 ;;
	esac
done
if [ -z "$build" ]; then
	if [ -x ./benchrun ]; then build=.; else build=$here/../build; fi
fi
build=$(cd "$build" && pwd)
br=$build/benchrun
[ -x "$br" ] || { echo "plugins.sh: no benchrun in $build (-b BUILDDIR)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "plugins.sh: wrk not found (apt-get install wrk)" >&2; exit 2; }

# 10,000 connections need ~20,000 descriptors (server and client side);
# root may raise the hard limit.
ulimit -Hn 65536 2>/dev/null && ulimit -Sn 65536 2>/dev/null || true

if [ -n "$keep" ]; then
	mkdir -p "$keep" && work=$(cd "$keep" && pwd)
else
	work=$(mktemp -d)
fi
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	[ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT INT TERM
log() { echo "plugins.sh: $*" >&2; }

# Plugins and whether each declares `concurrency` and `recv_buffer`.
"$br" plugins > "$work/plugins.txt"
awk '/^[a-z0-9_]+  \(/ { p = $1 } p && $1 == "concurrency" { c[p] = 1 }
     p && $1 == "recv_buffer" { b[p] = 1 }
     /^[a-z0-9_]+  \(/ { print $1 }
     END { for (p in c) print p > "'"$work/conc.txt"'"
           for (p in b) print p > "'"$work/rbuf.txt"'" }' \
	"$work/plugins.txt" | grep -Ev '^(null|exec|calib.*)$' > "$work/all.txt"
if [ -n "$only" ]; then tr , '\n' <<<"$only" > "$work/all.txt"; fi
has_conc() { grep -qx "$1" "$work/conc.txt"; }
has_rbuf() { [ -f "$work/rbuf.txt" ] && grep -qx "$1" "$work/rbuf.txt"; }
plugins=$(cat "$work/all.txt")
log "plugins: $(echo $plugins)"

# scenario FILE DAYS LATENCY SERVER-EXTRA STRATEGIES...: one strategy per
# "label:plugin:concurrency" argument (concurrency "-" = none).
scenario() {
	local file=$1 days=$2 lat=$3 extra=$4 s label plugin conc
	shift 4
	{
		echo "name: $(basename "$file" .yaml)"
		echo "workload: {days: $days, trips: 20}"
		echo "server:"
		echo "  latency: $lat"
		echo "  max_connections: 20000"
		[ -n "$extra" ] && echo "  $extra"
		echo "strategies:"
		for s in "$@"; do
			IFS=: read -r label plugin conc <<<"$s"
			echo "  - {plugin: $plugin, label: $label$([ "$conc" != - ] && echo ", params: {concurrency: $conc}")}"
		done
		echo "runs: {repetitions: $reps, timeout: 600s, tolerate_errors: true}"
		echo "outputs: {json: ${file%.yaml}.json}"
	} > "$file"
}

run() { # SCENARIO: run it, keep going when a strategy fails
	log "running $(basename "$1") ($(grep -c 'plugin:' "$1") strategies x $reps)"
	local rc=0
	"$br" -q "$1" >&2 || rc=$?
	[ $rc = 0 ] || log "$(basename "$1"): benchrun exit $rc (see above)"
}

fmt() { python3 "$here/plugins_table.py" "$@"; }

echo "<!-- bench/plugins.sh -r $reps -t $tables, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r) -->"

# ---- 1. latency-bound ----------------------------------------------------
if [[ $tables == *1* ]]; then
	args=()
	for p in $plugins; do
		[ "$p" = sync ] && continue
		has_conc "$p" && args+=("$p:$p:1000") || args+=("$p:$p:-")
	done
	scenario "$work/lat.yaml" 10000 "{model: fixed, value: 100ms}" "" "${args[@]}"
	run "$work/lat.yaml"
	if grep -qx sync <<<"$plugins"; then
		scenario "$work/lat_sync.yaml" 100 "{model: fixed, value: 100ms}" "" "sync:sync:-"
		run "$work/lat_sync.yaml"
	fi
	fmt latency "$work/lat.json" "$work/lat_sync.json"
fi

# ---- 2. throughput-bound, next to wrk ------------------------------------
if [[ $tables == *2* ]]; then
	cat > "$work/srv.yaml" <<-EOF
	name: srv
	workload: {days: 100000, trips: 20}
	server: {latency: {model: none}, max_connections: 20000}
	strategies: [{plugin: sync}]
	EOF
	# an ephemeral port, read back from the server's first line
	"$br" serve "$work/srv.yaml" --port 0 >"$work/serve.log" 2>&1 &
	srv_pid=$!
	base=
	for _ in $(seq 100); do
		base=$(sed -n 's|^serving .* at \(http://[^/]*\)/.*|\1|p' "$work/serve.log")
		[ -n "$base" ] && curl -fs "$base/_benchrun/stats" >/dev/null && break
		sleep 0.1
	done
	[ -n "$base" ] && curl -fs "$base/_benchrun/stats" >/dev/null ||
		{ log "benchrun serve did not start:"; cat "$work/serve.log" >&2; exit 1; }
	url=$base/tickets/MOW-LED/2026-01-01
	: > "$work/wrk.txt"
	for c in 100 1000; do
		args=()
		for p in $plugins; do
			if has_conc "$p"; then args+=("$p@$c:$p:$c")
			elif [ "$c" = 100 ]; then args+=("$p:$p:-"); fi
		done
		scenario "$work/tput$c.yaml" 100000 "{model: none}" \
			"url: \"$base/tickets/{route}/{date}\"" "${args[@]}"
		sed -i 's/^  max_connections: 20000$//' "$work/tput$c.yaml"
		# wrk first and last, on the same server, one thread like the
		# event loops; its CPU from the shell's child rusage.
		for when in before after; do
			[ $when = after ] && run "$work/tput$c.yaml"
			out=$( { TIMEFORMAT='%U %S'; time wrk -t1 -c$c -d5s "$url" >"$work/wrk.out"; } 2>&1 ) ||
				log "wrk -c$c failed: $out"
			echo "$c $when $(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out") $(awk '/requests in/ {print $1}' "$work/wrk.out") $out" >> "$work/wrk.txt"
		done
	done
	kill "$srv_pid"; wait "$srv_pid" 2>/dev/null || true; srv_pid=
	fmt throughput "$work/wrk.txt" "$work/tput100.json" "$work/tput1000.json"
fi

# ---- 3. memory per request in flight --------------------------------------
# The delay holds every slot busy at once: two rounds of `c` requests, each
# held long enough for the last connection of a round to be made before the
# first response (10,000 connections take ~1-2 s to open on 2 busy cores).
hold() { [ "$1" -gt 1000 ] && echo 4s || echo 2s; }
# The most transfers a plugin can hold under RLIMIT_NOFILE: one socket
# each, three for the thread plugins (curl's wakeup pair per handle).
cap() {
	local lim per=1
	lim=$(ulimit -n)
	[ "$lim" = unlimited ] && lim=1048576
	case $1 in threads|threadpool) per=3 ;; forkpool) echo 1000; return ;; esac
	echo $(( (lim - 64) / per / 1000 * 1000 ))
}
if [[ $tables == *3* ]]; then
	files=()
	for c in 10 100 1000 10000; do
		args=()
		for p in $plugins; do
			has_conc "$p" || continue
			m=$(cap "$p")
			cc=$c
			if [ "$c" -gt "$m" ]; then
				[ "$c" -gt 1000 ] || continue
				cc=$m
				log "$p: RLIMIT_NOFILE $(ulimit -n) holds $m, not $c"
			fi
			args+=("$p@$c:$p:$cc")
		done
		scenario "$work/mem$c.yaml" $((2 * c)) "{model: fixed, value: $(hold $c)}" "" "${args[@]}"
		run "$work/mem$c.yaml"
		files+=("$work/mem$c.json")
	done
	fmt memory "${files[@]}"
fi

# ---- 4. receive buffer sweep ----------------------------------------------
if [[ $tables == *4* ]]; then
	mem=() tput=()
	for p in $plugins; do
		has_rbuf "$p" && has_conc "$p" || continue
		for sz in $(tr , ' ' <<<"$sizes"); do
			mem+=("$p/$sz:$p:1000, recv_buffer: $sz")
			tput+=("$p/$sz:$p:100, recv_buffer: $sz")
		done
	done
	scenario "$work/rbuf_mem.yaml" 2000 "{model: fixed, value: 2s}" "" "${mem[@]}"
	run "$work/rbuf_mem.yaml"
	scenario "$work/rbuf_tput.yaml" 30000 "{model: none}" "" "${tput[@]}"
	run "$work/rbuf_tput.yaml"
	fmt recvbuf "$work/rbuf_mem.json" "$work/rbuf_tput.json"
fi
