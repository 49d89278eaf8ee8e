/*
 * server.h - the embedded ticket server (libmicrohttpd), run as its own
 * process so its CPU and memory are measured apart from the strategies'.
 *
 * Routes: GET {prefix}/tickets/{route}/{date} serves the day's tickets with
 * the scenario's latency model, rate limit and faults; GET /_benchrun/stats
 * answers a JSON object of its counters (requests, errors, in_flight,
 * queued_max, ...); POST /_benchrun/reset zeroes them and the per-day
 * attempt counters.
 */
#ifndef BR_SERVER_H
#define BR_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "scenario/scenario.h"

struct brc_server_proc {
	pid_t pid;            /* server process                                 */
	char *base_url;       /* "http://127.0.0.1:PORT", malloc'd             */
	int port;
};

struct brc_server_stats {
	uint64_t requests;    /* answered                                       */
	uint64_t errors, resets, truncated; /* injected faults                   */
	uint64_t refused;     /* over max_connections                          */
	uint64_t queued_max;  /* most requests waiting on max_in_flight        */
	uint64_t h2_max_streams; /* most HTTP/2 streams open on one connection */
	double late_p50, late_p99; /* s, how late delayed requests were
	                              answered (server side, 50 us buckets) */
	double cpu;           /* seconds, user + system, from /proc            */
	int64_t rss;          /* bytes, from /proc                             */
};

/*
 * Fork the server process for `sc` (workload + server sections), wait
 * until it listens, fill *out.  The child dies with its parent
 * (PR_SET_PDEATHSIG) and lives in benchrun's process group.  Returns 0, or
 * -1 with a message already printed (e.g. port in use).
 */
int brc_server_spawn(const struct brc_scenario *sc, struct brc_server_proc *out);

/* Read the server's counters (HTTP stats endpoint) and its CPU/RSS (/proc).
 * Returns 0 or -1. */
int brc_server_query(const struct brc_server_proc *srv,
                    struct brc_server_stats *st);

/* POST /_benchrun/reset: zero the counters and every day's attempt
 * counter, so the next run meets the same delays and faults.  Returns 0
 * or -1. */
int brc_server_reset(const struct brc_server_proc *srv);

/* SIGTERM, wait (bounded), SIGKILL if needed; frees base_url.  Returns 0
 * when the server exited with status 0 (or was not running), -1 when it
 * had to be killed or exited otherwise (a sanitizer's report exits it
 * non-zero: the tests and the TSan job see it here). */
int brc_server_stop(struct brc_server_proc *srv);

/*
 * Run the server in this process until SIGINT/SIGTERM (benchrun serve, and
 * the spawned child).  When ready_fd >= 0, the bound port is written to it
 * as a decimal line once listening (or "error: MESSAGE" when it cannot
 * listen), then it is closed; when ready_fd < 0 a banner with the URLs is
 * printed instead.  Returns an exit code.
 */
int brc_server_run(const struct brc_scenario *sc, const char *host, int port,
                  int ready_fd);

#endif /* BR_SERVER_H */
