/*
 * libuv.c - the uvloop analogue: `concurrency` transfers in flight on
 * libuv's event loop, which drives libcurl's multi socket API as in curl's
 * docs/examples/multi-uv.c (plugins/uvcurl.c): a uv_poll_t per socket, a
 * uv_timer_t for curl's timer, and here a uv_timer_t per slot for retry
 * backoffs.
 *
 * The same slots as the eventloop plugin (plugins/slotpool.c), on the other
 * backend: each slot reuses one easy handle; when a transfer completes its
 * slot reports it and starts the next index at once.
 */
#include "config.h"

#include <stdlib.h>

#include <curl/curl.h>
#include <uv.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "slotpool.h"
#include "uvcurl.h"

struct uvp_opts {
	struct brcurl_opts common;
	int64_t concurrency;
};

static const struct br_param uvp_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct uvp_opts, concurrency),
	  "100", 1, 100000, "transfers in flight",
	  .flags = BR_PARAM_F_CONCURRENCY },
	BRC_PARAMS(struct uvp_opts, common),
	{ NULL },
};

struct uvp;

struct uvp_slot {
	struct sp_slot slot;      /* first: the pool's part          */
	uv_timer_t retry;         /* backoff before the next attempt */
	struct uvp *u;            /* set once retry is initialised   */
};

struct uvp {
	struct uvc uvc;           /* first: callbacks get &u->uvc    */
	struct sp_pool pool;
	uv_timer_t due;           /* open model: the next due request */
	bool due_init;
};

/* ---- callbacks, called by libuv ---------------------------------------- */

/* Nothing is in flight any more: leave uv_run, whose idle keep-alive
 * connections would otherwise keep it waiting until the run's timeout. */
static void uvp_stop_when_idle(struct uvp *u)
{
	if (u->pool.busy == 0)
		uv_stop(&u->uvc.loop);
}

/* A retry's backoff expired: start the next attempt.  When that fails
 * (sp_start reports it), the slot may have been the last one busy. */
static void uvp_retry_cb(uv_timer_t *t)
{
	struct uvp_slot *s = container_of(t, struct uvp_slot, retry);

	sp_start(&s->u->pool, &s->slot, s->slot.xfer.i,
	         s->slot.xfer.attempt + 1, s->u->uvc.multi);
	uvp_stop_when_idle(s->u);
}

/* A transfer ended: retry it after a backoff, or move its slot on to the
 * next request. */
static void uvp_on_done(struct uvc *c, CURL *easy, CURLcode rc)
{
	struct uvp *u = container_of(c, struct uvp, uvc);
	double backoff;
	struct uvp_slot *s = (struct uvp_slot *)sp_ended(&u->pool, easy, rc,
	                                                 &backoff);

	if (backoff >= 0) {
		uv_timer_start(&s->retry, uvp_retry_cb,
		               (uint64_t)(backoff * 1e3), 0);
		return;
	}
	sp_next(&u->pool, &s->slot, c->multi);
	uvp_stop_when_idle(u);
	/* A parked slot needs the due timer re-armed by libuv_run. */
	if (s->slot.parked)
		uv_stop(&c->loop);
}

/* The next request fell due: back to libuv_run, which hands it out. */
static void uvp_due_cb(uv_timer_t *t)
{
	uv_stop(t->loop);
}

/* ---- set-up ----------------------------------------------------------- */

static void uvp_slot_init(void *ctx, struct sp_slot *slot)
{
	struct uvp *u = ctx;
	struct uvp_slot *s = (struct uvp_slot *)slot;

	uvc_easy_setup(&u->uvc, slot->xfer.easy);
	uv_timer_init(&u->uvc.loop, &s->retry);
	s->u = u;
}

/* The loop failed: a slot waiting for its backoff waits no more. */
static void uvp_slot_cancel(struct sp_slot *slot)
{
	uv_timer_stop(&((struct uvp_slot *)slot)->retry);
}

