/*
 * runner.c - one measured run, from the parent's side (see runner.h):
 * write the spec (run_spec.c), reset and query the server around the run, start and
 * watch the worker (run_spawn.c), and turn its report and the samples into
 * a struct brc_run_result.
 */
#include "config.h"

#include "results/histogram.h"
#include "results/metrics.h"
#include "run/run_spec.h"
#include "run/runner.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/worker_guard.h"
#include "server/model.h"
#include "util.h"

/* A run is server-bound when the server burned most of a core. */
#define SERVER_BOUND_SHARE 0.8

static void read_tally(const cJSON *r, struct brc_run_result *out)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(r, "histogram");
	const char *why;
	char host[256];

	brc_run_fields_from_json(r, out);
	/* Every latency, so runs of this cell merge exactly with runs
	 * measured elsewhere (benchrun merge). */
	out->hist = brc_xmalloc(sizeof(*out->hist));
	if (!h || brc_hist_from_json(h, out->hist, &why)) {
		free(out->hist);
		out->hist = NULL;
	}
	if (!gethostname(host, sizeof(host))) {
		host[sizeof(host) - 1] = '\0';
		out->host = brc_xstrdup(host);
	}
	if (out->wall > 0) {
		/* Throughput counts valid tickets only. */
		out->req_per_s = (double)out->ok / out->wall;
		out->mb_per_s = (double)out->bytes / 1e6 / out->wall;
	}
}

static uint64_t failed_count(const struct brc_failures *f)
{
	return f->http_status + f->transport + f->corrupt + f->too_large +
	       f->missing + f->duplicate;
}

static char *failure_text(const struct brc_failures *f)
{
	struct brc_buf b = { 0 };
	const struct {
		const char *name;
		uint64_t n;
	} kinds[] = {
		{ "HTTP status", f->http_status }, { "transport", f->transport },
		{ "corrupt", f->corrupt },         { "too large", f->too_large },
		{ "missing", f->missing },         { "duplicate", f->duplicate },
	};

	for (size_t i = 0; i < BR_ARRAY_SIZE(kinds); i++)
		if (kinds[i].n)
			brc_buf_printf(&b, "%s%llu %s", b.len ? ", " : "",
			              (unsigned long long)kinds[i].n, kinds[i].name);
	return b.data ? b.data : brc_xstrdup("no failures");
}

/*
 * Why a worker died, in words that say what to change: a stack overflow
 * (the worker's guard, worker_guard.c, or a sanitizer said so) names
 * stack_size, and for a thread of the plugin its stack's size, memory
 * exhaustion (brc_xmalloc's message, or a sanitizer's) says out of memory.
 * NULL when the output says nothing known; else the words, in buf when
 * they are made up there.
 */
static const char *known_death(const char *output, char *buf, size_t size)
{
	const char *thread;

	if (!output)
		return NULL;
	thread = strstr(output, BRC_STACK_OVERFLOW_TEXT " "
	                BRC_STACK_THREAD_TEXT);
	if (thread) {
		unsigned long long n = strtoull(thread +
			strlen(BRC_STACK_OVERFLOW_TEXT " " BRC_STACK_THREAD_TEXT),
			NULL, 10);

		if (n % 1024 == 0)
			snprintf(buf, size, "the strategy overflowed the "
			         "%llu KiB stack of one of its threads: give "
			         "it a larger stack_size", n / 1024);
		else
			snprintf(buf, size, "the strategy overflowed the "
			         "%llu-byte stack of one of its threads: give "
			         "it a larger stack_size", n);
		return buf;
	}
	if (strstr(output, BRC_STACK_OVERFLOW_TEXT) ||
	    strstr(output, "stack-overflow"))
		return "the strategy overflowed a stack: give it a larger "
		       "stack_size";
	if (strstr(output, "out of memory") ||
	    strstr(output, "allocation-size-too-big") ||
	    strstr(output, "out-of-memory"))
		return "out of memory (see the run's log; a ulimit -v or a "
		       "cgroup limit?)";
	return NULL;
}

