/*
 * greenlets.c - the gevent analogue: `concurrency` green threads, each
 * running ordinary blocking-style code
 *
 *	while ((i = next request) exists)
 *		fetch(i);	(with retries and backoff sleeps)
 *
 * on one OS thread.  A green thread is a ucontext coroutine on its own small
 * stack (`stack_size`, mmap'd with a 64 KiB guard below it).  fetch() adds the
 * transfer to a libcurl multi handle and switches to the scheduler; the
 * scheduler drives the multi with epoll (plugins/epcurl.c, the same loop as
 * the eventloop plugin) and switches back when the transfer completes.  A
 * backoff "sleep" is a timer the scheduler wakes the green thread from.
 *
 * The green threads are the slots of plugins/slotpool.c: each reuses one
 * easy handle, and the pool hands out the requests.
 *
 * swapcontext also saves and restores the signal mask, one system call per
 * switch (two switches per request; BENCHMARKS.md has the cost).  That is
 * the price of staying portable; it is reported, not hidden.
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
#include "slotpool.h"

struct gl_opts {
	struct brcurl_opts common;
	int64_t concurrency;
	int64_t stack_size;
};

static const struct br_param gl_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct gl_opts, concurrency),
	  "100", 1, 100000, "green threads (transfers in flight)",
	  .flags = BR_PARAM_F_CONCURRENCY },
	{ "stack_size", BR_PARAM_SIZE, offsetof(struct gl_opts, stack_size),
	  "32KiB", 16384, 64 << 20, "stack of each green thread" },
	BRC_PARAMS(struct gl_opts, common),
	{ NULL },
};

struct gl;

/* One green thread: its slot (reused easy handle), its context.  The
 * slot is busy while the green thread is inside fetch(). */
struct gl_green {
	struct sp_slot slot;      /* first: the pool's part                */
	struct epc_timer wake;    /* backoff sleep                         */
	ucontext_t ctx;
	struct gl *gl;
	CURLcode rc;              /* result handed over when resumed       */
	/* Set by the green thread before it yields: the scheduler starts
	 * attempt `attempt` of request `i` on its own stack (gl_resume). */
	bool starting;
	size_t i;
	unsigned attempt;
};

struct gl {
	struct epc epc;           /* first: callbacks get &gl->epc         */
	const struct gl_opts *opts;
	struct sp_pool pool;      /* the green threads                     */
	char *stacks;             /* pool.n x (guard + stack)              */
	size_t slot_size, guard;
	ucontext_t sched;         /* the scheduler, resumed on every yield */
};

/* ---- the scheduler side of a switch ----------------------------------- */

/*
 * Run g until it yields.  When it yields to have a transfer started, the
 * start happens here, on the scheduler's stack: libcurl's URL parser
 * (curl_url_set in brcurl_xfer_start) needs ~6.5 KiB of stack, and on the
 * green thread's it made every green thread touch two pages of its stack
 * instead of one (4 KiB more per request in flight).  A start that fails
 * resumes g at once with the error.
 */
static void gl_resume(struct gl_green *g, CURLcode rc)
{
	struct gl *gl = g->gl;

	for (g->rc = rc;; g->rc = CURLE_FAILED_INIT) {
		swapcontext(&gl->sched, &g->ctx);
		if (!g->starting)
			return;
		g->starting = false;
		brcurl_xfer_start(&g->slot.xfer, gl->epc.run, g->i, g->attempt);
		if (epc_add(&gl->epc, g->slot.xfer.easy) == 0)
			return;
	}
}

/* ---- what a green thread runs: plain blocking-style code ------------ */

static void gl_yield(struct gl_green *g)
{
	swapcontext(&g->ctx, &g->gl->sched);
}

/* Perform attempt `attempt` of request i "blocking": hand it to the
 * scheduler, which starts it (gl_resume), and wait for its end. */
static CURLcode gl_perform(struct gl_green *g, size_t i, unsigned attempt)
{
	g->i = i;
	g->attempt = attempt;
	g->starting = true;
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

	for (unsigned attempt = 0;; attempt++) {
		rc = gl_perform(g, i, attempt);
		if (!brcurl_xfer_retry(&g->slot.xfer, rc))
			break;
		gl_sleep(g, brcurl_backoff(o, attempt + 1));
	}
	sp_finish(&g->gl->pool, &g->slot, rc);
}

/* The body of every green thread; makecontext passes the pointer as two
 * ints, the only portable way through its int arguments. */
static void gl_green_main(unsigned lo, unsigned hi)
{
	struct gl_green *g = (void *)(((uintptr_t)hi << 16 << 16) | lo);
	struct gl *gl = g->gl;
	size_t i;

	while (!gl->epc.failed && sp_take(&gl->pool, &g->slot, &i))
		gl_fetch(g, i);
	/* returning resumes uc_link: the scheduler */
}

/* ---- callbacks, called by epc_step ----------------------------------- */

