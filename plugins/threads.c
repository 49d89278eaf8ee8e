/*
 * threads.c - a new thread per request (the `threading.Thread(target=get)`
 * model), at most `concurrency` of them alive at once, so what a thread
 * costs to create, and to keep alive while it waits on the network, is
 * what this strategy measures.
 *
 * Each of the `concurrency` slots owns an easy handle, made by the slot's
 * first thread and reused by every later thread of that slot: no two live
 * threads share a handle (libcurl forbids it), and its connection cache
 * lets keepalive mean what it means for every other strategy, instead of
 * adding a handshake per request (libcurl does not support sharing one
 * connection cache between concurrent threads).  keepalive=false gives the
 * `requests.get`-without-a-Session behaviour: a new connection each time.
 *
 * Threads are joinable: a finished thread puts its slot on a queue, and the
 * dispatcher joins it before reusing the slot, so every thread has been
 * joined (its code has left this plugin) when run returns.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "brdue.h"
#include "brthread.h"

struct threads_opts {
	struct brcurl_opts common;
	int64_t concurrency;
	int64_t stack_size;
};

static const struct br_param threads_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct threads_opts, concurrency),
	  "100", 1, 100000, "threads alive at once (one per request)",
	  .flags = BR_PARAM_F_CONCURRENCY },
	{ "stack_size", BR_PARAM_SIZE, offsetof(struct threads_opts, stack_size),
	  "256KiB", 16384, 1 << 30, "stack of each thread (virtual size)" },
	BRC_PARAMS(struct threads_opts, common),
	{ NULL },
};

/* One thread slot; `next` links the queue of finished slots or the
 * dispatcher's free list.  `h` (made on first use) passes from one thread
 * of the slot to the next through pthread_join. */
struct threads_slot {
	struct threads_state *s;
	pthread_t tid;
	size_t i;
	int next;
	struct brthr_handle h;
};

struct threads_state {
	const struct br_host *host;
	const struct threads_opts *opts;
	struct br_run *run;
	pthread_attr_t attr;

	/* The dispatcher and the threads meet here. */
	pthread_mutex_t lock;
	pthread_cond_t finished_cv;
	int finished;  /* head of the queue of finished slots, -1: empty */
	int free;      /* the dispatcher's free slots, -1: none */
	struct threads_slot *slots;
	size_t nslots;
};

/* Make room for `max` slots (their handles are made on first use). */
static int threads_slots(struct threads_state *s, size_t max)
{
	if (max <= s->nslots)
		return 0;
	/* Handles point into their slot: free them rather than move them. */
	for (size_t k = 0; k < s->nslots; k++)
		brthr_handle_close(&s->slots[k].h);
	free(s->slots);
	s->slots = calloc(max, sizeof(*s->slots));
	s->nslots = s->slots ? max : 0;
	return s->slots ? 0 : -1;
}

static void threads_free(struct threads_state *s)
{
	for (size_t k = 0; k < s->nslots; k++)
		brthr_handle_close(&s->slots[k].h);
	pthread_attr_destroy(&s->attr);
	pthread_cond_destroy(&s->finished_cv);
	pthread_mutex_destroy(&s->lock);
	free(s->slots);
	free(s);
	brcurl_global_cleanup();
}

static struct threads_state *threads_new(const struct br_host *host,
                                         const struct threads_opts *opts)
{
	struct threads_state *s;

	if (brcurl_opts_check(host, &opts->common) < 0 || brcurl_global_init(host) < 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		brcurl_global_cleanup();
		return NULL;
	}
	s->host = host;
	s->opts = opts;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->finished_cv, NULL);
	if (brthr_attr_init(&s->attr, host, "threads", opts->stack_size) < 0)
		goto fail;
	return s;

fail:
	threads_free(s);
	return NULL;
}

/* Fetch the slot's request on the slot's handle, made here the first time
 * (in parallel with the other threads, as the model would). */
