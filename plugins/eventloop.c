/*
 * eventloop.c - the asyncio analogue: one thread, one epoll loop driving
 * libcurl's multi socket API, `concurrency` transfers in flight.
 *
 * The shape is curl's docs/examples/ephiperfifo.c: curl says which sockets
 * to watch (el_socket_cb) and when to wake up (el_timer_cb); the loop tells
 * curl what happened (curl_multi_socket_action) and drains finished
 * transfers after every call.  Each of the `concurrency` slots owns one easy
 * handle, reused for every request it runs, so a request allocates nothing
 * of ours and its connection comes back from the multi's cache.
 *
 * Two choices save system calls, which are most of the client's cost here:
 *  - curl's timer is a deadline that becomes epoll_wait's timeout, not a
 *    timerfd: no timerfd_settime per update and no read per expiry.
 *  - The epoll registration of a connection outlives curl's interest in
 *    it.  When curl says "remove", an idle keep-alive socket stays in the
 *    epoll set, so its next request usually needs no epoll_ctl at all.  We
 *    know every connection socket curl closes (el_close_cb) and drop the
 *    record then; an event on a socket curl does not watch unregisters it.
 * Retry backoffs are deadlines too: an event loop never sleeps.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"

struct el_opts {
	struct brc_opts common;
	int64_t concurrency;
};

static const struct br_param el_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct el_opts, concurrency),
	  "100", 1, 100000, "transfers in flight" },
	BRC_PARAMS(struct el_opts, common),
	{ NULL },
};

/* What we know about one fd, el->fds[fd]. */
enum {
	EL_IN = EPOLLIN,        /* registered events, valid with REGISTERED */
	EL_OUT = EPOLLOUT,
	EL_REGISTERED = 1 << 8, /* in the epoll set                         */
	EL_WANTED = 1 << 9,     /* curl currently watches it                */
	EL_CONN = 1 << 10,      /* a connection: we see it closed (lazy ok) */
};

/* One transfer slot: a reused easy handle (xfer.easy); xfer.user = slot. */
struct el_slot {
	struct brc_xfer xfer;
	bool busy;                 /* a request is in flight or waiting   */
	uint64_t retry_at;         /* ns deadline while waiting to retry  */
	struct el_slot *next_wait; /* list of slots waiting to retry      */
};

struct el {
	const struct br_host *host;
	const struct el_opts *opts;
	struct br_run *run;
	CURLM *multi;
	int epfd;
	uint16_t *fds;     /* per-fd state, nfds entries                */
	size_t nfds;
	struct el_slot *slots;
	size_t nslots;
	size_t n, next;    /* requests in the run, next index to start   */
	size_t busy;       /* slots with a transfer or a pending retry   */
	uint64_t timer_at; /* curl's deadline in ns, 0 = none            */
	struct el_slot *waiting;
	int failed;
};

static uint64_t el_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Bring fd's epoll registration to what curl asked for (see top). */
static int el_watch(struct el *el, curl_socket_t fd, int what)
{
	struct epoll_event ev = { .data.fd = fd };
	uint16_t want = 0, *st;
	int op, rc;

	if (fd < 0 || (size_t)fd >= el->nfds) {
		errno = EMFILE;
		return -1;
	}
	st = &el->fds[fd];
	if (what == CURL_POLL_REMOVE) {
		*st &= ~EL_WANTED;
		if (!(*st & EL_CONN) && (*st & EL_REGISTERED)) {
			/* Not ours to track (a resolver's socket): unregister
			 * now, it may be closed without telling us. */
			epoll_ctl(el->epfd, EPOLL_CTL_DEL, fd, NULL);
			*st = 0;
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		want |= EL_IN;
	if (what & CURL_POLL_OUT)
		want |= EL_OUT;
	if ((*st & EL_REGISTERED) && (*st & (EL_IN | EL_OUT)) == want) {
		*st |= EL_WANTED;
		return 0;
	}
	ev.events = want;
	op = (*st & EL_REGISTERED) ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	rc = epoll_ctl(el->epfd, op, fd, &ev);
	if (rc && (errno == ENOENT || errno == EEXIST)) /* never expected */
		rc = epoll_ctl(el->epfd, op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD :
		               EPOLL_CTL_ADD, fd, &ev);
	if (rc)
		return -1;
	*st = (uint16_t)((*st & EL_CONN) | want | EL_REGISTERED | EL_WANTED);
	return 0;
}

/* CURLMOPT_SOCKETFUNCTION: curl changes its interest in a socket. */
static int el_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
                        void *socketp)
{
	struct el *el = userp;

	if (el_watch(el, fd, what)) {
		el->host->log(el->run, BR_LOG_ERROR, "eventloop: epoll_ctl(%d): %s",
		              (int)fd, strerror(errno));
		el->failed = 1;
		return -1;
	}
	return 0;
}

/* CURLMOPT_TIMERFUNCTION: curl wants socket_action(TIMEOUT) in `ms`. */
static int el_timer_cb(CURLM *multi, long ms, void *userp)
{
	struct el *el = userp;

	el->timer_at = ms < 0 ? 0 : el_now() + (uint64_t)ms * 1000000u;
	return 0;
}

/* CURLOPT_OPENSOCKETFUNCTION: a connection socket; we will see it closed,
 * so its registration may outlive curl's interest. */
static curl_socket_t el_open_cb(void *clientp, curlsocktype purpose,
                                struct curl_sockaddr *a)
{
	struct el *el = clientp;
	int fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);

	if (fd >= 0 && (size_t)fd < el->nfds)
		el->fds[fd] = EL_CONN;
	return fd < 0 ? CURL_SOCKET_BAD : fd;
}

