/*
 * eventloop.c - the asyncio analogue: one thread, one epoll loop driving
 * libcurl's multi socket API (plugins/epcurl.c), `concurrency` transfers in
 * flight, callbacks only.
 *
 * Each of the `concurrency` slots owns one easy handle, reused for every
 * request it runs, in a small group with its own connection cache
 * (epc_shares), so a request allocates nothing of ours and finds an idle
 * connection at once.  When a transfer completes
 * its slot reports it and starts the next index at once; a retry waits for
 * its backoff on a timer, never in a sleep.
 */
#include "config.h"

#include <stdlib.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "epcurl.h"

struct el_opts {
	struct brcurl_opts common;
	int64_t concurrency;
};

static const struct br_param el_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct el_opts, concurrency),
	  "100", 1, 100000, "transfers in flight" },
	BRC_PARAMS(struct el_opts, common),
	{ NULL },
};

/* One transfer slot; xfer.easy is its reused handle, xfer.user the slot. */
struct el_slot {
	struct brcurl_xfer xfer;
	struct epc_timer retry; /* backoff before the next attempt    */
	bool busy;              /* a request is in flight or waiting  */
};

struct el {
	struct epc epc;         /* first: callbacks get &el->epc      */
	const struct el_opts *opts;
	struct el_slot *slots;
	size_t nslots;
	struct epc_shares shares; /* connection caches of slot groups */
	size_t n, next;         /* requests in the run, next to start */
	size_t busy;            /* slots with a request               */
};

#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/* Begin attempt `attempt` of request i on slot s. */
static void el_start(struct el *el, struct el_slot *s, size_t i,
                     unsigned attempt)
{
	brcurl_xfer_start(&s->xfer, el->epc.run, i, attempt);
	if (epc_add(&el->epc, s->xfer.easy) == 0)
		return;
	el->epc.host->done(el->epc.run, i, 0, "curl_multi_add_handle failed");
	s->busy = false;
	el->busy--;
}

/* Give slot s the next request of the run, if any. */
static void el_next(struct el *el, struct el_slot *s)
{
	if (el->next >= el->n)
		return;
	s->busy = true;
	el->busy++;
	el_start(el, s, el->next++, 0);
}

/* The loop itself failed: report every unfinished request, lose none. */
static void el_fail_rest(struct el *el, const char *why)
{
	const struct br_host *host = el->epc.host;
	struct br_run *run = el->epc.run;

	for (size_t k = 0; k < el->nslots; k++) {
		struct el_slot *s = &el->slots[k];

		if (!s->busy)
			continue;
		curl_multi_remove_handle(el->epc.multi, s->xfer.easy);
		host->done(run, s->xfer.i, 0, why);
		s->busy = false;
	}
	while (el->next < el->n) {
		host->start(run, el->next);
		host->done(run, el->next++, 0, why);
	}
	el->busy = 0;
}

/* ---- callbacks, called by epc_step ----------------------------------- */

/* A transfer ended: retry it after a backoff, or report it and move the
 * slot on to the next request. */
static void el_on_done(struct epc *e, CURL *easy, CURLcode rc)
{
	struct el *el = container_of(e, struct el, epc);
	struct brcurl_xfer *x;
	struct el_slot *s;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
	s = x->user;
	if (brcurl_xfer_retry(x, rc)) {
		epc_timer_add(e, &s->retry,
		              brcurl_backoff(&el->opts->common, x->attempt + 1));
		return;
	}
	brcurl_finish(x, rc);
	s->busy = false;
	el->busy--;
	el_next(el, s);
}

/* A retry's backoff expired: start the next attempt. */
static void el_on_timer(struct epc *e, struct epc_timer *t)
{
	struct el *el = container_of(e, struct el, epc);
	struct el_slot *s = container_of(t, struct el_slot, retry);

	el_start(el, s, s->xfer.i, s->xfer.attempt + 1);
}

