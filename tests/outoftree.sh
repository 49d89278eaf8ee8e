#!/bin/sh
# tests/outoftree.sh - the out-of-tree plugin story, end to end: install
# benchrun into a temporary DESTDIR, build examples/hello-plugin against it
# with nothing but pkg-config, and check that the installed benchrun lists
# the plugin, accepts a scenario that uses it, and runs it.
set -eu

: "${BR_TEST_BUILDDIR:?run me through make check}"
: "${BR_TEST_SRCDIR:?run me through make check}"
command -v pkg-config >/dev/null 2>&1 || { echo "no pkg-config: skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/br-outoftree.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

fail() {
	echo "outoftree: $*" >&2
	for f in "$tmp"/*.log; do
		[ -f "$f" ] && { echo "--- $f"; cat "$f"; } >&2
	done
	exit 1
}

# The parent make's job server is not ours to use.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$BR_TEST_BUILDDIR" \
	install DESTDIR="$root" >"$tmp/install.log" 2>&1 || fail "make install failed"

pc=$(find "$root" -name benchrun.pc | head -n 1)
[ -n "$pc" ] || fail "benchrun.pc was not installed"
bin=$(find "$root" -path '*/bin/benchrun' -type f | head -n 1)
[ -x "$bin" ] || fail "the benchrun binary was not installed"
[ -n "$(find "$root" -path '*/include/benchrun/plugin.h')" ] ||
	fail "<benchrun/plugin.h> was not installed"

# A DESTDIR install: the .pc file names the final prefix, the sysroot
# maps it into the temporary tree.
PKG_CONFIG_PATH=$(dirname "$pc")
PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
pkg-config --cflags benchrun | grep -q -- "-I$root" || fail "pkg-config --cflags benchrun does not point into $root"
[ -n "$(pkg-config --variable=plugindir benchrun)" ] || fail "benchrun.pc has no plugindir"

# Build a copy, as a user would: the source tree may be read-only.
cp -R "$BR_TEST_SRCDIR/examples/hello-plugin" "$tmp/hello"
chmod -R u+w "$tmp/hello"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$tmp/hello" \
	>"$tmp/build.log" 2>&1 || fail "building examples/hello-plugin failed"
[ -f "$tmp/hello/hello.so" ] || fail "no hello.so"

unset BENCHRUN_PLUGIN_PATH
"$bin" plugins --plugin-path "$tmp/hello" >"$tmp/plugins.log" 2>&1 ||
	fail "benchrun plugins failed"
grep -q "^hello  (.*hello.so, ABI 1\." "$tmp/plugins.log" || fail "hello is not listed"
grep -q "user_agent" "$tmp/plugins.log" || fail "hello's parameters are not listed"

cat >"$tmp/hello.yaml" <<'YAML'
workload: {days: 5}
server:
  latency: {model: none}
strategies:
  - plugin: hello
    params: {timeout: 5s}
YAML
"$bin" validate --plugin-path "$tmp/hello" "$tmp/hello.yaml" >"$tmp/validate.log" 2>&1 ||
	fail "benchrun validate rejected a scenario using hello"
grep -q ": ok: 1 strategy" "$tmp/validate.log" || fail "validate did not say ok"

# And it really fetches: every ticket of a short run validated.
"$bin" -q --plugin-path "$tmp/hello" -o "$tmp/hello.json" "$tmp/hello.yaml" \
	>"$tmp/run.log" 2>&1 || fail "a run of the hello plugin failed"
[ -s "$tmp/hello.json" ] || fail "the run wrote no results"
echo "outoftree: ok"
