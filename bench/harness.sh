#!/bin/sh
# bench/harness.sh - what benchrun itself adds to a measured run.
#
# Runs the `null` plugin (no I/O, reports nothing) with days: 0 so that
# everything measured is the harness: the run hook's measured wall (the
# floor of every strategy's wall), the memory the worker adds during the
# run, the fixed cost of a worker process, the time per run including
# fork/exec and the handshakes, and the sampler's CPU per sample.
#
# Usage: bench/harness.sh [BUILDDIR] [REPETITIONS] [SAMPLE_INTERVAL]
set -eu
builddir=${1:-build}
reps=${2:-30}
interval=${3:-10ms}
bin="$builddir/benchrun"
test -x "$bin" || { echo "no $bin: build first (or pass the build dir)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/harness.yaml" <<YAML
name: harness
workload: {days: 0}
server: {latency: {model: none}}
strategies:
  - plugin: "null"
runs: {repetitions: $reps, sample_interval: $interval}
YAML

# The same worker holding still for 2 s: the sampler's steady-state cost.
sed -e 's/name: harness/name: harness-hold/' \
    -e 's/plugin: "null"/plugin: "null"\n    params: {hold: 2s}/' \
    -e "s/repetitions: $reps/repetitions: 3/" \
    "$tmp/harness.yaml" > "$tmp/hold.yaml"
"$bin" -vv --plugin-path "$builddir/plugins/.libs" -o "$tmp/hold.json" \
	"$tmp/hold.yaml" >/dev/null 2>"$tmp/hold.txt" || {
	cat "$tmp/hold.txt" >&2; exit 1; }

t0=$(date +%s%N)
"$bin" -vv --plugin-path "$builddir/plugins/.libs" -o "$tmp/r.json" \
	"$tmp/harness.yaml" >"$tmp/table.txt" 2>"$tmp/err.txt" || {
	cat "$tmp/err.txt" >&2; exit 1; }
t1=$(date +%s%N)

python3 - "$tmp/r.json" "$tmp/hold.txt" "$reps" "$t0" "$t1" "$interval" <<'PY'
import json, re, statistics as st, sys
path, err, reps, t0, t1, interval = sys.argv[1:]
runs = json.load(open(path))["groups"][0]["runs"]
def med(key):
    return st.median(r[key] for r in runs)
MiB = 1024 * 1024
walls = [r["wall"] for r in runs]
print(f"runs:                       {len(runs)} (null plugin, days: 0)")
print(f"measured wall (floor):      median {st.median(walls)*1e6:.1f} us, "
      f"max {max(walls)*1e6:.1f} us")
print(f"memory added during run:    median "
      f"{med('tree_peak_pss') / MiB - med('baseline_pss') / MiB:+.3f} MiB PSS")
print(f"worker process (baseline):  {med('baseline_pss') / MiB:.2f} MiB PSS, "
      f"peak RSS {med('peak_rss') / MiB:.2f} MiB")
total = (int(t1) - int(t0)) / 1e9
print(f"whole benchrun:             {total:.3f} s, "
      f"{total / int(reps) * 1e3:.1f} ms per run (spawn, load, handshakes, "
      f"server start amortised)")
samples = [(int(m.group(1)), float(m.group(2)), float(m.group(3))) for m in
           re.finditer(r"sampler: (\d+) samples, ([0-9.]+) us CPU each, "
                       r"([0-9.]+)% of a core", open(err).read())]
if samples:
    n = st.median(s[0] for s in samples)
    c = st.median(s[1] for s in samples)
    share = st.median(s[2] for s in samples)
    print(f"sampler (2 s hold, {interval}): {n:.0f} samples per run, "
          f"{c:.1f} us CPU each, {share:.2f}% of a core")
PY
