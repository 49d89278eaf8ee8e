/*
 * server_h2.c - HTTP/2 over cleartext (h2c, prior knowledge) beside
 * HTTP/1.1 on the embedded server's one port, when the scenario asks for
 * it (server.http2).  One thread owns the listening socket: it accepts,
 * looks at a connection's first bytes without taking them (MSG_PEEK), and
 * hands an HTTP/1.1 connection to libmicrohttpd (MHD_add_connection) or
 * keeps an HTTP/2 one (the client preface "PRI * HTTP/2.0...") and serves
 * it with libnghttp2's server session on its own epoll loop.
 *
 * Every ticket stream gets the same model as an HTTP/1.1 request: the
 * day's delay and fault for its attempt, the cached body, the counters of
 * /_benchrun/stats -- plus how many streams were open at once on one
 * connection (h2_max_streams), which is what proves multiplexing.  Faults
 * become stream-level: error answers faults.error_status, reset sends half
 * the body then RST_STREAM, truncate half the body under the full
 * content-length.  server.max_in_flight counts HTTP/2 streams in the same
 * in-flight total as HTTP/1.1 requests, with a queue of its own: a slot
 * freed by a stream goes to the next waiting stream (docs/scenario.md).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_h2_int.h"
#include "workload/tickets.h"
#include "util.h"

void brc_h2_stream_free(struct h2_stream *st)
{
	brc_buf_free(&st->own);
	free(st);
}

/* ---- answering a stream --------------------------------------------- */

