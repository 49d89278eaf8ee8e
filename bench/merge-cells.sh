#!/bin/sh
# merge-cells.sh - `benchrun merge` of many cells: a sweep of GROUPS
# points x 5 repetitions run as 10 shards (10 files, each run of the
# sweep in exactly one file), merged back into one.  Merging must be
# linear in the cells: each row should cost ~2x the one before (it was
# quadratic: every group was looked up among all groups merged so far,
# and every run checked against every run merged so far).
#
#   bench/merge-cells.sh BUILDDIR [GROUPS ...]   (default 1000 2000 4000 8000)
#
# Makes a real results file with a short run, then python3 copies its one
# run into GROUPS groups (points "c=0" ..) x 5 repetitions spread over the
# 10 files (no timelines: they are timeline.sh's).  Prints, per size,
# wall and CPU seconds (user + sys) and CPU microseconds per cell: linear
# means a flat last column.  Run it alone (flock /work/measure.lock
# bench/merge-cells.sh ...); on a loaded machine compare CPU, not wall.
set -eu
build=$(cd "${1:?usage: merge-cells.sh BUILDDIR [GROUPS ...]}" && pwd)
shift
[ $# -gt 0 ] || set -- 1000 2000 4000 8000
br="$build/benchrun --plugin-path $build/plugins/.libs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"
printf 'name: mc\nworkload: {days: 2}\nserver: {latency: {model: none}}\nstrategies: [sync]\nruns: {repetitions: 1}\n' > mc.yaml
$br -q -o one.json mc.yaml >/dev/null
cat > gen.py <<'PY'
import copy, json, sys
groups, reps, files = int(sys.argv[1]), 5, 10
d = json.load(open('one.json'))
d.pop('cells', None)
base = d['groups'][0]
run = base['runs'][0]
run.pop('timeline', None)
for f in range(files):
    out = dict(d, groups=[])
    for gi in range(groups):
        g = dict(base, point='c=%d' % gi, item=gi, runs=[])
        for r in range(reps):
            if (gi * reps + r) % files == f:
                g['runs'].append(dict(run, repetition=r, seq=gi * reps + r))
        if g['runs']:
            out['groups'].append(g)
    json.dump(out, open('shard%d.json' % f, 'w'))
PY
printf '%8s %7s %8s %8s %12s\n' groups cells 'wall s' 'cpu s' 'cpu us/cell'
for g in "$@"; do
	python3 gen.py "$g"
	rm -f all.json
	/usr/bin/time -f '%e %U %S' -o time.txt \
		$br merge shard*.json -o all.json >/dev/null 2>&1
	read -r wall u s < time.txt
	awk -v g="$g" -v w="$wall" -v u="$u" -v s="$s" \
		'BEGIN { printf "%8d %7d %8.2f %8.2f %12.1f\n", g, 5 * g, w,
		         u + s, (u + s) * 1e6 / (5 * g) }'
done
