#!/bin/sh
# tests/installed.sh - the newcomer's path on an installed copy: install into
# a temporary DESTDIR, then, from the root directory, run the installed
# seed.yaml (Python rows included: the programs are installed next to it),
# run `benchrun check-plugin` on every installed plugin and on the installed
# examples/hello-plugin built against the installed header, and check that
# the installed guides' relative links lead somewhere.
set -eu

: "${BR_TEST_BUILDDIR:?run me through make check}"
command -v pkg-config >/dev/null 2>&1 || { echo "no pkg-config: skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/br-installed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

fail() {
	echo "installed: $*" >&2
	for f in "$tmp"/*.log; do
		[ -f "$f" ] && { echo "--- $f"; cat "$f"; } >&2
	done
	exit 1
}

env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$BR_TEST_BUILDDIR" \
	install DESTDIR="$root" >"$tmp/install.log" 2>&1 || fail "make install failed"
bin=$(find "$root" -path '*/bin/benchrun' -type f | head -n 1)
pc=$(find "$root" -name benchrun.pc | head -n 1)
share=$(find "$root" -path '*/share/benchrun' -type d | head -n 1)
[ -x "$bin" ] && [ -n "$pc" ] && [ -d "$share" ] || fail "incomplete install"
PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
plugins=$root$(PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=plugindir benchrun)
[ -d "$plugins" ] || fail "no plugin directory $plugins"
# A DESTDIR copy is not where it was configured to live: say where it is.
BENCHRUN_PLUGIN_PATH=$plugins BENCHRUN_DATADIR=$share
export BENCHRUN_PLUGIN_PATH BENCHRUN_DATADIR

for f in sync_requests threadpool_requests gevent_requests asyncio_aiohttp ticketlib; do
	[ -f "$share/examples/python/$f.py" ] || fail "examples/python/$f.py not installed"
done

# The installed seed.yaml, from /, shortened; every row must be ok.
(cd / && "$bin" --progress=never --runs 1 --set workload.days=3 \
	--set server.latency.value=5ms -o "$tmp/seed.json" \
	"$share/configs/seed.yaml") >"$tmp/seed.log" 2>&1 ||
	fail "the installed seed.yaml does not run from /"
for label in py-sync py-threadpool py-gevent py-asyncio sync eventloop; do
	grep -q "^  $label .* ok\$" "$tmp/seed.log" || fail "no ok row for $label"
done
grep -q "^wrote $tmp/seed.json" "$tmp/seed.log" || fail "no 'wrote' line"

# check-plugin, every installed plugin (exec with a Python program).
for so in "$plugins"/*.so; do
	name=$(basename "$so" .so)
	set -- "$so"
	[ "$name" = exec ] && set -- "$so" --set \
		'command=[python3, $datadir/examples/python/threadpool_requests.py]'
	# multiplex speaks only HTTP/2 (h2c, prior knowledge).
	[ "$name" = multiplex ] && set -- "$so" --set server.http2=true
	(cd / && "$bin" check-plugin "$@") >"$tmp/check-$name.log" 2>&1 ||
		fail "check-plugin $name failed"
	grep -q "^$name: [0-9]* passed, 0 failed" "$tmp/check-$name.log" ||
		fail "check-plugin $name: no summary"
done

# The installed example, built as a user would, passes too.
cp -R "$share/examples/hello-plugin" "$tmp/hello"
chmod -R u+w "$tmp/hello"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$tmp/hello" \
	>"$tmp/build.log" 2>&1 || fail "building the installed hello-plugin failed"
"$bin" check-plugin "$tmp/hello/hello.so" >"$tmp/check-hello.log" 2>&1 ||
	fail "check-plugin hello failed"
grep -q "PASS  sizes" "$tmp/check-hello.log" || fail "check-plugin hello: no case named"

# Relative links of the installed guides resolve.
for md in "$share"/docs/*.md; do
	for link in $(grep -o '](\([^)#:]*\))' "$md" | sed 's/^](//; s/)$//'); do
		[ -e "$(dirname "$md")/$link" ] || fail "$(basename "$md"): broken link $link"
	done
done
echo "installed: ok"
