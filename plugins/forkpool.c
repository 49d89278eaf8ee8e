/*
 * forkpool.c - `concurrency` worker processes (the multiprocessing.Pool
 * analogue).  run forks the pool (so its cost is measured, as creating the
 * Pool is in the Python script); each child takes request indices from an
 * atomic counter in MAP_SHARED memory, fetches them on its own reused easy
 * handle, and streams what happens back to the parent over its own pipe as
 * small frames: START(i), BODY(i, bytes), DONE(i, status, error text).  The
 * parent, the process that called run, turns each frame into the matching
 * host->start/body/done, so the core validates every ticket in the parent
 * (plugin.h forbids calling the host from a forked child).
 *
 * The child reuses brc_fetch() unchanged by giving it a proxy br_host whose
 * start/body/done write frames.  Latency: the core times it from start()
 * to done(), both called by the parent, which may read a START late when
 * the CPUs are busy (then START and DONE come in one read, and the request
 * would look instant).  So the child times the request itself (from its
 * first try) and sends that in the DONE frame, and the parent holds done()
 * back until its own start() is at least that long ago.  The core's latency
 * is then the child's, plus the pipe hop (microseconds) when the parent
 * keeps up; the cost is that a late START delays its done() by the same
 * lag, which the wall time of a CPU-starved run includes anyway.
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
#include <stdarg.h>
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

struct forkpool_opts {
	struct brc_opts common;
	int64_t concurrency;
};

static const struct br_param forkpool_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct forkpool_opts, concurrency),
	  "4", 1, 1024, "worker processes (multiprocessing.Pool processes)" },
	BRC_PARAMS(struct forkpool_opts, common),
	{ NULL },
};

enum { FRAME_START = 1, FRAME_BODY, FRAME_DONE };
#define FRAME_MAX_PAYLOAD (1u << 20)
#define FLUSH_AT (64u << 10)

/* A frame header; `len` payload bytes follow (a body chunk, or the error
 * text of a DONE, 0 bytes meaning no error). */
