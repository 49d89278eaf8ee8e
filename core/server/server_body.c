/*
 * server_body.c - what the embedded server sends for a ticket request: the
 * day's body from a cache of rendered, immutable buffers (each with one
 * persistent MHD response shared by every request), or a streamed response
 * when a fault or a rate limit applies.
 *
 * Faults, as a client sees them:
 *   error    - faults.error_status with a short JSON body;
 *   reset    - the headers and half of the body, then a TCP reset (the
 *              socket is disconnected with SO_LINGER 0): libcurl reports
 *              "Recv failure: Connection reset by peer" (CURLE_RECV_ERROR);
 *   truncate - Content-Length of the full body, half of it, then an
 *              orderly close: libcurl reports "transfer closed with N bytes
 *              remaining to read" (CURLE_PARTIAL_FILE).
 * server.rate (bytes/s per connection) releases the body as time passes:
 * the content reader suspends the connection until the next slice is due.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "server/server_int.h"
#include "workload/tickets.h"
#include "util.h"

/* Bodies kept rendered, at most; beyond, render per request. */
#define BR_BODY_CACHE_LIMIT (256LL << 20)
/* Rate limit granularity: wake up at most ~100 times a second. */
#define BR_RATE_SLICES_PER_S 100.0

static const char json_type[] = "application/json";

struct MHD_Response *brc_srv_const_response(const char *json)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(strlen(json), (void *)json,
	                                    MHD_RESPMEM_PERSISTENT);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		                        json_type);
	return r;
}

int brc_srv_bodies_init(struct brc_srv *s)
{
	size_t n = (size_t)(s->w->days > 0 ? s->w->days : 1);

	/* calloc'd pages stay untouched (and out of RSS) until used. */
	s->bodies = brc_xcalloc(n, sizeof(*s->bodies));
	s->attempts = brc_xcalloc(n, sizeof(*s->attempts));
	s->cache_limit = BR_BODY_CACHE_LIMIT;
	s->resp_404 = brc_srv_const_response("{\"error\":\"not found\"}\n");
	s->resp_405 = brc_srv_const_response(
		"{\"error\":\"method not allowed\"}\n");
	s->resp_error = brc_srv_const_response(
		"{\"error\":\"injected fault\"}\n");
	s->resp_reset = brc_srv_const_response("{\"reset\":true}\n");
	if (!s->resp_404 || !s->resp_405 || !s->resp_error || !s->resp_reset) {
		brc_error("cannot create the server's responses");
		return -1;
	}
	return 0;
}

static void body_free(struct brc_body *b)
{
	if (!b)
		return;
	if (b->resp)
		MHD_destroy_response(b->resp);
	free(b->data);
	free(b);
}

void brc_srv_bodies_free(struct brc_srv *s)
{
	if (s->bodies)
		for (int64_t i = 0; i < s->w->days; i++)
			body_free(atomic_load(&s->bodies[i]));
	free(s->bodies);
	free(s->attempts);
	s->bodies = NULL;
	s->attempts = NULL;
	if (s->resp_404)
		MHD_destroy_response(s->resp_404);
	if (s->resp_405)
		MHD_destroy_response(s->resp_405);
	if (s->resp_error)
		MHD_destroy_response(s->resp_error);
	if (s->resp_reset)
		MHD_destroy_response(s->resp_reset);
}

static struct brc_body *render(const struct brc_srv *s, int64_t day)
{
	struct brc_buf buf = { 0 };
	struct brc_body *b = brc_xcalloc(1, sizeof(*b));

	brc_ticket_render(s->w, day, &buf);
	b->data = buf.data;
	b->len = buf.len;
	return b;
}

/*
 * The cached body of `day`, rendering it on first use.  Two threads may
 * render the same day at once; the loser frees its copy.  Returns NULL when
 * the cache is full: the caller renders its own copy.
 */
static struct brc_body *cached_body(struct brc_srv *s, int64_t day)
{
	struct brc_body *b = atomic_load_explicit(&s->bodies[day],
	                                         memory_order_acquire);
	struct brc_body *expect = NULL;

	if (b)
		return b;
	if (atomic_load(&s->cache_bytes) >= s->cache_limit)
		return NULL;
	b = render(s, day);
	b->resp = MHD_create_response_from_buffer(b->len, b->data,
	                                          MHD_RESPMEM_PERSISTENT);
	if (!b->resp) {
		body_free(b);
		return NULL;
	}
	MHD_add_response_header(b->resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        json_type);
	if (!atomic_compare_exchange_strong(&s->bodies[day], &expect, b)) {
		body_free(b);
		return expect;
	}
	atomic_fetch_add(&s->cache_bytes, (int64_t)b->len);
	return b;
}

