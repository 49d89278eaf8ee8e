#!/usr/bin/env bash
# tests/fuzz-noclang.sh - the fuzz job cannot pass by fuzzing nothing
# (issue 11): without clang, tests/fuzz/run.sh fails and says why, and
# skips only when BR_FUZZ_OPTIONAL=1 asks for it.  run.sh runs from a copy
# in a temporary tree (it writes below its tree's _build/, and distcheck's
# source tree is read-only), with a PATH that has its tools but no clang.
set -u
top=${BR_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tree/tests/fuzz" "$tmp/bin" || exit 99
cp "$top/tests/fuzz/run.sh" "$tmp/tree/tests/fuzz/" || exit 99
for tool in bash env dirname mkdir cat; do
	ln -s "$(command -v "$tool")" "$tmp/bin/$tool" || exit 99
done
run=$tmp/tree/tests/fuzz/run.sh

if PATH=$tmp/bin "$run" 1 >"$tmp/out" 2>&1; then
	echo "FAIL: run.sh passed without clang:"; cat "$tmp/out"; exit 1
fi
if ! grep -q "clang and clang++ are required" "$tmp/out"; then
	echo "FAIL: run.sh failed without saying clang is missing:"
	cat "$tmp/out"; exit 1
fi
if ! PATH=$tmp/bin BR_FUZZ_OPTIONAL=1 "$run" 1 >"$tmp/out" 2>&1 ||
   ! grep -q "skipped" "$tmp/out"; then
	echo "FAIL: BR_FUZZ_OPTIONAL=1 did not skip:"; cat "$tmp/out"; exit 1
fi
echo "ok: without clang the fuzz job fails, or skips when asked"
