#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] - build the libFuzzer targets with clang
# (ASan+UBSan+fuzzer) straight from the core sources and run each for
# SECONDS (default 30), seeded from configs/, tests/data/ and rendered
# tickets.  Fails when a target finds a crash; the input is kept in
# _build/fuzz/ (turn it into a regression test in tests/data/).
# Prints libFuzzer's execution counts (recorded in BENCHMARKS.md).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-30}
out="$top/_build/fuzz"
mkdir -p "$out"
cd "$out"
command -v clang >/dev/null || { echo "fuzz: clang not installed, skipped"; exit 0; }

# config.h from a configured build tree, or a minimal one.
if [ -f "$top/_build/main/config.h" ]; then cp "$top/_build/main/config.h" .
else printf '#define _GNU_SOURCE 1\n#define PACKAGE_VERSION "fuzz"\n' > config.h; fi

srcs=$(ls "$top"/core/*.c "$top"/core/*/*.c | grep -v -E '/cli/')
flags="-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -I. -I$top/core \
	-DBR_PLUGINDIR=\"/nonexistent\" -DBR_DATADIR=\"/nonexistent\" \
	$(pkg-config --cflags libcurl yaml-0.1 libcjson libmicrohttpd)"
libs="$(pkg-config --libs libcurl yaml-0.1 libcjson libmicrohttpd simdjson) -ldl -lpthread -lm"

# The core's one C++ file (ticket JSON over simdjson), built once; the
# targets are then linked by clang++ for the C++ runtime.
cxxflags="-g -O1 -std=gnu++17 -fsanitize=fuzzer-no-link,address,undefined -I. -I$top/core \
	$(pkg-config --cflags simdjson)"
cxxobjs=
for cc in "$top"/core/*/*.cc; do
	o="$(basename "$cc" .cc).o"
	# shellcheck disable=SC2086
	clang++ $cxxflags -c -o "$o" "$cc"
	cxxobjs="$cxxobjs $o"
done

for target in scenario ticket; do
	# shellcheck disable=SC2086
	for c in "$top/tests/fuzz/${target}_fuzzer.c" $srcs; do
		clang $flags -c -o "obj-$(echo "$c" | tr / _).o" "$c"
	done
	# shellcheck disable=SC2086
	clang++ -fsanitize=fuzzer,address,undefined -o "${target}_fuzzer" obj-*.o $cxxobjs $libs
	rm -f obj-*.o
	corpus="corpus-$target"
	mkdir -p "$corpus"
	if [ $target = scenario ]; then
		cp "$top"/configs/*.yaml "$corpus/" 2>/dev/null || true
		find "$top/tests/data" -name '*.yaml' -exec cp {} "$corpus/" \; 2>/dev/null || true
	else
		find "$top/tests/data" -name '*.json' -exec cp {} "$corpus/" \; 2>/dev/null || true
		# Real tickets of 1, 20 and 200 trips, rendered by benchrun export.
		if [ -x "$top/_build/main/benchrun" ]; then
			for t in 1 20 200; do
				printf 'workload: {days: 1, trips: %s}\nstrategies: [sync]\n' $t > t.yaml
				"$top/_build/main/benchrun" -q export t.yaml "exp$t" >/dev/null 2>&1 &&
					find "exp$t" -type f -exec cp {} "$corpus/ticket-$t.json" \;
			done
		fi
		[ -n "$(ls "$corpus")" ] || printf '{"trips":[]}' > "$corpus/seed.json"
	fi
	echo "fuzz: $target for ${secs}s"
	if ! "./${target}_fuzzer" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
		-max_len=65536 "$corpus" 2> "$target.log"; then
		tail -40 "$target.log"
		echo "fuzz: $target found a problem; input saved in $out"
		exit 1
	fi
	grep -E '^Done [0-9]+ runs' "$target.log" | sed "s/^/fuzz: $target: /"
done