int brc_srv_body(struct brc_srv *s, int64_t day, const char **data,
                 size_t *len)
{
	struct brc_body *b = cached_body(s, day);

	if (!b)
		return -1;
	*data = b->data;
	*len = b->len;
	return 0;
}

/* A streamed response's state (content reader closure). */
struct brc_stream {
	struct brc_srv *srv;
	struct MHD_Connection *conn;
	const char *data;
	size_t len, cut;      /* bytes to send before the fault (len: all) */
	enum brc_fault fault;
	double rate;          /* bytes/s, 0 = unlimited                    */
	uint64_t start;       /* first call of the reader, ns              */
	struct brc_body *own;  /* uncached body, freed with the stream     */
};

/* Abort the TCP connection with a reset (not a FIN): SO_LINGER 0, then
 * dissolve the association so MHD's later close sends nothing more. */
static void reset_socket(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr sa = { .sa_family = AF_UNSPEC };

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return;
	setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	/* connect(AF_UNSPEC) on a TCP socket sends RST at once on Linux. */
	connect(ci->connect_fd, &sa, sizeof(sa));
}

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct brc_stream *st = cls;
	size_t n;

	if (pos >= st->cut) {
		if (st->fault == BR_FAULT_RESET)
			reset_socket(st->conn);
		return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	n = st->cut - (size_t)pos;
	if (n > max)
		n = max;
	if (st->rate > 0) {
		uint64_t now = brc_now_ns();
		double allowed, slice;

		if (!st->start)
			st->start = now;
		allowed = (double)(now - st->start) * 1e-9 * st->rate -
		          (double)pos;
		if (allowed < 1) {
			/* Sleep until a slice (or what is left) is allowed. */
			slice = st->rate / BR_RATE_SLICES_PER_S;
			if (slice < 1)
				slice = 1;
			if (slice > (double)n)
				slice = (double)n;
			uint64_t due = st->start +
			               (uint64_t)(((double)pos + slice) /
			                          st->rate * 1e9);
			if (!brc_srv_suspend_until(st->srv, st->conn, due))
				return 0;
			allowed = (double)n; /* stopping: no more pacing */
		}
		if ((double)n > allowed)
			n = (size_t)allowed;
	}
	memcpy(out, st->data + pos, n);
	atomic_fetch_add(&st->srv->bytes, n);
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct brc_stream *st = cls;

	body_free(st->own);
	free(st);
}

static enum MHD_Result queue_stream(struct brc_srv *s, struct brc_req *r,
                                    struct brc_body *b, struct brc_body *own)
{
	struct brc_stream *st = brc_xcalloc(1, sizeof(*st));
	struct MHD_Response *resp;
	enum MHD_Result ret;

	st->srv = s;
	st->conn = r->conn;
	st->data = b->data;
	st->len = b->len;
	st->cut = b->len;
	st->fault = r->fault;
	st->rate = s->sc->server.rate;
	st->own = own;
	if (r->fault == BR_FAULT_RESET || r->fault == BR_FAULT_TRUNCATE)
		st->cut = b->len / 2;
	resp = MHD_create_response_from_callback(b->len, 16384, stream_read,
	                                         st, stream_free);
	if (!resp) {
		stream_free(st);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        json_type);
	ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result brc_srv_answer(struct brc_srv *s, struct brc_req *r)
{
	const struct brc_faults *f = &s->sc->server.faults;
	struct brc_body *b, *own = NULL;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	atomic_fetch_add(&s->requests, 1);
	if (r->fault == BR_FAULT_ERROR) {
		atomic_fetch_add(&s->errors, 1);
		return MHD_queue_response(r->conn,
		                          (unsigned)(f->error_status ?
		                                     f->error_status : 503),
		                          s->resp_error);
	}
	if (r->fault == BR_FAULT_RESET)
		atomic_fetch_add(&s->resets, 1);
	else if (r->fault == BR_FAULT_TRUNCATE)
		atomic_fetch_add(&s->truncated, 1);
	b = cached_body(s, r->day);
	if (!b)
		b = own = render(s, r->day);
	if (r->fault != BR_FAULT_NONE || s->sc->server.rate > 0)
		return queue_stream(s, r, b, own);
	atomic_fetch_add(&s->bytes, b->len);
	if (!own)
		return MHD_queue_response(r->conn, MHD_HTTP_OK, b->resp);
	/* Not cached: MHD frees the buffer with the response. */
	resp = MHD_create_response_from_buffer(own->len, own->data,
	                                       MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		body_free(own);
		return MHD_NO;
	}
	own->data = NULL;
	body_free(own);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, json_type);
	ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}
