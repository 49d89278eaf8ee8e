#!/bin/bash
# processing-bias.sh - how honest the client-CPU figure is: the worker's
# CPU per request with the core's ticket processing (as every run does it)
# and without it (BENCHRUN_BENCH_SKIP_PROCESSING=1: bodies are buffered as
# usual but neither parsed nor checked), side by side, interleaved.
#
#   bench/processing-bias.sh [-b BUILDDIR] [-p PLUGIN] [-c CONCS] [-n N] [-r PAIRS]
#
# Defaults: eventloop, concurrency 100,1000, N=30,000 requests, 5 pairs
# (on/off, then off/on, alternating, so that drift on a busy machine hits
# both sides alike).  The server is `benchrun serve` in its own process,
# no delay, keep-alive; its CPU is not counted.  Per concurrency it prints
# (medians over the pairs, µs of the worker's user+system CPU per request):
#
#   with      the run as users get it (cpu_user + cpu_sys)
#   proc      what the run reports as processing (cpu_processing: one
#             ticket in 16 timed with the thread CPU clock, scaled)
#   client    with - proc: the figure the reports call client CPU
#   without   the same run with processing skipped: the strategy's own
#             CPU, measured, not subtracted
#   bias      client - without: how much the client figure overstates
#             (positive) or understates the strategy; the median of the
#             per-pair differences, with their min..max
#
# BENCHRUN_BENCH_SKIP_PROCESSING exists for this script only: a run with
# it counts every 2xx body as a valid ticket.  Needs python3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=.
plugin=eventloop
concs=100,1000
n=30000
pairs=5
while getopts b:p:c:n:r:h opt; do
	case $opt in
	b) build=$OPTARG ;;
	p) plugin=$OPTARG ;;
	c) concs=$OPTARG ;;
	n) n=$OPTARG ;;
	r) pairs=$OPTARG ;;
	*) sed -n '2,27p' "$0"; exit 2 ;;
	esac
done
build=$(cd "$build" && pwd)
br="$build/benchrun --plugin-path $build/plugins/.libs"
[ -x "$build/benchrun" ] || { echo "processing-bias.sh: no benchrun in $build (-b BUILDDIR)" >&2; exit 2; }
ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true

work=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$work"' EXIT INT TERM
cd "$work"
printf 'name: srv\nworkload: {days: 100000, trips: 20}\nserver: {latency: {model: none}, max_connections: 20000}\nstrategies: [sync]\n' > srv.yaml
$br serve srv.yaml --port 0 > serve.log 2>&1 &
srv=$!
base=
for _ in $(seq 100); do
	base=$(sed -n 's|^serving .* at \(http://[^/]*\)/.*|\1|p' serve.log)
	[ -n "$base" ] && break
	sleep 0.1
done
[ -n "$base" ] || { echo "processing-bias.sh: benchrun serve did not start" >&2; cat serve.log >&2; exit 1; }

scenario() { # OUT.json: one strategy per concurrency, one repetition
	echo "name: bias"
	echo "workload: {days: $n, trips: 20}"
	echo "server: {url: \"$base/tickets/{route}/{date}\"}"
	echo "strategies:"
	for c in ${concs//,/ }; do
		echo "  - {plugin: $plugin, label: c$c, params: {concurrency: $c}}"
	done
	echo "runs: {repetitions: 1, warmup: 0, timeout: 600s}"
	echo "outputs: {json: $1}"
}

echo "<!-- bench/processing-bias.sh -p $plugin -c $concs -n $n -r $pairs, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores -->"
for k in $(seq "$pairs"); do
	if [ $((k % 2)) = 1 ]; then order="on off"; else order="off on"; fi
	for mode in $order; do
		scenario "$work/$mode$k.json" > "$mode$k.yaml"
		if [ "$mode" = off ]; then
			BENCHRUN_BENCH_SKIP_PROCESSING=1 $br -q "$mode$k.yaml" >/dev/null 2>>runs.log
		else
			$br -q "$mode$k.yaml" >/dev/null 2>>runs.log
		fi
	done
done
python3 - "$work" "$pairs" <<'PY'
import json, statistics, sys
work, pairs = sys.argv[1], int(sys.argv[2])

def runs(path):
    with open(path) as f:
        return {g["label"]: g["runs"][0] for g in json.load(f)["groups"]}

def us(r, key):
    return r[key] / r["requests"] * 1e6

rows = {}
for k in range(1, pairs + 1):
    on, off = runs("%s/on%d.json" % (work, k)), runs("%s/off%d.json" % (work, k))
    for label in on:
        a, b = on[label], off[label]
        for r in (a, b):
            if r.get("status") != "ok" or r.get("ok") != r.get("requests"):
                sys.exit("%s: a run failed: %s" % (label, r.get("reason")))
        cpu_a = (a["cpu_user"] + a["cpu_sys"]) / a["requests"] * 1e6
        cpu_b = (b["cpu_user"] + b["cpu_sys"]) / b["requests"] * 1e6
        proc = us(a, "cpu_processing")
        rows.setdefault(label, []).append(dict(
            with_=cpu_a, proc=proc, client=cpu_a - proc, without=cpu_b,
            bias=cpu_a - proc - cpu_b,
            rps_on=a["requests"] / a["wall"], rps_off=b["requests"] / b["wall"]))

print("| run | with processing | cpu_processing | client (with - proc) | without processing | bias (client - without) | req/s with / without |")
print("|---|---|---|---|---|---|---|")
for label, v in rows.items():
    m = lambda key: statistics.median(x[key] for x in v)
    bias = sorted(x["bias"] for x in v)
    print("| %s | %.1f | %.1f | %.1f | %.1f | %+.1f (%+.1f..%+.1f) | %.0f / %.0f |" % (
        label, m("with_"), m("proc"), m("client"), m("without"),
        m("bias"), bias[0], bias[-1], m("rps_on"), m("rps_off")))
PY
