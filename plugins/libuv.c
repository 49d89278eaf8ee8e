/*
 * libuv.c - the uvloop analogue: `concurrency` transfers in flight on
 * libuv's event loop, which drives libcurl's multi socket API as in curl's
 * docs/examples/multi-uv.c (plugins/uvcurl.c): a uv_poll_t per socket, a
 * uv_timer_t for curl's timer, and here a uv_timer_t per slot for retry
 * backoffs.
 *
 * The same slots as the eventloop plugin, on the other backend: each slot
 * reuses one easy handle, in a small group with its own connection cache
 * (epc_shares); when a transfer completes its slot reports it and starts
 * the next index at once.
 */
#include "config.h"

#include <stdlib.h>

#include <curl/curl.h>
#include <uv.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "epcurl.h" /* epc_shares, EPC_RAMP */
#include "uvcurl.h"

struct uvp_opts {
	struct brcurl_opts common;
	int64_t concurrency;
};

static const struct br_param uvp_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct uvp_opts, concurrency),
	  "100", 1, 100000, "transfers in flight" },
	BRC_PARAMS(struct uvp_opts, common),
	{ NULL },
};

struct uvp;

/* One transfer slot; xfer.easy is its reused handle, xfer.user the slot. */
struct uvp_slot {
	struct brcurl_xfer xfer;
	uv_timer_t retry;         /* backoff before the next attempt */
	struct uvp *u;            /* set once retry is initialised   */
	bool busy;                /* a request is in flight/waiting  */
};

struct uvp {
	struct uvc uvc;           /* first: callbacks get &u->uvc    */
	const struct uvp_opts *opts;
	struct uvp_slot *slots;
	size_t nslots;
	struct epc_shares shares; /* connection caches of slot groups */
	size_t n, next, busy;     /* requests, next to start, in use */
};

#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/* Begin attempt `attempt` of request i on slot s. */
static void uvp_start(struct uvp *u, struct uvp_slot *s, size_t i,
                      unsigned attempt)
{
	brcurl_xfer_start(&s->xfer, u->uvc.run, i, attempt);
	if (curl_multi_add_handle(u->uvc.multi, s->xfer.easy) == CURLM_OK)
		return;
	u->uvc.host->done(u->uvc.run, i, 0, "curl_multi_add_handle failed");
	s->busy = false;
	u->busy--;
}

/* Give slot s the next request of the run, if any. */
static void uvp_next(struct uvp *u, struct uvp_slot *s)
{
	if (u->next >= u->n)
		return;
	s->busy = true;
	u->busy++;
	uvp_start(u, s, u->next++, 0);
}

/* The loop failed: report every unfinished request, lose none. */
static void uvp_fail_rest(struct uvp *u, const char *why)
{
	const struct br_host *host = u->uvc.host;
	struct br_run *run = u->uvc.run;

	for (size_t k = 0; k < u->nslots; k++) {
		struct uvp_slot *s = &u->slots[k];

		if (!s->busy)
			continue;
		uv_timer_stop(&s->retry);
		curl_multi_remove_handle(u->uvc.multi, s->xfer.easy);
		host->done(run, s->xfer.i, 0, why);
		s->busy = false;
	}
	while (u->next < u->n) {
		host->start(run, u->next);
		host->done(run, u->next++, 0, why);
	}
	u->busy = 0;
}

/* ---- callbacks, called by libuv ---------------------------------------- */

/* A retry's backoff expired: start the next attempt. */
static void uvp_retry_cb(uv_timer_t *t)
{
	struct uvp_slot *s = container_of(t, struct uvp_slot, retry);

	uvp_start(s->u, s, s->xfer.i, s->xfer.attempt + 1);
}

/* A transfer ended: retry it after a backoff, or report it and move the
 * slot on to the next request. */
static void uvp_on_done(struct uvc *c, CURL *easy, CURLcode rc)
{
	struct uvp *u = container_of(c, struct uvp, uvc);
	struct brcurl_xfer *x;
	struct uvp_slot *s;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
	s = x->user;
	if (brcurl_xfer_retry(x, rc)) {
		double d = brcurl_backoff(&u->opts->common, x->attempt + 1);

		uv_timer_start(&s->retry, uvp_retry_cb, (uint64_t)(d * 1e3), 0);
		return;
	}
	brcurl_finish(x, rc);
	s->busy = false;
	u->busy--;
	uvp_next(u, s);
	if (u->busy == 0)
		uv_stop(&c->loop); /* idle connections keep the loop alive */
}

