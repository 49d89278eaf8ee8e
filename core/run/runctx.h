/*
 * runctx.h - the worker side of one run: `struct br_run`, the state the
 * core keeps for every request while a plugin's run hook executes, and the
 * `struct br_host` service table that plugins call (count, url, start,
 * body, done, log).
 *
 * Everything a strategy must not pay for happens outside the measured
 * window: URLs and expected summaries are computed by brc_run_new and
 * brc_run_prepare before the run hook starts.  During the run, start/body/
 * done touch only request i's slot and a few atomic counters, so they are
 * thread-safe for different i; each latency waits in its request's slot
 * until brc_run_finish builds the histogram.
 */
#ifndef BR_RUNCTX_H
#define BR_RUNCTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "benchrun/plugin.h"
#include "results/histogram.h"
#include "results/results.h"
#include "scenario/scenario.h"

struct br_run;

/* What a finished run produced, from the core's point of view. */
struct brc_run_tally {
	uint64_t requests, ok, retries, bytes;
	struct brc_failures fail;
	double cpu_processing;   /* seconds of thread CPU in done()        */
	struct brc_hist latency;  /* every request that was started and done:
	                            the service time in the closed model, the
	                            response time (from due) in the open one */
	/* The open model only (open.offered_rate > 0): service time (from
	 * the actual start) and start lag (start - due) of the same
	 * requests; open's summaries come from them. */
	struct brc_hist service, lag;
	struct brc_open_result open;
	char *failures;          /* the first failures, one per line, or NULL */
};

/* The service table handed to plugins (static, valid forever). */
const struct br_host *brc_host_table(void);

/*
 * A run over `w` with the URLs of requests 0..n-1; takes ownership of
 * `urls` (each malloc'd, and the array).  Returns NULL on allocation
 * failure of the big arrays (fatal elsewhere in the core, but a run of
 * 10 million requests deserves a clear message).
 */
struct br_run *brc_run_new(const struct brc_workload *w, char **urls, size_t n);

/* Compute the expected summary of every request (when w->validate).  Call
 * before the run hook: this is the validator's reference, not the
 * strategy's work. */
void brc_run_prepare(struct br_run *run);

/* Open-model arrivals: request i is due at due[i] ns after the run began
 * (borrowed, n entries, non-decreasing, kept until brc_run_free); NULL,
 * the default, is the closed model (every request due at 0).  `rate` is
 * the offered rate for the record (requests/s). */
void brc_run_set_due(struct br_run *run, const uint64_t *due, double rate);

/* The run hook starts now: the origin of the host's now() and due(). */
void brc_run_begin(struct br_run *run);

/* When the plugin called host->ready (the measured part began) and the
 * CPU then: this process with its waited-for children, and what the
 * plugin said its other children had spent (seconds).  false when it
 * never called it. */
struct brc_run_ready {
	uint64_t ns;
	double cpu_user, cpu_sys, child_user, child_sys;
};
bool brc_run_ready_get(const struct br_run *run, struct brc_run_ready *out);

/* After the run hook: count the requests done() was never called for,
 * build the latency histogram, fill *out (free with brc_run_tally_free). */
void brc_run_finish(struct br_run *run, struct brc_run_tally *out);
void brc_run_tally_free(struct brc_run_tally *t);

/* The run hook has returned: from now on start/body/done refuse every call
 * and count it (a plugin thread left running).  A closed run must then be
 * kept allocated as long as such a thread may exist: the worker never
 * frees it. */
void brc_run_close(struct br_run *run);

/* Why the run must fail whatever the run hook returned: the plugin
 * misused the host (indices out of range, calls after brc_run_close) or
 * bodies could not be parsed for want of memory.  A reason (malloc'd), or
 * NULL. */
char *brc_run_fault(const struct br_run *run);

void brc_run_free(struct br_run *run);

/* The last line the plugin logged at BR_LOG_ERROR in this process, or NULL. */
const char *brc_plugin_last_error(void);

#endif /* BR_RUNCTX_H */
