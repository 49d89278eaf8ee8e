/*
 * greenlets.c - the gevent analogue: `concurrency` green threads, each
 * running ordinary blocking-style code
 *
 *	while ((i = next request) exists)
 *		fetch(i);	(with retries and backoff sleeps)
 *
 * on one OS thread.  A green thread is a ucontext coroutine on its own small
 * stack (`stack_size`, mmap'd with a guard page below it).  fetch() adds the
 * transfer to a libcurl multi handle and switches to the scheduler; the
 * scheduler drives the multi with epoll (plugins/epcurl.c, the same loop as
 * the eventloop plugin) and switches back when the transfer completes.  A
 * backoff "sleep" is a timer the scheduler wakes the green thread from.
 *
 * swapcontext also saves and restores the signal mask, one system call per
 * switch (~1 us here, two switches per request).  That is the price of
 * staying portable; it is reported, not hidden.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "epcurl.h"

struct gl_opts {
	struct brcurl_opts common;
	int64_t concurrency;
	int64_t stack_size;
};

static const struct br_param gl_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct gl_opts, concurrency),
	  "100", 1, 100000, "green threads (transfers in flight)" },
	{ "stack_size", BR_PARAM_SIZE, offsetof(struct gl_opts, stack_size),
	  "32KiB", 16384, 64 << 20, "stack of each green thread" },
	BRC_PARAMS(struct gl_opts, common),
	{ NULL },
};

struct gl;

/* One green thread: its context, its reused easy handle (xfer.easy). */
struct gl_green {
	struct brcurl_xfer xfer;     /* xfer.user = this green thread          */
	struct epc_timer wake;    /* backoff sleep                         */
	ucontext_t ctx;
	struct gl *gl;
	CURLcode rc;              /* result handed over when resumed       */
	bool fetching;            /* inside fetch(): xfer.i is unfinished   */
};

struct gl {
	struct epc epc;           /* first: callbacks get &gl->epc         */
	const struct gl_opts *opts;
	struct gl_green *greens;
	size_t ngreens;
	struct epc_shares shares; /* connection caches of green groups    */
	char *stacks;             /* ngreens x (guard page + stack)        */
	size_t slot_size, page;
	ucontext_t sched;         /* the scheduler, resumed on every yield */
	size_t n, next;           /* requests in the run, next to take     */
	size_t live;              /* green threads not yet returned        */
};

#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/* ---- the scheduler side of a switch ----------------------------------- */

static void gl_resume(struct gl_green *g, CURLcode rc)
{
	g->rc = rc;
	swapcontext(&g->gl->sched, &g->ctx);
}

/* ---- what a green thread runs: plain blocking-style code ------------ */

static void gl_yield(struct gl_green *g)
{
	swapcontext(&g->ctx, &g->gl->sched);
}

/* Perform x's transfer "blocking": hand it to the scheduler, wait. */
static CURLcode gl_perform(struct gl_green *g)
{
	if (epc_add(&g->gl->epc, g->xfer.easy))
		return CURLE_FAILED_INIT;
	gl_yield(g);
	return g->rc;
}

static void gl_sleep(struct gl_green *g, double seconds)
{
	epc_timer_add(&g->gl->epc, &g->wake, seconds);
	gl_yield(g);
}

/* brcurl_fetch() with the green perform and sleep. */
static void gl_fetch(struct gl_green *g, size_t i)
{
	const struct brcurl_opts *o = &g->gl->opts->common;
	CURLcode rc;

	g->fetching = true;
	for (unsigned attempt = 0;; attempt++) {
		brcurl_xfer_start(&g->xfer, g->gl->epc.run, i, attempt);
		rc = gl_perform(g);
		if (!brcurl_xfer_retry(&g->xfer, rc))
			break;
		gl_sleep(g, brcurl_backoff(o, attempt + 1));
	}
	g->fetching = false;
	brcurl_finish(&g->xfer, rc);
}

/* The body of every green thread; makecontext passes the pointer as two
 * ints, the only portable way through its int arguments. */
static void gl_green_main(unsigned lo, unsigned hi)
{
	struct gl_green *g = (void *)(((uintptr_t)hi << 16 << 16) | lo);
	struct gl *gl = g->gl;

	while (gl->next < gl->n && !gl->epc.failed)
		gl_fetch(g, gl->next++);
	gl->live--;
	/* returning resumes uc_link: the scheduler */
}

/* ---- callbacks, called by epc_step ----------------------------------- */

static void gl_on_done(struct epc *e, CURL *easy, CURLcode rc)
{
	struct brcurl_xfer *x;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
	gl_resume(x->user, rc);
}

static void gl_on_timer(struct epc *e, struct epc_timer *t)
{
	gl_resume(container_of(t, struct gl_green, wake), CURLE_OK);
}

/* ---- scheduler -------------------------------------------------------- */

static void gl_spawn(struct gl *gl, struct gl_green *g)
{
	uintptr_t p = (uintptr_t)g;

	getcontext(&g->ctx);
	g->ctx.uc_stack.ss_sp = gl->stacks + (g - gl->greens) * gl->slot_size +
	                        gl->page;
	g->ctx.uc_stack.ss_size = gl->slot_size - gl->page;
	g->ctx.uc_link = &gl->sched;
	makecontext(&g->ctx, (void (*)(void))gl_green_main, 2,
	            (unsigned)(p & 0xffffffffu), (unsigned)(p >> 16 >> 16));
	gl->live++;
	gl_resume(g, CURLE_OK);
}

/* The loop failed: report what the green threads hold and what nobody
 * took, then abandon the green threads (their stacks are reused). */
