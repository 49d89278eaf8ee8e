/*
 * slotpool.c - the transfer slots of the libcurl event-loop plugins; see
 * slotpool.h.  Everything here runs on the plugin's one loop thread.
 */
#include "config.h"

#include <stdlib.h>

#include "brdue.h"
#include "slotpool.h"

/* ---- connection caches ------------------------------------------------ */

/* Attach slot k's handle to its group's cache, created on first use. */
static int sp_share_attach(struct sp_pool *p, CURL *easy, size_t k)
{
	CURLSH **sh = &p->shares[k / SP_SHARE_GROUP];

	if (!*sh) {
		*sh = curl_share_init();
		if (*sh && curl_share_setopt(*sh, CURLSHOPT_SHARE,
		                             CURL_LOCK_DATA_CONNECT) != CURLSHE_OK) {
			curl_share_cleanup(*sh);
			*sh = NULL;
		}
	}
	if (*sh && curl_easy_setopt(easy, CURLOPT_SHARE, *sh) == CURLE_OK)
		return 0;
	p->host->log(NULL, BR_LOG_ERROR, "curl_share_init: cannot give "
	             "handles a connection cache");
	return -1;
}

/* Detach every handle (a share must have none when it is cleaned up),
 * then free the caches, closing their connections. */
static void sp_shares_close(struct sp_pool *p)
{
	for (size_t k = 0; p->slots && k < p->n; k++) {
		CURL *easy = sp_at(p, k)->xfer.easy;

		if (easy)
			curl_easy_setopt(easy, CURLOPT_SHARE, NULL);
	}
	for (size_t k = 0; p->shares && k < p->nshares; k++) {
		if (p->shares[k])
			curl_share_cleanup(p->shares[k]);
		p->shares[k] = NULL;
	}
}

void sp_renew(struct sp_pool *p)
{
	sp_shares_close(p);
	for (size_t k = 0; k < p->n; k++)
		sp_share_attach(p, sp_at(p, k)->xfer.easy, k);
}

/* ---- set-up ----------------------------------------------------------- */

struct sp_slot *sp_at(const struct sp_pool *p, size_t k)
{
	return (struct sp_slot *)(void *)(p->slots + k * p->stride);
}

size_t sp_index(const struct sp_pool *p, const struct sp_slot *s)
{
	return (size_t)((const char *)s - p->slots) / p->stride;
}

int sp_open(struct sp_pool *p, const struct br_host *host,
            const struct brcurl_opts *o, size_t n, size_t stride,
            void (*init)(void *ctx, struct sp_slot *s), void *ctx)
{
	p->host = host;
	p->opts = o;
	p->n = n;
	p->stride = stride;
	p->nshares = (n + SP_SHARE_GROUP - 1) / SP_SHARE_GROUP;
	p->slots = calloc(n, stride);
	p->shares = calloc(p->nshares, sizeof(*p->shares));
	p->parked = calloc(n ? n : 1, sizeof(*p->parked));
	if (!p->slots || !p->shares || !p->parked)
		return -1;
	for (size_t k = 0; k < n; k++) {
		struct sp_slot *s = sp_at(p, k);
		CURL *easy = curl_easy_init();

		if (!easy)
			return -1;
		/* from here on xfer.easy owns the handle (freed by sp_close) */
		if (brcurl_easy_setup(&s->xfer, easy, host, o))
			return -1;
		s->xfer.user = s;
		if (sp_share_attach(p, easy, k))
			return -1;
		init(ctx, s);
	}
	return 0;
}

void sp_close(struct sp_pool *p)
{
	sp_shares_close(p);
	for (size_t k = 0; p->slots && k < p->n; k++) {
		struct sp_slot *s = sp_at(p, k);

		if (s->xfer.easy)
			curl_easy_cleanup(s->xfer.easy);
		s->xfer.easy = NULL;
		brcurl_xfer_release(&s->xfer);
	}
}

void sp_free(struct sp_pool *p)
{
	sp_close(p);
	free(p->shares);
	free(p->slots);
	free(p->parked);
	p->shares = NULL;
	p->slots = NULL;
	p->parked = NULL;
}

/* ---- handing out requests ---------------------------------------------- */

void sp_begin(struct sp_pool *p, struct br_run *run)
{
	if (p->warm)
		sp_renew(p);
	p->warm = true;
	p->run = run;
	p->count = p->host->count(run);
	p->next = p->busy = p->ramped = p->turn = p->nparked = 0;
	for (size_t k = 0; k < p->n; k++)
		sp_at(p, k)->parked = false;
}