static void threads_fetch(struct threads_state *s, struct threads_slot *slot)
{
	if (brthr_handle_open(&slot->h, s->host, &s->opts->common) < 0) {
		s->host->start(s->run, slot->i);
		s->host->done(s->run, slot->i, 0, "cannot set up a curl handle");
		return;
	}
	brcurl_fetch(&slot->h.xfer, s->run, slot->i);
}

static void *threads_main(void *arg)
{
	struct threads_slot *slot = arg;
	struct threads_state *s = slot->s;

	threads_fetch(s, slot);
	pthread_mutex_lock(&s->lock);
	slot->next = s->finished;
	s->finished = (int)(slot - s->slots);
	pthread_cond_signal(&s->finished_cv);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Wait for a thread to finish, join it, and return its slot. */
static struct threads_slot *threads_reap(struct threads_state *s)
{
	struct threads_slot *slot;

	pthread_mutex_lock(&s->lock);
	while (s->finished < 0)
		pthread_cond_wait(&s->finished_cv, &s->lock);
	slot = &s->slots[s->finished];
	s->finished = slot->next;
	pthread_mutex_unlock(&s->lock);
	pthread_join(slot->tid, NULL);
	return slot;
}

/* Put a joined thread's slot back on the dispatcher's free list. */
static void threads_release(struct threads_state *s, struct threads_slot *slot)
{
	slot->next = s->free;
	s->free = (int)(slot - s->slots);
}

static int threads_fetch_all(struct threads_state *s, struct br_run *run)
{
	size_t n = s->host->count(run), alive = 0;
	size_t max = (size_t)s->opts->concurrency < n ?
	             (size_t)s->opts->concurrency : n;
	struct threads_slot *slot;
	size_t nofile;
	int err;

	/* Each busy slot's easy handle holds its socket and the 2-fd wakeup
	 * socketpair of the multi handle curl_easy_perform makes inside: fail
	 * now, with the number, rather than ticket by ticket. */
	if (brcurl_check_nofile(s->host, "threads", 3 * max, &nofile) < 0)
		return -1;
	s->run = run;
	s->finished = -1;
	s->free = -1;
	if (threads_slots(s, max ? max : 1) < 0)
		return -1;
	for (size_t k = max; k-- > 0;)
		threads_release(s, &s->slots[k]);
	for (size_t i = 0; i < n; i++) {
		/* Open model: a thread is born when its request is due. */
		brdue_wait(s->host, run, i);
		if (s->free < 0) {
			threads_release(s, threads_reap(s));
			alive--;
		}
		slot = &s->slots[s->free];
		s->free = slot->next;
		slot->s = s;
		slot->i = i;
		/* Out of threads (ulimit -u, memory): wait for one to end. */
		while ((err = pthread_create(&slot->tid, &s->attr, threads_main,
		                             slot)) == EAGAIN && alive > 0) {
			threads_release(s, threads_reap(s));
			alive--;
		}
		if (err) {
			s->host->start(run, i);
			s->host->done(run, i, 0, strerror(err));
			threads_release(s, slot);
			continue;
		}
		alive++;
	}
	while (alive > 0) {
		threads_reap(s);
		alive--;
	}
	return 0;
}

/* ---- hook adapters ---------------------------------------------------- */

static int threads_create(const struct br_host *host, const void *opts,
                          void **state)
{
	*state = threads_new(host, opts);
	return *state ? 0 : -1;
}

static int threads_run(void *state, struct br_run *run)
{
	return threads_fetch_all(state, run);
}

static void threads_destroy(void *state)
{
	threads_free(state);
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "threads",
	.description = "a new thread per request, at most `concurrency` "
	               "alive, each on its slot's easy handle",
	.params = threads_params,
	.opts_size = sizeof(struct threads_opts),
	.create = threads_create,
	.run = threads_run,
	.destroy = threads_destroy,
	.flags = BR_PLUGIN_F_DUE,
};