/* ---- set-up ----------------------------------------------------------- */

static void el_free(struct el *el)
{
	for (size_t k = 0; el->slots && k < el->nslots; k++) {
		if (!el->slots[k].xfer.easy)
			continue;
		epc_shares_detach(el->slots[k].xfer.easy);
		curl_easy_cleanup(el->slots[k].xfer.easy);
	}
	epc_shares_free(&el->shares);
	free(el->slots);
	epc_free(&el->epc);
	free(el);
	brcurl_global_cleanup();
}

static int el_slots_open(struct el *el)
{
	el->slots = calloc(el->nslots, sizeof(*el->slots));
	if (!el->slots || epc_shares_init(&el->shares, el->epc.host,
	                                  el->nslots))
		return -1;
	for (size_t k = 0; k < el->nslots; k++) {
		struct el_slot *s = &el->slots[k];
		CURL *easy = curl_easy_init();

		if (!easy)
			return -1;
		/* from here on xfer.easy owns the handle (freed by *_free) */
		if (brcurl_easy_setup(&s->xfer, easy, el->epc.host,
		                   &el->opts->common))
			return -1;
		s->xfer.user = s;
		epc_easy_setup(&el->epc, easy);
		if (epc_shares_attach(&el->shares, easy, k))
			return -1;
	}
	return 0;
}

/* Close every slot's connections: the next run starts cold. */
static void el_shares_renew(struct el *el)
{
	for (size_t k = 0; k < el->nslots; k++)
		epc_shares_detach(el->slots[k].xfer.easy);
	epc_shares_close(&el->shares);
	for (size_t k = 0; k < el->nslots; k++)
		epc_shares_attach(&el->shares, el->slots[k].xfer.easy, k);
}

/* ---- hook adapters ---------------------------------------------------- */

static int eventloop_create(const struct br_host *host, const void *opts,
                            void **state)
{
	const struct el_opts *o = opts;
	struct el *el;

	if (brcurl_opts_check(host, &o->common) || brcurl_global_init(host))
		return -1;
	el = calloc(1, sizeof(*el));
	if (!el) {
		brcurl_global_cleanup();
		return -1;
	}
	el->opts = o;
	el->nslots = (size_t)o->concurrency;
	el->epc.on_done = el_on_done;
	el->epc.on_timer = el_on_timer;
	if (epc_init(&el->epc, host, "eventloop", el->nslots))
		goto fail;
	if (el_slots_open(el)) {
		host->log(NULL, BR_LOG_ERROR, "eventloop: cannot set up %zu "
		          "curl handles", el->nslots);
		goto fail;
	}
	*state = el;
	return 0;
fail:
	el_free(el);
	return -1;
}

static int eventloop_run(void *state, struct br_run *run)
{
	struct el *el = state;
	int rc = 0;

	el->n = el->epc.host->count(run);
	el->next = el->busy = 0;
	if (epc_multi_open(&el->epc, run, (long)el->nslots))
		return -1;
	for (size_t k = 0; rc == 0; rc = epc_step(&el->epc)) {
		/* Ramp up EPC_RAMP slots per loop turn: the first requests
		 * go out while later connections are still being made. */
		for (size_t j = 0; j < EPC_RAMP && k < el->nslots &&
		     el->next < el->n; j++)
			el_next(el, &el->slots[k++]);
		if (el->busy == 0)
			break;
	}
	if (rc || el->next < el->n) {
		el_fail_rest(el, "eventloop failed (see log)");
		rc = -1;
	}
	epc_multi_close(&el->epc);
	el_shares_renew(el);
	return rc;
}

static void eventloop_destroy(void *state)
{
	el_free(state);
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "eventloop",
	.description = "one thread, epoll + libcurl multi socket API "
	               "(asyncio analogue)",
	.params = el_params,
	.opts_size = sizeof(struct el_opts),
	.create = eventloop_create,
	.run = eventloop_run,
	.destroy = eventloop_destroy,
};