/* Is the next request due?  (Always, in the closed model.) */
static bool sp_due(const struct sp_pool *p)
{
	return p->next < p->count &&
	       brdue_left(p->host, p->run, p->next) == 0;
}

bool sp_take(struct sp_pool *p, struct sp_slot *s, size_t *i)
{
	if (p->next >= p->count)
		return false;
	if (!sp_due(p)) {
		if (!s->parked) {
			s->parked = true;
			p->parked[p->nparked++] = sp_index(p, s);
		}
		return false;
	}
	*i = p->next++;
	s->busy = true;
	p->busy++;
	return true;
}

static void sp_release(struct sp_pool *p, struct sp_slot *s)
{
	s->busy = false;
	p->busy--;
}

void sp_start(struct sp_pool *p, struct sp_slot *s, size_t i,
              unsigned attempt, CURLM *multi)
{
	brcurl_xfer_start(&s->xfer, p->run, i, attempt);
	if (curl_multi_add_handle(multi, s->xfer.easy) == CURLM_OK)
		return;
	p->host->done(p->run, i, 0, "curl_multi_add_handle failed");
	sp_release(p, s);
}

bool sp_next(struct sp_pool *p, struct sp_slot *s, CURLM *multi)
{
	size_t i;

	if (!sp_take(p, s, &i))
		return false;
	sp_start(p, s, i, 0, multi);
	return true;
}

void sp_finish(struct sp_pool *p, struct sp_slot *s, CURLcode rc)
{
	brcurl_finish(&s->xfer, rc);
	sp_release(p, s);
}

struct sp_slot *sp_ended(struct sp_pool *p, CURL *easy, CURLcode rc,
                         double *backoff)
{
	struct brcurl_xfer *x;
	struct sp_slot *s;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
	s = x->user;
	if (brcurl_xfer_retry(x, rc)) {
		*backoff = brcurl_backoff(p->opts, x->attempt + 1);
		return s;
	}
	*backoff = -1;
	sp_finish(p, s, rc);
	return s;
}

bool sp_ramping(const struct sp_pool *p)
{
	return p->ramped < p->n && sp_due(p);
}

struct sp_slot *sp_unpark(struct sp_pool *p)
{
	struct sp_slot *s;

	if (!p->nparked || !sp_due(p))
		return NULL;
	s = sp_at(p, p->parked[--p->nparked]);
	s->parked = false;
	return s;
}

uint64_t sp_wake_at(const struct sp_pool *p)
{
	uint64_t left;

	if (p->next >= p->count)
		return 0;
	left = brdue_left(p->host, p->run, p->next);
	if (left)
		return brcurl_now_ns() + left;
	/* Due now, and nothing in flight will wake the loop: do not wait
	 * (a turn's ramp ended, or every start in it failed). */
	if (p->busy == 0 && (p->nparked || p->ramped < p->n))
		return brcurl_now_ns();
	return 0;
}

bool sp_over(const struct sp_pool *p)
{
	return p->busy == 0 &&
	       (p->next >= p->count || (!p->nparked && p->ramped == p->n));
}

struct sp_slot *sp_ramp(struct sp_pool *p)
{
	if (p->turn == SP_RAMP || !sp_ramping(p)) {
		p->turn = 0;
		return NULL;
	}
	p->turn++;
	return sp_at(p, p->ramped++);
}

void sp_fail_rest(struct sp_pool *p, CURLM *multi, const char *why,
                  void (*cancel)(struct sp_slot *s))
{
	for (size_t k = 0; k < p->n; k++) {
		struct sp_slot *s = sp_at(p, k);

		if (!s->busy)
			continue;
		if (cancel)
			cancel(s);
		curl_multi_remove_handle(multi, s->xfer.easy);
		p->host->done(p->run, s->xfer.i, 0, why);
		s->busy = false;
	}
	while (p->next < p->count) {
		p->host->start(p->run, p->next);
		p->host->done(p->run, p->next++, 0, why);
	}
	p->busy = 0;
}

/* ---- completions ------------------------------------------------------- */

CURL *sp_done_next(CURLM *multi, CURLcode *rc)
{
	CURLMsg *m;
	CURL *easy;
	int left;

	while ((m = curl_multi_info_read(multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		/* m is invalid once its handle is removed */
		easy = m->easy_handle;
		*rc = m->data.result;
		curl_multi_remove_handle(multi, easy);
		return easy;
	}
	return NULL;
}
