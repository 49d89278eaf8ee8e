#!/bin/sh
# profile.sh - where a strategy's worker spends its CPU per request: the
# recipe behind BENCHMARKS.md's per-request breakdown.
#
#   bench/profile.sh BUILDDIR [PLUGIN] [CONCURRENCY] [REQUESTS]
#       (default eventloop 100 3000)
#
# 1. callgrind (repeatable instruction counts, whatever the machine's
#    load): benchrun runs under valgrind with --trace-children=yes, so the
#    worker (the process whose command line ends in "__worker") writes its
#    own callgrind.out.PID.  Inclusive costs divided by REQUESTS give
#    instructions per request: brc_ticket_process_padded is the core's
#    processing (brc_json_ticket = simdjson parse + field walk, whose
#    parse_into_document is simdjson's stage 1 + 2, and on_trip/on_head
#    the checks and summary; nesting is bounded by simdjson's max_depth);
#    curl_multi_socket_action is libcurl's user space; the rest of
#    eventloop_run is the loop, the harness and malloc.
# 2. perf record (time, system calls included; the VM has no hardware
#    counters, so it samples cpu-clock): the same run, DWARF call graphs;
#    read with `perf report --no-children --sort dso,sym` for self time by
#    library, `--children` for inclusive.
#
# The embedded server runs in its own process (benchrun serve) so that
# neither profile includes it.  Prints the callgrind summary lines.
set -eu
build=$(cd "${1:?usage: profile.sh BUILDDIR [PLUGIN] [CONC] [N]}" && pwd)
plugin=${2:-eventloop}
conc=${3:-100}
n=${4:-3000}
br="$build/benchrun --plugin-path $build/plugins/.libs"
work=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$work"' EXIT INT TERM
cd "$work"
printf 'name: srv\nworkload: {days: 100000, trips: 20}\nserver: {latency: {model: none}, max_connections: 20000}\nstrategies: [sync]\n' > srv.yaml
$br serve srv.yaml --port 0 > serve.log 2>&1 &
srv=$!
base=
for _ in $(seq 100); do
	base=$(sed -n 's|^serving .* at \(http://[^/]*\)/.*|\1|p' serve.log)
	[ -n "$base" ] && break
	sleep 0.1
done
cat > p.yaml <<YAML
name: profile
workload: {days: $n, trips: 20}
server: {url: "$base/tickets/{route}/{date}"}
strategies: [{plugin: $plugin, params: {concurrency: $conc}}]
runs: {repetitions: 1}
YAML
valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=cg.%p \
	$br -q p.yaml >/dev/null 2>&1
worker=$(grep -l '__worker' cg.* | head -1)
echo "callgrind: instructions per request in the worker (inclusive; $n requests)"
callgrind_annotate --inclusive=yes --auto=no "$worker" 2>/dev/null | grep -E \
	'PROGRAM TOTALS|_run \[|brc_ticket_process_padded|brc_json_ticket \[|parse_into_document|::stage[12]\(|::walk\(|on_trip \[|brc_fnv1a|curl_multi_socket_action|curl_url_set' |
	awk -v n="$n" '{ v = $1; gsub(",", "", v); printf "%8.1fk  %s\n", v / n / 1000, $0 }'
# perf needs a run long enough for a few thousand samples: 10x the
# requests.  Self time by library, then by symbol, of the whole benchrun
# process tree (the worker, and the parent's sampler reading /proc).
if command -v perf >/dev/null; then
	sed -i "s/^workload: {days: $n,/workload: {days: $((n * 10)),/" p.yaml
	echo "perf: self time, $((n * 10)) requests"
	perf record -q -F 999 --call-graph dwarf -o perf.data $br -q p.yaml >/dev/null 2>&1 &&
		perf report -i perf.data --no-children --sort dso --stdio -g none 2>/dev/null |
		grep -E '^ +[0-9]' | head -10 &&
		perf report -i perf.data --no-children --sort dso,sym --stdio -g none 2>/dev/null |
		grep -E '^ +[0-9]' | head -30
fi
