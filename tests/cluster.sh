#!/bin/bash
# tests/cluster.sh - a scenario's cells on a real scheduler, merged, equal
# to a one-machine run of the same scenario.
#
# Starts a single-node Slurm cluster on this machine (munge, slurmctld and
# slurmd on localhost, configuration and state under a directory of its
# own), submits every cell of a small scenario as one job array
# (`sbatch --array`, each task `benchrun --cell env`), waits, merges the
# cells' files and checks the merged file against `benchrun` run in one
# process: the same groups, every run present and OK, every ticket valid,
# and `benchrun compare` reporting no missing group or run.  When Slurm is
# not installed or its daemons cannot start here, it says exactly why and
# runs the same cells through GNU parallel instead.
#
# BR_CLUSTER=parallel skips Slurm.  Needs root for Slurm (daemons as root).
set -u
br=$(cd "${BR_TEST_BUILDDIR:-.}" && pwd)/benchrun
src=$(cd "${BR_TEST_SRCDIR:-.}" && pwd)
dir=$(mktemp -d /tmp/br-cluster.XXXXXX)
host=$(hostname -s)
export SLURM_CONF="$dir/slurm.conf"   # every Slurm command reads it
scen=(-q "$src/configs/default.yaml" --set workload.days=10 --runs 2
      --set 'strategies=[sync, eventloop, threads]')
slurm_up=

say() { echo "cluster: $*"; }

stop_slurm() {
	[ -n "$slurm_up" ] || return 0
	for p in "$dir"/run/slurmd.pid "$dir"/run/slurmctld.pid; do
		[ -f "$p" ] && kill -TERM "$(cat "$p")" 2>/dev/null
	done
	for _ in $(seq 50); do
		pgrep -f "$dir/slurm.conf" >/dev/null || break
		sleep 0.1
	done
	pkill -KILL -f "$dir/slurm.conf" 2>/dev/null
	/etc/init.d/munge stop >/dev/null 2>&1
	slurm_up=
}
trap 'stop_slurm; rm -rf "$dir"' EXIT

# Why Slurm cannot be used here, or nothing when it can.
why_not_slurm() {
	[ "${BR_CLUSTER:-}" = parallel ] && { echo "BR_CLUSTER=parallel"; return; }
	for c in slurmctld slurmd sbatch squeue sinfo munge; do
		command -v "$c" >/dev/null ||
			{ echo "$c is not installed (apt-get install slurmctld slurmd slurm-client munge)"; return; }
	done
	[ "$(id -u)" = 0 ] || { echo "the Slurm daemons need root here"; return; }
}

# Start the daemons; on failure $why says why.
start_slurm() {
	mkdir -p "$dir"/state "$dir"/spool "$dir"/log "$dir"/run
	cat > "$dir/slurm.conf" <<-EOF
	ClusterName=benchrun
	SlurmctldHost=$host
	SlurmUser=root
	SlurmdUser=root
	AuthType=auth/munge
	CredType=cred/munge
	MpiDefault=none
	MailProg=/bin/true
	ProctrackType=proctrack/linuxproc
	TaskPlugin=task/none
	JobAcctGatherType=jobacct_gather/none
	AccountingStorageType=accounting_storage/none
	JobCompType=jobcomp/none
	SchedulerType=sched/backfill
	SchedulerParameters=batch_sched_delay=0
	SelectType=select/cons_tres
	SelectTypeParameters=CR_Core
	ReturnToService=2
	StateSaveLocation=$dir/state
	SlurmdSpoolDir=$dir/spool
	SlurmctldPidFile=$dir/run/slurmctld.pid
	SlurmdPidFile=$dir/run/slurmd.pid
	SlurmctldLogFile=$dir/log/slurmctld.log
	SlurmdLogFile=$dir/log/slurmd.log
	NodeName=$host CPUs=$(nproc) Sockets=1 CoresPerSocket=$(nproc) ThreadsPerCore=1 State=UNKNOWN
	PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
	EOF
	/etc/init.d/munge start >/dev/null 2>&1
	slurm_up=1
	if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
		why="munge does not start (no credential round trip)"; return 1
	fi
	slurmctld -f "$SLURM_CONF" -c || { why="slurmctld did not start"; return 1; }
	slurmd -f "$SLURM_CONF" || { why="slurmd did not start"; return 1; }
	for _ in $(seq 150); do
		[ "$(sinfo -h -n "$host" -o %T 2>/dev/null)" = idle ] && return 0
		sleep 0.2
	done
	why="the node did not become idle in 30 s: $(tail -3 "$dir"/log/slurmd.log 2>/dev/null | tr '\n' ' ')"
	return 1
}

