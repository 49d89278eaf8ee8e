/*
 * uvcurl.c - a libcurl multi handle on libuv's loop; see uvcurl.h.
 *
 * A connection's poll handle lives as long as the connection (we open and
 * close connection sockets ourselves, uvc_open_cb/uvc_close_cb): when curl
 * loses interest in an idle keep-alive socket the poll handle keeps running
 * and stops on its first unwanted event, so the next request on that
 * connection usually needs no epoll_ctl.  Sockets we did not open (a
 * resolver's) get multi-uv.c's treatment: closed when curl says "remove".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "brcurl.h"
#include "slotpool.h"
#include "uvcurl.h"

/* One socket curl told us about; uvc.socks[fd] while the fd is open. */
struct uvc_sock {
	uv_poll_t poll;         /* first: the uv_close callback frees it */
	struct uvc *c;
	curl_socket_t fd;
	int events;             /* UV_READABLE/UV_WRITABLE being polled */
	bool conn;              /* opened by us: we see it closed       */
	bool wanted;            /* curl watches it                      */
};

/* Drain curl's completion queue; called after every socket_action. */
static void uvc_drain(struct uvc *c)
{
	CURLcode rc;
	CURL *easy;

	while ((easy = sp_done_next(c->multi, &rc)))
		c->on_done(c, easy, rc);
}

/* ---- sockets ---------------------------------------------------------- */

static void uvc_sock_free_cb(uv_handle_t *h)
{
	free(h); /* the poll handle is the first member */
}

/* Stop watching fd and forget it; its memory goes when libuv is done. */
static void uvc_sock_close(struct uvc *c, struct uvc_sock *s)
{
	c->socks[s->fd] = NULL;
	uv_close((uv_handle_t *)&s->poll, uvc_sock_free_cb);
}

/* libuv: fd is ready; tell curl, unless curl lost interest in it. */
static void uvc_poll_cb(uv_poll_t *poll, int status, int events)
{
	struct uvc_sock *s = (struct uvc_sock *)poll;
	int flags = 0, running;

	if (!s->wanted) {
		/* An idle connection woke up (the server closed it, most
		 * likely).  curl checks it before reusing it; stop polling. */
		uv_poll_stop(poll);
		s->events = 0;
		return;
	}
	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(s->c->multi, s->fd, flags, &running);
	uvc_drain(s->c);
}

static struct uvc_sock *uvc_sock_new(struct uvc *c, curl_socket_t fd,
                                     bool conn)
{
	struct uvc_sock *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (uv_poll_init_socket(&c->loop, &s->poll, fd) < 0) {
		free(s);
		return NULL;
	}
	s->c = c;
	s->fd = fd;
	s->conn = conn;
	c->socks[fd] = s;
	return s;
}

/* CURLMOPT_SOCKETFUNCTION: curl changes its interest in a socket. */
static int uvc_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
                         void *socketp)
{
	struct uvc *c = userp;
	struct uvc_sock *s;
	int events = 0, rc = 0;

	if (fd < 0 || (size_t)fd >= c->nfds)
		goto fail;
	s = c->socks[fd];
	if (what == CURL_POLL_REMOVE) {
		if (s && !s->conn)
			uvc_sock_close(c, s);
		else if (s)
			s->wanted = false;
		return 0;
	}
	if (!s && !(s = uvc_sock_new(c, fd, false)))
		goto fail;
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	s->wanted = true;
	if (events != s->events)
		rc = uv_poll_start(&s->poll, events, uvc_poll_cb);
	if (rc < 0)
		goto fail;
	s->events = events;
	return 0;
fail:
	c->host->log(c->run, BR_LOG_ERROR, "%s: cannot poll socket %d",
	             c->name, (int)fd);
	c->failed = true;
	uv_stop(&c->loop);
	return -1;
}

/* CURLOPT_OPENSOCKETFUNCTION: a connection socket we will see closed. */
static curl_socket_t uvc_open_cb(void *clientp, curlsocktype purpose,
                                 struct curl_sockaddr *a)
{
	struct uvc *c = clientp;
	int fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);

	if (fd < 0)
		return CURL_SOCKET_BAD;
	if ((size_t)fd >= c->nfds || !uvc_sock_new(c, fd, true)) {
		close(fd);
		return CURL_SOCKET_BAD;
	}
	return fd;
}

/* CURLOPT_CLOSESOCKETFUNCTION: the connection is gone, and its handle. */
static int uvc_close_cb(void *clientp, curl_socket_t fd)
{
	struct uvc *c = clientp;

	if (fd >= 0 && (size_t)fd < c->nfds && c->socks[fd])
		uvc_sock_close(c, c->socks[fd]);
	return close(fd);
}

/* ---- curl's timer ---------------------------------------------------- */

static void uvc_timeout_cb(uv_timer_t *t)
{
	struct uvc *c = t->data;
	int running;

	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	uvc_drain(c);
}

/* CURLMOPT_TIMERFUNCTION: curl wants socket_action(TIMEOUT) in `ms`. */
static int uvc_timer_cb(CURLM *multi, long ms, void *userp)
{
	struct uvc *c = userp;

	if (ms < 0)
		uv_timer_stop(&c->timer);
	else
		uv_timer_start(&c->timer, uvc_timeout_cb, (uint64_t)ms, 0);
	return 0;
}

/* ---- set-up ----------------------------------------------------------- */

int uvc_init(struct uvc *c, const struct br_host *host, const char *name,
             size_t need)
{
	c->host = host;
	c->name = name;
	if (brcurl_check_nofile(host, name, need, &c->nfds))
		return -1;
	c->socks = calloc(c->nfds, sizeof(*c->socks));
	if (!c->socks || uv_loop_init(&c->loop) < 0) {
		host->log(NULL, BR_LOG_ERROR, "%s: cannot set up the loop", name);
		free(c->socks);
		c->socks = NULL;
		return -1;
	}
	uv_timer_init(&c->loop, &c->timer);
	c->timer.data = c;
	return 0;
}

void uvc_free(struct uvc *c)
{
	if (!c->socks)
		return;
	uv_close((uv_handle_t *)&c->timer, NULL);
	uv_run(&c->loop, UV_RUN_DEFAULT); /* finish every close */
	uv_loop_close(&c->loop);
	free(c->socks);
	c->socks = NULL;
}

void uvc_easy_setup(struct uvc *c, CURL *easy)
{
	brcurl_easy_sockets(easy, uvc_open_cb, uvc_close_cb, c);
}

int uvc_multi_open(struct uvc *c, struct br_run *run, long maxconnects)
{
	c->run = run;
	c->failed = false;
	c->multi = brcurl_multi_new(c->host, run, c->name, uvc_socket_cb,
	                            uvc_timer_cb, c, maxconnects);
	return c->multi ? 0 : -1;
}

void uvc_multi_close(struct uvc *c)
{
	uv_timer_stop(&c->timer);
	if (c->multi)
		curl_multi_cleanup(c->multi);
	c->multi = NULL;
}
