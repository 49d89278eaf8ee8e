/*
 * forkpool.c - `concurrency` worker processes (the multiprocessing.Pool
 * analogue).  run forks the pool (so its cost is measured, as creating the
 * Pool is in the Python script); each child takes request indices from an
 * atomic counter in MAP_SHARED memory, fetches them on its own reused easy
 * handle, and streams what happens back to the parent over its own pipe
 * (forkpool_wire.h: the frames, and how latency stays the child's).  The
 * parent, the process that called run, turns the frames into
 * host->start/body/done, so the core validates every ticket in the parent
 * (plugin.h forbids calling the host from a forked child).
 *
 * A child that dies is reported, never waited for forever: its request in
 * flight, and any index it claimed but never started, are finished as
 * transport errors ("worker process died: SIGSEGV").  Children leave with
 * _exit after curl cleanup and are all reaped before run returns, so their
 * CPU time shows up in RUSAGE_CHILDREN.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "brdue.h"
#include "forkpool_wire.h"

struct forkpool_opts {
	struct brcurl_opts common;
	int64_t concurrency;
};

static const struct br_param forkpool_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct forkpool_opts, concurrency),
	  "4", 1, 1024, "worker processes (multiprocessing.Pool processes)",
	  .flags = BR_PARAM_F_CONCURRENCY },
	BRC_PARAMS(struct forkpool_opts, common),
	{ NULL },
};

struct forkpool_state {
	const struct br_host *host;
	const struct forkpool_opts *opts;
	atomic_size_t *next; /* MAP_SHARED: the next index to hand out */
};

/* ---- the child ------------------------------------------------------- */

static void __attribute__((noreturn))
forkpool_child_main(struct forkpool_state *s, struct br_run *run, size_t n,
                    int fd)
{
	struct fpw_child c;
	struct br_host proxy;
	struct brcurl_xfer x = { 0 };
	CURL *easy;
	size_t i;
	int code = 0;

	/* A worker process that outlives its parent would fetch for nobody. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fpw_child_init(&c, &proxy, s->host, run, fd);
	easy = curl_easy_init();
	if (!easy || brcurl_easy_setup(&x, easy, &proxy, &s->opts->common) < 0) {
		code = 3;
		goto out;
	}
	/* Open model: the child that claimed request i waits until it is
	 * due (due() and now() only read the run's schedule and clock,
	 * which the fork copied); its START reaches the parent's start()
	 * after that, so the core never sees an early start. */
	while (!c.broken && (i = atomic_fetch_add(s->next, 1)) < n) {
		brdue_wait(s->host, run, i);
		brcurl_fetch(&x, fpw_child_run(&c), i);
	}
	fpw_child_flush(&c);
	code = c.broken ? 4 : 0;
out:
	if (easy)
		curl_easy_cleanup(easy);
	brcurl_xfer_release(&x);
	free(c.buf);
	_exit(code);
}

/* ---- the parent ------------------------------------------------------ */

struct forkpool_run {
	struct forkpool_state *s;
	struct fpw_parent w;
	struct fpw_proc *procs;
	size_t nprocs;
	char died[96]; /* why the first child that failed did */
};

