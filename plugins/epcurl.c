/*
 * epcurl.c - a libcurl multi handle on epoll.  The shape is curl's
 * docs/examples/ephiperfifo.c: curl says which sockets to watch
 * (epc_socket_cb) and when to wake up (epc_timer_cb); the loop tells curl
 * what happened (curl_multi_socket_action) and drains finished transfers
 * after every call.
 *
 * Two choices save system calls, which are most of the client's cost:
 *  - curl's timer is a deadline that becomes epoll_wait's timeout, not a
 *    timerfd: no timerfd_settime per update and no read per expiry.
 *    Backoff timers are deadlines on the same clock.
 *  - The epoll registration of a connection outlives curl's interest in
 *    it.  When curl says "remove", an idle keep-alive socket stays in the
 *    epoll set, so its next request usually needs no epoll_ctl at all.  We
 *    open and close every connection socket (epc_open_cb, epc_close_cb),
 *    so a closed socket's stale state never meets a new socket with the
 *    same number; an event on a socket curl does not watch unregisters it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "brcurl.h"
#include "epcurl.h"
#include "slotpool.h"

/* What we know about one fd, e->fds[fd]. */
enum {
	EPC_IN = EPOLLIN,        /* registered events, with REGISTERED     */
	EPC_OUT = EPOLLOUT,
	EPC_REGISTERED = 1 << 8, /* in the epoll set                       */
	EPC_WANTED = 1 << 9,     /* curl currently watches it              */
	EPC_CONN = 1 << 10,      /* opened by us: lazy removal is safe     */
};

/* Bring fd's epoll registration to what curl asked for, lazily. */
static int epc_watch(struct epc *e, curl_socket_t fd, int what)
{
	struct epoll_event ev = { .data.fd = fd };
	uint16_t want = 0, *st;
	int op, rc;

	if (fd < 0 || (size_t)fd >= e->nfds) {
		errno = EMFILE;
		return -1;
	}
	st = &e->fds[fd];
	if (what == CURL_POLL_REMOVE) {
		*st &= (uint16_t)~EPC_WANTED;
		if (!(*st & EPC_CONN) && (*st & EPC_REGISTERED)) {
			/* Not a socket we see closed (a resolver's):
			 * unregister it now. */
			epoll_ctl(e->epfd, EPOLL_CTL_DEL, fd, NULL);
			*st = 0;
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		want |= EPC_IN;
	if (what & CURL_POLL_OUT)
		want |= EPC_OUT;
	if ((*st & EPC_REGISTERED) && (*st & (EPC_IN | EPC_OUT)) == want) {
		*st |= EPC_WANTED;
		return 0;
	}
	ev.events = want;
	op = (*st & EPC_REGISTERED) ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	rc = epoll_ctl(e->epfd, op, fd, &ev);
	if (rc && (errno == ENOENT || errno == EEXIST)) /* never expected */
		rc = epoll_ctl(e->epfd, op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD :
		               EPOLL_CTL_ADD, fd, &ev);
	if (rc)
		return -1;
	*st = (uint16_t)((*st & EPC_CONN) | want | EPC_REGISTERED | EPC_WANTED);
	return 0;
}

/* CURLMOPT_SOCKETFUNCTION: curl changes its interest in a socket. */
static int epc_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
                         void *socketp)
{
	struct epc *e = userp;

	if (epc_watch(e, fd, what) == 0)
		return 0;
	e->host->log(e->run, BR_LOG_ERROR, "%s: epoll_ctl(%d): %s", e->name,
	             (int)fd, strerror(errno));
	e->failed = true;
	return -1;
}

/* CURLMOPT_TIMERFUNCTION: curl wants socket_action(TIMEOUT) in `ms`. */
static int epc_timer_cb(CURLM *multi, long ms, void *userp)
{
	struct epc *e = userp;

	e->timer_at = ms < 0 ? 0 : brcurl_now_ns() + (uint64_t)ms * 1000000u;
	return 0;
}

/* CURLOPT_OPENSOCKETFUNCTION: a connection socket we will see closed. */
static curl_socket_t epc_open_cb(void *clientp, curlsocktype purpose,
                                 struct curl_sockaddr *a)
{
	struct epc *e = clientp;
	int fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);

	if (fd < 0)
		return CURL_SOCKET_BAD;
	if ((size_t)fd < e->nfds)
		e->fds[fd] = EPC_CONN;
	return fd;
}

/* CURLOPT_CLOSESOCKETFUNCTION: closing drops the kernel's registration;
 * drop ours, so that a new socket with the same number starts clean. */
static int epc_close_cb(void *clientp, curl_socket_t fd)
{
	struct epc *e = clientp;

	if (fd >= 0 && (size_t)fd < e->nfds)
		e->fds[fd] = 0;
	return close(fd);
}

