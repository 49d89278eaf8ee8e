#!/bin/bash
# examples/slurm/benchrun-array.sh - every cell of a scenario as one task of
# a Slurm job array, each on a node of its own, then one merged file.
#
#   ./benchrun-array.sh configs/scaling.yaml [--set ...]
#
# Run it from a directory every node sees (a shared file system): the cells
# write their results there.  `benchrun plan` says how many cells there are.
set -euo pipefail
scenario=$1; shift
out=${OUT:-results/$(basename "$scenario" .yaml)-cells}
mkdir -p "$out"
n=$(benchrun plan --json "$scenario" "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')

# --exclusive: a measured cell has its node to itself, or its CPU and
# memory figures measure the neighbours too.
jid=$(sbatch --parsable --array=0-$((n - 1)) --exclusive --job-name=benchrun \
	-o "$out/cell-%a.log" \
	--wrap "benchrun -q $scenario $* --cell env -o $out/cell-\$SLURM_ARRAY_TASK_ID.json")
echo "job array $jid: $n cells"

# The merge runs when every cell has finished (afterany: failed cells are
# merged too, and say so in the merged file).
sbatch --parsable --dependency=afterany:"$jid" -o "$out/merge.log" \
	--wrap "benchrun merge $out/cell-*.json -o $out/all.json && benchrun report $out/all.json -o $out/all.html"
