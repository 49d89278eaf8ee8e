#!/bin/sh
# journal-bytes.sh - bytes benchrun writes for its results over a long sweep
# of cheap runs: linear (each run appended once to OUT.json.partial, the
# results file written once at the end) or quadratic (the results file
# rewritten whole after every run, as before the journal).
#
#   bench/journal-bytes.sh BENCHRUN PLUGINDIR [RUNS ...]   (default 100 300 1000)
#
# BENCHRUN is a benchrun binary (an older one to compare with), PLUGINDIR
# its plugins (BUILDDIR/plugins/.libs).  Each sweep is one strategy (sync,
# 1 request of 1 trip against the embedded server, no warm-up) repeated
# RUNS times.  benchrun's own process (not its workers or server) is traced
# with strace -y: the bytes of every write to a results file (out.json, its
# temporary files, out.json.partial), the fsync/fdatasync calls, and
# the wall time of the whole sweep.
set -eu
br=${1:?usage: journal-bytes.sh BENCHRUN PLUGINDIR [RUNS ...]}
plugins=${2:?usage: journal-bytes.sh BENCHRUN PLUGINDIR [RUNS ...]}
shift 2
[ $# -gt 0 ] || set -- 100 300 1000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
echo "| runs | results file KiB | bytes written to results files | per run KiB | fsyncs | wall s |"
echo "|---|---|---|---|---|---|"
for n in "$@"; do
	printf 'name: sweep\nworkload: {days: 1, trips: 1}\nserver: {latency: {model: none}}\nstrategies: [sync]\nruns: {repetitions: %d, warmup: 0}\n' \
		"$n" > "$work/s.yaml"
	rm -f "$work/out.json" "$work/trace"
	t0=$(date +%s%N)
	strace -qq -y -e trace=write,writev,pwrite64,fsync,fdatasync \
		-o "$work/trace" "$br" --plugin-path "$plugins" -q \
		-o "$work/out.json" "$work/s.yaml" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	python3 - "$work/trace" "$work/out.json" "$n" $(( (t1 - t0) / 1000000 )) <<'PY'
import os, re, sys
trace, out, n, ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
written = syncs = 0
for line in open(trace):
    m = re.match(r'(\w+)\((\d+)<([^>]*)>.*= (-?\d+)', line)
    if not m or os.path.basename(out) not in os.path.basename(m.group(3)):
        continue
    if m.group(1) in ("fsync", "fdatasync"):
        syncs += 1
    elif int(m.group(4)) > 0:
        written += int(m.group(4))
size = os.path.getsize(out)
print("| %d | %.0f | %.1f MiB | %.2f | %d | %.1f |" % (
    n, size / 1024, written / 2**20, written / n / 1024, syncs, ms / 1000))
PY
done