static void gl_fail_rest(struct gl *gl, const char *why)
{
	const struct br_host *host = gl->epc.host;
	struct br_run *run = gl->epc.run;

	for (size_t k = 0; k < gl->ngreens; k++) {
		struct gl_green *g = &gl->greens[k];

		if (!g->fetching)
			continue;
		curl_multi_remove_handle(gl->epc.multi, g->xfer.easy);
		host->done(run, g->xfer.i, 0, why);
		g->fetching = false;
	}
	while (gl->next < gl->n) {
		host->start(run, gl->next);
		host->done(run, gl->next++, 0, why);
	}
	gl->live = 0;
}

/* ---- set-up ----------------------------------------------------------- */

static void gl_free(struct gl *gl)
{
	for (size_t k = 0; gl->greens && k < gl->ngreens; k++) {
		if (!gl->greens[k].xfer.easy)
			continue;
		epc_shares_detach(gl->greens[k].xfer.easy);
		curl_easy_cleanup(gl->greens[k].xfer.easy);
	}
	epc_shares_free(&gl->shares);
	free(gl->greens);
	if (gl->stacks)
		munmap(gl->stacks, gl->ngreens * gl->slot_size);
	epc_free(&gl->epc);
	free(gl);
	brcurl_global_cleanup();
}

/* One mapping for all stacks; the lowest page of each slot is a guard, so
 * an overflow faults instead of corrupting the neighbour.  Pages are only
 * committed when touched: RSS grows with the stack actually used. */
static int gl_stacks_open(struct gl *gl)
{
	size_t stack = (size_t)gl->opts->stack_size;

	gl->page = (size_t)sysconf(_SC_PAGESIZE);
	gl->slot_size = gl->page + (stack + gl->page - 1) / gl->page * gl->page;
	gl->stacks = mmap(NULL, gl->ngreens * gl->slot_size,
	                  PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (gl->stacks == MAP_FAILED) {
		gl->stacks = NULL;
		return -1;
	}
	for (size_t k = 0; k < gl->ngreens; k++)
		if (mprotect(gl->stacks + k * gl->slot_size, gl->page,
		             PROT_NONE))
			return -1;
	return 0;
}

static int gl_greens_open(struct gl *gl)
{
	gl->greens = calloc(gl->ngreens, sizeof(*gl->greens));
	if (!gl->greens || epc_shares_init(&gl->shares, gl->epc.host,
	                                   gl->ngreens))
		return -1;
	for (size_t k = 0; k < gl->ngreens; k++) {
		struct gl_green *g = &gl->greens[k];
		CURL *easy = curl_easy_init();

		if (!easy)
			return -1;
		/* from here on xfer.easy owns the handle (freed by *_free) */
		if (brcurl_easy_setup(&g->xfer, easy, gl->epc.host,
		                   &gl->opts->common))
			return -1;
		g->xfer.user = g;
		g->gl = gl;
		epc_easy_setup(&gl->epc, easy);
		if (epc_shares_attach(&gl->shares, easy, k))
			return -1;
	}
	return 0;
}

/* Close every green thread's connection: the next run starts cold. */
static void gl_shares_renew(struct gl *gl)
{
	for (size_t k = 0; k < gl->ngreens; k++)
		epc_shares_detach(gl->greens[k].xfer.easy);
	epc_shares_close(&gl->shares);
	for (size_t k = 0; k < gl->ngreens; k++)
		epc_shares_attach(&gl->shares, gl->greens[k].xfer.easy, k);
}

/* ---- hook adapters ---------------------------------------------------- */

static int greenlets_create(const struct br_host *host, const void *opts,
                            void **state)
{
	const struct gl_opts *o = opts;
	struct gl *gl;

	if (brcurl_opts_check(host, &o->common) || brcurl_global_init(host))
		return -1;
	gl = calloc(1, sizeof(*gl));
	if (!gl) {
		brcurl_global_cleanup();
		return -1;
	}
	gl->opts = o;
	gl->ngreens = (size_t)o->concurrency;
	gl->epc.on_done = gl_on_done;
	gl->epc.on_timer = gl_on_timer;
	if (epc_init(&gl->epc, host, "greenlets", gl->ngreens))
		goto fail;
	if (gl_stacks_open(gl) || gl_greens_open(gl)) {
		host->log(NULL, BR_LOG_ERROR, "greenlets: cannot set up %zu "
		          "green threads: %s", gl->ngreens, strerror(errno));
		goto fail;
	}
	*state = gl;
	return 0;
fail:
	gl_free(gl);
	return -1;
}

static int greenlets_run(void *state, struct br_run *run)
{
	struct gl *gl = state;
	int rc = 0;

	gl->n = gl->epc.host->count(run);
	gl->next = gl->live = 0;
	if (epc_multi_open(&gl->epc, run, (long)gl->ngreens))
		return -1;
	/* Spawn EPC_RAMP green threads per loop turn; each runs until its
	 * first transfer is in flight. */
	for (size_t k = 0; rc == 0; rc = epc_step(&gl->epc)) {
		for (size_t j = 0; j < EPC_RAMP && k < gl->ngreens &&
		     gl->next < gl->n; j++)
			gl_spawn(gl, &gl->greens[k++]);
		if (gl->live == 0)
			break;
	}
	if (rc || gl->next < gl->n) {
		gl_fail_rest(gl, "greenlets failed (see log)");
		rc = -1;
	}
	epc_multi_close(&gl->epc);
	gl_shares_renew(gl);
	return rc;
}

static void greenlets_destroy(void *state)
{
	gl_free(state);
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "greenlets",
	.description = "green threads (ucontext coroutines) doing blocking-"
	               "style fetches over one epoll loop (gevent analogue)",
	.params = gl_params,
	.opts_size = sizeof(struct gl_opts),
	.create = greenlets_create,
	.run = greenlets_run,
	.destroy = greenlets_destroy,
};
