#!/bin/sh
# tests/readme.sh - the README against the program: its sample scenario
# validates, every command it lists exists in `benchrun --help`, and the
# exit codes it documents are the ones `--help` and benchrun(1) document
# and the program returns (0 ok, 1 a validation failed, 2 usage or an
# invalid scenario).
set -eu

: "${BR_TEST_BUILDDIR:?run me through make check}"
: "${BR_TEST_SRCDIR:?run me through make check}"
br=$BR_TEST_BUILDDIR/benchrun
readme=$BR_TEST_SRCDIR/README.md
tmp=$(mktemp -d "${TMPDIR:-/tmp}/br-readme.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "readme: $*" >&2; status=1; }

# 1. The scenario block under "## Scenarios" validates.
awk '/^## Scenarios/ { s = 1 } s && /^```yaml/ { y = 1; next }
     y && /^```/ { exit } y { print }' "$readme" >"$tmp/sample.yaml"
[ -s "$tmp/sample.yaml" ] || fail "no yaml block under ## Scenarios"
"$br" validate "$tmp/sample.yaml" >"$tmp/validate.log" 2>&1 ||
	{ cat "$tmp/validate.log" >&2; fail "the README's scenario does not validate"; }
name=$(sed -n 's/^name: *//p' "$tmp/sample.yaml")
for f in "$BR_TEST_SRCDIR"/configs/*.yaml; do
	[ "$(sed -n 's/^name: *//p' "$f")" != "$name" ] ||
		cmp -s "$f" "$tmp/sample.yaml" ||
		fail "the README's scenario is named '$name' like $(basename "$f") but is not that file"
done

# 2. Every command of the "Using benchrun" block is one --help lists.
"$br" --help >"$tmp/help.txt"
awk '/^## Using benchrun/ { s = 1 } s && /^```sh/ { y = 1; next }
     y && /^```/ { exit } y { print }' "$readme" >"$tmp/using.sh"
[ -s "$tmp/using.sh" ] || fail "no sh block under ## Using benchrun"
while read -r prog word rest; do
	[ "$prog" = benchrun ] || continue
	case $word in
	-*|*/*|*.yaml|SCENARIO) continue ;; # a run
	esac
	grep -q "benchrun $word\b" "$tmp/help.txt" ||
		fail "README lists 'benchrun $word', which --help does not know"
done <"$tmp/using.sh"

# 3. The exit codes the README documents are --help's and the man page's.
codes() { grep -o '\b\(0\|1\|2\|130\)\b [a-z]' | cut -d' ' -f1 | sort -u | tr '\n' ' '; }
r=$(sed -n '/^Exit status:/,/^$/p' "$readme" | codes)
h=$(sed -n '/^Exit status:/,/^See/p' "$tmp/help.txt" | codes)
m=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH ENV/p' "$BR_TEST_SRCDIR/docs/benchrun.1" |
	grep -A1 '^\.TP' | sed -n 's/^\.B \([0-9]*\)$/\1 x/p' | codes)
[ "$r" = "0 1 130 2 " ] || fail "README exit codes: '$r'"
[ "$r" = "$h" ] || fail "README exit codes '$r' differ from --help's '$h'"
[ "$r" = "$m" ] || fail "README exit codes '$r' differ from benchrun(1)'s '$m'"

# ...and the program returns them.
code() { set +e; "$@" >/dev/null 2>&1; c=$?; set -e; echo $c; }
[ "$(code "$br" validate "$tmp/sample.yaml")" = 0 ] || fail "validate ok is not 0"
sed 's/plugin: eventloop/plugin: nosuchplugin/' "$tmp/sample.yaml" >"$tmp/bad-plugin.yaml"
[ "$(code "$br" validate "$tmp/bad-plugin.yaml")" = 1 ] || fail "a missing plugin is not 1"
[ "$(code "$br" -q "$tmp/bad-plugin.yaml")" = 1 ] || fail "a run with a missing plugin is not 1"
printf 'workload: {days: -1}\nstrategies: [sync]\n' >"$tmp/invalid.yaml"
[ "$(code "$br" validate "$tmp/invalid.yaml")" = 2 ] || fail "an invalid scenario is not 2"
[ "$(code "$br" --no-such-option)" = 2 ] || fail "a bad option is not 2"
[ "$(code "$br" valdate x.yaml)" = 2 ] || fail "a misspelt command is not 2"
[ $status = 0 ] && echo "readme: ok"
exit $status