/* Drain curl's completion queue; called after every socket_action. */
static void epc_drain(struct epc *e)
{
	CURLcode rc;
	CURL *easy;

	while ((easy = sp_done_next(e->multi, &rc)))
		e->on_done(e, easy, rc);
}

static void epc_action(struct epc *e, curl_socket_t fd, int flags)
{
	int running;

	curl_multi_socket_action(e->multi, fd, flags, &running);
	epc_drain(e);
}

static void epc_event(struct epc *e, const struct epoll_event *ev)
{
	int fd = ev->data.fd, flags = 0;

	if (!(e->fds[fd] & EPC_WANTED)) {
		/* An idle connection woke up (the server closed it, most
		 * likely).  curl checks it before reusing it; stop polling. */
		epoll_ctl(e->epfd, EPOLL_CTL_DEL, fd, NULL);
		e->fds[fd] &= EPC_CONN;
		return;
	}
	if (ev->events & EPOLLIN)
		flags |= CURL_CSELECT_IN;
	if (ev->events & EPOLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (ev->events & (EPOLLERR | EPOLLHUP))
		flags |= CURL_CSELECT_ERR;
	epc_action(e, fd, flags);
}

/* Fire every expired backoff timer. */
static void epc_timers_due(struct epc *e, uint64_t now)
{
	struct epc_timer **pp = &e->timers, *t;

	while ((t = *pp)) {
		if (t->at > now) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		e->on_timer(e, t);
	}
}

/* Milliseconds epoll_wait may sleep: until the nearest deadline. */
static int epc_timeout(const struct epc *e, uint64_t now)
{
	uint64_t at = e->timer_at;

	if (e->wake_at && (at == 0 || e->wake_at < at))
		at = e->wake_at;
	for (const struct epc_timer *t = e->timers; t; t = t->next)
		if (at == 0 || t->at < at)
			at = t->at;
	if (at == 0)
		return -1;
	if (at <= now)
		return 0;
	return (int)((at - now + 999999) / 1000000); /* round up: no spinning */
}

int epc_step(struct epc *e)
{
	struct epoll_event evs[256];
	uint64_t now;
	int n;

	n = epoll_wait(e->epfd, evs, 256, epc_timeout(e, brcurl_now_ns()));
	if (n < 0 && errno != EINTR) {
		e->host->log(e->run, BR_LOG_ERROR, "%s: epoll_wait: %s",
		             e->name, strerror(errno));
		e->failed = true;
	}
	for (int k = 0; k < n && !e->failed; k++)
		epc_event(e, &evs[k]);
	now = brcurl_now_ns();
	if (!e->failed && e->timer_at && e->timer_at <= now) {
		e->timer_at = 0;
		epc_action(e, CURL_SOCKET_TIMEOUT, 0);
	}
	if (!e->failed && e->timers)
		epc_timers_due(e, now);
	return e->failed ? -1 : 0;
}

void epc_timer_add(struct epc *e, struct epc_timer *t, double seconds)
{
	t->at = brcurl_now_ns() + (uint64_t)(seconds > 0 ? seconds * 1e9 : 0);
	t->next = e->timers;
	e->timers = t;
}

int epc_add(struct epc *e, CURL *easy)
{
	CURLMcode mc = curl_multi_add_handle(e->multi, easy);

	if (mc == CURLM_OK)
		return 0;
	e->host->log(e->run, BR_LOG_ERROR, "%s: curl_multi_add_handle: %s",
	             e->name, curl_multi_strerror(mc));
	return -1;
}

int epc_init(struct epc *e, const struct br_host *host, const char *name,
             size_t need)
{
	e->host = host;
	e->name = name;
	e->epfd = -1;
	if (brcurl_check_nofile(host, name, need, &e->nfds))
		return -1;
	e->fds = calloc(e->nfds, sizeof(*e->fds));
	e->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (e->fds && e->epfd >= 0)
		return 0;
	host->log(NULL, BR_LOG_ERROR, "%s: epoll set-up: %s", name,
	          strerror(errno));
	epc_free(e);
	return -1;
}

void epc_free(struct epc *e)
{
	if (e->epfd >= 0)
		close(e->epfd);
	e->epfd = -1;
	free(e->fds);
	e->fds = NULL;
}

void epc_easy_setup(struct epc *e, CURL *easy)
{
	brcurl_easy_sockets(easy, epc_open_cb, epc_close_cb, e);
}

int epc_multi_open(struct epc *e, struct br_run *run, long maxconnects)
{
	e->run = run;
	e->timer_at = 0;
	e->timers = NULL;
	e->failed = false;
	e->multi = brcurl_multi_new(e->host, run, e->name, epc_socket_cb,
	                            epc_timer_cb, e, maxconnects);
	return e->multi ? 0 : -1;
}

void epc_multi_close(struct epc *e)
{
	if (e->multi)
		curl_multi_cleanup(e->multi); /* closes cached connections */
	e->multi = NULL;
}