/* CURLOPT_CLOSESOCKETFUNCTION: closing drops the kernel's registration;
 * drop ours, so that a new socket with the same number starts clean. */
static int el_close_cb(void *clientp, curl_socket_t fd)
{
	struct el *el = clientp;

	if (fd >= 0 && (size_t)fd < el->nfds)
		el->fds[fd] = 0;
	return close(fd);
}

/* Begin attempt `attempt` of request i on slot s. */
static void el_start(struct el *el, struct el_slot *s, size_t i,
                     unsigned attempt)
{
	brc_xfer_start(&s->xfer, el->run, i, attempt);
	if (curl_multi_add_handle(el->multi, s->xfer.easy) != CURLM_OK) {
		el->host->done(el->run, i, 0, "curl_multi_add_handle failed");
		s->busy = false;
		el->busy--;
	}
}

/* Give slot s the next request of the run, if any. */
static void el_next(struct el *el, struct el_slot *s)
{
	if (el->next >= el->n)
		return;
	s->busy = true;
	el->busy++;
	el_start(el, s, el->next++, 0);
}

/* Slot s's attempt ended with rc: retry it after a backoff, or report it
 * and move the slot on to the next request. */
static void el_finish(struct el *el, struct el_slot *s, CURLcode rc)
{
	curl_multi_remove_handle(el->multi, s->xfer.easy);
	if (brc_xfer_retry(&s->xfer, rc)) {
		double d = brc_backoff(&el->opts->common, s->xfer.attempt + 1);

		s->retry_at = el_now() + (uint64_t)(d * 1e9);
		s->next_wait = el->waiting;
		el->waiting = s;
		return;
	}
	brc_finish(&s->xfer, rc);
	s->busy = false;
	el->busy--;
	el_next(el, s);
}

/* Drain curl's completion queue; called after every socket_action. */
static void el_drain(struct el *el)
{
	struct brc_xfer *x;
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(el->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		el_finish(el, x->user, m->data.result);
	}
}

/* Restart every slot whose backoff has expired. */
static void el_retry_due(struct el *el, uint64_t now)
{
	struct el_slot **pp = &el->waiting, *s;

	while ((s = *pp)) {
		if (s->retry_at > now) {
			pp = &s->next_wait;
			continue;
		}
		*pp = s->next_wait;
		el_start(el, s, s->xfer.i, s->xfer.attempt + 1);
	}
}

/* Milliseconds epoll_wait may sleep: until curl's or a retry's deadline. */
static int el_timeout(const struct el *el, uint64_t now)
{
	uint64_t at = el->timer_at;

	for (const struct el_slot *s = el->waiting; s; s = s->next_wait)
		if (at == 0 || s->retry_at < at)
			at = s->retry_at;
	if (at == 0)
		return -1;
	if (at <= now)
		return 0;
	return (int)((at - now + 999999) / 1000000); /* round up: no spinning */
}

