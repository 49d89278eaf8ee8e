#!/usr/bin/env bash
# tests/run-all.sh - build benchrun and run every test job, failing on the
# first failure.  Jobs (each in its own build directory under _build/):
#   main       ./configure && make && make check (the make check only
#              when distcheck is not among the jobs: it runs the same)
#   distcheck  make distcheck (the tarball builds and passes its tests)
#   asan       --enable-sanitizers (ASan+UBSan): the whole make check
#   tsan       --enable-tsan: the conformance suite (threaded plugins),
#              the run context and the server (whose exit status the
#              server suite checks: a race report fails it)
#   valgrind   memcheck over the core suites (CK_FORK=no)
#   fuzz       the libFuzzer targets, a bounded run each
#   cluster    a scenario's cells as a Slurm job array on a one-node
#              cluster started here (GNU parallel where Slurm cannot run),
#              merged and checked against a one-process run
# BR_JOBS="main asan" limits the jobs; BR_FUZZ_SECONDS sets the fuzz time.
# CK_TIMEOUT_MULTIPLIER (default 3 here) scales Check's case timeouts and
# the tests' own deadlines that only catch a hang (tests/testutil.c
# brc_test_scale): CI must pass on a loaded machine, and a hang still
# fails, only later.
set -euo pipefail
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=${BR_JOBS:-main distcheck asan tsan valgrind fuzz cluster}
make_j="-j$(nproc)"
summary=()

[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi

build() { # build DIR [configure args...]
	local dir=$1; shift
	mkdir -p "_build/$dir"
	(cd "_build/$dir" && { [ -f Makefile ] || "$top/configure" -q "$@"; } && make $make_j >/dev/null)
}

show_logs() { # print Check's summary lines of a build's test logs
	find "$1" \( -name 'check_benchrun.log' -o -name 'check_part2.sh.log' \) \
		-exec grep -h -E '^[0-9]+%: Checks' {} + || true
}

for job in $jobs; do
	start=$(date +%s)
	echo "=== $job"
	case $job in
	main)
		build main
		# With distcheck to come, the build is enough here: distcheck
		# runs the same make check on the same sources (unpacked from
		# the tarball, read-only), so running it twice tested nothing
		# more and cost CI a quarter of its time.
		case " $jobs " in
		*" distcheck "*)
			echo "main: built; its make check runs in distcheck" ;;
		*)
			if ! make -C _build/main $make_j check >/dev/null; then
				cat _build/main/test-suite.log; exit 1
			fi
			show_logs _build/main ;;
		esac ;;
	distcheck)
		build main
		# On failure, what failed: make's own tail and the test logs
		# left in the unpacked tarball's build directory.
		if ! make -C _build/main $make_j distcheck >_build/distcheck.log 2>&1; then
			tail -n 60 _build/distcheck.log
			find _build/main -path '*/_build/*' -name test-suite.log \
				-exec cat {} + 2>/dev/null || true
			exit 1
		fi
		grep -E '^# (TOTAL|PASS|FAIL|ERROR):' _build/distcheck.log | tr '\n' ' ' || true
		echo ;;
	asan)
		build asan --enable-sanitizers
		if ! ASAN_OPTIONS=detect_leaks=1 make -C _build/asan $make_j check >/dev/null; then
			cat _build/asan/test-suite.log; exit 1
		fi
		show_logs _build/asan ;;
	tsan)
		build tsan --enable-tsan
		make -C _build/tsan $make_j check TESTS= >/dev/null
		for s in conformance runctx server; do
			(cd _build/tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
				CK_RUN_SUITE=$s BR_CONFORMANCE_THREADED_ONLY=1 \
				BR_TEST_BUILDDIR="$PWD" BR_TEST_SRCDIR="$top" \
				./tests/check_benchrun) || { echo "tsan: suite $s failed"; exit 1; }
		done ;;
	valgrind)
		build main
		make -C _build/main $make_j check TESTS= >/dev/null
		for s in ${BR_VALGRIND_SUITES:-util scenario loader params plan tickets model export stats report histogram}; do
			(cd _build/main && CK_FORK=no CK_RUN_SUITE=$s BR_TEST_BUILDDIR="$PWD" \
				BR_TEST_SRCDIR="$top" valgrind -q --leak-check=full \
				--errors-for-leak-kinds=definite --error-exitcode=9 \
				./tests/check_benchrun >/dev/null) || { echo "valgrind: suite $s failed"; exit 1; }
		done ;;
	fuzz)
		if [ -x tests/fuzz/run.sh ]; then
			# Six targets at 10 s: the job's minute as before.
			tests/fuzz/run.sh "${BR_FUZZ_SECONDS:-10}"
		fi ;;
	cluster)
		build main
		BR_TEST_BUILDDIR="$top/_build/main" BR_TEST_SRCDIR="$top" \
			tests/cluster.sh ;;
	*)
		echo "unknown job $job"; exit 2 ;;
	esac
	summary+=("$job: ok ($(( $(date +%s) - start )) s)")
done
printf '%s\n' "${summary[@]}"
# One closing line for CI: the main job's Check totals (both halves).
if [ -f _build/main/tests/check_benchrun.log ]; then
	awk -F'[:,] *' '/^[0-9]+%: Checks/ { p += $3 - $5 - $7; f += $5 + $7 }
		END { printf "%d passed, %d failed\n", p, f }' \
		$(ls _build/main/tests/check_benchrun.log \
			_build/main/tests/check_part2.sh.log 2>/dev/null)
fi