/* Decide the status from how the worker ended and what it said. */
static void classify(const struct brc_runner_job *job,
                     const struct brc_spawn_out *sp, const cJSON *rep,
                     struct brc_run_result *out)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(rep, "status");
	const char *reason;
	int sig;

	if (sp->interrupted) {
		out->status = BR_RUN_INTERRUPTED;
		out->reason = brc_xstrdup("interrupted by the user");
	} else if (sp->timed_out) {
		out->status = BR_RUN_TIMEOUT;
		out->reason = brc_xasprintf("killed after the %g s timeout "
		                           "(runs.timeout)", job->timeout);
	} else if (sp->reaped && WIFSIGNALED(sp->wait_status)) {
		char buf[160];
		const char *known = known_death(sp->output, buf, sizeof(buf));

		sig = WTERMSIG(sp->wait_status);
		out->status = BR_RUN_CRASHED;
		/* Without the guard's word, a SIGSEGV of a thread on a small
		 * stack still deserves the hint. */
		if (!known && (sig == SIGSEGV || sig == SIGBUS))
			known = "a stack overflow? if the strategy has a "
			        "stack_size parameter, raise it";
		out->reason = brc_xasprintf("worker killed by SIG%s (%s)%s%s",
		                           sigabbrev_np(sig) ? sigabbrev_np(sig)
		                                             : "?",
		                           strsignal(sig), known ? ": " : "",
		                           known ? known : "");
	} else if (!cJSON_IsString(st)) {
		char buf[160];
		const char *known = known_death(sp->output, buf, sizeof(buf));

		out->status = BR_RUN_EXITED;
		out->reason = brc_xasprintf(
			"worker exited with status %d without a report%s%s%s",
			sp->reaped ? WEXITSTATUS(sp->wait_status) : -1,
			sp->ready && !sp->ended ? " (during the run hook)" : "",
			known ? ": " : "", known ? known : "");
	} else if (strcmp(st->valuestring, "ok")) {
		reason = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(rep, "reason"));
		out->status = BR_RUN_FAILED;
		out->reason = brc_xstrdup(reason ? reason : "the plugin failed");
	} else if (out->open.early_starts) {
		/* The open model's one rule was broken: the response times
		 * are not what they claim. */
		out->status = BR_RUN_ERRORS;
		out->reason = brc_xasprintf("%llu requests started before they "
		                           "were due",
		                           (unsigned long long)out->open.early_starts);
	} else if (failed_count(&out->fail) || out->ok != out->requests) {
		out->status = job->tolerate_errors ? BR_RUN_OK : BR_RUN_ERRORS;
		out->reason = failure_text(&out->fail);
	} else {
		out->status = BR_RUN_OK;
	}
}

/* One timeline point, and the peaks when it lies within the run hook. */
static void add_point(const struct brc_sample *s, uint64_t t0, uint64_t t1,
                      struct brc_run_result *out, double *pss_sum,
                      size_t *in_run)
{
	struct brc_mem_sample *m = &out->timeline[out->n_timeline++];

	m->t = ((double)s->ns - (double)t0) / 1e9;
	m->tree_pss = s->pss;
	m->tree_rss = s->rss;
	m->procs = s->procs;
	m->threads = s->threads;
	if (s->ns < t0 || s->ns > t1)
		return;
	(*in_run)++;
	*pss_sum += (double)s->pss;
	if (s->pss > out->tree_peak_pss)
		out->tree_peak_pss = s->pss;
	if (s->uss > out->tree_peak_uss)
		out->tree_peak_uss = s->uss;
	if (s->rss > out->tree_peak_rss)
		out->tree_peak_rss = s->rss;
	if (s->procs > out->peak_procs)
		out->peak_procs = s->procs;
	if (s->threads > out->peak_threads)
		out->peak_threads = s->threads;
	if (s->root_vsize > out->peak_vsize)
		out->peak_vsize = s->root_vsize;
}

/* The exact instrument's figures, or the sampled ones in its place. */
static void fill_exact(const struct brc_spawn_out *sp,
                       struct brc_run_result *out)
{
	const struct brc_cgroup_stat *st = &sp->cg_stat;