static void el_event(struct el *el, const struct epoll_event *ev)
{
	int fd = ev->data.fd, flags = 0, running;

	if (!(el->fds[fd] & EL_WANTED)) {
		/* An idle connection woke up (the server closed it, most
		 * likely).  curl checks it before reusing it; stop polling. */
		epoll_ctl(el->epfd, EPOLL_CTL_DEL, fd, NULL);
		el->fds[fd] &= EL_CONN;
		return;
	}
	if (ev->events & EPOLLIN)
		flags |= CURL_CSELECT_IN;
	if (ev->events & EPOLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (ev->events & (EPOLLERR | EPOLLHUP))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(el->multi, fd, flags, &running);
	el_drain(el);
}

/* The loop itself failed: report every unfinished request, lose none. */
static void el_fail_rest(struct el *el, const char *why)
{
	for (size_t k = 0; k < el->nslots; k++) {
		struct el_slot *s = &el->slots[k];

		if (!s->busy)
			continue;
		curl_multi_remove_handle(el->multi, s->xfer.easy);
		el->host->done(el->run, s->xfer.i, 0, why);
		s->busy = false;
	}
	while (el->next < el->n) {
		el->host->start(el->run, el->next);
		el->host->done(el->run, el->next++, 0, why);
	}
	el->busy = 0;
}

static int el_loop(struct el *el)
{
	struct epoll_event evs[256];
	int n, running;
	uint64_t now;

	while (el->busy > 0 && !el->failed) {
		n = epoll_wait(el->epfd, evs, 256, el_timeout(el, el_now()));
		if (n < 0 && errno != EINTR) {
			el->host->log(el->run, BR_LOG_ERROR,
			              "eventloop: epoll_wait: %s", strerror(errno));
			el->failed = 1;
			break;
		}
		for (int k = 0; k < n; k++)
			el_event(el, &evs[k]);
		now = el_now();
		if (el->timer_at && el->timer_at <= now) {
			el->timer_at = 0;
			curl_multi_socket_action(el->multi, CURL_SOCKET_TIMEOUT,
			                         0, &running);
			el_drain(el);
		}
		if (el->waiting)
			el_retry_due(el, now);
	}
	if (!el->failed && el->next >= el->n)
		return 0;
	el_fail_rest(el, "eventloop failed (see log)");
	return -1;
}

/* Fail early and clearly when the fd limit cannot hold `concurrency`
 * connections (the core has raised the soft limit to the hard one). */
static int el_check_nofile(struct el *el, size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		rl.rlim_cur = 1024;
	el->nfds = rl.rlim_cur == RLIM_INFINITY ? 1u << 20 : rl.rlim_cur;
	if (need + 32 <= el->nfds)
		return 0;
	el->host->log(NULL, BR_LOG_ERROR,
	              "eventloop: concurrency %zu needs about %zu file "
	              "descriptors but RLIMIT_NOFILE is %zu; raise the hard "
	              "limit (ulimit -Hn) or lower concurrency",
	              need, need + 32, el->nfds);
	return -1;
}

static int el_multi_open(struct el *el)
{
	el->multi = curl_multi_init();
	if (!el->multi)
		return -1;
	curl_multi_setopt(el->multi, CURLMOPT_SOCKETFUNCTION, el_socket_cb);
	curl_multi_setopt(el->multi, CURLMOPT_SOCKETDATA, el);
	curl_multi_setopt(el->multi, CURLMOPT_TIMERFUNCTION, el_timer_cb);
	curl_multi_setopt(el->multi, CURLMOPT_TIMERDATA, el);
	/* Keep every slot's connection: the default cache (4x handles
	 * added so far) would close connections while ramping up. */
	curl_multi_setopt(el->multi, CURLMOPT_MAXCONNECTS, (long)el->nslots);
	return 0;
}

static int el_slots_open(struct el *el)
{
	el->slots = calloc(el->nslots, sizeof(*el->slots));
	if (!el->slots)
		return -1;
	for (size_t k = 0; k < el->nslots; k++) {
		struct el_slot *s = &el->slots[k];
		CURL *easy = curl_easy_init();

		if (!easy)
			return -1;
		if (brc_easy_setup(&s->xfer, easy, el->host, &el->opts->common)) {
			curl_easy_cleanup(easy);
			return -1;
		}
		s->xfer.user = s;
		curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, el_open_cb);
		curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, el);
		curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, el_close_cb);
		curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, el);
	}
	return 0;
}

static void el_free(struct el *el)
{
	for (size_t k = 0; el->slots && k < el->nslots; k++)
		if (el->slots[k].xfer.easy)
			curl_easy_cleanup(el->slots[k].xfer.easy);
	if (el->epfd >= 0)
		close(el->epfd);
	free(el->slots);
	free(el->fds);
	free(el);
	brc_global_cleanup();
}

/* ---- hook adapters ---------------------------------------------------- */

static int eventloop_create(const struct br_host *host, const void *opts,
                            void **state)
{
	const struct el_opts *o = opts;
	struct el *el;

	if (brc_opts_check(host, &o->common) || brc_global_init(host))
		return -1;
	el = calloc(1, sizeof(*el));
	if (!el) {
		brc_global_cleanup();
		return -1;
	}
	el->host = host;
	el->opts = o;
	el->epfd = -1;
	el->nslots = (size_t)o->concurrency;
	if (el_check_nofile(el, el->nslots))
		goto fail;
	el->fds = calloc(el->nfds, sizeof(*el->fds));
	el->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!el->fds || el->epfd < 0 || el_slots_open(el)) {
		host->log(NULL, BR_LOG_ERROR, "eventloop: cannot set up %zu "
		          "slots: %s", el->nslots, strerror(errno));
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
	int rc;

	el->run = run;
	el->n = el->host->count(run);
	el->next = el->busy = 0;
	el->failed = 0;
	el->timer_at = 0;
	el->waiting = NULL;
	/* A fresh multi per run: every run starts without connections. */
	if (el_multi_open(el))
		return -1;
	for (size_t k = 0; k < el->nslots && el->next < el->n; k++)
		el_next(el, &el->slots[k]);
	rc = el_loop(el);
	for (size_t k = 0; k < el->nslots; k++)
		curl_multi_remove_handle(el->multi, el->slots[k].xfer.easy);
	curl_multi_cleanup(el->multi); /* closes the cached connections */
	el->multi = NULL;
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
};
