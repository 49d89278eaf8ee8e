#!/usr/bin/env bash
# tests/layers.sh - the includes of core/ run down the flow, never back up.
# Each folder has a floor (core/README.md); a file may include headers of
# its own folder and of folders on lower floors only.  Plugins include only
# the public header <benchrun/plugin.h> of the core.
set -u
top=${BR_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/core" || exit 99

floor() {
	case $1 in
	.|benchrun) echo 0 ;;
	scenario) echo 1 ;;
	workload|results) echo 2 ;;
	report|server) echo 3 ;;
	run) echo 4 ;;
	cli) echo 5 ;;
	*) echo unknown ;;
	esac
}

bad=0
for f in *.[ch] */*.[ch]; do
	dir=$(dirname "$f")
	mine=$(floor "$dir")
	if [ "$mine" = unknown ]; then
		echo "layers: $f: folder '$dir' has no floor in tests/layers.sh (and core/README.md)"
		bad=1; continue
	fi
	while IFS= read -r inc; do
		case $inc in config.h) continue ;; esac
		case $inc in */*) idir=${inc%%/*} ;; *) idir=. ;; esac
		if [ ! -f "$inc" ]; then
			echo "layers: $f includes \"$inc\": name headers from core/ (\"folder/x.h\")"
			bad=1; continue
		fi
		theirs=$(floor "$idir")
		if [ "$theirs" = unknown ] || { [ "$idir" != "$dir" ] && [ "$theirs" -ge "$mine" ]; }; then
			echo "layers: $f includes \"$inc\": $idir is not below $dir"
			bad=1
		fi
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done

# Plugins see the core only through its public header.
for f in "$top"/plugins/*.[ch]; do
	if grep -n '#include "' "$f" | grep -v -E '"(config\.h|[a-z_]+\.h)"' >/dev/null ||
	   grep -n '#include "\(util\|scenario\|tickets\|runctx\)' "$f" >/dev/null; then
		echo "layers: $(basename "$f") includes a core header"; bad=1
	fi
done
[ $bad = 0 ] && echo "layers: every include runs down the flow"
exit $bad
