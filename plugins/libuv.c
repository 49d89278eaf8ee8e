/*
 * libuv.c - the uvloop analogue: libcurl's multi socket API on libuv's
 * event loop, `concurrency` transfers in flight, as in curl's
 * docs/examples/multi-uv.c: a uv_poll_t per socket, a uv_timer_t for
 * curl's timer, a uv_timer_t per slot for retry backoffs.
 *
 * Like the eventloop plugin, each slot reuses one easy handle, and a
 * connection's poll handle lives as long as the connection (we open and
 * close connection sockets ourselves): when curl loses interest in an idle
 * keep-alive socket the poll handle keeps running and stops on its first
 * unwanted event, so the next request on that connection usually needs no
 * epoll_ctl.  Sockets we did not open (a resolver's) get multi-uv.c's
 * treatment: closed as soon as curl says "remove".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <uv.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "epcurl.h" /* epc_check_nofile, epc_shares */

struct uvp_opts {
	struct brc_opts common;
	int64_t concurrency;
};

static const struct br_param uvp_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct uvp_opts, concurrency),
	  "100", 1, 100000, "transfers in flight" },
	BRC_PARAMS(struct uvp_opts, common),
	{ NULL },
};

struct uvp;

/* One socket curl told us about; uvp.socks[fd] while the fd is open. */
struct uvp_sock {
	uv_poll_t poll;         /* first: the uv_close callback frees it */
	struct uvp *u;
	curl_socket_t fd;
	int events;             /* UV_READABLE/UV_WRITABLE being polled */
	bool conn;              /* opened by us: we see it closed       */
	bool wanted;            /* curl watches it                      */
};

/* One transfer slot; xfer.easy is its reused handle, xfer.user the slot. */
struct uvp_slot {
	struct brc_xfer xfer;
	uv_timer_t retry;       /* retry.data = the slot               */
	struct uvp *u;
	bool busy;
};

struct uvp {
	const struct br_host *host;
	const struct uvp_opts *opts;
	struct br_run *run;
	uv_loop_t loop;
	uv_timer_t timer;       /* curl's timer                         */
	CURLM *multi;
	struct uvp_sock **socks;
	size_t nfds;
	struct uvp_slot *slots;
	size_t nslots;
	struct epc_shares shares; /* connection caches of slot groups */
	size_t n, next, busy;
	bool failed;
};

/* ---- sockets ---------------------------------------------------------- */

static void uvp_sock_free_cb(uv_handle_t *h)
{
	free(h); /* the poll handle is the first member */
}

/* Stop watching fd and forget it; its memory goes when libuv is done. */
static void uvp_sock_close(struct uvp *u, struct uvp_sock *s)
{
	u->socks[s->fd] = NULL;
	uv_close((uv_handle_t *)&s->poll, uvp_sock_free_cb);
}

static void uvp_drain(struct uvp *u);

/* libuv: fd is ready; tell curl, unless curl lost interest in it. */
static void uvp_poll_cb(uv_poll_t *poll, int status, int events)
{
	struct uvp_sock *s = (struct uvp_sock *)poll;
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
	curl_multi_socket_action(s->u->multi, s->fd, flags, &running);
	uvp_drain(s->u);
}

static struct uvp_sock *uvp_sock_new(struct uvp *u, curl_socket_t fd,
                                     bool conn)
{
	struct uvp_sock *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (uv_poll_init_socket(&u->loop, &s->poll, fd) < 0) {
		free(s);
		return NULL;
	}
	s->u = u;
	s->fd = fd;
	s->conn = conn;
	u->socks[fd] = s;
	return s;
}

/* CURLMOPT_SOCKETFUNCTION: curl changes its interest in a socket. */
static int uvp_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
                         void *socketp)
{
	struct uvp *u = userp;
	struct uvp_sock *s;
	int events = 0, rc = 0;

	if (fd < 0 || (size_t)fd >= u->nfds)
		goto fail;
	s = u->socks[fd];
	if (what == CURL_POLL_REMOVE) {
		if (s && !s->conn)
			uvp_sock_close(u, s);
		else if (s)
			s->wanted = false;
		return 0;
	}
	if (!s && !(s = uvp_sock_new(u, fd, false)))
		goto fail;
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	s->wanted = true;
	if (events != s->events)
		rc = uv_poll_start(&s->poll, events, uvp_poll_cb);
	if (rc < 0)
		goto fail;
	s->events = events;
	return 0;
fail:
	u->host->log(u->run, BR_LOG_ERROR, "libuv: cannot poll socket %d",
	             (int)fd);
	u->failed = true;
	uv_stop(&u->loop);
	return -1;
}

