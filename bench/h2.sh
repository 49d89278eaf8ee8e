#!/bin/bash
# h2.sh - HTTP/2 multiplexing against HTTP/1.1 connections, side by side
# in one benchrun run against the same embedded server (server.http2):
# the multiplex strategy (one connection, `concurrency` streams) and
# eventloop (`concurrency` connections), N requests at a fixed delay, at
# two concurrencies.  Prints a Markdown table: wall, client CPU per request
# (all the worker's CPU over the requests, core processing included),
# memory per request in flight (the tree's peak over its baseline, divided
# by the concurrency; the cgroup's figure where the kernel gives one,
# else the sampled PSS), and the most streams the server saw at once on
# one connection.
#
#   bench/h2.sh [-b BUILDDIR] [-n REQUESTS] [-d DELAY] [-r REPS]
set -euo pipefail
build=_build/main n=10000 delay=100ms reps=3
while getopts b:n:d:r: opt; do
	case $opt in
	b) build=$OPTARG ;; n) n=$OPTARG ;; d) delay=$OPTARG ;; r) reps=$OPTARG ;;
	*) sed -n '2,14p' "$0"; exit 2 ;;
	esac
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat > "$out/h2.yaml" <<YAML
name: h2-bench
workload: {days: $n, trips: 20}
server: {http2: true, latency: {model: fixed, value: $delay}}
strategies:
  - {plugin: multiplex, label: multiplex, params: {connections: 1}}
  - {plugin: eventloop, label: eventloop}
sweep: {concurrency: [100, 1000]}
runs: {repetitions: $reps, timeout: 120s}
YAML
"$build/benchrun" -q "$out/h2.yaml" -o "$out/h2.json" >&2
/usr/bin/python3 - "$out/h2.json" <<'PY'
import json, statistics as st, sys
d = json.load(open(sys.argv[1]))
print("| strategy | concurrency | wall (median) | CPU per request | memory per request in flight | streams at once on one connection |")
print("|---|---|---|---|---|---|")
for g in d["groups"]:
    runs = [r for r in g["runs"] if r["status"] == "ok"]
    if not runs:
        print("| %s | %s | failed | | | |" % (g["label"], g["point"]))
        continue
    c = g["concurrency"]
    wall = st.median(r["wall"] for r in runs)
    cpu = st.median((r["cpu_user"] + r["cpu_sys"]) / r["requests"] for r in runs)
    def grow(r):
        m = r.get("memory") or {}
        if m.get("instrument") == 1 and m.get("tree_peak", 0) > 0:
            return m["tree_peak"] - m["tree_baseline"]
        return r["tree_peak_pss"] - r["baseline_pss"]
    mem = st.median(grow(r) for r in runs) / c
    streams = max(r["server"].get("h2_max_streams", 0) for r in runs)
    print("| %s | %d | %.3f s | %.1f µs | %.1f KiB | %d |" % (
        g["label"], c, wall, cpu * 1e6, mem / 1024, streams))
PY
