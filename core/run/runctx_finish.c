/*
 * runctx_finish.c - the end of a run: count the requests done() was never
 * called for, build the latency histograms from the request slots, and in
 * the open model the service time, start lag, achieved rate and whether
 * the strategy kept up (see runctx.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "results/metrics.h"
#include "run/runctx_priv.h"

/* ---- the end of a run --------------------------------------------- */

/*
 * Open model: response time = service + lag (done - due), and the rate
 * the strategy started requests at, over the span of its first starts,
 * against the schedule's own rate over the same number of requests.
 */
static void finish_open(const struct br_run *run, struct brc_run_tally *out)
{
	struct brc_open_result *o = &out->open;
	int64_t first = INT64_MAX, last = INT64_MIN;
	uint64_t started = 0;
	double sched = 0;

	brc_hist_init(&out->service);
	brc_hist_init(&out->lag);
	for (size_t i = 0; i < run->n; i++) {
		const struct req *r = &run->reqs[i];
		int64_t at, resp;

		if (r->state != REQ_DONE || !r->timed)
			continue;
		resp = (int64_t)r->t + r->lag;
		brc_hist_record(&out->latency, resp > 0 ? (uint64_t)resp : 0);
		brc_hist_record(&out->service, r->t);
		brc_hist_record(&out->lag, r->lag > 0 ? (uint64_t)r->lag : 0);
		at = (int64_t)run->due[i] + r->lag;
		first = at < first ? at : first;
		last = at > last ? at : last;
		started++;
	}
	o->offered_rate = run->rate;
	o->achieved_rate = started > 1 && last > first
	                   ? (double)(started - 1) * 1e9 / (double)(last - first)
	                   : run->rate;
	if (run->n > 1 && run->due[run->n - 1] > run->due[0])
		sched = (double)(run->n - 1) * 1e9 /
		        (double)(run->due[run->n - 1] - run->due[0]);
	o->early_starts = atomic_load(&run->early);
	brc_hist_summary(&out->service, &o->service);
	o->lag_p50 = (double)brc_hist_percentile(&out->lag, 0.50) / 1e9;
	o->lag_p99 = (double)brc_hist_percentile(&out->lag, 0.99) / 1e9;
	o->lag_max = out->lag.count ? (double)out->lag.max / 1e9 : 0;
	o->lag_mean = brc_hist_mean(&out->lag) / 1e9;
	o->kept_up = started == run->n && brc_open_kept_up(o, sched, NULL, 0);
}

void brc_run_finish(struct br_run *run, struct brc_run_tally *out)
{
	uint64_t proc_timed = atomic_load(&run->proc_timed);
	uint64_t missing = 0;

	memset(out, 0, sizeof(*out));
	brc_hist_init(&out->latency);
	if (run->due)
		finish_open(run, out);
	for (size_t i = 0; i < run->n; i++) {
		if (run->reqs[i].state == REQ_DONE) {
			if (run->reqs[i].timed && !run->due)
				brc_hist_record(&out->latency, run->reqs[i].t);
			continue;
		}
		if (missing < 3)
			brc_run_note_failure(run, i, "missing: done() never called");
		missing++;
	}
	out->requests = run->n;
	out->ok = atomic_load(&run->ok);
	out->retries = atomic_load(&run->retries);
	out->bytes = atomic_load(&run->bytes);
	out->cpu_processing = proc_timed ? (double)atomic_load(&run->proc_ns) /
	                      1e9 * (double)atomic_load(&run->processed) /
	                      (double)proc_timed : 0.0;
	out->fail.http_status = atomic_load(&run->f_status);
	out->fail.transport = atomic_load(&run->f_transport);
	out->fail.corrupt = atomic_load(&run->f_corrupt);
	out->fail.too_large = atomic_load(&run->f_large);
	out->fail.duplicate = atomic_load(&run->f_dup);
	out->fail.missing = missing;
	pthread_mutex_lock(&run->lock);
	if (run->failures.len)
		out->failures = brc_xstrdup(run->failures.data);
	pthread_mutex_unlock(&run->lock);
}

void brc_run_close(struct br_run *run)
{
	atomic_store_explicit(&run->closed, true, memory_order_release);
}

char *brc_run_fault(const struct br_run *run)
{
	uint64_t bad = atomic_load(&run->bad_index);
	uint64_t late = atomic_load(&run->late);
	uint64_t oom = atomic_load(&run->oom);
	struct brc_buf b = { 0 };

	if (oom)
		brc_buf_printf(&b, "out of memory: %llu bod%s could not be "
		              "parsed (a ulimit -v or a cgroup limit?)",
		              (unsigned long long)oom, oom == 1 ? "y" : "ies");
	if (bad)
		brc_buf_printf(&b, "%sthe plugin called the host with request "
		              "index %zu, out of range (count is %zu; %llu such "
		              "call%s ignored)", b.len ? "; " : "",
		              (size_t)atomic_load(&run->first_bad_index), run->n,
		              (unsigned long long)bad, bad == 1 ? "" : "s");
	if (late)
		brc_buf_printf(&b, "%sthe plugin called start/body/done after "
		              "its run hook returned (%llu call%s ignored: "
		              "threads must be joined before run returns)",
		              b.len ? "; " : "", (unsigned long long)late,
		              late == 1 ? "" : "s");
	return b.data;
}

void brc_run_tally_free(struct brc_run_tally *t)
{
	free(t->failures);
	t->failures = NULL;
}