/* CURLOPT_OPENSOCKETFUNCTION: a connection socket we will see closed. */
static curl_socket_t uvp_open_cb(void *clientp, curlsocktype purpose,
                                 struct curl_sockaddr *a)
{
	struct uvp *u = clientp;
	int fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);

	if (fd < 0)
		return CURL_SOCKET_BAD;
	if ((size_t)fd >= u->nfds || !uvp_sock_new(u, fd, true)) {
		close(fd);
		return CURL_SOCKET_BAD;
	}
	return fd;
}

/* CURLOPT_CLOSESOCKETFUNCTION: the connection is gone, and its handle. */
static int uvp_close_cb(void *clientp, curl_socket_t fd)
{
	struct uvp *u = clientp;

	if (fd >= 0 && (size_t)fd < u->nfds && u->socks[fd])
		uvp_sock_close(u, u->socks[fd]);
	return close(fd);
}

/* ---- curl's timer ---------------------------------------------------- */

static void uvp_timeout_cb(uv_timer_t *t)
{
	struct uvp *u = t->data;
	int running;

	curl_multi_socket_action(u->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	uvp_drain(u);
}

/* CURLMOPT_TIMERFUNCTION: curl wants socket_action(TIMEOUT) in `ms`. */
static int uvp_timer_cb(CURLM *multi, long ms, void *userp)
{
	struct uvp *u = userp;

	if (ms < 0)
		uv_timer_stop(&u->timer);
	else
		uv_timer_start(&u->timer, uvp_timeout_cb, (uint64_t)ms, 0);
	return 0;
}

/* ---- transfers -------------------------------------------------------- */

static void uvp_start(struct uvp *u, struct uvp_slot *s, size_t i,
                      unsigned attempt)
{
	brc_xfer_start(&s->xfer, u->run, i, attempt);
	if (curl_multi_add_handle(u->multi, s->xfer.easy) == CURLM_OK)
		return;
	u->host->done(u->run, i, 0, "curl_multi_add_handle failed");
	s->busy = false;
	u->busy--;
}

static void uvp_next(struct uvp *u, struct uvp_slot *s)
{
	if (u->next >= u->n)
		return;
	s->busy = true;
	u->busy++;
	uvp_start(u, s, u->next++, 0);
}

static void uvp_retry_cb(uv_timer_t *t)
{
	struct uvp_slot *s = t->data;

	uvp_start(s->u, s, s->xfer.i, s->xfer.attempt + 1);
}

/* Slot s's attempt ended: retry after a backoff, or report and move on. */
static void uvp_finish(struct uvp *u, struct uvp_slot *s, CURLcode rc)
{
	curl_multi_remove_handle(u->multi, s->xfer.easy);
	if (brc_xfer_retry(&s->xfer, rc)) {
		double d = brc_backoff(&u->opts->common, s->xfer.attempt + 1);

		uv_timer_start(&s->retry, uvp_retry_cb, (uint64_t)(d * 1e3), 0);
		return;
	}
	brc_finish(&s->xfer, rc);
	s->busy = false;
	u->busy--;
	uvp_next(u, s);
}

/* Drain curl's completion queue; called after every socket_action. */
static void uvp_drain(struct uvp *u)
{
	struct brc_xfer *x;
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(u->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		uvp_finish(u, x->user, m->data.result);
	}
	if (u->busy == 0)
		uv_stop(&u->loop); /* idle connections keep the loop alive */
}

/* The loop failed: report every unfinished request, lose none. */
static void uvp_fail_rest(struct uvp *u, const char *why)
{
	for (size_t k = 0; k < u->nslots; k++) {
		struct uvp_slot *s = &u->slots[k];

		if (!s->busy)
			continue;
		uv_timer_stop(&s->retry);
		curl_multi_remove_handle(u->multi, s->xfer.easy);
		u->host->done(u->run, s->xfer.i, 0, why);
		s->busy = false;
	}
	while (u->next < u->n) {
		u->host->start(u->run, u->next);
		u->host->done(u->run, u->next++, 0, why);
	}
	u->busy = 0;
}

/* ---- set-up ----------------------------------------------------------- */

static void uvp_free(struct uvp *u)
{
	for (size_t k = 0; u->slots && k < u->nslots; k++) {
		if (u->slots[k].xfer.easy) {
			epc_shares_detach(u->slots[k].xfer.easy);
			curl_easy_cleanup(u->slots[k].xfer.easy);
		}
		if (u->slots[k].u)
			uv_close((uv_handle_t *)&u->slots[k].retry, NULL);
	}
	epc_shares_free(&u->shares); /* may close sockets: loop still up */
	if (u->timer.data) {
		uv_close((uv_handle_t *)&u->timer, NULL);
		uv_run(&u->loop, UV_RUN_DEFAULT); /* finish the closes */
		uv_loop_close(&u->loop);
	}
	free(u->slots);
	free(u->socks);
	free(u);
	brc_global_cleanup();
}

static int uvp_slots_open(struct uvp *u)
{
	u->slots = calloc(u->nslots, sizeof(*u->slots));
	if (!u->slots || epc_shares_init(&u->shares, u->host, u->nslots))
		return -1;
	for (size_t k = 0; k < u->nslots; k++) {
		struct uvp_slot *s = &u->slots[k];
		CURL *easy = curl_easy_init();

		if (!easy)
			return -1;
		if (brc_easy_setup(&s->xfer, easy, u->host, &u->opts->common)) {
			curl_easy_cleanup(easy);
			return -1;
		}
		s->xfer.user = s;
		curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, uvp_open_cb);
		curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, u);
		curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, uvp_close_cb);
		curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, u);
		uv_timer_init(&u->loop, &s->retry);
		s->retry.data = s;
		s->u = u;
		if (epc_shares_attach(&u->shares, easy, k))
			return -1;
	}
	return 0;
}

