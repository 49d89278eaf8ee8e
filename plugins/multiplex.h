/*
 * multiplex.h - what the multiplex plugin's two files share
 * (multiplex.c: the run; multiplex_conn.c: the connections): its options,
 * requests, connections and state, and the connection functions.
 */
#ifndef BR_PLUGINS_MULTIPLEX_H
#define BR_PLUGINS_MULTIPLEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <nghttp2/nghttp2.h>
#include <benchrun/plugin.h>

struct mx_opts {
	int64_t concurrency, connections, retries;
	double timeout, retry_backoff;
};

struct mx_req {
	char *authority, *path;
	int conn;                   /* -1: not in flight                    */
	int32_t stream;             /* its stream on that connection        */
	unsigned attempt;
	int status;
	uint64_t started, retry_at; /* ns; retry_at 0: none pending         */
	bool over_limit, timed_out;
};

struct mx_conn {
	int fd;                     /* -1: not connected                    */
	nghttp2_session *ss;
	int64_t open;
	uint8_t *pend;
	size_t pend_len, pend_off;
};

struct mx_state {
	const struct br_host *host;
	struct mx_opts o;
	struct br_run *run;
	struct mx_req *req;
	size_t count, next, done, in_flight, retrying;
	struct mx_conn *conns;
	int ep;
	char *host_name, *port;     /* of the first URL: the one server     */
	bool has_due;
};

static inline uint64_t mx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Request i is over (error NULL: it got a response): report it, or
 * schedule its retry. */
void mx_finish(struct mx_state *s, size_t i, const char *error);
/* Connect connection k and start its session; -1 when it cannot. */
int mx_conn_open(struct mx_state *s, int k);
/* Close connection k; its requests in flight fail with `why`. */
void mx_conn_drop(struct mx_state *s, int k, const char *why);
/* Send what connection k's session has to send; -1 on an error. */
int mx_conn_flush(struct mx_state *s, int k);
/* Read what connection k has into its session (dropping it on an error
 * or EOF) and flush the answers. */
void mx_conn_read(struct mx_state *s, int k);

#endif /* BR_PLUGINS_MULTIPLEX_H */
