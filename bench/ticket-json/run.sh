#!/bin/sh
# run.sh - what full validation of a ticket costs with each JSON library
# benchrun could use (cJSON, cJSON over an arena, yajl, simdjson), and what
# the core's own processing costs (simdjson + checks + summary).
#
#   bench/ticket-json/run.sh BUILDDIR [REPEATS]    (default 3)
#
# The ticket is day 0 of a 20-trip workload (4,974 bytes), rendered by
# `benchrun export`.  Each program parses it R times and reads the fields
# the summary needs; CPU time per ticket (min / median / max of REPEATS
# interleaved runs), then instructions per ticket from callgrind (the
# difference between 101 and 1 parses, divided by 100: repeatable on a
# busy machine, unlike time).  Needs libcjson-dev, libyajl-dev,
# libsimdjson-dev and valgrind.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run.sh BUILDDIR [REPEATS]}" && pwd)
repeats=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"

printf 'seed: 42\nworkload: {days: 1, trips: 20}\nstrategies: [sync]\n' > t.yaml
"$build/benchrun" -q export t.yaml exp >/dev/null
cp "$(find exp -type f | head -1)" ticket.json

cc="${CC:-cc} -O2 -std=gnu11 -I$here"
$cc -o cjson "$here/cjson.c" $(pkg-config --cflags --libs libcjson)
$cc -o cjson_arena "$here/cjson_arena.c" $(pkg-config --cflags --libs libcjson)
$cc -o yajl "$here/yajl.c" $(pkg-config --cflags --libs yajl)
${CXX:-c++} -O2 -I"$here" -o simdjson "$here/simdjson.cc" $(pkg-config --cflags --libs simdjson)
$cc -I"$build" -I"$here/../../core" -c -o core.o "$here/core.c"
${CXX:-c++} -o core core.o "$build/core/.libs/libbrcore.a" \
	$(pkg-config --libs libcurl yaml-0.1 libcjson libmicrohttpd simdjson) -lm -lpthread
progs="cjson cjson_arena yajl simdjson core"
echo "ticket: $(wc -c < ticket.json) bytes, 20000 parses per run, $repeats runs"

i=0
while [ "$i" -lt "$repeats" ]; do
	for p in $progs; do ./$p ticket.json; done
	i=$((i + 1))
done > runs.txt

for p in $progs; do
	for r in 1 101; do
		valgrind --tool=callgrind --callgrind-out-file="cg.$p.$r" \
			./$p ticket.json $r >/dev/null 2>&1
	done
	a=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "cg.$p.1")
	b=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "cg.$p.101")
	echo "$p $(( (b - a) / 100 ))" >> instr.txt
done

echo "| program | us of CPU per ticket (min / median / max) | instructions per ticket |"
echo "|---|---|---|"
for p in $progs; do
	name=$(./$p ticket.json 0 | cut -d' ' -f1)
	times=$(grep "^$name " runs.txt | awk '{print $2}' | sort -n | awk '
		{ v[NR] = $1 }
		END { printf "%.1f / %.1f / %.1f", v[1], v[int((NR + 1) / 2)], v[NR] }')
	echo "| $name | $times | $(awk -v p="$p" '$1 == p { printf "%dk", $2 / 1000 }' instr.txt) |"
done