/* Close every slot's connections: the next run starts cold. */
static void uvp_shares_renew(struct uvp *u)
{
	for (size_t k = 0; k < u->nslots; k++)
		epc_shares_detach(u->slots[k].xfer.easy);
	epc_shares_close(&u->shares);
	for (size_t k = 0; k < u->nslots; k++)
		epc_shares_attach(&u->shares, u->slots[k].xfer.easy, k);
}

/* ---- hook adapters ---------------------------------------------------- */

static int libuv_create(const struct br_host *host, const void *opts,
                        void **state)
{
	const struct uvp_opts *o = opts;
	struct uvp *u;

	if (brc_opts_check(host, &o->common) || brc_global_init(host))
		return -1;
	u = calloc(1, sizeof(*u));
	if (!u) {
		brc_global_cleanup();
		return -1;
	}
	u->host = host;
	u->opts = o;
	u->nslots = (size_t)o->concurrency;
	if (epc_check_nofile(host, "libuv", u->nslots, &u->nfds))
		goto fail;
	u->socks = calloc(u->nfds, sizeof(*u->socks));
	if (!u->socks || uv_loop_init(&u->loop) < 0)
		goto fail_setup;
	uv_timer_init(&u->loop, &u->timer);
	u->timer.data = u;
	if (uvp_slots_open(u))
		goto fail_setup;
	*state = u;
	return 0;
fail_setup:
	host->log(NULL, BR_LOG_ERROR, "libuv: cannot set up %zu slots",
	          u->nslots);
fail:
	uvp_free(u);
	return -1;
}

static int libuv_run(void *state, struct br_run *run)
{
	struct uvp *u = state;
	int rc = 0;

	u->run = run;
	u->n = u->host->count(run);
	u->next = u->busy = 0;
	u->failed = false;
	u->multi = curl_multi_init();
	if (!u->multi)
		return -1;
	curl_multi_setopt(u->multi, CURLMOPT_SOCKETFUNCTION, uvp_socket_cb);
	curl_multi_setopt(u->multi, CURLMOPT_SOCKETDATA, u);
	curl_multi_setopt(u->multi, CURLMOPT_TIMERFUNCTION, uvp_timer_cb);
	curl_multi_setopt(u->multi, CURLMOPT_TIMERDATA, u);
	curl_multi_setopt(u->multi, CURLMOPT_MAXCONNECTS, (long)u->nslots);
	for (size_t k = 0; !u->failed; ) {
		/* Ramp up EPC_RAMP slots per loop turn (see epcurl.h). */
		for (size_t j = 0; j < EPC_RAMP && k < u->nslots &&
		     u->next < u->n; j++)
			uvp_next(u, &u->slots[k++]);
		if (u->busy == 0)
			break;
		/* uvp_drain stops the loop when the last request is done */
		uv_run(&u->loop, k < u->nslots && u->next < u->n ?
		       UV_RUN_ONCE : UV_RUN_DEFAULT);
	}
	if (u->failed || u->next < u->n) {
		uvp_fail_rest(u, "libuv failed (see log)");
		rc = -1;
	}
	uv_timer_stop(&u->timer);
	curl_multi_cleanup(u->multi);
	u->multi = NULL;
	uvp_shares_renew(u); /* closes the connections: uvp_close_cb */
	uv_run(&u->loop, UV_RUN_NOWAIT); /* free the closed poll handles */
	return rc;
}

static void libuv_destroy(void *state)
{
	uvp_free(state);
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "libuv",
	.description = "libcurl multi socket API on libuv's event loop "
	               "(uvloop analogue)",
	.params = uvp_params,
	.opts_size = sizeof(struct uvp_opts),
	.create = libuv_create,
	.run = libuv_run,
	.destroy = libuv_destroy,
};