	if (sp->final.kids_hwm > out->largest_rss)
		out->largest_rss = sp->final.kids_hwm;
	out->largest_child = out->largest_rss > out->peak_rss;
	out->baseline_uss = sp->baseline.uss;
	out->mem_instrument = sp->cg_version;
	out->mem_anon = out->mem_file = out->mem_kernel = out->mem_kstack =
		out->mem_pagetables = out->mem_sock = out->mem_kernel_peak = -1;
	if (!sp->cg_version || sp->cg_peak <= 0) {
		out->mem_instrument = 0;
		out->tree_peak = out->tree_peak_pss;
		out->tree_baseline = out->baseline_pss;
		return;
	}
	out->tree_peak = sp->cg_peak;
	out->tree_baseline = sp->cg_baseline;
	out->mem_anon = st->anon;
	out->mem_file = st->file;
	out->mem_kernel = st->kernel;
	out->mem_kstack = st->kstack;
	out->mem_pagetables = st->pagetables;
	out->mem_sock = st->sock;
	out->mem_kernel_peak = st->kernel_peak;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The spacing the samples achieved within the run hook (the last sample
 * at "end" included): median and max, seconds. */
static void fill_spacing(const struct brc_spawn_out *sp, uint64_t t0,
                         uint64_t t1, struct brc_run_result *out)
{
	double *d = brc_xcalloc(sp->n_samples + 2, sizeof(*d));
	uint64_t prev = t0;
	size_t n = 0;

	out->interval = sp->interval;
	for (size_t i = 0; i <= sp->n_samples; i++) {
		uint64_t ns = i < sp->n_samples ? sp->samples[i].ns
		                                : sp->ended ? sp->final.ns : 0;

		if (ns < t0 || ns > t1 || ns < prev)
			continue;
		d[n++] = (double)(ns - prev) / 1e9;
		prev = ns;
	}
	if (n) {
		qsort(d, n, sizeof(*d), cmp_double);
		out->interval_median = d[n / 2];
		out->interval_max = d[n - 1];
	}
	free(d);
}

/*
 * Timeline relative to the run hook's start [t0, t1], and the peaks during
 * it.  The last sample (taken at "end", t1) goes in time order among the
 * periodic ones, some of which may follow it (the report, destroy).
 */
static void fill_memory(const struct brc_spawn_out *sp, uint64_t t0,
                        uint64_t t1, struct brc_run_result *out)
{
	bool final = sp->final.procs > 0;
	double pss_sum = 0;
	size_t in_run = 0;

	out->baseline_pss = sp->baseline.pss;
	out->timeline = brc_xcalloc(sp->n_samples + 1, sizeof(*out->timeline));
	for (size_t i = 0; i < sp->n_samples; i++) {
		if (final && sp->samples[i].ns > sp->final.ns) {
			add_point(&sp->final, t0, t1, out, &pss_sum, &in_run);
			final = false;
		}
		add_point(&sp->samples[i], t0, t1, out, &pss_sum, &in_run);
	}
	if (final)
		add_point(&sp->final, t0, t1, out, &pss_sum, &in_run);
	out->tree_mean_pss = in_run ? (int64_t)(pss_sum / (double)in_run) : 0;
	if (!out->peak_rss && sp->final.root_hwm)
		out->peak_rss = sp->final.root_hwm;
	fill_exact(sp, out);
	fill_spacing(sp, t0, t1, out);
}

static void fill_log(const struct brc_spawn_out *sp, const cJSON *rep,
                     struct brc_run_result *out)
{
	const char *fails = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(rep, "failure_log"));
	const char *warning = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(rep, "warning"));
	struct brc_buf b = { 0 };

	if (warning)
		brc_buf_printf(&b, "warning: %s\n", warning);
	if (fails)
		brc_buf_printf(&b, "%s", fails);
	if (sp->output && *sp->output)
		brc_buf_printf(&b, "%s", sp->output);
	/* Shown by reports and on terminals: no escape sequences. */
	out->log = b.data ? brc_sanitize(b.data, BRC_TEXT_KEEP_NL |
	                                         BRC_TEXT_KEEP_TAB) : NULL;
}

