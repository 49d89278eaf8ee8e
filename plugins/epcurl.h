/*
 * epcurl.h - drive a libcurl multi handle with epoll, for the event-driven
 * plugins (eventloop, greenlets): curl's socket and timer callbacks, the
 * epoll loop, completion dispatch and backoff timers.  The plugins differ
 * only in what happens when a transfer completes or a timer expires.
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

/*
 * Transfers to start per loop turn while ramping up.  Starting 1,000 at
 * once makes 1,000 connections in one socket_action call before the first
 * request is sent (~100 ms here); in steps of 32 the first requests leave
 * at once and the whole run finishes ~half that earlier.
 */
enum { EPC_RAMP = 32 };

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

/*
 * Connection caches for a plugin's easy handles, one per EPC_SHARE_GROUP
 * of them (share handles with CURL_LOCK_DATA_CONNECT).  The multi's own
 * cache is one list per host that libcurl walks on every request: with
 * 10,000 connections to one server that walk costs more than the rest of
 * the request.  A small group keeps the walk short and costs ~9 KiB per
 * cache (each share holds a hash table and a closure handle).
 */
enum { EPC_SHARE_GROUP = 16 };

struct epc_shares {
	const struct br_host *host;
	CURLSH **v;
	size_t n;
};

int epc_shares_init(struct epc_shares *s, const struct br_host *host,
                    size_t handles);
/* Attach handle number k to its group's cache (created on first use).
 * Returns 0 or -1 (logged). */
int epc_shares_attach(struct epc_shares *s, CURL *easy, size_t k);
/* Detach a handle: every handle must be detached before close. */
void epc_shares_detach(CURL *easy);
/* Free the caches, closing their connections; attach creates new ones. */
void epc_shares_close(struct epc_shares *s);
void epc_shares_free(struct epc_shares *s);

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
