/*
 * server_h2_int.h - what the HTTP/2 front end's two files share:
 * server_h2.c (streams: nghttp2's callbacks, the model, the answers) and
 * server_h2_loop.c (the thread: accepting, telling HTTP/2 from HTTP/1.1,
 * socket I/O, the delay timers).  Everything here runs on that one thread.
 */
#ifndef BR_SERVER_H2_INT_H
#define BR_SERVER_H2_INT_H

#include <nghttp2/nghttp2.h>
#include <pthread.h>
#include <sys/socket.h>

#include "server/model.h"
#include "server/server_int.h"
#include "util.h"

struct h2_conn;
struct brc_h2;

struct h2_stream {
	struct h2_conn *c;          /* NULL once the connection is gone   */
	int32_t id;
	int64_t day;                /* -1: not a ticket                   */
	char path[512];
	uint32_t attempt;
	enum brc_fault fault;
	int status;
	size_t head, path_len;      /* request header bytes; :path's      */
	const char *data;
	size_t len, off, cut;       /* cut: bytes sent before the fault   */
	struct brc_buf own;         /* an uncached body                   */
	bool in_heap, counted;      /* waiting for its delay; in c->open  */
	bool admitted, queued;      /* max_in_flight: holds a slot; waits */
	struct h2_stream *wnext;    /* the admission FIFO                  */
	struct h2_stream *next;     /* the connection's streams           */
};

struct h2_conn {
	struct brc_h2 *h;
	int fd;
	bool h2;                    /* false: still sniffing              */
	nghttp2_session *ss;
	struct sockaddr_storage addr;
	socklen_t alen;
	int64_t open;               /* streams open now                   */
	uint8_t *pend;              /* bytes the socket had no room for   */
	size_t pend_len, pend_off;
	struct h2_stream *streams;
	struct h2_conn *next;
};

struct timer {
	uint64_t due;
	struct h2_stream *st;
};

struct brc_h2 {
	struct brc_srv *s;
	int ep, lfd, wake;
	pthread_t th;
	struct h2_conn *conns;
	struct h2_stream *wait_head, *wait_tail; /* admission FIFO          */
	struct timer *heap;
	size_t n_heap, cap_heap;
};

/* server_h2.c */
/* c speaks HTTP/2 from now on: its nghttp2 server session, our settings. */
int brc_h2_conn_start(struct brc_h2 *h, struct h2_conn *c);
/* Answer a stream whose delay is over (its connection still open). */
void brc_h2_answer(struct brc_h2 *h, struct h2_stream *st);
void brc_h2_stream_free(struct h2_stream *st);

/* A stream leaves: give back its slot, admit the next waiter. */
void brc_h2_release(struct brc_h2 *h, struct h2_stream *st);

/* server_h2_loop.c */
/* Wait `delay` seconds before answering st. */
void brc_h2_after(struct brc_h2 *h, double delay, struct h2_stream *st);

#endif /* BR_SERVER_H2_INT_H */
