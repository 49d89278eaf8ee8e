/*
 * epcurl.h - drive a libcurl multi handle with epoll, for the event-driven
 * plugins (eventloop, greenlets): curl's socket and timer callbacks, the
 * epoll loop, completion dispatch and backoff timers.  The plugins differ
 * only in what happens when a transfer completes or a timer expires; their
 * slots and connection caches are plugins/slotpool.h's.
 *
 * Linked into those plugins as the convenience library plugins/libepcurl.la.
 */
#ifndef BR_PLUGINS_EPCURL_H
#define BR_PLUGINS_EPCURL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

/* A one-shot timer (a retry backoff); embed it in the waiting object. */
struct epc_timer {
	uint64_t at;             /* CLOCK_MONOTONIC deadline, ns      */
	struct epc_timer *next;  /* pending list, owned by the epc    */
};

struct epc {
	const struct br_host *host;
	struct br_run *run;      /* for log messages                  */
	const char *name;        /* plugin name, for log messages     */
	CURLM *multi;            /* between epc_multi_open and _close */
	int epfd;
	uint16_t *fds;           /* per-fd registration state         */
	size_t nfds;
	uint64_t timer_at;       /* curl's deadline, 0 = none         */
	struct epc_timer *timers;
	uint64_t wake_at;        /* the owner's deadline (the open model's
	                            next due request), 0 = none          */
	bool failed;             /* epoll failed: give up the run     */

	/* A transfer ended (already removed from the multi). */
	void (*on_done)(struct epc *e, CURL *easy, CURLcode rc);
	/* A timer from epc_timer_add expired. */
	void (*on_timer)(struct epc *e, struct epc_timer *t);
};

/* Set up e for `need` concurrent transfers (fd check, epoll, fd table);
 * on_done/on_timer are set by the caller.  Returns 0 or -1 (logged). */
int epc_init(struct epc *e, const struct br_host *host, const char *name,
             size_t need);
void epc_free(struct epc *e);

/* Install the socket open/close callbacks on an easy handle. */
void epc_easy_setup(struct epc *e, CURL *easy);

/* A fresh multi for one run, keeping up to `maxconnects` connections. */
int epc_multi_open(struct epc *e, struct br_run *run, long maxconnects);
/* Close the multi and its cached connections (handles removed first). */
void epc_multi_close(struct epc *e);

/* Add a transfer; returns 0 or -1 (logged). */
int epc_add(struct epc *e, CURL *easy);

/* Call e->on_timer(t) `seconds` from now. */
void epc_timer_add(struct epc *e, struct epc_timer *t, double seconds);

/* Wait for the next events and deadlines and dispatch them.  Returns 0, or
 * -1 when the loop cannot go on (logged, e->failed set). */
int epc_step(struct epc *e);

#endif /* BR_PLUGINS_EPCURL_H */
