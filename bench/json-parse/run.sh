#!/bin/sh
# run.sh - why benchrun parses tickets with cJSON: build the same parse loop
# against cJSON, json-c and jansson and time 100,000 parses of one 20-trip
# ticket document (gen.py, ~5.5 KiB, the shape of a day's body).
#
#   bench/json-parse/run.sh [REPEATS]     (default 3 runs of each)
#
# Needs libcjson-dev, libjson-c-dev, libjansson-dev and python3.  Builds in
# a temporary directory; prints one line per run and a summary table.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repeats=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

cd "$work"
python3 "$here/gen.py"
cc="${CC:-cc} -O2 -I$here"
$cc -o cj "$here/cj.c" $(pkg-config --cflags --libs libcjson)
$cc -o jc "$here/jc.c" $(pkg-config --cflags --libs json-c)
$cc -o ja "$here/ja.c" $(pkg-config --cflags --libs jansson)
echo "document: $(wc -c < t.json) bytes, 100000 parses per run, $repeats runs"

# Interleaved, so that a change in machine load hits all three alike.
i=0
while [ "$i" -lt "$repeats" ]; do
	for prog in cj jc ja; do
		./$prog
	done
	i=$((i + 1))
done | tee runs.txt

echo
echo "| library | us of CPU per parse (min / median / max of $repeats) |"
echo "|---|---|"
for lib in cJSON json-c jansson; do
	grep "^$lib " runs.txt | awk '{print $2}' | sort -n | awk -v lib="$lib" '
		{ v[NR] = $1 }
		END { printf "| %s | %.1f / %.1f / %.1f |\n", lib, v[1], v[int((NR + 1) / 2)], v[NR] }'
done
