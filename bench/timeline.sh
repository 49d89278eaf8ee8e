#!/bin/sh
# timeline.sh - how long `benchrun compare`, `plot`, `report` and `merge`
# take on a results file whose runs have very long memory timelines (a
# 10,000 s run sampled every 10 ms is 1,000,000 samples).  Reading must be
# linear: each row should cost ~10x the one before.
#
#   bench/timeline.sh BUILDDIR [SAMPLES ...]     (default 10000 100000 1000000)
#
# Makes a real results file with a short run of two strategies, then
# python3 swaps both runs' timelines for SAMPLES samples each (a random
# walk of PSS around 10 MiB), written whole as a benchrun before the
# write-side thinning did (timeline.h): so the file has 2 x 5 x SAMPLES
# numbers.  Prints the file size and, per command, wall seconds and in
# brackets CPU seconds (user + sys of benchrun and its children):
#   compare  compare FILE FILE (reads the file twice)
#   plot     plot FILE -o x.svg with BENCHRUN_GNUPLOT a stand-in that
#            writes an empty picture: benchrun's part only (read, thin to
#            4,000 points per strategy, write the script and data);
#            gnuplot's own drawing is not counted
#   +gnuplot the same with gnuplot drawing the SVG
#   report   report FILE -o x.html (the HTML page)
#   merge    merge FILE -o y.json (read, then write: thinned to 10,000
#            samples per run)
# Run it alone (flock /work/measure.lock bench/timeline.sh ...) and say how
# loaded the machine was: on a loaded machine wall time is CPU time times
# the queue, and the CPU seconds are the figure to compare.
set -eu
build=$(cd "${1:?usage: timeline.sh BUILDDIR [SAMPLES ...]}" && pwd)
shift
[ $# -gt 0 ] || set -- 10000 100000 1000000
br="$build/benchrun --plugin-path $build/plugins/.libs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"
printf 'name: tl\nworkload: {days: 20}\nserver: {latency: {model: none}}\nstrategies: [sync, eventloop]\nruns: {repetitions: 1}\n' > tl.yaml
$br -q -o small.json tl.yaml >/dev/null
printf '#!/bin/sh\necho "<svg/>" > picture.svg\n' > nognuplot
chmod +x nognuplot
t() { # COMMAND...: "wall (cpu)" in seconds
	/usr/bin/time -f '%e %U %S' -o time.txt "$@" >/dev/null 2>&1 ||
		echo "  ($* failed)" >&2
	awk '{ printf "%.2f (%.2f)", $1, $2 + $3 }' time.txt
}
echo "| samples | file MiB | compare s | plot s | +gnuplot s | report s | merge s |"
echo "|---|---|---|---|---|---|---|"
for n in "$@"; do
	python3 - "$n" <<'PY'
import json, random, sys
n = int(sys.argv[1])
d = json.load(open("small.json"))
random.seed(1)
pss, t, p, r = 10 << 20, [], [], []
for i in range(n):
    pss = max(1 << 20, pss + random.randint(-4096, 4096))
    t.append(round(i * 0.01, 3)); p.append(pss); r.append(pss + (2 << 20))
for g in d["groups"]:
    g["runs"][0]["timeline"] = {"t": t, "pss": p, "rss": r,
                                "threads": [1] * n, "procs": [1] * n}
json.dump(d, open("big.json", "w"))
PY
	size=$(du -m big.json | cut -f1)
	c=$(t $br compare big.json big.json)
	p=$(export BENCHRUN_GNUPLOT="$work/nognuplot"; t $br plot big.json -o big.svg)
	g=$(t $br plot big.json -o big.svg)
	h=$(t $br report big.json -o big.html)
	m=$(t $br merge big.json -o merged.json)
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$size" "$c" "$p" \
		"$g" "$h" "$m"
done
