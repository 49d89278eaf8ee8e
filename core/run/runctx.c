/*
 * runctx.c - the host service table (see runctx.h): what a plugin calls
 * during a run, per request (start, body, done) and beside them (log,
 * now, due, ready).  The run context's life (made, prepared, freed) is in
 * runctx_life.c, the tally after the run in runctx_finish.c.
 *
 * Concurrency model: a plugin may call start/body/done from any thread, but
 * never for the same i from two threads at once, so request i's slot needs
 * no lock.  Shared counters are relaxed atomics (only their final values
 * matter, read after the run hook returned).  The mutex is taken on the
 * (rare) failure path only.
 *
 * Latency: done() stores request i's latency in its own slot, and
 * brc_run_finish builds the histogram from the slots after the run.  Per-
 * thread histograms (~19 KiB each) would have been the textbook answer,
 * but a thread-per-request strategy would then make the harness allocate
 * one per thread inside the measured window and the measured memory; a
 * slot costs nothing extra (it reuses the start time) and no thread ever
 * waits for another.
 */
#include "config.h"


#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>

#include "run/runctx_priv.h"
#include "workload/tickets.h"
#include "util.h"

/* Time the processing of one ticket in this many (check_ticket). */
#define PROC_SAMPLE 16

/* ---- the host services -------------------------------------------- */

/*
 * Every service that touches request i passes here first: false (and the
 * misuse counted) when the run hook has returned or i is out of range.
 * The worker never frees a closed run (brc_run_close), so a late call from
 * a thread the plugin forgot is refused and reported, not a use after free.
 */
static bool usable(struct br_run *run, size_t i)
{
	if (atomic_load_explicit(&run->closed, memory_order_acquire)) {
		atomic_fetch_add_explicit(&run->late, 1, memory_order_relaxed);
		return false;
	}
	if (i >= run->n) {
		size_t none = SIZE_MAX;

		atomic_compare_exchange_strong(&run->first_bad_index, &none, i);
		atomic_fetch_add_explicit(&run->bad_index, 1,
		                          memory_order_relaxed);
		return false;
	}
	return true;
}

static size_t host_count(const struct br_run *run)
{
	return run->n;
}

static const char *host_url(const struct br_run *run, size_t i)
{
	return i < run->n ? run->urls[i] : NULL;
}

static void host_start(struct br_run *run, size_t i)
{
	struct req *r;

	if (!usable(run, i))
		return;
	r = &run->reqs[i];
	if (r->state == REQ_DONE)
		return;
	if (r->state == REQ_STARTED) {
		/* A retry: forget what the previous attempt delivered. */
		atomic_fetch_add_explicit(&run->retries, 1,
		                          memory_order_relaxed);
		r->body.len = 0;
		r->too_large = 0;
	} else {
		r->t = brc_now_ns();
		r->state = REQ_STARTED;
		/* The open model's one rule: never before it is due. */
		if (run->due && r->t - run->t0 < run->due[i])
			atomic_fetch_add_explicit(&run->early, 1,
			                          memory_order_relaxed);
	}
	r->attempts++;
}

/*
 * Append to a body buffer, keeping BRC_TICKET_PADDING spare bytes after it
 * so the parser reads it in place.  A body is sized once: the first chunk
 * reserves the largest body the run has seen so far (bodies of one
 * workload are alike), so a 4.8 KiB ticket costs one malloc, not eight
 * reallocs from 64 bytes.
 */