static ssize_t read_body(nghttp2_session *ss, int32_t id, uint8_t *buf,
                         size_t max, uint32_t *flags, nghttp2_data_source *src,
                         void *user)
{
	struct h2_stream *st = src->ptr;
	size_t end = st->cut, n = end - st->off < max ? end - st->off : max;

	(void)ss;
	(void)user;
	memcpy(buf, st->data + st->off, n);
	st->off += n;
	if (st->off < end)
		return (ssize_t)n;
	if (st->fault == BR_FAULT_RESET) {
		/* Half the body, then the stream is torn down. */
		nghttp2_submit_rst_stream(ss, NGHTTP2_FLAG_NONE, id,
		                          NGHTTP2_INTERNAL_ERROR);
		*flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
	}
	*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

void brc_h2_answer(struct brc_h2 *h, struct h2_stream *st)
{
	struct brc_srv *s = h->s;
	static const char not_found[] = "{\"error\":\"not found\"}\n";
	static const char fault[] = "{\"error\":\"injected fault\"}\n";
	char status[8], length[24];
	nghttp2_data_provider prd = { .source.ptr = st,
	                              .read_callback = read_body };

	if (st->status == 414 || st->status == 431) {
		/* Larger than server.conn_memory (request()): the answer an
		 * HTTP/1.1 client gets for the same request (server_guard.c). */
		st->data = "";
		st->len = 0;
	} else if (st->day < 0) {
		st->status = 404;
		st->data = not_found;
		st->len = sizeof(not_found) - 1;
	} else if (st->fault == BR_FAULT_ERROR) {
		int code = s->sc->server.faults.error_status;

		st->status = code ? code : 503;
		st->data = fault;
		st->len = sizeof(fault) - 1;
		atomic_fetch_add(&s->errors, 1);
	} else {
		st->status = 200;
		if (brc_srv_body(s, st->day, &st->data, &st->len)) {
			brc_ticket_render(s->w, st->day, &st->own);
			st->data = st->own.data;
			st->len = st->own.len;
		}
		if (st->fault == BR_FAULT_RESET)
			atomic_fetch_add(&s->resets, 1);
		if (st->fault == BR_FAULT_TRUNCATE)
			atomic_fetch_add(&s->truncated, 1);
	}
	st->cut = st->fault == BR_FAULT_RESET || st->fault == BR_FAULT_TRUNCATE
	                  ? st->len / 2
	                  : st->len;
	atomic_fetch_add(&s->bytes, st->cut);
	snprintf(status, sizeof(status), "%d", st->status);
	snprintf(length, sizeof(length), "%zu", st->len);
	nghttp2_nv hdrs[] = {
		{ (uint8_t *)":status", (uint8_t *)status, 7, strlen(status),
		  NGHTTP2_NV_FLAG_NONE },
		{ (uint8_t *)"content-type", (uint8_t *)"application/json", 12,
		  16, NGHTTP2_NV_FLAG_NONE },
		{ (uint8_t *)"content-length", (uint8_t *)length, 14,
		  strlen(length), NGHTTP2_NV_FLAG_NONE },
	};
	nghttp2_submit_response(st->c->ss, st->id, hdrs, BR_ARRAY_SIZE(hdrs),
	                        &prd);
}

/* An admitted stream: the model's delay, then the answer. */
static void serve(struct brc_h2 *h, struct h2_stream *st)
{
	const struct brc_server *sv = &h->s->sc->server;
	double delay = st->day < 0 ? 0
	                           : brc_model_delay(&sv->latency, h->s->w->seed,
	                                             (uint64_t)st->day,
	                                             st->attempt);

	if (delay > 0)
		brc_h2_after(h, delay, st);
	else
		brc_h2_answer(h, st);
}

/* server.max_in_flight: take a slot, or wait in line for one (the delay
 * starts when the slot is taken, as for HTTP/1.1). */
static bool admit(struct brc_h2 *h, struct h2_stream *st)
{
	struct brc_srv *s = h->s;
	bool now;

	if (!s->max_in_flight || st->day < 0)
		return true;
	pthread_mutex_lock(&s->adm_lock);
	now = s->in_flight < s->max_in_flight;
	if (now) {
		s->in_flight++;
	} else {
		s->queued++;
		if (s->queued > s->queued_max)
			s->queued_max = s->queued;
	}
	pthread_mutex_unlock(&s->adm_lock);
	st->admitted = now;
	st->queued = !now;
	if (!now) {
		if (h->wait_tail)
			h->wait_tail->wnext = st;
		else
			h->wait_head = st;
		h->wait_tail = st;
	}
	return now;
}

void brc_h2_release(struct brc_h2 *h, struct h2_stream *st)
{
	struct brc_srv *s = h->s;
	struct h2_stream *next;

	if (!st->admitted)
		return;
	st->admitted = false;
	pthread_mutex_lock(&s->adm_lock);
	s->in_flight--;
	pthread_mutex_unlock(&s->adm_lock);
	/* The next waiter whose connection is still there takes the slot. */
	while ((next = h->wait_head)) {
		h->wait_head = next->wnext;
		if (!h->wait_head)
			h->wait_tail = NULL;
		next->queued = false;
		pthread_mutex_lock(&s->adm_lock);
		s->queued--;
		if (next->c)
			s->in_flight++;
		pthread_mutex_unlock(&s->adm_lock);
		if (!next->c) {
			brc_h2_stream_free(next);
			continue;
		}
		next->admitted = true;
		serve(h, next);
		break;
	}
}

/* A complete request: its model, a slot, then its delay and answer. */
static void request(struct brc_h2 *h, struct h2_stream *st)
{
	struct brc_srv *s = h->s;
	const struct brc_server *sv = &s->sc->server;

	atomic_fetch_add(&s->requests, 1);
	st->day = -1;
	if (st->head > brc_srv_conn_memory(s))
		st->status = st->path_len + 32 > brc_srv_conn_memory(s) / 2
		             ? 414 : 431;
	else
		st->day = brc_srv_match(s, st->path);
	if (st->day < 0) {
		if (!st->status)
			atomic_fetch_add(&s->not_found, 1);
	} else {
		st->attempt = atomic_fetch_add(&s->attempts[st->day], 1);
		st->fault = brc_model_fault(&sv->faults, s->w->seed,
		                            (uint64_t)st->day, st->attempt);
	}
	if (admit(h, st))
		serve(h, st);
}

/* ---- nghttp2's callbacks -------------------------------------------- */

static int on_begin_headers(nghttp2_session *ss, const nghttp2_frame *f,
                            void *user)
{
	struct h2_conn *c = user;
	struct h2_stream *st;

	if (f->hd.type != NGHTTP2_HEADERS ||
	    f->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	st = brc_xcalloc(1, sizeof(*st));
	st->c = c;
	st->id = f->hd.stream_id;
	st->day = -1;
	st->next = c->streams;
	c->streams = st;
	nghttp2_session_set_stream_user_data(ss, st->id, st);
	return 0;
}

static int on_header(nghttp2_session *ss, const nghttp2_frame *f,
                     const uint8_t *name, size_t namelen,
                     const uint8_t *value, size_t valuelen, uint8_t flags,
                     void *user)
{
	struct h2_stream *st;

	(void)flags;
	(void)user;
	if (f->hd.type != NGHTTP2_HEADERS)
		return 0;
	st = nghttp2_session_get_stream_user_data(ss, f->hd.stream_id);
	/* Counted as HTTP/1.1 counts them (server_guard.c), so that one
	 * request is too large on either protocol or on neither. */
	if (st)
		st->head += namelen + valuelen + 4;
	if (namelen != 5 || memcmp(name, ":path", 5))
		return 0;
	if (st)
		st->path_len = valuelen;
	/* A path longer than any ticket's is no ticket: it stays "". */
	if (st && valuelen < sizeof(st->path)) {
		memcpy(st->path, value, valuelen);
		st->path[valuelen] = '\0';
	}
	return 0;
}

static int on_frame_recv(nghttp2_session *ss, const nghttp2_frame *f,
                         void *user)
{
	struct h2_conn *c = user;
	struct h2_stream *st;

	if ((f->hd.type != NGHTTP2_HEADERS && f->hd.type != NGHTTP2_DATA) ||
	    !(f->hd.flags & NGHTTP2_FLAG_END_STREAM))
		return 0;
	st = nghttp2_session_get_stream_user_data(ss, f->hd.stream_id);
	if (!st)
		return 0;
	/* Streams open at once on this connection: the proof of
	 * multiplexing, in /_benchrun/stats. */
	st->counted = true;
	c->open++;
	atomic_fetch_add(&c->h->s->h2_streams, 1);
	for (int64_t m = atomic_load(&c->h->s->h2_max_streams); c->open > m &&
	     !atomic_compare_exchange_weak(&c->h->s->h2_max_streams, &m, c->open);)
		;
	request(c->h, st);
	return 0;
}

static int on_stream_close(nghttp2_session *ss, int32_t id, uint32_t code,
                           void *user)
{
	struct h2_conn *c = user;
	struct h2_stream *st = nghttp2_session_get_stream_user_data(ss, id), **p;

	(void)code;
	if (!st)
		return 0;
	for (p = &c->streams; *p && *p != st; p = &(*p)->next)
		;
	if (*p)
		*p = st->next;
	if (st->counted)
		c->open--;
	brc_h2_release(c->h, st);
	/* A stream waiting for its delay or a slot is freed there. */
	if (st->in_heap || st->queued)
		st->c = NULL;
	else
		brc_h2_stream_free(st);
	return 0;
}


int brc_h2_conn_start(struct brc_h2 *h, struct h2_conn *c)
{
	nghttp2_session_callbacks *cb;
	/* Many streams, and windows large enough that flow control never
	 * paces a run: the model's delays are the only waiting. */
	nghttp2_settings_entry iv[] = {
		{ NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100000 },
		{ NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 24 },
	};

	if (nghttp2_session_callbacks_new(&cb))
		return -1;
	nghttp2_session_callbacks_set_on_begin_headers_callback(cb,
	                                                        on_begin_headers);
	nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
	nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb,
	                                                       on_stream_close);
	if (nghttp2_session_server_new(&c->ss, cb, c)) {
		nghttp2_session_callbacks_del(cb);
		return -1;
	}
	nghttp2_session_callbacks_del(cb);
	c->h2 = true;
	atomic_fetch_add(&h->s->h2_conns, 1);
	nghttp2_submit_settings(c->ss, NGHTTP2_FLAG_NONE, iv, BR_ARRAY_SIZE(iv));
	nghttp2_session_set_local_window_size(c->ss, NGHTTP2_FLAG_NONE, 0,
	                                      1 << 30);
	return 0;
}

