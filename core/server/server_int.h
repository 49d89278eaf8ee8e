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
enum br_req_state {
	BR_REQ_QUEUED,  /* suspended in the admission FIFO                  */
	BR_REQ_DELAYED, /* admitted, suspended until its delay is over      */
	BR_REQ_READY,   /* answer on the next call of the access handler    */
};

/* Per-request state, MHD's *req_cls; freed at completion. */
struct br_req {
	struct MHD_Connection *conn;
	enum br_req_state state;
	int64_t day;
	uint32_t attempt;
	enum br_fault fault;
	double delay;         /* seconds, from the model                */
	uint64_t due;         /* when delayed: CLOCK_MONOTONIC ns       */
	bool admitted;        /* holds an in-flight slot               */
	struct br_req *next;  /* admission FIFO                        */
};

/* A rendered day: immutable once published, reused by every request. */
struct br_body {
	char *data;
	size_t len;
	struct MHD_Response *resp; /* persistent, application/json      */
};

struct br_timer_entry {
	uint64_t due;                 /* CLOCK_MONOTONIC ns             */
	struct MHD_Connection *conn;  /* suspended; resumed when due    */
};

struct br_srv {
	const struct br_scenario *sc;
	const struct br_workload *w;
	struct MHD_Daemon *daemon;
	char *path;                /* URL path template, "{base}" removed */
	_Atomic bool stopping;

	/* Bodies, rendered lazily; beyond cache_limit bytes a body is
	 * rendered per request instead of kept. */
	_Atomic(struct br_body *) *bodies;
	_Atomic int64_t cache_bytes;
	int64_t cache_limit;
	struct MHD_Response *resp_404, *resp_error, *resp_405, *resp_reset;
	_Atomic uint32_t *attempts; /* per day, since the last reset     */

	/* Admission (max_in_flight): slots and the FIFO of waiters. */
	pthread_mutex_t adm_lock;
	int64_t max_in_flight;      /* 0 = unlimited                   */
	int64_t in_flight, queued, queued_max;
	struct br_req *fifo_head, *fifo_tail;

	/* Timer: a min-heap on due time, served by one thread. */
	pthread_mutex_t tm_lock;
	pthread_cond_t tm_cond;
	pthread_t tm_thread;
	bool locks_ready, tm_started, tm_stop;
	struct br_timer_entry *heap;
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
};

/* server_delay.c */
int br_srv_timer_start(struct br_srv *s);
/* Resume everything still suspended, stop and join the timer thread. */
void br_srv_timer_stop(struct br_srv *s);
/* Free the timer's and the admission's locks, once MHD has stopped. */
void br_srv_timer_free(struct br_srv *s);
/* Suspend conn (from MHD's thread, inside a callback) and resume it at
 * `due`.  Returns -1 without suspending when the server is stopping. */
int br_srv_suspend_until(struct br_srv *s, struct MHD_Connection *conn,
                         uint64_t due);
/* Admit r or queue it (suspended).  Returns true when admitted now. */
bool br_srv_admit(struct br_srv *s, struct br_req *r);
/* Give back r's slot and admit the next waiter, if any. */
void br_srv_release(struct br_srv *s, struct br_req *r);
/* Current in-flight / queued / queued_max, read under the lock. */
void br_srv_admission_stats(struct br_srv *s, int64_t *in_flight,
                            int64_t *queued, int64_t *queued_max);
void br_srv_admission_reset(struct br_srv *s);
/* A delayed request reached the handler again at `now`. */
void br_srv_note_late(struct br_srv *s, const struct br_req *r, uint64_t now);
/* Quantile q of the lateness, and its maximum, in ns; zeroing. */
uint64_t br_srv_late_quantile(struct br_srv *s, double q);
void br_srv_late_reset(struct br_srv *s);

/* server_body.c */
int br_srv_bodies_init(struct br_srv *s);
void br_srv_bodies_free(struct br_srv *s);
/* Queue the answer for ticket request r (fault, rate and cache applied).
 * Returns MHD's result. */
enum MHD_Result br_srv_answer(struct br_srv *s, struct br_req *r);
/* A persistent response for a small constant JSON text. */
struct MHD_Response *br_srv_const_response(const char *json);

/* server_route.c */
enum MHD_Result br_srv_handler(void *cls, struct MHD_Connection *conn,
                               const char *url, const char *method,
                               const char *version, const char *upload,
                               size_t *upload_size, void **req_cls);
void br_srv_completed(void *cls, struct MHD_Connection *conn,
                      void **req_cls, enum MHD_RequestTerminationCode why);
/* The path template's day index, or -1 (unknown path). */
int64_t br_srv_match(const struct br_srv *s, const char *url);
/* Check the template once at start: 0, or -1 with a reason in *why. */
int br_srv_path_check(const char *path, const char **why);

#endif /* BR_SERVER_INT_H */
