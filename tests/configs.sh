#!/bin/sh
# tests/configs.sh - every scenario in configs/ validates and runs, in a
# shortened form (20 days, latencies as written), with every ticket
# validated: benchrun exits 0 only when every run of every strategy is OK.
set -eu
br="${BR_TEST_BUILDDIR:-.}/benchrun"
src="${BR_TEST_SRCDIR:-.}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The Python programs are named relative to the source tree.
cd "$src"
status=0
for f in configs/*.yaml; do
	name=$(basename "$f" .yaml)
	if ! "$br" -q validate "$f" >"$out/$name.validate" 2>&1; then
		echo "FAIL: $f does not validate"; cat "$out/$name.validate"; status=1; continue
	fi
	if "$br" -q --set workload.days=20 --runs 1 -o "$out/$name.json" \
		--set outputs.markdown="$out/$name.md" --set outputs.csv="$out/$name.csv" \
		--set outputs.plot="$out/$name.svg" "$f" >"$out/$name.log" 2>&1; then
		echo "ok: $f"
	else
		echo "FAIL: $f"; cat "$out/$name.log"; status=1
	fi
done
exit $status