static void gl_on_done(struct epc *e, CURL *easy, CURLcode rc)
{
	struct brcurl_xfer *x;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
	gl_resume(x->user, rc); /* the green thread, whose slot x is */
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
	g->ctx.uc_stack.ss_sp = gl->stacks + sp_index(&gl->pool, &g->slot) *
	                        gl->slot_size + gl->guard;
	g->ctx.uc_stack.ss_size = gl->slot_size - gl->guard;
	g->ctx.uc_link = &gl->sched;
	makecontext(&g->ctx, (void (*)(void))gl_green_main, 2,
	            (unsigned)(p & 0xffffffffu), (unsigned)(p >> 16 >> 16));
	gl_resume(g, CURLE_OK);
}

/* ---- set-up ----------------------------------------------------------- */

static void gl_green_init(void *ctx, struct sp_slot *s)
{
	struct gl *gl = ctx;

	((struct gl_green *)s)->gl = gl;
	epc_easy_setup(&gl->epc, s->xfer.easy);
}

static void gl_free(struct gl *gl)
{
	if (gl->stacks)
		munmap(gl->stacks, gl->pool.n * gl->slot_size);
	sp_free(&gl->pool);
	epc_free(&gl->epc);
	free(gl);
	brcurl_global_cleanup();
}

/* One mapping for all stacks; the lowest GL_GUARD bytes of each slot are
 * a guard, so an overflow faults instead of corrupting the neighbour.  One
 * page would not do: a frame larger than the guard (a 4 KiB buffer on the
 * stack) jumps over it into the next green thread's stack.  The guard
 * costs address space only, and pages are only committed when touched:
 * RSS grows with the stack actually used.  An overflow kills the worker
 * with SIGSEGV on the main thread, whose alternate stack reports it
 * naming stack_size (the core's worker_guard.c). */
#define GL_GUARD (64 * 1024)

static int gl_stacks_open(struct gl *gl)
{
	size_t stack = (size_t)gl->opts->stack_size, n = gl->pool.n;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	gl->guard = (GL_GUARD + page - 1) / page * page;
	gl->slot_size = gl->guard + (stack + page - 1) / page * page;
	gl->stacks = mmap(NULL, n * gl->slot_size, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (gl->stacks == MAP_FAILED) {
		gl->stacks = NULL;
		return -1;
	}
	for (size_t k = 0; k < n; k++)
		if (mprotect(gl->stacks + k * gl->slot_size, gl->guard,
		             PROT_NONE))
			return -1;
	return 0;
}

/* ---- hook adapters ---------------------------------------------------- */

static int greenlets_create(const struct br_host *host, const void *opts,
                            void **state)
{
	const struct gl_opts *o = opts;
	size_t n = (size_t)o->concurrency;
	struct gl *gl;

	if (brcurl_opts_check(host, &o->common) || brcurl_global_init(host))
		return -1;
	gl = calloc(1, sizeof(*gl));
	if (!gl) {
		brcurl_global_cleanup();
		return -1;
	}
	gl->opts = o;
	gl->epc.on_done = gl_on_done;
	gl->epc.on_timer = gl_on_timer;
	if (epc_init(&gl->epc, host, "greenlets", n))
		goto fail;
	if (sp_open(&gl->pool, host, &o->common, n, sizeof(struct gl_green),
	            gl_green_init, gl) || gl_stacks_open(gl)) {
		host->log(NULL, BR_LOG_ERROR, "greenlets: cannot set up %zu "
		          "green threads: %s", n, strerror(errno));
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
	struct sp_slot *s;
	int rc = 0;

	sp_begin(&gl->pool, run);
	if (epc_multi_open(&gl->epc, run, (long)gl->pool.n))
		return -1;
	/* Spawn SP_RAMP green threads per loop turn; each runs until its
	 * first transfer is in flight. */
	for (; rc == 0; rc = epc_step(&gl->epc)) {
		/* Open model: a green thread that found nothing due has
		 * ended (parked); the scheduler spawns it again when the next
		 * request falls due, at the loop's own deadline. */
		while ((s = sp_unpark(&gl->pool)))
			gl_spawn(gl, (struct gl_green *)s);
		while ((s = sp_ramp(&gl->pool)))
			gl_spawn(gl, (struct gl_green *)s);
		if (sp_over(&gl->pool))
			break;
		gl->epc.wake_at = sp_wake_at(&gl->pool);
	}
	/* On failure the green threads are abandoned: their stacks are
	 * reused by the next run's. */
	if (rc || gl->pool.next < gl->pool.count) {
		sp_fail_rest(&gl->pool, gl->epc.multi,
		             "greenlets failed (see log)", NULL);
		rc = -1;
	}
	/* The connections stay open until the next run or destroy
	 * (sp_begin): closing them is not part of the run's work. */
	epc_multi_close(&gl->epc);
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
	.flags = BR_PLUGIN_F_DUE, /* the slot pool starts nothing early */
};
