#!/usr/bin/env bash
# bench/openload-lag.sh - how closely each plugin follows the open model's
# schedule: start lag (actual start - due) at a rate it sustains, from
# configs/open-load.yaml (100 ms server): every strategy at 8 req/s for
# 10 s (the sequential ones can do 10), and the concurrent ones at
# 1,000 req/s for 5 s.  Prints one table per rate.
#   bench/openload-lag.sh [BENCHRUN]      (default: _build/main/benchrun)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
br=${1:-_build/main/benchrun}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$br" -q configs/open-load.yaml --set 'sweep.rate=[8]' \
	--set workload.duration=10s -o "$out/slow.json" >/dev/null || true
"$br" -q configs/open-load.yaml --set 'sweep.rate=[1000]' \
	--set workload.duration=5s -o "$out/fast.json" \
	--set "strategies=[{label: py-threadpool, plugin: exec, params: {command: [/usr/bin/python3, '$top/examples/python/threadpool_requests.py'], concurrency: 200}}, {label: py-gevent, plugin: exec, params: {command: [/usr/bin/python3, '$top/examples/python/gevent_requests.py'], concurrency: 2000}}, {label: py-asyncio, plugin: exec, params: {command: [/usr/bin/python3, '$top/examples/python/asyncio_aiohttp.py'], concurrency: 2000}}, {plugin: threads, params: {concurrency: 2000, stack_size: 64KiB}}, {plugin: threadpool, params: {concurrency: 500, stack_size: 64KiB}}, {plugin: forkpool, params: {concurrency: 200}}, {plugin: greenlets, params: {concurrency: 2000}}, {plugin: eventloop, params: {concurrency: 2000}}, {plugin: libuv, params: {concurrency: 2000}}, {plugin: multiplex, params: {concurrency: 2000, connections: 4}}]" \
	>/dev/null || true

python3 - "$out/slow.json" "$out/fast.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    d = json.load(open(path))
    rate = None
    rows = []
    for g in d["groups"]:
        r = g["runs"][0]
        o = r.get("open", {})
        rate = o.get("offered_rate", rate)
        rows.append((g["label"], r["status"], o.get("kept_up"),
                     o.get("achieved_rate", 0), o.get("lag_p50", 0) * 1e3,
                     o.get("lag_p99", 0) * 1e3, o.get("lag_max", 0) * 1e3,
                     o.get("early_starts", 0),
                     r.get("service", {}).get("p50", 0) * 1e3,
                     r["latency"]["p99"] * 1e3))
    print("\n%s req/s offered\n" % rate)
    print("| strategy | status | kept up | achieved req/s | lag p50 | lag p99 | lag max | early | service p50 | response p99 |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for x in rows:
        print("| %s | %s | %s | %.1f | %.2f ms | %.1f ms | %.1f ms | %d | %.1f ms | %.1f ms |" % x)
PY
