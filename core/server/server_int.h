/*
 * server_int.h - what the embedded server's files share: the daemon state,
 * the per-request state, the timer/admission machinery (server_delay.c) and
 * the body cache and streamed responses (server_body.c).  Not a contract:
 * only server.h is.
 *
 * Threads: MHD's polling threads run the access handler and the content
 * readers; one timer thread resumes suspended connections when they are
 * due; the main thread waits for SIGINT/SIGTERM.  Lock order: adm_lock may
 * be held while taking tm_lock, never the reverse; MHD_resume_connection is
 * never called with either held (MHD takes its own locks inside).
 */
#ifndef BR_SERVER_INT_H
#define BR_SERVER_INT_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "server/model.h"
#include "scenario/scenario.h"

/* Where a ticket request is in its life. */
enum brc_req_state {
	BR_REQ_QUEUED,  /* suspended in the admission FIFO                  */
	BR_REQ_DELAYED, /* admitted, suspended until its delay is over      */
	BR_REQ_READY,   /* answer on the next call of the access handler    */
};

/* Per-request state, MHD's *req_cls; freed at completion. */
struct brc_req {
	struct MHD_Connection *conn;
	enum brc_req_state state;
	int64_t day;
	uint32_t attempt;
	enum brc_fault fault;
	double delay;         /* seconds, from the model                */
	uint64_t due;         /* when delayed: CLOCK_MONOTONIC ns       */
	bool admitted;        /* holds an in-flight slot               */
	struct brc_req *next;  /* admission FIFO                        */
};

/* A rendered day: immutable once published, reused by every request. */
struct brc_body {
	char *data;
	size_t len;
	struct MHD_Response *resp; /* persistent, application/json      */
};

struct brc_timer_entry {
	uint64_t due;                 /* CLOCK_MONOTONIC ns             */
	struct MHD_Connection *conn;  /* suspended; resumed when due    */
};

struct brc_srv {
	const struct brc_scenario *sc;
	const struct brc_workload *w;
	struct MHD_Daemon *daemon;
	char *path;                /* URL path template, "{base}" removed */
	_Atomic bool stopping;

	/* Bodies, rendered lazily; beyond cache_limit bytes a body is
	 * rendered per request instead of kept. */
	_Atomic(struct brc_body *) *bodies;
	_Atomic int64_t cache_bytes;
	int64_t cache_limit;
	struct MHD_Response *resp_404, *resp_error, *resp_405, *resp_reset;
	_Atomic uint32_t *attempts; /* per day, since the last reset     */

	/* Admission (max_in_flight): slots and the FIFO of waiters. */
	pthread_mutex_t adm_lock;
	int64_t max_in_flight;      /* 0 = unlimited                   */
	int64_t in_flight, queued, queued_max;
	struct brc_req *fifo_head, *fifo_tail;

	/* Timer: a min-heap on due time, served by one thread. */
	pthread_mutex_t tm_lock;
	pthread_cond_t tm_cond;
	pthread_t tm_thread;
	bool locks_ready, tm_started, tm_stop;
	struct brc_timer_entry *heap;
	size_t heap_len, heap_cap;

	/* Connections: our own exact limit (the accept policy). */
	_Atomic int64_t conns;
	int64_t max_conns;

	/* How late delayed requests are answered: 50 us buckets up to 20 ms. */
#define BR_LATE_BUCKET_NS 50000ULL
#define BR_LATE_BUCKETS 401

/* Counters for /_benchrun/stats. */
	_Atomic uint64_t requests, not_found, errors, resets, truncated,
		refused, bytes;
	_Atomic uint64_t late[BR_LATE_BUCKETS], late_max;

	/* HTTP/2 (server.http2): connections, streams, and the most streams
	 * open at once on one connection -- multiplexing, measured. */
	_Atomic uint64_t h2_conns, h2_streams;
	_Atomic int64_t h2_max_streams;
};

/* server_delay.c */
int brc_srv_timer_start(struct brc_srv *s);
/* Resume everything still suspended, stop and join the timer thread. */
void brc_srv_timer_stop(struct brc_srv *s);
/* Free the timer's and the admission's locks, once MHD has stopped. */
void brc_srv_timer_free(struct brc_srv *s);
/* Suspend conn (from MHD's thread, inside a callback) and resume it at
 * `due`.  Returns -1 without suspending when the server is stopping. */
int brc_srv_suspend_until(struct brc_srv *s, struct MHD_Connection *conn,
                         uint64_t due);
/* Admit r or queue it (suspended).  Returns true when admitted now. */
bool brc_srv_admit(struct brc_srv *s, struct brc_req *r);
/* Give back r's slot and admit the next waiter, if any. */
void brc_srv_release(struct brc_srv *s, struct brc_req *r);
/* Current in-flight / queued / queued_max, read under the lock. */
void brc_srv_admission_stats(struct brc_srv *s, int64_t *in_flight,
                            int64_t *queued, int64_t *queued_max);
void brc_srv_admission_reset(struct brc_srv *s);
/* A delayed request reached the handler again at `now`. */
void brc_srv_note_late(struct brc_srv *s, const struct brc_req *r, uint64_t now);
/* Quantile q of the lateness, and its maximum, in ns; zeroing. */
uint64_t brc_srv_late_quantile(struct brc_srv *s, double q);
void brc_srv_late_reset(struct brc_srv *s);

/* server_body.c */
int brc_srv_bodies_init(struct brc_srv *s);
void brc_srv_bodies_free(struct brc_srv *s);
/* Queue the answer for ticket request r (fault, rate and cache applied).
 * Returns MHD's result. */
enum MHD_Result brc_srv_answer(struct brc_srv *s, struct brc_req *r);
/* The cached rendered body of day: 0 with *data and *len set (valid until
 * the server stops), or -1 when the cache is full (render your own). */
int brc_srv_body(struct brc_srv *s, int64_t day, const char **data,
                 size_t *len);
/* A persistent response for a small constant JSON text. */
struct MHD_Response *brc_srv_const_response(const char *json);

/* server_route.c */
enum MHD_Result brc_srv_handler(void *cls, struct MHD_Connection *conn,
                               const char *url, const char *method,
                               const char *version, const char *upload,
                               size_t *upload_size, void **req_cls);
void brc_srv_completed(void *cls, struct MHD_Connection *conn,
                      void **req_cls, enum MHD_RequestTerminationCode why);
/* The path template's day index, or -1 (unknown path). */
int64_t brc_srv_match(const struct brc_srv *s, const char *url);
/* Check the template once at start: 0, or -1 with a reason in *why. */
int brc_srv_path_check(const char *path, const char **why);

/* server_guard.c: requests refused before routing (%00, too large for
 * the connection's pool). */
#define BRC_SRV_POOL_RESERVE 4096
static inline size_t brc_srv_conn_memory(const struct brc_srv *s)
{
	return s->sc->server.conn_memory > 0 ? (size_t)s->sc->server.conn_memory
	                                     : 8192;
}
size_t brc_srv_unescape(void *cls, struct MHD_Connection *conn, char *val);
/* 1 with *rc set when the request was answered here, 0 to route it. */
int brc_srv_guard(const struct brc_srv *s, struct MHD_Connection *conn,
                  const char *url, enum MHD_Result *rc);

#endif /* BR_SERVER_INT_H */
