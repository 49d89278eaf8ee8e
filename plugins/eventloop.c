/*
 * eventloop.c - the asyncio analogue: one thread, one epoll loop driving
 * libcurl's multi socket API (plugins/epcurl.c), `concurrency` transfers in
 * flight, callbacks only.
 *
 * Each slot (plugins/slotpool.c) reuses one easy handle for every request
 * it runs, so a request allocates nothing of ours and finds an idle
 * connection at once.  When a transfer completes its slot reports it and
 * starts the next index at once; a retry waits for its backoff on a timer,
 * never in a sleep.
 */
#include "config.h"

#include <stdlib.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "epcurl.h"
#include "slotpool.h"

struct el_opts {
	struct brcurl_opts common;
	int64_t concurrency;
};

static const struct br_param el_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct el_opts, concurrency),
	  "100", 1, 100000, "transfers in flight",
	  .flags = BR_PARAM_F_CONCURRENCY },
	BRC_PARAMS(struct el_opts, common),
	{ NULL },
};

struct el_slot {
	struct sp_slot slot;    /* first: the pool's part              */
	struct epc_timer retry; /* backoff before the next attempt     */
};

struct el {
	struct epc epc;         /* first: callbacks get &el->epc       */
	struct sp_pool pool;
};

/* ---- callbacks, called by epc_step ----------------------------------- */

/* A transfer ended: retry it after a backoff, or move its slot on to the
 * next request. */
static void el_on_done(struct epc *e, CURL *easy, CURLcode rc)
{
	struct el *el = container_of(e, struct el, epc);
	double backoff;
	struct el_slot *s = (struct el_slot *)sp_ended(&el->pool, easy, rc,
	                                               &backoff);

	if (backoff >= 0)
		epc_timer_add(e, &s->retry, backoff);
	else
		sp_next(&el->pool, &s->slot, e->multi);
}

/* A retry's backoff expired: start the next attempt. */
static void el_on_timer(struct epc *e, struct epc_timer *t)
{
	struct el *el = container_of(e, struct el, epc);
	struct el_slot *s = container_of(t, struct el_slot, retry);

	sp_start(&el->pool, &s->slot, s->slot.xfer.i, s->slot.xfer.attempt + 1,
	         e->multi);
}

/* ---- set-up ----------------------------------------------------------- */

static void el_slot_init(void *ctx, struct sp_slot *s)
{
	struct el *el = ctx;

	epc_easy_setup(&el->epc, s->xfer.easy);
}

static void el_free(struct el *el)
{
	sp_free(&el->pool);
	epc_free(&el->epc);
	free(el);
	brcurl_global_cleanup();
}

/* ---- hook adapters ---------------------------------------------------- */

static int eventloop_create(const struct br_host *host, const void *opts,
                            void **state)
{
	const struct el_opts *o = opts;
	size_t n = (size_t)o->concurrency;
	struct el *el;

	if (brcurl_opts_check(host, &o->common) || brcurl_global_init(host))
		return -1;
	el = calloc(1, sizeof(*el));
	if (!el) {
		brcurl_global_cleanup();
		return -1;
	}
	el->epc.on_done = el_on_done;
	el->epc.on_timer = el_on_timer;
	if (epc_init(&el->epc, host, "eventloop", n))
		goto fail;
	if (sp_open(&el->pool, host, &o->common, n, sizeof(struct el_slot),
	            el_slot_init, el)) {
		host->log(NULL, BR_LOG_ERROR, "eventloop: cannot set up %zu "
		          "curl handles", n);
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
	struct sp_slot *s;
	int rc = 0;

	sp_begin(&el->pool, run);
	if (epc_multi_open(&el->epc, run, (long)el->pool.n))
		return -1;
	for (; rc == 0; rc = epc_step(&el->epc)) {
		/* Open model: requests that fell due go to parked slots
		 * first (warm connections), then to new ones. */
		while ((s = sp_unpark(&el->pool)))
			sp_next(&el->pool, s, el->epc.multi);
		/* Ramp up SP_RAMP slots per loop turn: the first requests
		 * go out while later connections are still being made. */
		while ((s = sp_ramp(&el->pool)))
			sp_next(&el->pool, s, el->epc.multi);
		if (sp_over(&el->pool))
			break;
		/* The loop's timer for the next due request. */
		el->epc.wake_at = sp_wake_at(&el->pool);
	}
	if (rc || el->pool.next < el->pool.count) {
		sp_fail_rest(&el->pool, el->epc.multi,
		             "eventloop failed (see log)", NULL);
		rc = -1;
	}
	/* The connections stay open until the next run or destroy
	 * (sp_begin): closing them is not part of the run's work. */
	epc_multi_close(&el->epc);
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
	.flags = BR_PLUGIN_F_DUE, /* the slot pool starts nothing early */
};
