#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] - build the libFuzzer targets with clang
# (ASan+UBSan+fuzzer) straight from the sources (no configured build
# needed: a minimal config.h is written here) and run each for SECONDS
# (default 10), seeded from configs/, tests/data/ and rendered tickets.
# Targets: scenario (YAML + --set), ticket (bodies), results (the results
# reader), plot (gnuplot quoting and brc_sanitize), exec (the exec
# plugin's record parser), forkpool (forkpool's wire format).
# Fails when a target finds a crash (the input is kept in _build/fuzz/:
# turn it into a regression test in tests/data/), and when clang is
# missing: a CI job that fuzzes nothing must not say ok.  Set
# BR_FUZZ_OPTIONAL=1 to skip instead.  BR_FUZZ_TARGETS limits the targets.
# Prints libFuzzer's execution counts (recorded in BENCHMARKS.md).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-10}
out="$top/_build/fuzz"
targets=${BR_FUZZ_TARGETS:-scenario ticket results plot exec forkpool}
mkdir -p "$out"
cd "$out"
if ! command -v clang >/dev/null || ! command -v clang++ >/dev/null; then
	if [ "${BR_FUZZ_OPTIONAL:-0}" = 1 ]; then
		echo "fuzz: clang not installed, skipped (BR_FUZZ_OPTIONAL=1)"
		exit 0
	fi
	echo "fuzz: clang and clang++ are required (apt-get install clang);" \
		"BR_FUZZ_OPTIONAL=1 skips" >&2
	exit 1
fi

# Our own config.h: what the core needs from configure, nothing else.
cat > config.h <<'H'
#define _GNU_SOURCE 1
#define PACKAGE_VERSION "fuzz"
#define BR_GNUPLOT "gnuplot"
H

pc="libcurl yaml-0.1 libcjson libmicrohttpd"
pkg-config --exists libnghttp2 && pc="$pc libnghttp2"
flags="-g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined -I. -I$top/core \
	-I$top/plugins -DBR_PLUGINDIR=\"/nonexistent\" -DBR_DATADIR=\"/nonexistent\" \
	$(pkg-config --cflags $pc)"
libs="$(pkg-config --libs $pc simdjson) -ldl -lpthread -lm"
cxxflags="-g -O1 -std=gnu++17 -fsanitize=fuzzer-no-link,address,undefined -I. -I$top/core \
	$(pkg-config --cflags simdjson)"

# The core (without the command line) once, as an archive; its C++ file
# (ticket JSON over simdjson) too; targets are linked by clang++.
rm -f core.a ./*.o
for c in "$top"/core/*.c "$top"/core/*/*.c; do
	case "$c" in */cli/*) continue ;; esac
	# shellcheck disable=SC2086
	clang $flags -c -o "core-$(echo "${c#"$top"/}" | tr / _).o" "$c"
done
for cc in "$top"/core/*/*.cc; do
	[ -e "$cc" ] || continue
	# shellcheck disable=SC2086
	clang++ $cxxflags -c -o "core-$(basename "$cc" .cc).o" "$cc"
done
ar rcs core.a core-*.o
rm -f core-*.o

# The plugin-side sources a target needs besides the core.
extra() {
	case $1 in
	exec) echo "$top/plugins/exec_proto.c" ;;
	forkpool) echo "$top/plugins/forkpool_wire.c $top/plugins/brcurl.c" ;;
	esac
}

seed() { # target corpus-dir
	case $1 in
	scenario)
		cp "$top"/configs/*.yaml "$2/" 2>/dev/null || true
		find "$top/tests/data" -name '*.yaml' -exec cp {} "$2/" \; 2>/dev/null || true ;;
	ticket)
		find "$top/tests/data" -name '*.json' -exec cp {} "$2/" \; 2>/dev/null || true
		# Real tickets of 1, 20 and 200 trips, rendered by benchrun export.
		if [ -x "$top/_build/main/benchrun" ]; then
			for t in 1 20 200; do
				printf 'workload: {days: 1, trips: %s}\nstrategies: [sync]\n' $t > t.yaml
				"$top/_build/main/benchrun" -q export t.yaml "exp$t" >/dev/null 2>&1 &&
					find "exp$t" -type f -exec cp {} "$2/ticket-$t.json" \;
			done
		fi ;;
	results)
		find "$top/docs/results" "$top/tests/data" -name '*.json' \
			-size -64k -exec cp {} "$2/" \; 2>/dev/null || true ;;
	plot)
		printf "x' . system('id') . '" > "$2/quote"
		printf 'x\nsystem("id")\n#\033[31m\xc2\x9b' > "$2/newline" ;;
	exec)
		printf '\001start 1\nbody 1 200 3\nabc\nsummary 2 200 trips=1\nerror 3 0 refused\nlog hi\n' \
			> "$2/records" ;;
	forkpool)
		printf 'x' > "$2/short" ;;
	esac
	[ -n "$(ls "$2")" ] || printf 'x' > "$2/seed"
}

# One input taking over 5 s is a finding (a hang or a blow-up); on a
# loaded machine CI scales that as it scales the tests' hang deadlines
# (CK_TIMEOUT_MULTIPLIER, tests/run-all.sh), so that busy cores are not one.
unit_timeout=$(awk -v m="${CK_TIMEOUT_MULTIPLIER:-1}" 'BEGIN { m += 0; printf "%d", 5 * (m > 1 ? m : 1) }')
for target in $targets; do
	# shellcheck disable=SC2086,SC2046
	clang $flags -c -o "$target.o" "$top/tests/fuzz/${target}_fuzzer.c"
	objs="$target.o"
	for c in $(extra "$target"); do
		# shellcheck disable=SC2086
		clang $flags -c -o "$target-$(basename "$c" .c).o" "$c"
		objs="$objs $target-$(basename "$c" .c).o"
	done
	# shellcheck disable=SC2086
	clang++ -fsanitize=fuzzer,address,undefined -o "${target}_fuzzer" $objs core.a $libs
	rm -f $objs
	corpus="corpus-$target"
	mkdir -p "$corpus"
	seed "$target" "$corpus"
	echo "fuzz: $target for ${secs}s"
	if ! "./${target}_fuzzer" -max_total_time="$secs" -timeout="$unit_timeout" -rss_limit_mb=2048 \
		-max_len=65536 "$corpus" 2> "$target.log"; then
		tail -40 "$target.log"
		echo "fuzz: $target found a problem; input saved in $out"
		exit 1
	fi
	grep -E '^Done [0-9]+ runs' "$target.log" | sed "s/^/fuzz: $target: /"
done
