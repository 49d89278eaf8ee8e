/*
 * slotpool.h - the transfer slots of the libcurl event-loop plugins
 * (eventloop, greenlets, libuv): `concurrency` slots, each owning one easy
 * handle reused for every request it runs, in small groups with their own
 * connection cache; handing out the run's requests; reporting what is left
 * when the loop fails; and draining a multi handle's finished transfers.
 * A plugin keeps only its model: what a slot does between take and finish.
 *
 * The open model (ABI 1.1) lives here too, once for the three loops: a
 * slot is handed request i only when it is due (host->due), so none can
 * start early.  A slot that finds the next request not due yet is parked;
 * the loop sleeps until sp_wake_at (its own timer: an epoll timeout, a
 * uv_timer) and gives the request to a parked slot with sp_unpark, or to
 * a new one with sp_ramp.  In the closed model every request is due at 0
 * and nothing is ever parked.
 *
 * Linked into those plugins as the convenience library
 * plugins/libslotpool.la; nothing here is exported from the plugins.
 */
#ifndef BR_PLUGINS_SLOTPOOL_H
#define BR_PLUGINS_SLOTPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"

/* The struct that contains `member` at p. */
#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/*
 * Slots to start per loop turn while ramping up.  Starting 1,000 transfers
 * at once makes 1,000 connections in one socket_action call before the
 * first request is sent; in steps of 32 the first requests leave at once
 * and the run as a whole finishes sooner (BENCHMARKS.md).
 */
enum { SP_RAMP = 32 };

/*
 * Connection caches, one per SP_SHARE_GROUP handles (share handles with
 * CURL_LOCK_DATA_CONNECT).  The multi's own cache is one list per host that
 * libcurl walks on every request: with 10,000 connections to one server
 * that walk costs more than the rest of the request.  A small group keeps
 * the walk short; each cache holds a hash table and a closure handle.
 */
enum { SP_SHARE_GROUP = 16 };

/* The first member of a plugin's slot struct.  CURLOPT_PRIVATE of the
 * handle is &xfer, and xfer.user is the slot. */
struct sp_slot {
	struct brcurl_xfer xfer;  /* xfer.easy: the slot's reused handle    */
	bool busy;                /* holds request xfer.i, not yet finished */
	bool parked;              /* waits for the next request to be due   */
};

struct sp_pool {
	const struct br_host *host;
	const struct brcurl_opts *opts;
	struct br_run *run;       /* between sp_begin and the run's end     */
	char *slots;              /* n slots of `stride` bytes              */
	size_t n, stride;
	CURLSH **shares;          /* one per SP_SHARE_GROUP slots           */
	size_t nshares;
	size_t count, next;       /* requests in the run, next to hand out  */
	size_t busy;              /* slots holding a request                */
	size_t ramped, turn;      /* slots started, and in this loop turn   */
	size_t *parked;           /* indices of parked slots (a stack)      */
	size_t nparked;
	bool warm;                /* a run has used the connections         */
};

/*
 * Open n slots of `stride` bytes (a plugin struct whose first member is
 * struct sp_slot), zeroed, each with a handle set up from o and attached
 * to its group's cache; then call init(ctx, slot) for each, where the
 * plugin installs its backend's socket callbacks and its own per-slot
 * state.  Returns 0, or -1 (the caller logs; sp_free cleans up either way).
 */
int sp_open(struct sp_pool *p, const struct br_host *host,
            const struct brcurl_opts *o, size_t n, size_t stride,
            void (*init)(void *ctx, struct sp_slot *s), void *ctx);
/* Slot k, and the k of slot s. */
struct sp_slot *sp_at(const struct sp_pool *p, size_t k);
size_t sp_index(const struct sp_pool *p, const struct sp_slot *s);
/* Free the handles and caches (closing their connections); then sp_free
 * frees the slots themselves.  sp_free alone does both. */
void sp_close(struct sp_pool *p);
void sp_free(struct sp_pool *p);

/* A run begins: its requests are handed out from index 0.  A run after
 * the first closes the connections the last one left open first, so that
 * every run starts cold; the first run's are closed by sp_free (destroy),
 * not at the end of the run: closing 1,000 connections took 45-70 ms, all
 * of it inside the measured wall (BENCHMARKS.md). */
void sp_begin(struct sp_pool *p, struct br_run *run);
/* Give slot s the next request: true and *i, or false when none is left
 * or the next one is not due yet (s is then parked). */
bool sp_take(struct sp_pool *p, struct sp_slot *s, size_t *i);
/* Begin attempt `attempt` of s's request i and add it to multi.  When the
 * multi refuses it, the request is reported failed and s released. */
void sp_start(struct sp_pool *p, struct sp_slot *s, size_t i,
              unsigned attempt, CURLM *multi);
/* sp_take + sp_start: false when no request is left. */
bool sp_next(struct sp_pool *p, struct sp_slot *s, CURLM *multi);
/* Report s's request as finished with rc (brcurl_finish) and release s. */
void sp_finish(struct sp_pool *p, struct sp_slot *s, CURLcode rc);
/*
 * A transfer ended with rc (already removed from its multi).  Returns its
 * slot.  When the attempt deserves another, *backoff is the delay in
 * seconds before it (>= 0) and the slot stays busy; otherwise the request
 * is reported, the slot released and *backoff is -1.
 */
struct sp_slot *sp_ended(struct sp_pool *p, CURL *easy, CURLcode rc,
                         double *backoff);

/* Ramping up: the next slot not used yet this run, at most SP_RAMP per
 * loop turn and only while a request is due; NULL ends the turn. */
struct sp_slot *sp_ramp(struct sp_pool *p);
/* Are there slots left to ramp up? */
bool sp_ramping(const struct sp_pool *p);

/* Open model: a parked slot when the next request is due, else NULL;
 * give it the request (sp_next, or the green thread's own take). */
struct sp_slot *sp_unpark(struct sp_pool *p);
/* When the loop must wake up for the next request (brcurl_now_ns clock):
 * its due time, or now when it is due and nothing in flight would wake
 * the loop; 0 when there is no such deadline. */
uint64_t sp_wake_at(const struct sp_pool *p);
/* Nothing is left to do or can happen any more: no slot busy, and either
 * every request handed out or no slot left to take one. */
bool sp_over(const struct sp_pool *p);

/*
 * The loop failed: report every unfinished request, lose none.  Busy
 * slots' transfers are removed from multi (cancel(s), if not NULL, stops
 * what else a slot waits for) and reported with `why`, as is every request
 * not handed out yet.
 */
void sp_fail_rest(struct sp_pool *p, CURLM *multi, const char *why,
                  void (*cancel)(struct sp_slot *s));
/* Close every slot's connections (sp_begin does, from the second run). */
void sp_renew(struct sp_pool *p);

/* The next finished transfer of multi, removed from it, and its result in
 * *rc; NULL when none is left.  Call after every socket_action. */
CURL *sp_done_next(CURLM *multi, CURLcode *rc);

#endif /* BR_PLUGINS_SLOTPOOL_H */
