#!/bin/sh
# bench/server.sh - the embedded ticket server (`benchrun serve`) under wrk:
#   1. req/s at 0 delay, keep-alive, against nginx serving the same bodies
#      (`benchrun export`), same wrk command for both;
#   2. p50 added latency with a fixed 100 ms delay at 1,000 and 5,000
#      connections (wrk's view, and the server's own "late_p50_us");
#   3. server RSS per held connection: (RSS with 5,000 connections each
#      holding a suspended request - RSS idle) / 5,000.
# Prints numbers; not a test.  Loopback only, every run bounded by DUR.
#
# Usage: bench/server.sh [BUILDDIR]      (BUILDDIR holds the built benchrun)
# Environment: DUR (wrk duration per run, default 10s), ROUNDS (runs of
# nginx and benchrun serve, interleaved, default 3), NGINX_WORKERS (2),
# WRK_THREADS (2).
set -eu

BUILD=${1:-.}
BENCHRUN=$BUILD/benchrun
DUR=${DUR:-10s}
ROUNDS=${ROUNDS:-3}
NGINX_WORKERS=${NGINX_WORKERS:-2}
WRK_THREADS=${WRK_THREADS:-2}
DAY0=/tickets/MOW-LED/2026-01-01

[ -x "$BENCHRUN" ] || { echo "no benchrun in $BUILD (give the build directory)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx not found (apt-get install nginx-light)" >&2; exit 2; }
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

TMP=$(mktemp -d /tmp/br-bench-server.XXXXXX)
chmod 755 "$TMP" # nginx workers run as nobody
SERVER_PID=
NGINX_STARTED=

cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	[ -n "$NGINX_STARTED" ] && nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -s stop 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

scenario() { # NAME LATENCY -> path
	printf 'name: %s\nworkload: {days: 100}\nserver: {latency: %s}\nstrategies: [{plugin: sync}]\n' \
		"$1" "$2" > "$TMP/$1.yaml"
	echo "$TMP/$1.yaml"
}

# Start `benchrun serve` on an ephemeral port; sets SERVER_PID and URL.
serve() {
	"$BENCHRUN" serve "$1" --port 0 > "$TMP/serve.out" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 100); do
		URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/serve.out" | head -n 1 || true)
		[ -n "$URL" ] && return 0
		sleep 0.05
	done
	echo "benchrun serve did not start:" >&2
	cat "$TMP/serve.out" >&2
	exit 1
}

unserve() {
	kill "$SERVER_PID"
	for _ in $(seq 50); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		echo "benchrun serve did not stop within 5 s of SIGTERM" >&2
		kill -9 "$SERVER_PID"
	fi
	wait "$SERVER_PID" || true
	SERVER_PID=
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
stat_of() { curl -s -m 5 "$URL/_benchrun/stats" | sed -n "s/.*\"$1\":\([0-9.e+]*\).*/\1/p"; }

# wrk ... -> "req/s p50_ms"
run_wrk() {
	wrk --latency -t"$WRK_THREADS" "$@" > "$TMP/wrk.out" 2>&1 || true
	awk '/Requests\/sec/ { rps = $2 }
	     /^ +50%/ { v = $2; if (v ~ /us$/) p = v / 1000; else if (v ~ /ms$/) p = v + 0;
	                else if (v ~ /s$/) p = v * 1000; }
	     END { printf "%.0f %.2f\n", rps, p }' "$TMP/wrk.out"
}

echo "# bench/server.sh $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# wrk -t$WRK_THREADS, DUR=$DUR, nginx worker_processes $NGINX_WORKERS, bodies ~5 KiB"

# --- 1. 0 delay: benchrun serve vs nginx ----------------------------------
S0=$(scenario zero "{model: none}")
"$BENCHRUN" export "$S0" "$TMP/www" > /dev/null
# Below the ephemeral range (32768-60999), where wrk's own sockets live.
PORT=$(( 20000 + $$ % 10000 ))
while ss -tan | grep -q ":$PORT "; do PORT=$((PORT + 1)); done
mkdir -p "$TMP/nginx/logs"
cat > "$TMP/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
worker_rlimit_nofile 20000;
events { worker_connections 10000; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	default_type application/json;
	server { listen 127.0.0.1:$PORT; root $TMP/www; }
}
EOF
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf"
NGINX_STARTED=1
sleep 0.3
serve "$S0"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for c in 100 1000; do
	: > "$TMP/ratios"
	for r in $(seq "$ROUNDS"); do
		set -- $(run_wrk -c$c -d"$DUR" "http://127.0.0.1:$PORT$DAY0")
		n_rps=$1 n_p50=$2
		set -- $(run_wrk -c$c -d"$DUR" "$URL$DAY0")
		ratio=$(awk "BEGIN { printf \"%.2f\", $1 / $n_rps }")
		echo "$ratio" >> "$TMP/ratios"
		echo "0 delay c=$c round $r: nginx $n_rps req/s (p50 $n_p50 ms), benchrun serve $1 req/s (p50 $2 ms): ${ratio}x"
	done
	echo "0 delay c=$c: benchrun serve / nginx, median of $ROUNDS: $(median < "$TMP/ratios")x"
done
unserve
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -s stop 2>/dev/null
NGINX_STARTED=

# --- 2. 100 ms delay at 1,000 and 5,000 connections ------------------------
S100=$(scenario delay100 100ms)
for c in 1000 5000; do
	: > "$TMP/added"
	for r in $(seq "$ROUNDS"); do
		serve "$S100"
		set -- $(run_wrk -c$c -d"$DUR" --timeout 10s "$URL$DAY0")
		late=$(stat_of late_p50_us)
		cpu=$(awk '{ printf "%.1f", ($14 + $15) / 100 }' "/proc/$SERVER_PID/stat")
		added=$(awk "BEGIN { printf \"%.2f\", $2 - 100 }")
		echo "$added" >> "$TMP/added"
		echo "100 ms delay c=$c round $r: $1 req/s, p50 $2 ms, added $added ms (server side: late p50 $late us, CPU $cpu s)"
		unserve
	done
	echo "100 ms delay c=$c: p50 added latency, median of $ROUNDS: $(median < "$TMP/added") ms"
done

# --- 3. RSS per held connection --------------------------------------------
S30=$(scenario hold 60s)
serve "$S30"
curl -s -o /dev/null "$URL/_benchrun/stats"
idle=$(rss_kib "$SERVER_PID")
wrk -t"$WRK_THREADS" -c5000 -d6s --timeout 30s "$URL$DAY0" > /dev/null 2>&1 &
WRK_PID=$!
sleep 4
held=$(stat_of in_flight)
busy=$(rss_kib "$SERVER_PID")
wait "$WRK_PID" || true
echo "RSS: idle $idle KiB, $held connections held $busy KiB: $(awk "BEGIN { printf \"%.2f\", ($busy - $idle) / ($held > 0 ? $held : 1) }") KiB per held connection"
unserve
