/*
 * server_h2_loop.c - the thread in front of the embedded server when
 * server.http2 is on: it accepts every connection on the listening socket,
 * peeks at its first bytes, gives HTTP/1.1 connections to libmicrohttpd
 * and serves HTTP/2 ones (prior knowledge, h2c) itself, with the delay of
 * each stream kept in a timer heap.  One thread, one epoll set, no locks:
 * everything of a connection happens here (server_h2.c for its streams).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "server/server_h2.h"
#include "server/server_h2_int.h"

static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
#define PREFACE_LEN (sizeof(preface) - 1)
#define MAX_EVENTS 256

/* ---- timers --------------------------------------------------------- */

void brc_h2_after(struct brc_h2 *h, double delay, struct h2_stream *st)
{
	uint64_t due = brc_now_ns() + (uint64_t)(delay * 1e9);
	size_t i;

	if (h->n_heap == h->cap_heap) {
		h->cap_heap = h->cap_heap ? 2 * h->cap_heap : 256;
		h->heap = brc_xrealloc(h->heap, h->cap_heap * sizeof(*h->heap));
	}
	for (i = h->n_heap++; i && h->heap[(i - 1) / 2].due > due; i = (i - 1) / 2)
		h->heap[i] = h->heap[(i - 1) / 2];
	h->heap[i] = (struct timer){ due, st };
	st->in_heap = true;
}

static struct h2_stream *heap_pop(struct brc_h2 *h)
{
	struct h2_stream *top = h->heap[0].st;
	struct timer last = h->heap[--h->n_heap];
	size_t i = 0, k;

	while ((k = 2 * i + 1) < h->n_heap) {
		if (k + 1 < h->n_heap && h->heap[k + 1].due < h->heap[k].due)
			k++;
		if (last.due <= h->heap[k].due)
			break;
		h->heap[i] = h->heap[k];
		i = k;
	}
	if (h->n_heap)
		h->heap[i] = last;
	top->in_heap = false;
	return top;
}

/* ---- connections ---------------------------------------------------- */

static void unlink_conn(struct brc_h2 *h, struct h2_conn *c)
{
	struct h2_conn **p;

	for (p = &h->conns; *p && *p != c; p = &(*p)->next)
		;
	if (*p)
		*p = c->next;
	epoll_ctl(h->ep, EPOLL_CTL_DEL, c->fd, NULL);
	atomic_fetch_sub(&h->s->conns, 1);
}

static void conn_close(struct brc_h2 *h, struct h2_conn *c)
{
	unlink_conn(h, c);
	/* Streams waiting in the heap outlive the connection: the timer
	 * frees them; the rest go now. */
	for (struct h2_stream *st = c->streams, *next; st; st = next) {
		next = st->next;
		brc_h2_release(h, st);
		if (st->in_heap || st->queued)
			st->c = NULL;
		else
			brc_h2_stream_free(st);
	}
	if (c->ss)
		nghttp2_session_del(c->ss);
	close(c->fd);
	free(c->pend);
	free(c);
}

/* Send what is pending, then what the session has; what the socket has
 * no room for waits in c->pend for EPOLLOUT.  -1: c is done with. */
static int conn_flush(struct brc_h2 *h, struct h2_conn *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
	const uint8_t *data;
	ssize_t n, w;

	for (;;) {
		/* Gather every frame the session has into one send: a HEADERS
		 * frame and its DATA go out in one segment. */
		if (c->pend_off == c->pend_len) {
			c->pend_len = c->pend_off = 0;
			while ((n = nghttp2_session_mem_send(c->ss, &data)) > 0) {
				c->pend = brc_xrealloc(c->pend,
				                       c->pend_len + (size_t)n);
				memcpy(c->pend + c->pend_len, data, (size_t)n);
				c->pend_len += (size_t)n;
			}
			if (n < 0)
				return -1;
			if (!c->pend_len)
				break;
		}
		w = send(c->fd, c->pend + c->pend_off, c->pend_len - c->pend_off,
		         MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ev.events |= EPOLLOUT;
			break;
		}
		if (w <= 0)
			return -1;
		c->pend_off += (size_t)w;
	}
	epoll_ctl(h->ep, EPOLL_CTL_MOD, c->fd, &ev);
	return nghttp2_session_want_read(c->ss) ||
	               nghttp2_session_want_write(c->ss) ||
	               c->pend_off < c->pend_len
	               ? 0
	               : -1;
}

/* The first bytes decide: the HTTP/2 preface stays here, anything else
 * goes to libmicrohttpd.  Returns -1 when c is gone (closed or handed). */