# The cells through Slurm: one array task per cell, exclusive nodes.
run_slurm() { # N
	local n=$1 jid
	jid=$(sbatch --parsable --array=0-$((n - 1)) --exclusive \
		-o "$dir/out-%a.txt" -e "$dir/out-%a.txt" \
		--wrap "$(printf '%q ' "$br" "${scen[@]}") --cell env -o $dir/cell-\$SLURM_ARRAY_TASK_ID.json") ||
		{ say "sbatch failed"; return 1; }
	say "submitted job array $jid (tasks 0-$((n - 1)))"
	for _ in $(seq 1500); do
		squeue -h -j "$jid" 2>/dev/null | grep -q . || break
		sleep 0.2
	done
	if squeue -h -j "$jid" 2>/dev/null | grep -q .; then
		say "job array $jid still running after 300 s"; scancel "$jid"; return 1
	fi
	sacct >/dev/null 2>&1 || true
}

run_parallel() { # N
	local n=$1
	if command -v parallel >/dev/null; then
		seq 0 $((n - 1)) | parallel -j "$(nproc)" \
			"$(printf '%q ' "$br" "${scen[@]}") --cell {} -o $dir/cell-{}.json" \
			>/dev/null
	else
		say "GNU parallel is not installed (apt-get install parallel): one cell after another"
		for c in $(seq 0 $((n - 1))); do
			"$br" "${scen[@]}" --cell "$c" -o "$dir/cell-$c.json" >/dev/null
		done
	fi
}

n=$("$br" plan --json "${scen[@]:1}" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])') ||
	{ say "FAIL: benchrun plan"; exit 1; }
say "$n cells"
how=slurm
why=$(why_not_slurm)
if [ -z "$why" ]; then
	start_slurm || { stop_slurm; how=parallel; }
else
	how=parallel
fi
if [ $how = slurm ]; then
	run_slurm "$n" || { say "FAIL: the job array did not finish"; cat "$dir"/out-*.txt 2>/dev/null | tail -20; exit 1; }
	stop_slurm
else
	say "not using Slurm: $why; running the cells through GNU parallel"
	run_parallel "$n"
fi
got=$(ls "$dir"/cell-*.json 2>/dev/null | wc -l)
if [ "$got" -ne "$n" ]; then
	say "FAIL: $got of $n cells wrote results"; cat "$dir"/out-*.txt 2>/dev/null | tail -20; exit 1
fi
"$br" -q merge "$dir"/cell-*.json -o "$dir/all.json" || { say "FAIL: merge"; exit 1; }
"$br" "${scen[@]}" -o "$dir/one.json" >/dev/null || { say "FAIL: the one-machine run"; exit 1; }
"$br" compare --allow-few-runs "$dir/one.json" "$dir/all.json" > "$dir/compare.txt" 2>&1
/usr/bin/python3 - "$dir/one.json" "$dir/all.json" "$dir/compare.txt" <<'PY' || exit 1
import json, sys
one, merged = (json.load(open(p)) for p in sys.argv[1:3])
compare = open(sys.argv[3]).read()
key = lambda g: (g["label"], g.get("point", ""))
problems = []
if [key(g) for g in one["groups"]] != [key(g) for g in merged["groups"]]:
    problems.append("groups differ: %s vs %s" % ([key(g) for g in one["groups"]],
                                                [key(g) for g in merged["groups"]]))
for g in merged["groups"]:
    if len(g["runs"]) != len(next(h for h in one["groups"] if key(h) == key(g))["runs"]):
        problems.append("%s: %d runs" % (key(g), len(g["runs"])))
    for r in g["runs"]:
        if r["status"] != "ok" or r["ok"] != r["requests"] or not r.get("histogram"):
            problems.append("%s run %d: %s, %s/%s tickets" % (key(g), r["repetition"] + 1,
                            r["status"], r["ok"], r["requests"]))
if merged.get("incomplete"):
    problems.append("the merged file is marked incomplete")
for word in ("missing", "disappeared", "only in"):
    if word in compare:
        problems.append("compare says '%s'" % word)
for p in problems:
    print("cluster: FAIL:", p)
hosts = sorted({r.get("host") for g in merged["groups"] for r in g["runs"]})
print("cluster: merged %d groups, %d runs, hosts %s: same groups and runs as one process"
      % (len(merged["groups"]), sum(len(g["runs"]) for g in merged["groups"]), hosts))
sys.exit(1 if problems else 0)
PY
say "ok ($how)"
