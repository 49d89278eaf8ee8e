#!/bin/sh
# timeline.sh - how long `benchrun compare`, `plot` and `report` take on a
# results file whose run has one very long memory timeline (a 10,000 s run
# sampled every 10 ms is 1,000,000 samples).  Reading must be linear.
#
#   bench/timeline.sh BUILDDIR [SAMPLES ...]     (default 10000 100000 1000000)
#
# Makes a real results file with a short sync run, then python3 swaps its
# first run's timeline for SAMPLES samples (a random walk of PSS around
# 10 MiB); prints the file size and the wall time of each command.
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
ms() { # COMMAND...: wall milliseconds
	t0=$(date +%s%N); "$@" >/dev/null 2>&1 || echo "  ($* failed)" >&2
	t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 ))
}
echo "| samples | file MiB | compare s | plot s | report s |"
echo "|---|---|---|---|---|"
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
	c=$(ms $br compare big.json big.json)
	p=$(ms $br plot big.json -o big.svg)
	h=$(ms $br report big.json -o big.html)
	printf '| %s | %s | %s | %s | %s |\n' "$n" "$size" \
		"$(echo "scale=2; $c / 1000" | bc)" "$(echo "scale=2; $p / 1000" | bc)" \
		"$(echo "scale=2; $h / 1000" | bc)"
done
