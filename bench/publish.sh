#!/usr/bin/env bash
# bench/publish.sh - regenerate the README's "Results on a 2-core machine":
# run configs/seed.yaml and configs/scaling.yaml with benchrun itself, draw
# the plots, and replace the section between the RESULTS markers in
# README.md with the tables, the pictures and the commands that made them.
#   bench/publish.sh [BENCHRUN]       (default: _build/main/benchrun)
# Environment: SCALING_DAYS (default 20000) to shorten the sweep.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
br=${1:-_build/main/benchrun}
days=${SCALING_DAYS:-20000}
out=docs/results
mkdir -p "$out"

run() { echo "+ $*" >&2; "$@"; }

run "$br" -q configs/seed.yaml -o "$out/seed.json" | tee "$out/seed.txt" || true
run "$br" plot "$out/seed.json" -o "$out/seed.png"
run "$br" -q configs/scaling.yaml --set workload.days="$days" -o "$out/scaling.json" \
	| tee "$out/scaling.txt" || true
run "$br" plot "$out/scaling.json" -o "$out/scaling.png"
run "$br" -q configs/open-load.yaml -o "$out/open-load.json" \
	> "$out/open-load.txt" || true
run "$br" plot "$out/open-load.json" -o "$out/open-load.png"

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
section=$(mktemp)
{
	echo "## Results on a 2-core machine"
	echo
	echo "Produced by \`bench/publish.sh\` on $(date -u +%Y-%m-%d) ($machine)."
	echo "Loopback, embedded server, on a machine shared with other jobs: absolute times are noisy."
	echo "Runs are interleaved (each round runs every strategy once); every ± and CI is a 95% confidence"
	echo "interval over the runs, and ratios without a CI (fewer than 3 runs) carry no verdict."
	echo
	echo "### The original experiment: \`benchrun configs/seed.yaml\`"
	echo
	echo '```'
	cat "$out/seed.txt"
	echo '```'
	echo
	echo "![memory over time, time and memory per strategy](docs/results/seed.png)"
	echo
	echo "### Scaling: \`benchrun configs/scaling.yaml --set workload.days=$days\`"
	echo
	echo '```'
	cat "$out/scaling.txt"
	echo '```'
	echo
	echo "![time and memory against concurrency](docs/results/scaling.png)"
	echo
	echo "### The open model: \`benchrun configs/open-load.yaml\`"
	echo
	echo "Every strategy offered 500 to 16,000 req/s for 2 s against 100 ms;"
	echo "the full table is [docs/results/open-load.txt](docs/results/open-load.txt)."
	echo
	echo "![response time against achieved rate, CPU and memory against offered rate](docs/results/open-load.png)"
	echo
	[ -f "$out/open-load-notes.md" ] && cat "$out/open-load-notes.md"
	echo
	[ -f "$out/notes.md" ] && cat "$out/notes.md"
} > "$section"

python3 - "$section" <<'PY'
import re, sys
section = open(sys.argv[1]).read()
readme = open("README.md").read()
start, end = "<!-- RESULTS -->", "<!-- /RESULTS -->"
if end in readme:
    readme = re.sub(re.escape(start) + ".*?" + re.escape(end),
                    start + "\n" + section + end, readme, flags=re.S)
else:
    readme = readme.replace(start, start + "\n" + section + end, 1)
open("README.md", "w").write(readme)
PY
rm -f "$section"
echo "README.md updated; commit $out/ with it." >&2