int brc_runner_run(const struct brc_runner_job *job, struct brc_run_result *out)
{
	struct brc_server_stats before = { 0 }, after = { 0 };
	bool have_server = false;
	struct brc_spawn_out sp;
	cJSON *rep = NULL;
	const char *start;
	uint64_t t0, t1;
	char *spec;

	memset(out, 0, sizeof(*out));
	if (job->srv) {
		/* Every run meets the same latencies and faults. */
		if (brc_server_reset(job->srv))
			brc_warn("could not reset the embedded server's counters");
		have_server = !brc_server_query(job->srv, &before);
	}
	spec = brc_run_spec_make(job);
	if (brc_spawn_worker(job->exe, spec, job->timeout, job->sample_interval,
	                    job->stop, &sp)) {
		free(spec);
		out->status = BR_RUN_FAILED;
		out->reason = brc_xstrdup("could not start the worker process");
		return -1;
	}
	free(spec);
	if (sp.report)
		rep = cJSON_Parse(sp.report);
	read_tally(rep, out);
	classify(job, &sp, rep, out);
	/* A reason may quote a plugin's or a program's words. */
	if (out->reason)
		brc_sanitize(out->reason, 0);
	if (have_server && !brc_server_query(job->srv, &after)) {
		out->server_cpu = after.cpu - before.cpu;
		out->server_rss = after.rss;
		out->server_requests = after.requests - before.requests;
		out->server_queue_max = (double)after.queued_max;
		out->server_h2_streams = (double)after.h2_max_streams;
	}
	/* The run hook's window: from the worker's own clock when it
	 * reported, else from the handshakes the parent saw. */
	start = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(rep, "run_start_ns"));
	t0 = start ? strtoull(start, NULL, 10) : sp.ready_ns;
	t1 = sp.ended ? sp.final.ns : UINT64_MAX;
	if (!t0)
		t0 = sp.n_samples ? sp.samples[0].ns : brc_now_ns();
	if (!rep) {
		/* No report (crash, timeout): what is known from outside. */
		uint64_t end = sp.ended ? sp.final.ns : brc_now_ns();

		out->wall = end > t0 ? (double)(end - t0) / 1e9 : 0.0;
		out->requests = (uint64_t)(job->w->days > 0 ? job->w->days : 0);
	}
	fill_memory(&sp, t0, t1, out);
	fill_log(&sp, rep, out);
	if (cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rep, "warning")))
		brc_warn("%s: %s", job->plugin_path,
		        cJSON_GetStringValue(
		                cJSON_GetObjectItemCaseSensitive(rep, "warning")));

	/* The ideal is a closed-model bound; an open run's pace is set by
	 * its schedule, and kept_up says how it did. */
	if (job->model && out->requests &&
	    job->w->arrival.model != BR_ARRIVAL_OPEN) {
		out->ideal = brc_model_ideal(job->model, job->w->seed,
		                            out->requests, job->concurrency);
		out->lower_bound = brc_model_lower_bound(
			job->model, job->w->seed, out->requests,
			job->concurrency);
	}
	/* Efficiency says how close a run came to the ideal doing the same
	 * work: only a run whose every ticket arrived valid did the work (a
	 * run where every request timed out fast is not "382% efficient"). */
	out->efficiency = NAN;
	if (out->wall > 0 && out->ideal > 0 && out->status == BR_RUN_OK &&
	    out->ok == out->requests && !failed_count(&out->fail))
		out->efficiency = out->ideal / out->wall;
	out->server_bound = out->server_cpu > SERVER_BOUND_SHARE * out->wall;
	if (sp.sampler_count && sp.elapsed_ns)
		brc_debug("sampler: %zu samples, %.1f us CPU each, %.2f%% of a "
		         "core over the worker's life",
		         sp.sampler_count,
		         (double)sp.sampler_cpu_ns / 1e3 / (double)sp.sampler_count,
		         100.0 * (double)sp.sampler_cpu_ns / (double)sp.elapsed_ns);
	cJSON_Delete(rep);
	brc_spawn_out_free(&sp);
	return out->status == BR_RUN_OK ? 0 : -1;
}