/* The child's pipe ended: reap it, and fail its request in flight. */
static void parent_reap(struct forkpool_run *r, struct fpw_proc *p)
{
	const struct br_host *host = r->w.host;
	char why[96];
	int ws = 0;

	close(p->fd);
	p->fd = -1;
	if (p->len > 0 || p->busy) /* a clean child leaves nothing behind */
		kill(p->pid, SIGKILL);
	while (waitpid(p->pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(ws))
		snprintf(why, sizeof(why), "worker process died: SIG%s",
		         sigabbrev_np(WTERMSIG(ws)) ? sigabbrev_np(WTERMSIG(ws)) : "?");
	else if (WEXITSTATUS(ws) != 0)
		snprintf(why, sizeof(why), "worker process exited with status %d",
		         WEXITSTATUS(ws));
	else if (p->busy || p->len > 0)
		snprintf(why, sizeof(why), "worker process sent a broken frame");
	else
		return;
	if (!r->died[0])
		snprintf(r->died, sizeof(r->died), "%s", why);
	host->log(r->w.run, BR_LOG_WARN, "forkpool: %s", why);
	if (p->busy) {
		r->w.req[p->cur] = FPW_DONE;
		host->done(r->w.run, p->cur, 0, why);
	}
}

/* Until `due` (0: forever), as ppoll wants it. */
static struct timespec *parent_timeout(uint64_t due, struct timespec *ts)
{
	uint64_t now = brcurl_now_ns(), left = due > now ? due - now : 0;

	if (!due)
		return NULL;
	ts->tv_sec = (time_t)(left / 1000000000u);
	ts->tv_nsec = (long)(left % 1000000000u);
	return ts;
}

/* Serve the children's pipes until all are closed and reaped, releasing
 * held done() calls as they fall due. */
static void parent_loop(struct forkpool_run *r)
{
	struct pollfd *pfd = calloc(r->nprocs, sizeof(*pfd));
	size_t open = r->nprocs, k, m;
	struct timespec ts;
	int ready;

	while (pfd && open > 0) {
		for (k = m = 0; k < r->nprocs; k++)
			if (r->procs[k].fd >= 0)
				pfd[m++] = (struct pollfd){ r->procs[k].fd, POLLIN, 0 };
		ready = ppoll(pfd, m, parent_timeout(fpw_next_due(&r->w), &ts),
		              NULL);
		fpw_release(&r->w, brcurl_now_ns());
		if (ready <= 0)
			continue; /* a held done() fell due, or EINTR */
		for (k = m = 0; k < r->nprocs; k++) {
			struct fpw_proc *p = &r->procs[k];

			if (p->fd < 0 || !pfd[m++].revents)
				continue;
			if (fpw_read(&r->w, p) < 0) {
				parent_reap(r, p);
				open--;
			}
		}
	}
	/* Without memory to poll with, still never leave a child behind. */
	for (k = 0; k < r->nprocs; k++)
		if (r->procs[k].fd >= 0)
			parent_reap(r, &r->procs[k]);
	free(pfd);
	while (r->w.nheld > 0) {
		if (ppoll(NULL, 0, parent_timeout(fpw_next_due(&r->w), &ts),
		          NULL) < 0)
			continue;
		fpw_release(&r->w, brcurl_now_ns());
	}
}

/* Fork the pool, serve it, reap it; then finish what nobody finished. */
static int forkpool_fetch_all(struct forkpool_state *s, struct br_run *run)
{
	struct forkpool_run r = { .s = s };
	struct fpw_parent *w = &r.w;
	size_t want;
	int fds[2];

	w->host = s->host;
	w->run = run;
	w->n = s->host->count(run);
	want = (size_t)s->opts->concurrency < w->n ?
	       (size_t)s->opts->concurrency : w->n;
	atomic_store(s->next, 0);
	w->req = calloc(w->n ? w->n : 1, 1);
	r.procs = calloc(want ? want : 1, sizeof(*r.procs));
	if (!w->req || !r.procs)
		goto out;
	for (; r.nprocs < want; r.nprocs++) {
		struct fpw_proc *p = &r.procs[r.nprocs];

		if (pipe2(fds, O_CLOEXEC) < 0)
			break;
		p->pid = fork();
		if (p->pid == 0) {
			close(fds[0]);
			forkpool_child_main(s, run, w->n, fds[1]);
		}
		close(fds[1]);
		if (p->pid < 0) {
			close(fds[0]);
			break;
		}
		p->fd = fds[0];
	}
	if (r.nprocs < want)
		s->host->log(run, BR_LOG_WARN, "forkpool: only %zu of %zu workers "
		             "started: %s", r.nprocs, want, strerror(errno));
	parent_loop(&r);
out:
	for (size_t i = 0; i < w->n; i++) {
		if (w->req && w->req[i] == FPW_DONE)
			continue;
		if (!w->req || !w->req[i])
			s->host->start(run, i);
		s->host->done(run, i, 0, r.died[0] ? r.died :
		              "no worker process fetched it");
	}
	for (size_t k = 0; k < r.nprocs; k++)
		free(r.procs[k].buf);
	free(w->held);
	free(r.procs);
	free(w->req);
	return 0;
}

/* ---- hook adapters ---------------------------------------------------- */

static int forkpool_create(const struct br_host *host, const void *opts,
                           void **state)
{
	const struct forkpool_opts *o = opts;
	struct forkpool_state *s;

	if (brcurl_opts_check(host, &o->common) < 0 || brcurl_global_init(host) < 0)
		return -1;
	s = calloc(1, sizeof(*s));
	if (s)
		s->next = mmap(NULL, sizeof(*s->next), PROT_READ | PROT_WRITE,
		               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!s || s->next == MAP_FAILED) {
		host->log(NULL, BR_LOG_ERROR, "forkpool: out of memory");
		free(s);
		brcurl_global_cleanup();
		return -1;
	}
	s->host = host;
	s->opts = o;
	*state = s;
	return 0;
}

static int forkpool_run(void *state, struct br_run *run)
{
	return forkpool_fetch_all(state, run);
}

static void forkpool_destroy(void *state)
{
	struct forkpool_state *s = state;

	munmap(s->next, sizeof(*s->next));
	free(s);
	brcurl_global_cleanup();
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "forkpool",
	.description = "`concurrency` forked worker processes streaming "
	               "results back over pipes (multiprocessing.Pool)",
	.params = forkpool_params,
	.opts_size = sizeof(struct forkpool_opts),
	.create = forkpool_create,
	.run = forkpool_run,
	.destroy = forkpool_destroy,
	.flags = BR_PLUGIN_F_DUE,
};
