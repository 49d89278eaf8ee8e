/*
 * multiplex_conn.c - the multiplex plugin's connections (multiplex.h):
 * opening one (TCP, an nghttp2 client session with a large window),
 * writing what its session has to send, reading what the server sent,
 * dropping it; and the session's callbacks, which turn stream events
 * into the host's body and done calls.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "multiplex.h"

/* ---- requests ------------------------------------------------------- */

/* Request i is over: report it, or schedule its retry. */
void mx_finish(struct mx_state *s, size_t i, const char *error)
{
	struct mx_req *r = &s->req[i];
	bool retryable = error || r->status >= 500;

	r->conn = -1;
	s->in_flight--;
	if (retryable && !r->over_limit && r->attempt < (unsigned)s->o.retries) {
		double wait = s->o.retry_backoff * (double)(1u << r->attempt);

		r->retry_at = mx_now_ns() + (uint64_t)(wait * 1e9) + 1;
		s->retrying++;
		return;
	}
	s->host->done(s->run, i, error ? 0 : r->status, error);
	s->done++;
}

static int on_header(nghttp2_session *ss, const nghttp2_frame *f,
                     const uint8_t *name, size_t namelen,
                     const uint8_t *value, size_t valuelen, uint8_t flags,
                     void *user)
{
	struct mx_state *s = user;
	struct mx_req *r = nghttp2_session_get_stream_user_data(ss,
	                                                        f->hd.stream_id);

	(void)flags;
	if (r && namelen == 7 && !memcmp(name, ":status", 7) && valuelen == 3)
		r->status = atoi((const char *)value);
	(void)s;
	return 0;
}

static int on_data(nghttp2_session *ss, uint8_t flags, int32_t id,
                   const uint8_t *data, size_t len, void *user)
{
	struct mx_state *s = user;
	struct mx_req *r = nghttp2_session_get_stream_user_data(ss, id);

	(void)flags;
	if (!r || r->over_limit)
		return 0;
	if (s->host->body(s->run, (size_t)(r - s->req), data, len)) {
		/* Over the workload's size limit: stop this stream. */
		r->over_limit = true;
		nghttp2_submit_rst_stream(ss, NGHTTP2_FLAG_NONE, id,
		                          NGHTTP2_CANCEL);
	}
	return 0;
}

static int on_close(nghttp2_session *ss, int32_t id, uint32_t code,
                    void *user)
{
	struct mx_state *s = user;
	struct mx_req *r = nghttp2_session_get_stream_user_data(ss, id);

	if (!r || r->conn < 0)
		return 0;
	s->conns[r->conn].open--;
	mx_finish(s, (size_t)(r - s->req),
	       r->timed_out  ? "timeout"
	       : r->over_limit ? "body over the size limit"
	       : code != NGHTTP2_NO_ERROR ? nghttp2_http2_strerror(code)
	                                  : NULL);
	return 0;
}

/* ---- connections ---------------------------------------------------- */

void mx_conn_drop(struct mx_state *s, int k, const char *why)
{
	struct mx_conn *c = &s->conns[k];

	if (c->fd < 0)
		return;
	epoll_ctl(s->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	nghttp2_session_del(c->ss);
	c->ss = NULL;
	c->pend_len = c->pend_off = 0;
	c->open = 0;
	/* Its streams were lost with it. */
	for (size_t i = 0; i < s->count; i++)
		if (s->req[i].conn == k)
			mx_finish(s, i, why);
}

int mx_conn_open(struct mx_state *s, int k)
{
	static nghttp2_settings_entry iv[] = {
		{ NGHTTP2_SETTINGS_ENABLE_PUSH, 0 },
		{ NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 24 },
	};
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	struct mx_conn *c = &s->conns[k];
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)k };
	nghttp2_session_callbacks *cb;
	int one = 1;

	if (getaddrinfo(s->host_name, s->port, &hints, &ai))
		return -1;
	c->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, ai->ai_addr, ai->ai_addrlen)) {
		freeaddrinfo(ai);
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
		return -1;
	}
	freeaddrinfo(ai);
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	nghttp2_session_callbacks_new(&cb);
	nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_close);
	nghttp2_session_client_new(&c->ss, cb, s);
	nghttp2_session_callbacks_del(cb);
	nghttp2_submit_settings(c->ss, NGHTTP2_FLAG_NONE, iv, 2);
	nghttp2_session_set_local_window_size(c->ss, NGHTTP2_FLAG_NONE, 0,
	                                      1 << 30);
	epoll_ctl(s->ep, EPOLL_CTL_ADD, c->fd, &ev);
	return 0;
}

/* Everything the session has to send, in one write where it fits. */
int mx_conn_flush(struct mx_state *s, int k)
{
	struct mx_conn *c = &s->conns[k];
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)k };
	const uint8_t *data;
	ssize_t n, w;

	for (;;) {
		if (c->pend_off == c->pend_len) {
			c->pend_len = c->pend_off = 0;
			while ((n = nghttp2_session_mem_send(c->ss, &data)) > 0) {
				uint8_t *p = realloc(c->pend, c->pend_len + (size_t)n);

				if (!p)
					return -1;
				c->pend = p;
				memcpy(c->pend + c->pend_len, data, (size_t)n);
				c->pend_len += (size_t)n;
			}
			if (n < 0)
				return -1;
			if (!c->pend_len)
				break;
		}
		w = send(c->fd, c->pend + c->pend_off, c->pend_len - c->pend_off,
		         MSG_NOSIGNAL | MSG_DONTWAIT);
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
	epoll_ctl(s->ep, EPOLL_CTL_MOD, c->fd, &ev);
	return 0;
}

void mx_conn_read(struct mx_state *s, int k)
{
	struct mx_conn *c = &s->conns[k];
	uint8_t buf[65536];
	ssize_t n;

	for (;;) {
		n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0 || nghttp2_session_mem_recv(c->ss, buf, (size_t)n) < 0) {
			mx_conn_drop(s, k, n == 0 ? "connection closed by the server"
			                       : "connection error");
			return;
		}
	}
	if (mx_conn_flush(s, k))
		mx_conn_drop(s, k, "connection error");
}
