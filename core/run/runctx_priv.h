/*
 * runctx_priv.h - what runctx.c (the services during a run),
 * runctx_life.c (the context made and freed) and runctx_finish.c (the
 * tally after it) share: the per-request slot and the run context.
 * Nothing outside core/run/runctx*.c includes it.
 */
#ifndef BR_RUNCTX_PRIV_H
#define BR_RUNCTX_PRIV_H

#include <pthread.h>
#include <stdatomic.h>

#include "run/runctx.h"
#include "util.h"

/* Keep this many failure descriptions for the run's log. */
#define MAX_FAILURE_LINES 10

enum req_state { REQ_IDLE = 0, REQ_STARTED, REQ_DONE };

struct req {
	uint8_t state;
	uint8_t too_large;
	uint8_t timed;          /* done after a start: t is a latency      */
	uint32_t attempts;
	uint64_t t;             /* brc_now_ns of the first start(), then the
	                           latency (service time) once done        */
	union {
		struct brc_buf body; /* until done                        */
		int64_t lag;         /* once done and timed: first start -
		                        due, ns (negative: started early)  */
	};
};

struct br_run {
	const struct brc_workload *w;
	char **urls;
	size_t n;
	struct req *reqs;
	struct brc_summary *expect;  /* NULL unless w->validate */

	atomic_uint_fast64_t ok, retries, bytes, proc_ns;
	atomic_uint_fast64_t body_hint;   /* largest body so far, bytes */
	/* Tickets checked, and how many of them were timed (proc_ns). */
	atomic_uint_fast64_t processed, proc_timed;
	atomic_uint_fast64_t f_status, f_transport, f_corrupt, f_large, f_dup;
	/* BENCHRUN_BENCH_SKIP_PROCESSING=1 (bench/processing-bias.sh only):
	 * bodies are taken as they come, neither parsed nor checked, so that
	 * a run's CPU can be compared with and without processing. */
	bool skip_processing;

	pthread_mutex_t lock;       /* failures, n_failures */
	struct brc_buf failures;
	unsigned n_failures;

	uint64_t t0;                /* brc_now_ns when run began (now, due) */
	struct brc_run_ready ready; /* host->ready; ns 0: not called        */
	const uint64_t *due;        /* intended starts; NULL: closed model  */
	double rate;                /* offered, requests/s (open model)     */
	atomic_uint_fast64_t early; /* first starts before due             */

	/* What makes the run fail as a whole (brc_run_fault): the plugin
	 * calling with an index >= n or after the run hook returned
	 * (brc_run_close; such calls touch nothing else), and bodies that
	 * could not be parsed for want of memory. */
	atomic_bool closed;
	atomic_uint_fast64_t bad_index, late;
	atomic_uint_fast64_t oom;   /* bodies not parsed for want of memory */
	atomic_size_t first_bad_index;
};

/* One line of the run's failure log (the first MAX_FAILURE_LINES). */
void brc_run_note_failure(struct br_run *run, size_t i, const char *fmt, ...)
	BR_PRINTF(3, 4);

#endif /* BR_RUNCTX_PRIV_H */
