/*
 * threadpool.c - a fixed pool of `concurrency` worker threads (the
 * ThreadPoolExecutor(max_workers) analogue) pulling request indices from a
 * shared atomic counter.  Each worker owns one easy handle for the whole
 * run, so with keepalive each worker keeps one connection open, as a
 * `requests.Session` per worker would.
 *
 * Handles are made in create (not timed) and kept across runs; the
 * threads are started in run and all joined before it returns.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "brdue.h"
#include "brthread.h"

struct threadpool_opts {
	struct brcurl_opts common;
	int64_t concurrency;
	int64_t stack_size;
};

static const struct br_param threadpool_params[] = {
	{ "concurrency", BR_PARAM_INT,
	  offsetof(struct threadpool_opts, concurrency), "10", 1, 10000,
	  "worker threads (ThreadPoolExecutor max_workers)",
	  .flags = BR_PARAM_F_CONCURRENCY },
	{ "stack_size", BR_PARAM_SIZE,
	  offsetof(struct threadpool_opts, stack_size), "256KiB", 16384,
	  1 << 30, "stack of each worker thread (virtual size)" },
	BRC_PARAMS(struct threadpool_opts, common),
	{ NULL },
};

struct threadpool_worker {
	struct threadpool_state *s;
	pthread_t tid;
	struct brthr_handle h;
};

struct threadpool_state {
	const struct br_host *host;
	const struct threadpool_opts *opts;
	struct br_run *run;
	size_t count;
	atomic_size_t next; /* the next request index to hand out */
	pthread_attr_t attr;
	struct threadpool_worker *workers;
	size_t nworkers;
};

static void threadpool_free(struct threadpool_state *s)
{
	for (size_t k = 0; k < s->nworkers; k++)
		brthr_handle_close(&s->workers[k].h);
	free(s->workers);
	pthread_attr_destroy(&s->attr);
	free(s);
	brcurl_global_cleanup();
}

static struct threadpool_state *threadpool_new(const struct br_host *host,
                                               const struct threadpool_opts *o)
{
	struct threadpool_state *s;

	if (brcurl_opts_check(host, &o->common) < 0 || brcurl_global_init(host) < 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		brcurl_global_cleanup();
		return NULL;
	}
	s->host = host;
	s->opts = o;
	if (brthr_attr_init(&s->attr, host, "threadpool", o->stack_size) < 0)
		goto fail;
	s->workers = calloc((size_t)o->concurrency, sizeof(*s->workers));
	if (!s->workers)
		goto fail;
	s->nworkers = (size_t)o->concurrency;
	for (size_t k = 0; k < s->nworkers; k++) {
		struct threadpool_worker *w = &s->workers[k];

		w->s = s;
		if (brthr_handle_open(&w->h, host, &o->common) < 0) {
			host->log(NULL, BR_LOG_ERROR,
			          "threadpool: cannot set up a curl handle");
			goto fail;
		}
	}
	return s;

fail:
	threadpool_free(s);
	return NULL;
}

static void *threadpool_main(void *arg)
{
	struct threadpool_worker *w = arg;
	struct threadpool_state *s = w->s;
	size_t i;

	/* Relaxed is enough: the counter only hands out distinct indices;
	 * run and count were published by pthread_create.  Open model: the
	 * idle worker that took request i sleeps until it is due, so the
	 * pool starts requests on time while a worker is free, and queues
	 * them (in order) when none is. */
	while ((i = atomic_fetch_add_explicit(&s->next, 1,
	                                      memory_order_relaxed)) < s->count) {
		brdue_wait(s->host, s->run, i);
		brcurl_fetch(&w->h.xfer, s->run, i);
	}
	return NULL;
}

static int threadpool_fetch_all(struct threadpool_state *s,
                                struct br_run *run)
{
	size_t started = 0, want, nofile;
	int err = 0;

	s->run = run;
	s->count = s->host->count(run);
	atomic_store(&s->next, 0);
	want = s->nworkers < s->count ? s->nworkers : s->count;
	/* Each busy slot's easy handle holds its socket and the 2-fd wakeup
	 * socketpair of the multi handle curl_easy_perform makes inside: fail
	 * now, with the number, rather than ticket by ticket. */
	if (brcurl_check_nofile(s->host, "threadpool", 3 * want, &nofile) < 0)
		return -1;
	for (; started < want; started++) {
		err = pthread_create(&s->workers[started].tid, &s->attr,
		                     threadpool_main, &s->workers[started]);
		if (err)
			break;
	}
	if (err && started == 0) {
		/* Not even one worker: do the work here rather than drop it. */
		s->host->log(run, BR_LOG_WARN,
		             "threadpool: pthread_create: %s; fetching inline",
		             strerror(err));
		threadpool_main(&s->workers[0]);
	} else if (err) {
		s->host->log(run, BR_LOG_WARN,
		             "threadpool: only %zu of %zu workers started: %s",
		             started, want, strerror(err));
	}
	for (size_t k = 0; k < started; k++)
		pthread_join(s->workers[k].tid, NULL);
	return 0;
}

/* ---- hook adapters ---------------------------------------------------- */

static int threadpool_create(const struct br_host *host, const void *opts,
                             void **state)
{
	*state = threadpool_new(host, opts);
	return *state ? 0 : -1;
}

static int threadpool_run(void *state, struct br_run *run)
{
	return threadpool_fetch_all(state, run);
}

static void threadpool_destroy(void *state)
{
	threadpool_free(state);
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "threadpool",
	.description = "`concurrency` worker threads, one reused handle each "
	               "(ThreadPoolExecutor)",
	.params = threadpool_params,
	.opts_size = sizeof(struct threadpool_opts),
	.create = threadpool_create,
	.run = threadpool_run,
	.destroy = threadpool_destroy,
	.flags = BR_PLUGIN_F_DUE,
};