static int conn_sniff(struct brc_h2 *h, struct h2_conn *c)
{
	char buf[PREFACE_LEN];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_PEEK);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		conn_close(h, c);
		return -1;
	}
	if (memcmp(buf, preface, (size_t)n)) {
		unlink_conn(h, c); /* MHD's accept policy counts it again */
		if (MHD_add_connection(h->s->daemon, c->fd,
		                       (struct sockaddr *)&c->addr, c->alen) !=
		    MHD_YES)
			brc_debug("server: libmicrohttpd refused a connection");
		free(c);
		return -1;
	}
	if ((size_t)n < PREFACE_LEN)
		return 0; /* so far so good: wait for the rest */
	if (brc_h2_conn_start(h, c)) {
		conn_close(h, c);
		return -1;
	}
	return 0;
}

static void conn_event(struct brc_h2 *h, struct h2_conn *c, uint32_t events)
{
	uint8_t buf[16384];
	ssize_t n;

	if (!c->h2 && (conn_sniff(h, c) || !c->h2))
		return;
	while (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0 || nghttp2_session_mem_recv(c->ss, buf, (size_t)n) < 0) {
			conn_close(h, c);
			return;
		}
	}
	if (conn_flush(h, c))
		conn_close(h, c);
}

static void accept_all(struct brc_h2 *h)
{
	for (;;) {
		struct h2_conn *c = brc_xcalloc(1, sizeof(*c));
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

		c->alen = sizeof(c->addr);
		c->fd = accept4(h->lfd, (struct sockaddr *)&c->addr, &c->alen,
		                SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (c->fd < 0) {
			free(c);
			return; /* EAGAIN, or out of descriptors: try later */
		}
		if (atomic_fetch_add(&h->s->conns, 1) >= h->s->max_conns) {
			atomic_fetch_sub(&h->s->conns, 1);
			atomic_fetch_add(&h->s->refused, 1);
			close(c->fd);
			free(c);
			continue;
		}
		/* Small frames go out at once: without this, Nagle holds a DATA
		 * frame behind its HEADERS until the client's delayed ACK. */
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
		           sizeof(int));
		c->h = h;
		c->next = h->conns;
		h->conns = c;
		epoll_ctl(h->ep, EPOLL_CTL_ADD, c->fd, &ev);
	}
}

/* Answer every stream whose delay is over; ms until the next, or -1. */
static int fire_timers(struct brc_h2 *h)
{
	uint64_t now = brc_now_ns();

	while (h->n_heap && h->heap[0].due <= now) {
		struct h2_stream *st = heap_pop(h);
		struct h2_conn *c = st->c;

		if (!c) { /* its connection or stream went away meanwhile */
			brc_h2_release(h, st);
			brc_h2_stream_free(st);
			continue;
		}
		brc_h2_answer(h, st);
		if (conn_flush(h, c))
			conn_close(h, c);
	}
	if (!h->n_heap)
		return -1;
	return (int)((h->heap[0].due - now + 999999) / 1000000);
}

static void *loop(void *arg)
{
	struct brc_h2 *h = arg;
	struct epoll_event ev[MAX_EVENTS];

	for (;;) {
		int n = epoll_wait(h->ep, ev, MAX_EVENTS, fire_timers(h));

		for (int i = 0; i < n; i++) {
			if (ev[i].data.ptr == &h->wake)
				return NULL;
			if (ev[i].data.ptr == &h->lfd)
				accept_all(h);
			else
				conn_event(h, ev[i].data.ptr, ev[i].events);
		}
	}
}

int brc_srv_h2_start(struct brc_srv *s, int lfd, struct brc_h2 **out)
{
	struct brc_h2 *h = brc_xcalloc(1, sizeof(*h));
	struct epoll_event le = { .events = EPOLLIN, .data.ptr = &h->lfd };
	struct epoll_event we = { .events = EPOLLIN, .data.ptr = &h->wake };

	h->s = s;
	h->lfd = lfd;
	h->ep = epoll_create1(EPOLL_CLOEXEC);
	h->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (h->ep < 0 || h->wake < 0 ||
	    epoll_ctl(h->ep, EPOLL_CTL_ADD, lfd, &le) ||
	    epoll_ctl(h->ep, EPOLL_CTL_ADD, h->wake, &we) ||
	    pthread_create(&h->th, NULL, loop, h))
		goto fail;
	*out = h;
	return 0;

fail:
	if (h->ep >= 0)
		close(h->ep);
	if (h->wake >= 0)
		close(h->wake);
	free(h);
	return -1;
}

void brc_srv_h2_stop(struct brc_h2 *h)
{
	uint64_t one = 1;

	if (!h)
		return;
	if (write(h->wake, &one, sizeof(one)) < 0)
		brc_debug("server: cannot wake the HTTP/2 thread");
	pthread_join(h->th, NULL);
	while (h->conns)
		conn_close(h, h->conns);
	while (h->n_heap)
		brc_h2_stream_free(heap_pop(h));
	while (h->wait_head) {
		struct h2_stream *st = h->wait_head;

		h->wait_head = st->wnext;
		brc_h2_stream_free(st);
	}
	free(h->heap);
	close(h->wake);
	close(h->ep);
	free(h);
}
