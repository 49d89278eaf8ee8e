#!/bin/sh
# bench/sampler-cost.sh - what the run's sampler costs, and whether it keeps
# its interval, for trees of 1 to 1,000 processes (issue 12).
#
# Each point runs tests/plugins/calib_tree (built by `make check`): N
# children holding still for 2 s, sampled every 10 ms, once with the run's
# cgroup (where one can be made) and once with BENCHRUN_CGROUP=off.  It
# prints, per point, the sampler's CPU per tick and as a share of a core
# (benchrun's -vv line "sampler: N samples, X us CPU each, Y% of a core")
# and the spacing the samples achieved in the run hook (median / max,
# from the results file).
#
# Usage: bench/sampler-cost.sh [BUILDDIR] [SIZES...]   (default: 1 50 500 1000)
set -eu
builddir=${1:-_build/main}
shift 2>/dev/null || true
sizes=${*:-1 50 500 1000}
bin="$builddir/benchrun"
plugin="$builddir/tests/plugins/.libs/calib_tree.so"
test -x "$bin" && test -f "$plugin" || {
	echo "no $bin or $plugin: build and make check first" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| processes | instrument | samples | CPU per tick | share of a core | spacing median / max |"
echo "|---:|---|---:|---:|---:|---:|"
for n in $sizes; do
	for mode in on off; do
		cat > "$tmp/s.yaml" <<YAML
name: sampler-cost
workload: {days: 0}
server: {latency: {model: none}}
strategies:
  - plugin: $(cd "$(dirname "$plugin")" && pwd)/calib_tree.so
    params: {children: $n, mib: 0, hold: 2s}
runs: {repetitions: 1, sample_interval: 10ms, timeout: 120s}
YAML
		if [ $mode = off ]; then export BENCHRUN_CGROUP=off; else unset BENCHRUN_CGROUP; fi
		"$bin" -vv -o "$tmp/r.json" "$tmp/s.yaml" >/dev/null 2>"$tmp/err.txt" || {
			cat "$tmp/err.txt" >&2; exit 1; }
		python3 - "$tmp/r.json" "$tmp/err.txt" "$n" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
run = r["groups"][0]["runs"][0]
m = run.get("memory", {})
line = [l for l in open(sys.argv[2]) if "sampler:" in l][-1]
k = re.search(r"sampler: (\d+) samples, ([\d.]+) us CPU each, ([\d.]+)% of a core", line)
inst = "cgroup" if m.get("instrument") else "sampled"
print(f"| {int(sys.argv[3]) + 1} | {inst} | {k.group(1)} | {k.group(2)} us | "
      f"{k.group(3)}% | {m.get('interval_median', 0) * 1e3:.1f} / "
      f"{m.get('interval_max', 0) * 1e3:.0f} ms |")
PY
	done
done