static void uvp_free(struct uvp *u)
{
	for (size_t k = 0; u->pool.slots && k < u->pool.n; k++) {
		struct uvp_slot *s = (struct uvp_slot *)sp_at(&u->pool, k);

		if (s->u)
			uv_close((uv_handle_t *)&s->retry, NULL);
	}
	if (u->due_init)
		uv_close((uv_handle_t *)&u->due, NULL);
	sp_close(&u->pool); /* may close sockets: the loop is still up */
	uvc_free(&u->uvc);  /* runs the loop to finish every close     */
	sp_free(&u->pool);
	free(u);
	brcurl_global_cleanup();
}

/* ---- hook adapters ---------------------------------------------------- */

static int libuv_create(const struct br_host *host, const void *opts,
                        void **state)
{
	const struct uvp_opts *o = opts;
	size_t n = (size_t)o->concurrency;
	struct uvp *u;

	if (brcurl_opts_check(host, &o->common) || brcurl_global_init(host))
		return -1;
	u = calloc(1, sizeof(*u));
	if (!u) {
		brcurl_global_cleanup();
		return -1;
	}
	u->uvc.on_done = uvp_on_done;
	if (uvc_init(&u->uvc, host, "libuv", n))
		goto fail;
	uv_timer_init(&u->uvc.loop, &u->due);
	u->due_init = true;
	if (sp_open(&u->pool, host, &o->common, n, sizeof(struct uvp_slot),
	            uvp_slot_init, u)) {
		host->log(NULL, BR_LOG_ERROR, "libuv: cannot set up %zu curl "
		          "handles", n);
		goto fail;
	}
	*state = u;
	return 0;
fail:
	uvp_free(u);
	return -1;
}

static int libuv_run(void *state, struct br_run *run)
{
	struct uvp *u = state;
	struct sp_slot *s;
	int rc = 0;

	sp_begin(&u->pool, run);
	if (uvc_multi_open(&u->uvc, run, (long)u->pool.n))
		return -1;
	while (!u->uvc.failed) {
		uint64_t wake;

		/* Open model: due requests to parked slots first. */
		while ((s = sp_unpark(&u->pool)))
			sp_next(&u->pool, s, u->uvc.multi);
		/* Ramp up SP_RAMP slots per loop turn (see slotpool.h). */
		while ((s = sp_ramp(&u->pool)))
			sp_next(&u->pool, s, u->uvc.multi);
		if (sp_over(&u->pool))
			break;
		wake = sp_wake_at(&u->pool);
		if (wake) {
			uint64_t now = brcurl_now_ns();

			uv_timer_start(&u->due, uvp_due_cb, wake > now ?
			               (wake - now + 999999) / 1000000 : 0, 0);
		}
		/* uvp_on_done stops the loop after the last request */
		uv_run(&u->uvc.loop, sp_ramping(&u->pool) ? UV_RUN_ONCE :
		       UV_RUN_DEFAULT);
	}
	uv_timer_stop(&u->due);
	if (u->uvc.failed || u->pool.next < u->pool.count) {
		sp_fail_rest(&u->pool, u->uvc.multi, "libuv failed (see log)",
		             uvp_slot_cancel);
		rc = -1;
	}
	/* The connections and their polls stay until the next run or
	 * destroy (sp_begin, uvp_free): closing them is not the run's work. */
	uvc_multi_close(&u->uvc);
	uv_run(&u->uvc.loop, UV_RUN_NOWAIT); /* free the closed handles */
	return rc;
}

static void libuv_destroy(void *state)
{
	uvp_free(state);
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "libuv",
	.description = "libcurl multi socket API on libuv's event loop "
	               "(uvloop analogue)",
	.params = uvp_params,
	.opts_size = sizeof(struct uvp_opts),
	.create = libuv_create,
	.run = libuv_run,
	.destroy = libuv_destroy,
	.flags = BR_PLUGIN_F_DUE, /* the slot pool starts nothing early */
};