struct forkpool_frame {
	uint64_t i;
	uint64_t elapsed_ns; /* DONE: the child's latency of the request */
	uint32_t kind;
	int32_t status;
	uint32_t len;
	uint32_t pad;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct forkpool_state {
	const struct br_host *host;
	const struct forkpool_opts *opts;
	atomic_size_t *next; /* MAP_SHARED: the next index to hand out */
};

/* ---- the child: a proxy host that writes frames ------------------------ */

struct forkpool_child {
	const struct br_host *host; /* the real one, for url() */
	struct br_run *run;
	int fd;
	bool broken; /* the pipe failed: the parent is gone or gave up */
	uint64_t t0; /* when the request being fetched first started */
	char *buf;
	size_t len, cap;
};

static void child_flush(struct forkpool_child *c)
{
	size_t off = 0;
	ssize_t w;

	while (!c->broken && off < c->len) {
		w = write(c->fd, c->buf + off, c->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			c->broken = true;
		else
			off += (size_t)w;
	}
	c->len = 0;
}

/* Queue frame f and its f->len payload bytes; flush unless it is body. */
static void child_frame(struct forkpool_child *c,
                        const struct forkpool_frame *f, const void *data)
{
	size_t need = c->len + sizeof(*f) + f->len;

	if (need > c->cap) {
		char *p = realloc(c->buf, need * 2);

		if (!p) {
			c->broken = true;
			return;
		}
		c->buf = p;
		c->cap = need * 2;
	}
	memcpy(c->buf + c->len, f, sizeof(*f));
	if (f->len)
		memcpy(c->buf + c->len + sizeof(*f), data, f->len);
	c->len = need;
	if (f->kind != FRAME_BODY || c->len >= FLUSH_AT)
		child_flush(c);
}

/* The proxy host's `run` is really the child (cast back here only). */
static const char *child_url(const struct br_run *r, size_t i)
{
	const struct forkpool_child *c = (const void *)r;

	return c->host->url(c->run, i);
}

static void child_start(struct br_run *r, size_t i)
{
	struct forkpool_child *c = (void *)r;
	struct forkpool_frame f = { .i = i, .kind = FRAME_START };

	if (!c->t0) /* a retry keeps the first start */
		c->t0 = now_ns();
	child_frame(c, &f, NULL);
}

static int child_body(struct br_run *r, size_t i, const void *d, size_t n)
{
	struct forkpool_child *c = (void *)r;
	struct forkpool_frame f = { .i = i, .kind = FRAME_BODY };

	/* Large chunks are split so one frame never exceeds the limit. */
	for (size_t off = 0; off < n; off += f.len) {
		f.len = (uint32_t)(n - off < FRAME_MAX_PAYLOAD ?
		                   n - off : FRAME_MAX_PAYLOAD);
		child_frame(c, &f, (const char *)d + off);
	}
	return c->broken ? -1 : 0;
}

static int child_done(struct br_run *r, size_t i, int status, const char *err)
{
	struct forkpool_child *c = (void *)r;
	struct forkpool_frame f = {
		.i = i, .kind = FRAME_DONE, .status = status,
		.elapsed_ns = now_ns() - c->t0,
		.len = err ? (uint32_t)strnlen(err, 255) : 0,
	};

	c->t0 = 0;
	child_frame(c, &f, err);
	return 0;
}

static void child_log(struct br_run *r, enum br_log_level level,
                      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("benchrun: forkpool worker: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void __attribute__((noreturn))
forkpool_child_main(struct forkpool_state *s, struct br_run *run, size_t n,
                    int fd)
{
	struct forkpool_child c = { .host = s->host, .run = run, .fd = fd };
	struct br_host proxy = *s->host;
	struct brc_xfer x;
	CURL *easy;
	size_t i;
	int code = 0;

	/* A worker process that outlives its parent would fetch for nobody. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	proxy.url = child_url;
	proxy.start = child_start;
	proxy.body = child_body;
	proxy.done = child_done;
	proxy.log = child_log;
	easy = curl_easy_init();
	if (!easy || brc_easy_setup(&x, easy, &proxy, &s->opts->common) < 0) {
		code = 3;
		goto out;
	}
	while (!c.broken && (i = atomic_fetch_add(s->next, 1)) < n)
		brc_fetch(&x, (struct br_run *)(void *)&c, i);
	child_flush(&c);
	code = c.broken ? 4 : 0;
out:
	if (easy)
		curl_easy_cleanup(easy);
	_exit(code);
}

/* ---- the parent: frames back into host calls ---------------------------- */

enum { REQ_STARTED = 1, REQ_DONE = 2, REQ_OVER = 4 };

struct forkpool_proc {
	pid_t pid;
	int fd;       /* -1 once the child's pipe is closed */
	bool busy;    /* a request is between START and DONE */
	size_t cur;
	uint64_t t0;  /* when the parent called start(cur) first */
	char *buf;
	size_t len, cap;
};

/* A finished request whose done() waits until the parent's own start()
 * is as long ago as the child's measured latency. */
struct forkpool_held {
	size_t i;
	int status;
	uint64_t due;
	char err[256]; /* "" for no error */
};

struct forkpool_run {
	struct forkpool_state *s;
	struct br_run *run;
	size_t n;
	uint8_t *req;
	struct forkpool_proc *procs;
	size_t nprocs;
	char died[96]; /* why the first child that failed did */
	struct forkpool_held *held; /* done() calls held back, unordered */
	size_t nheld, cap_held;
};

/* Call done() for every held request due by `until`. */
static void parent_release(struct forkpool_run *r, uint64_t until)
{
	for (size_t k = 0; k < r->nheld;) {
		struct forkpool_held *h = &r->held[k];

		if (h->due > until) {
			k++;
			continue;
		}
		r->s->host->done(r->run, h->i, h->status, h->err[0] ? h->err : NULL);
		*h = r->held[--r->nheld];
	}
}

/* The earliest due time of a held request, 0 when none is held. */
static uint64_t parent_next_due(const struct forkpool_run *r)
{
	uint64_t due = 0;

	for (size_t k = 0; k < r->nheld; k++)
		if (!due || r->held[k].due < due)
			due = r->held[k].due;
	return due;
}

/* Request i is done in the child after elapsed_ns: report it now, or hold
 * it until the latency the core measures has caught up with that. */
static void parent_done(struct forkpool_run *r, struct forkpool_proc *p,
                        const struct forkpool_frame *f, const char *data)
{
	struct forkpool_held h = { (size_t)f->i, f->status, p->t0 + f->elapsed_ns };

	snprintf(h.err, sizeof(h.err), "%.*s", (int)f->len, data);
	if (h.due > now_ns() && r->nheld == r->cap_held) {
		size_t cap = r->cap_held ? 2 * r->cap_held : 16;
		void *m = realloc(r->held, cap * sizeof(*r->held));

		if (m) {
			r->held = m;
			r->cap_held = cap;
		}
	}
	if (h.due > now_ns() && r->nheld < r->cap_held)
		r->held[r->nheld++] = h;
	else
		r->s->host->done(r->run, h.i, h.status, h.err[0] ? h.err : NULL);
}

/* Handle one frame; -1 when it breaks the protocol. */
static int parent_frame(struct forkpool_run *r, struct forkpool_proc *p,
                        const struct forkpool_frame *f, const char *data)
{
	const struct br_host *host = r->s->host;

	if (f->i >= r->n || (f->kind != FRAME_START && (!p->busy || f->i != p->cur)))
		return -1;
	switch (f->kind) {
	case FRAME_START:
		if (!p->busy || p->cur != f->i) /* not a retry */
			p->t0 = now_ns();
		r->req[f->i] = REQ_STARTED;
		p->busy = true;
		p->cur = (size_t)f->i;
		host->start(r->run, (size_t)f->i);
		return 0;
	case FRAME_BODY:
		if (!(r->req[f->i] & REQ_OVER) &&
		    host->body(r->run, (size_t)f->i, data, f->len) < 0)
			r->req[f->i] |= REQ_OVER;
		return 0;
	case FRAME_DONE:
		r->req[f->i] = REQ_DONE;
		p->busy = false;
		parent_done(r, p, f, data);
		return 0;
	}
	return -1;
}

/* Read what the child sent and dispatch complete frames; -1 on EOF or a
 * protocol error. */
static int parent_read(struct forkpool_run *r, struct forkpool_proc *p)
{
	struct forkpool_frame f;
	size_t off = 0;
	ssize_t got;

	if (p->cap - p->len < FLUSH_AT) {
		char *b = realloc(p->buf, p->cap + 2 * FLUSH_AT);

		if (!b)
			return -1;
		p->buf = b;
		p->cap += 2 * FLUSH_AT;
	}
	do
		got = read(p->fd, p->buf + p->len, p->cap - p->len);
	while (got < 0 && errno == EINTR);
	if (got <= 0)
		return -1;
	p->len += (size_t)got;
	while (p->len - off >= sizeof(f)) {
		memcpy(&f, p->buf + off, sizeof(f));
		if (f.len > FRAME_MAX_PAYLOAD)
			return -1;
		if (p->len - off < sizeof(f) + f.len)
			break;
		if (parent_frame(r, p, &f, p->buf + off + sizeof(f)) < 0)
			return -1;
		off += sizeof(f) + f.len;
	}
	memmove(p->buf, p->buf + off, p->len - off);
	p->len -= off;
	return 0;
}

/* The child's pipe ended: reap it, and fail its request in flight. */
static void parent_reap(struct forkpool_run *r, struct forkpool_proc *p)
{
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
	r->s->host->log(r->run, BR_LOG_WARN, "forkpool: %s", why);
	if (p->busy) {
		r->req[p->cur] = REQ_DONE;
		r->s->host->done(r->run, p->cur, 0, why);
	}
}

/* Until `due` (0: forever), as ppoll wants it. */
static struct timespec *parent_timeout(uint64_t due, struct timespec *ts)
{
	uint64_t now = now_ns(), left = due > now ? due - now : 0;

	if (!due)
		return NULL;
	ts->tv_sec = (time_t)(left / 1000000000u);
	ts->tv_nsec = (long)(left % 1000000000u);
	return ts;
}

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
		ready = ppoll(pfd, m, parent_timeout(parent_next_due(r), &ts), NULL);
		parent_release(r, now_ns());
		if (ready <= 0)
			continue; /* a held done() was due, or EINTR */
		for (k = m = 0; k < r->nprocs; k++) {
			struct forkpool_proc *p = &r->procs[k];

			if (p->fd < 0 || !pfd[m++].revents)
				continue;
			if (parent_read(r, p) < 0) {
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
	while (r->nheld > 0) {
		if (ppoll(NULL, 0, parent_timeout(parent_next_due(r), &ts), NULL) < 0)
			continue;
		parent_release(r, now_ns());
	}
}

/* Fork the pool, serve it, reap it; then finish what nobody finished. */
static int forkpool_fetch_all(struct forkpool_state *s, struct br_run *run)
{
	struct forkpool_run r = { .s = s, .run = run, .n = s->host->count(run) };
	size_t want = (size_t)s->opts->concurrency < r.n ?
	              (size_t)s->opts->concurrency : r.n;
	int fds[2];

	atomic_store(s->next, 0);
	r.req = calloc(r.n ? r.n : 1, 1);
	r.procs = calloc(want ? want : 1, sizeof(*r.procs));
	if (!r.req || !r.procs)
		goto out;
	for (; r.nprocs < want; r.nprocs++) {
		struct forkpool_proc *p = &r.procs[r.nprocs];

		if (pipe2(fds, O_CLOEXEC) < 0)
			break;
		p->pid = fork();
		if (p->pid == 0) {
			close(fds[0]);
			forkpool_child_main(s, run, r.n, fds[1]);
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
	for (size_t i = 0; i < r.n; i++) {
		if (r.req && r.req[i] == REQ_DONE)
			continue;
		if (!r.req || !r.req[i])
			s->host->start(run, i);
		s->host->done(run, i, 0, r.died[0] ? r.died :
		              "no worker process fetched it");
	}
	for (size_t k = 0; k < r.nprocs; k++)
		free(r.procs[k].buf);
	free(r.held);
	free(r.procs);
	free(r.req);
	return 0;
}

/* ---- hook adapters ---------------------------------------------------- */

static int forkpool_create(const struct br_host *host, const void *opts,
                           void **state)
{
	const struct forkpool_opts *o = opts;
	struct forkpool_state *s;

	if (brc_opts_check(host, &o->common) < 0 || brc_global_init(host) < 0)
		return -1;
	s = calloc(1, sizeof(*s));
	if (s)
		s->next = mmap(NULL, sizeof(*s->next), PROT_READ | PROT_WRITE,
		               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!s || s->next == MAP_FAILED) {
		host->log(NULL, BR_LOG_ERROR, "forkpool: out of memory");
		free(s);
		brc_global_cleanup();
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
	brc_global_cleanup();
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
};