/* ---- set-up ----------------------------------------------------------- */

static void uvp_free(struct uvp *u)
{
	for (size_t k = 0; u->slots && k < u->nslots; k++) {
		if (u->slots[k].xfer.easy) {
			epc_shares_detach(u->slots[k].xfer.easy);
			curl_easy_cleanup(u->slots[k].xfer.easy);
		}
		if (u->slots[k].u)
			uv_close((uv_handle_t *)&u->slots[k].retry, NULL);
	}
	epc_shares_free(&u->shares); /* may close sockets: loop still up */
	uvc_free(&u->uvc);
	free(u->slots);
	free(u);
	brcurl_global_cleanup();
}

static int uvp_slots_open(struct uvp *u)
{
	u->slots = calloc(u->nslots, sizeof(*u->slots));
	if (!u->slots || epc_shares_init(&u->shares, u->uvc.host, u->nslots))
		return -1;
	for (size_t k = 0; k < u->nslots; k++) {
		struct uvp_slot *s = &u->slots[k];
		CURL *easy = curl_easy_init();

		if (!easy)
			return -1;
		/* from here on xfer.easy owns the handle (freed by *_free) */
		if (brcurl_easy_setup(&s->xfer, easy, u->uvc.host,
		                   &u->opts->common))
			return -1;
		s->xfer.user = s;
		uvc_easy_setup(&u->uvc, easy);
		uv_timer_init(&u->uvc.loop, &s->retry);
		s->u = u;
		if (epc_shares_attach(&u->shares, easy, k))
			return -1;
	}
	return 0;
}

/* Close every slot's connections: the next run starts cold. */
static void uvp_shares_renew(struct uvp *u)
{
	for (size_t k = 0; k < u->nslots; k++)
		epc_shares_detach(u->slots[k].xfer.easy);
	epc_shares_close(&u->shares);
	for (size_t k = 0; k < u->nslots; k++)
		epc_shares_attach(&u->shares, u->slots[k].xfer.easy, k);
}

/* ---- hook adapters ---------------------------------------------------- */

static int libuv_create(const struct br_host *host, const void *opts,
                        void **state)
{
	const struct uvp_opts *o = opts;
	struct uvp *u;

	if (brcurl_opts_check(host, &o->common) || brcurl_global_init(host))
		return -1;
	u = calloc(1, sizeof(*u));
	if (!u) {
		brcurl_global_cleanup();
		return -1;
	}
	u->opts = o;
	u->nslots = (size_t)o->concurrency;
	u->uvc.on_done = uvp_on_done;
	if (uvc_init(&u->uvc, host, "libuv", u->nslots))
		goto fail;
	if (uvp_slots_open(u)) {
		host->log(NULL, BR_LOG_ERROR, "libuv: cannot set up %zu curl "
		          "handles", u->nslots);
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
	int rc = 0;

	u->n = u->uvc.host->count(run);
	u->next = u->busy = 0;
	if (uvc_multi_open(&u->uvc, run, (long)u->nslots))
		return -1;
	for (size_t k = 0; !u->uvc.failed; ) {
		/* Ramp up EPC_RAMP slots per loop turn (see epcurl.h). */
		for (size_t j = 0; j < EPC_RAMP && k < u->nslots &&
		     u->next < u->n; j++)
			uvp_next(u, &u->slots[k++]);
		if (u->busy == 0)
			break;
		/* uvp_on_done stops the loop after the last request */
		uv_run(&u->uvc.loop, k < u->nslots && u->next < u->n ?
		       UV_RUN_ONCE : UV_RUN_DEFAULT);
	}
	if (u->uvc.failed || u->next < u->n) {
		uvp_fail_rest(u, "libuv failed (see log)");
		rc = -1;
	}
	uvc_multi_close(&u->uvc);
	uvp_shares_renew(u); /* closes the connections and their polls */
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
};
