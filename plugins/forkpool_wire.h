/*
 * forkpool_wire.h - how forkpool's worker processes report to the parent:
 * a stream of small frames on one pipe per child,
 *
 *   START(i)                  request i begins (again, for a retry)
 *   BODY(i, bytes)            body bytes, in order
 *   DONE(i, status, elapsed, error text)
 *
 * written by the child through a proxy struct br_host (so brcurl_fetch runs
 * unchanged in the child) and turned back into host->start/body/done by
 * the parent, which is the only process allowed to call the real host.
 *
 * Latency: the core times a request from start() to done(), both called
 * by the parent, which may read a START late when the CPUs are busy (START
 * and DONE then come in one read and the request would look instant).  So
 * the child times each request itself, from its first try, and the parent
 * holds done() back until its own start() is at least that long ago: the
 * core's latency is the child's plus one pipe hop (microseconds) when the
 * parent keeps up.  A late START delays its done() by the same lag, which
 * the wall time of a CPU-starved run contains anyway.
 */
#ifndef BR_PLUGINS_FORKPOOL_WIRE_H
#define BR_PLUGINS_FORKPOOL_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <benchrun/plugin.h>

/* ---- the child ------------------------------------------------------- */

struct fpw_child {
	const struct br_host *host; /* the real one, for url()           */
	struct br_run *run;
	int fd;
	bool broken;  /* the pipe failed: the parent is gone or gave up  */
	uint64_t t0;  /* when the request being fetched first started    */
	char *buf;    /* frames not yet written                          */
	size_t len, cap;
};

/* Set up c to write to fd, and *proxy to a copy of host whose url, start,
 * body, done and log go through c.  Pass fpw_child_run(c) as the run. */
void fpw_child_init(struct fpw_child *c, struct br_host *proxy,
                    const struct br_host *host, struct br_run *run, int fd);
struct br_run *fpw_child_run(struct fpw_child *c);
/* Write what is buffered; sets c->broken when the pipe fails. */
void fpw_child_flush(struct fpw_child *c);

/* ---- the parent ------------------------------------------------------ */

enum { FPW_STARTED = 1, FPW_DONE = 2, FPW_OVER = 4 };

/* One child as the parent sees it. */
struct fpw_proc {
	pid_t pid;
	int fd;       /* -1 once the child's pipe is closed        */
	bool busy;    /* a request is between START and DONE        */
	size_t cur;   /* that request                                */
	uint64_t t0;  /* when the parent called start(cur) first     */
	char *buf;    /* bytes read, not yet a whole frame           */
	size_t len, cap;
};

/* A done() held back until the core's latency caught up. */
struct fpw_held {
	size_t i;
	int status;
	uint64_t due;
	char err[256]; /* "" for no error */
};

struct fpw_parent {
	const struct br_host *host;
	struct br_run *run;
	size_t n;
	uint8_t *req;          /* per request: FPW_* flags           */
	struct fpw_held *held; /* unordered                          */
	size_t nheld, cap_held;
};

/* Read what child p sent and dispatch its complete frames.  Returns 0, or
 * -1 at end of stream or when the child broke the protocol. */
int fpw_read(struct fpw_parent *w, struct fpw_proc *p);
/* Call done() for every held request due by `until` (ns). */
void fpw_release(struct fpw_parent *w, uint64_t until);
/* Earliest due time of a held request; 0 when none is held. */
uint64_t fpw_next_due(const struct fpw_parent *w);

#endif /* BR_PLUGINS_FORKPOOL_WIRE_H */