static void body_append(struct br_run *run, struct brc_buf *b,
                        const void *data, size_t len)
{
	size_t need = b->len + len + BRC_TICKET_PADDING;

	if (need > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : (size_t)atomic_load_explicit(
			&run->body_hint, memory_order_relaxed) + BRC_TICKET_PADDING;

		if (cap < need)
			cap = need;
		b->data = brc_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

static int host_body(struct br_run *run, size_t i, const void *data,
                     size_t len)
{
	struct req *r;

	if (!usable(run, i))
		return -1;
	r = &run->reqs[i];
	if (r->too_large || r->state == REQ_DONE)
		return -1;
	atomic_fetch_add_explicit(&run->bytes, len, memory_order_relaxed);
	/* Subtract rather than add: len may be anything up to SIZE_MAX. */
	if (run->w->max_body < 0 || r->body.len > (uint64_t)run->w->max_body ||
	    len > (uint64_t)run->w->max_body - r->body.len) {
		r->too_large = 1;
		brc_buf_free(&r->body);
		return -1;
	}
	body_append(run, &r->body, data, len);
	return 0;
}

/*
 * Check request i: parse and summarise its body, or take the summary the
 * plugin computed itself (`summary`, canonical text), then compare with
 * the expectation.  Returns 0 when it is the ticket.
 */
static int check_ticket(struct br_run *run, size_t i, struct req *r,
                        const char *summary)
{
	struct brc_summary got;
	char why[160];
	/* Thread CPU time is a system call (~1 us here, a quarter of a
	 * ticket's processing): time one ticket in PROC_SAMPLE, and scale
	 * the sampled total by processed / sampled in brc_run_finish. */
	bool timed = atomic_fetch_add_explicit(&run->processed, 1,
	                                       memory_order_relaxed) %
	             PROC_SAMPLE == 0;
	uint64_t t0 = timed ? brc_threadtime_ns() : 0;
	int rc;

	if (run->skip_processing)
		rc = 0;
	else if (summary)
		rc = brc_summary_parse(summary, &got, why, sizeof(why));
	else if (r->body.data)
		rc = brc_ticket_process_padded(run->w, r->body.data, r->body.len,
		                              &got, why, sizeof(why));
	else
		rc = brc_ticket_process(run->w, "", 0, &got, why, sizeof(why));
	if (!rc && run->expect && !run->skip_processing)
		rc = brc_summary_check(&got, &run->expect[i], why, sizeof(why));
	if (timed) {
		atomic_fetch_add_explicit(&run->proc_ns, brc_threadtime_ns() - t0,
		                          memory_order_relaxed);
		atomic_fetch_add_explicit(&run->proc_timed, 1,
		                          memory_order_relaxed);
	}
	if (rc && !strncmp(why, "out of memory", 13)) {
		/* Not the body's fault: the run fails as a whole. */
		atomic_fetch_add_explicit(&run->oom, 1, memory_order_relaxed);
		brc_run_note_failure(run, i, "%s", why);
	} else if (rc) {
		atomic_fetch_add_explicit(&run->f_corrupt, 1,
		                          memory_order_relaxed);
		brc_run_note_failure(run, i, "corrupt: %s", why);
	}
	return rc;
}

/* The largest body so far, the size the next bodies reserve at once. */
static void note_body_size(struct br_run *run, size_t len)
{
	uint_fast64_t seen = atomic_load_explicit(&run->body_hint,
	                                          memory_order_relaxed);

	while (len > seen && !atomic_compare_exchange_weak_explicit(
	               &run->body_hint, &seen, len, memory_order_relaxed,
	               memory_order_relaxed))
		;
}

static uint64_t host_due(const struct br_run *run, size_t i)
{
	return run->due && i < run->n ? run->due[i] : 0;
}

static int finish_request(struct br_run *run, size_t i, int status,
                          const char *error, const char *summary)
{
	uint64_t now = brc_now_ns(), start;
	struct req *r;
	int rc = -1;

	if (!usable(run, i))
		return -1;
	r = &run->reqs[i];
	if (r->state == REQ_DONE) {
		atomic_fetch_add_explicit(&run->f_dup, 1, memory_order_relaxed);
		brc_run_note_failure(run, i, "done() called twice");
		return -1;
	}
	start = r->t;
	if (r->state == REQ_STARTED) {
		r->t = now - start;
		r->timed = 1;
	}
	r->state = REQ_DONE;

	if (r->too_large) {
		atomic_fetch_add_explicit(&run->f_large, 1,
		                          memory_order_relaxed);
		brc_run_note_failure(run, i, "body larger than max_body (%lld bytes)",
		             (long long)run->w->max_body);
	} else if (error && (status < 100 || (status >= 200 && status <= 299))) {
		/* No answer, or a good one cut short: the transport failed.
		 * An answer with a failing status is that status, whatever
		 * the plugin's error text says (writing-a-plugin.md). */
		atomic_fetch_add_explicit(&run->f_transport, 1,
		                          memory_order_relaxed);
		brc_run_note_failure(run, i, "transport: %s", error);
	} else if (status < 200 || status > 299) {
		atomic_fetch_add_explicit(&run->f_status, 1,
		                          memory_order_relaxed);
		brc_run_note_failure(run, i, "HTTP status %d", status);
	} else if (!check_ticket(run, i, r, summary)) {
		atomic_fetch_add_explicit(&run->ok, 1, memory_order_relaxed);
		rc = 0;
	}
	note_body_size(run, r->body.len);
	brc_buf_free(&r->body);
	/* The body is gone: its room keeps the start lag (runctx_priv.h). */
	if (r->timed)
		r->lag = (int64_t)(start - run->t0) - (int64_t)host_due(run, i);
	return rc;
}

static int host_done(struct br_run *run, size_t i, int status,
                     const char *error)
{
	return finish_request(run, i, status, error, NULL);
}

static int host_done_summary(struct br_run *run, size_t i, int status,
                             const char *error, const char *summary)
{
	return finish_request(run, i, status, error,
	                      summary ? summary : "(no summary)");
}

/* The plugin's last error line, for the run's failure reason.  A worker
 * process runs one plugin once, so one buffer per process is enough; log
 * may be called with a NULL run (from create) and from any thread. */
static char last_error[1024];
static pthread_mutex_t last_error_lock = PTHREAD_MUTEX_INITIALIZER;

static void host_logv(struct br_run *run, enum br_log_level level,
                      const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warning", "info",
	                                     "debug" };
	int need = level <= BR_LOG_WARN ? -1 : (int)level - 1;
	char line[1024];

	(void)run;
	if (brc_verbosity < need || level > BR_LOG_DEBUG)
		return;
	/* One fprintf per line keeps lines from different threads whole. */
	vsnprintf(line, sizeof(line), fmt, ap);
	brc_sanitize(line, BRC_TEXT_KEEP_TAB);
	if (level == BR_LOG_ERROR) {
		pthread_mutex_lock(&last_error_lock);
		snprintf(last_error, sizeof(last_error), "%s", line);
		pthread_mutex_unlock(&last_error_lock);
	}
	fprintf(stderr, "plugin %s: %s\n", names[level], line);
}

BR_PRINTF(3, 4)
static void host_log(struct br_run *run, enum br_log_level level,
                     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	host_logv(run, level, fmt, ap);
	va_end(ap);
}

static uint64_t host_now(const struct br_run *run)
{
	return brc_now_ns() - run->t0;
}


const char *brc_plugin_last_error(void)
{
	return last_error[0] ? last_error : NULL;
}

/* CPU of this process and the children it waited for, seconds. */
static void cpu_now(double *user, double *sys)
{
	struct rusage a, b;

	getrusage(RUSAGE_SELF, &a);
	getrusage(RUSAGE_CHILDREN, &b);
	*user = (double)(a.ru_utime.tv_sec + b.ru_utime.tv_sec) +
	        (double)(a.ru_utime.tv_usec + b.ru_utime.tv_usec) / 1e6;
	*sys = (double)(a.ru_stime.tv_sec + b.ru_stime.tv_sec) +
	       (double)(a.ru_stime.tv_usec + b.ru_stime.tv_usec) / 1e6;
}

static void host_ready(struct br_run *run, uint64_t child_user_ns,
                       uint64_t child_sys_ns)
{
	if (run->ready.ns || atomic_load(&run->closed))
		return; /* once; never after the run */
	cpu_now(&run->ready.cpu_user, &run->ready.cpu_sys);
	run->ready.child_user = (double)child_user_ns / 1e9;
	run->ready.child_sys = (double)child_sys_ns / 1e9;
	run->ready.ns = brc_now_ns();
}

bool brc_run_ready_get(const struct br_run *run, struct brc_run_ready *out)
{
	*out = run->ready;
	return out->ns != 0;
}

static const struct br_host host_table = {
	.size = sizeof(struct br_host),
	.abi_minor = BR_ABI_MINOR,
	.count = host_count,
	.url = host_url,
	.start = host_start,
	.body = host_body,
	.done = host_done,
	.log = host_log,
	.done_summary = host_done_summary,
	.logv = host_logv,
	.now = host_now,
	.due = host_due,
	.ready = host_ready,
};

const struct br_host *brc_host_table(void)
{
	return &host_table;
}
