/*
 * report_text.c - the words of a summary, shared by the terminal table
 * and the Markdown report: the cells of a group's row, the comparison
 * with the baseline, and the warnings that say when not to trust a
 * number.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_util.h"
#include "util.h"

const char *const brc_col_titles[BR_COL_N] = {
	[BR_COL_LABEL] = "strategy", [BR_COL_CONC] = "conc",
	[BR_COL_WALL] = "wall",
	[BR_COL_CPU] = "CPU",        [BR_COL_REQS] = "req/s",
	[BR_COL_P99] = "p99",        [BR_COL_RSS] = "peak RSS",
	[BR_COL_TREE] = "tree mem (+Δ)",
	[BR_COL_EFF] = "eff",
	[BR_COL_STATUS] = "status",
};

/* A reason is free text from the runner or a plugin: the cell has it
 * whole (Markdown, HTML); the terminal table cuts the column to its width
 * and the warnings repeat it in full. */
static void status_reason(char *buf, size_t n, const struct brc_run_result *x)
{
	const char *name = brc_run_status_name(x->status);

	if (x->reason && *x->reason)
		snprintf(buf, n, "%s: %s", name, x->reason);
	else
		snprintf(buf, n, "%s", name);
}

/* ", 18 retries" after the status when the plugin retried: injected
 * faults the retries hid are otherwise invisible in "3/3 ok". */
static void add_retries(const struct brc_group *g, char *buf, size_t n)
{
	uint64_t retries = 0;
	size_t len = strlen(buf);

	for (size_t i = 0; i < g->n_runs; i++)
		retries += g->runs[i].retries;
	if (retries && len < n)
		snprintf(buf + len, n - len, ", %llu retr%s",
		         (unsigned long long)retries, retries == 1 ? "y" : "ies");
}

/* Which failure to name when runs failed in different ways. */
static const enum brc_run_status severity[] = {
	BR_RUN_CRASHED, BR_RUN_TIMEOUT, BR_RUN_EXITED, BR_RUN_FAILED,
	BR_RUN_INTERRUPTED, BR_RUN_ERRORS,
};

/*
 * "ok", "3/3 ok", "crashed: SIGSEGV" when every run failed the same way,
 * else "1/3 ok, crashed" naming the worst; the warnings list every failed
 * run with its reason.
 */
static enum brc_health status_cell(const struct brc_group *g, char *buf,
                                  size_t n)
{
	size_t count[BR_RUN_INTERRUPTED + 1] = { 0 }, ok, measured = 0;

	if (g->n_runs == 0) {
		snprintf(buf, n, "no runs");
		return BR_HEALTH_BAD;
	}
	for (size_t i = 0; i < g->n_runs; i++) {
		if ((size_t)g->runs[i].status < BR_ARRAY_SIZE(count))
			count[g->runs[i].status]++;
		measured += brc_run_measured(&g->runs[i]);
	}
	ok = count[BR_RUN_OK];
	if (ok == g->n_runs) {
		if (g->n_runs == 1)
			snprintf(buf, n, "ok");
		else
			snprintf(buf, n, "%zu/%zu ok", ok, g->n_runs);
		add_retries(g, buf, n);
		return BR_HEALTH_OK;
	}
	for (size_t st = 1; st < BR_ARRAY_SIZE(count); st++)
		if (count[st] == g->n_runs) {
			status_reason(buf, n, &g->runs[0]);
			return measured ? BR_HEALTH_WARN : BR_HEALTH_BAD;
		}
	for (size_t k = 0; k < BR_ARRAY_SIZE(severity); k++)
		if (count[severity[k]]) {
			snprintf(buf, n, "%zu/%zu ok, %s", ok, g->n_runs,
			         brc_run_status_name(severity[k]));
			add_retries(g, buf, n);
			break;
		}
	return measured ? BR_HEALTH_WARN : BR_HEALTH_BAD;
}

/* Whether the peak RSS column shows a child rather than the worker. */
static bool largest_is_child(const struct brc_group *g)
{
	for (size_t i = 0; i < g->n_runs; i++)
		if (brc_run_measured(&g->runs[i]) && g->runs[i].largest_child)
			return true;
	return false;
}

int brc_report_rss_note(const struct brc_results *r, const char *point,
                       char *buf, size_t n)
{
	for (size_t i = 0; i < r->n_groups; i++)
		if (!strcmp(r->groups[i].point ? r->groups[i].point : "", point) &&
		    largest_is_child(&r->groups[i])) {
			snprintf(buf, n, "* peak RSS of the largest process of the "
			         "tree: a child of the worker (exec: the program)");
			return 0;
		}
	return -1;
}

bool brc_report_mem_exact(const struct brc_group *g)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n_runs; i++)
		if (brc_run_measured(&g->runs[i])) {
			if (!g->runs[i].mem_instrument)
				return false;
			n++;
		}
	return n > 0;
}

/* "9.5 (+6.5) MiB": the tree's peak and its growth over the baseline in
 * one cell (the unit once when both share it), so the table keeps to 100
 * columns. */
static void tree_cell(const struct brc_group *g, char *cell)
{
	struct brc_stats a, d;
	char abs[32], grew[32];
	const char *ua, *ud;

	brc_group_stats(g, BR_M_TREE_MEM, &a, NULL);
	brc_group_stats(g, BR_M_TREE_GROWTH, &d, NULL);
	brc_fmt_metric(abs, sizeof(abs), BR_MK_SIZE, a.mean);
	brc_fmt_metric(grew, sizeof(grew), BR_MK_SIZE, d.mean);
	ua = strrchr(abs, ' ');
	ud = strrchr(grew, ' ');
	if (ua && ud && !strcmp(ua, ud))
		snprintf(cell, BR_CELL, "%.*s (%s%.*s)%s", (int)(ua - abs), abs,
		         d.mean < 0 ? "" : "+", (int)(ud - grew), grew, ua);
	else
		snprintf(cell, BR_CELL, "%s (%s%s)", abs, d.mean < 0 ? "" : "+",
		         grew);
}

int brc_report_mem_metric(const struct brc_group *g,
                          const struct brc_group *base)
{
	if (brc_group_mem_metric(g) == BR_M_TREE_GROWTH &&
	    brc_group_mem_metric(base) == BR_M_TREE_GROWTH &&
	    brc_report_mem_exact(g) == brc_report_mem_exact(base))
		return BR_M_TREE_GROWTH;
	return BR_M_PEAK_RSS;
}

/* True when some run timed a request: an exec program that never says
 * `start` has no latency to show, not a p99 of 0 ns. */
static bool any_timed(const struct brc_group *g)
{
	for (size_t i = 0; i < g->n_runs; i++)
		if (g->runs[i].latency.count)
			return true;
	return false;
}

enum brc_health brc_report_cells(const struct brc_group *g,
                               char cells[BR_COL_N][BR_CELL])
{
	struct brc_stats s;
	int mem = brc_group_mem_metric(g);

	snprintf(cells[BR_COL_LABEL], BR_CELL, "%s", g->label ? g->label : "?");
	/* Every row says its concurrency: plugins differ in their default,
	 * and a comparison of 10 against 100 must not pass unnoticed. */
	if (g->concurrency > 0)
		snprintf(cells[BR_COL_CONC], BR_CELL, "%lld",
		         (long long)g->concurrency);
	else
		snprintf(cells[BR_COL_CONC], BR_CELL, "-");
	brc_group_stats(g, BR_M_WALL, &s, NULL);
	brc_fmt_time_pm(cells[BR_COL_WALL], BR_CELL, s.mean,
	                s.n >= BR_MIN_RUNS ? (s.ci_hi - s.ci_lo) / 2 : NAN);
	brc_group_stats(g, BR_M_CPU, &s, NULL);
	brc_fmt_metric(cells[BR_COL_CPU], BR_CELL, BR_MK_TIME, s.mean);
	brc_fmt_metric(cells[BR_COL_REQS], BR_CELL, BR_MK_RATE, brc_group_rate(g));
	brc_group_stats(g, BR_M_P99, &s, NULL);
	brc_fmt_metric(cells[BR_COL_P99], BR_CELL, BR_MK_TIME, s.mean);
	if (!any_timed(g))
		snprintf(cells[BR_COL_P99], BR_CELL, "-");
	brc_group_stats(g, BR_M_PEAK_RSS, &s, NULL);
	brc_fmt_metric(cells[BR_COL_RSS], BR_CELL, BR_MK_SIZE, s.mean);
	if (largest_is_child(g))
		strncat(cells[BR_COL_RSS], "*", BR_CELL - strlen(cells[BR_COL_RSS]) - 1);
	if (mem == BR_M_TREE_GROWTH) {
		tree_cell(g, cells[BR_COL_TREE]);
	} else {
		snprintf(cells[BR_COL_TREE], BR_CELL, "-");
	}
	brc_group_stats(g, BR_M_EFFICIENCY, &s, NULL);
	/* No ideal time (an external server with unknown latency), or no
	 * run whose tickets were all valid: no efficiency either, rather
	 * than a misleading 0% or 382%. */
	if (s.n && s.mean > 0)
		brc_fmt_metric(cells[BR_COL_EFF], BR_CELL, BR_MK_PERCENT, s.mean);
	else
		snprintf(cells[BR_COL_EFF], BR_CELL, "-");
	brc_report_open_cells(g, cells);
	return status_cell(g, cells[BR_COL_STATUS], BR_CELL);
}

int brc_report_baseline_note(const struct brc_group *base, char *buf, size_t n)
{
	for (size_t i = 0; i < base->n_runs; i++)
		if (brc_run_measured(&base->runs[i]))
			return -1;
	snprintf(buf, n, "no comparison: the baseline %s has no finished run",
	         base->label);
	return 0;
}

static void failure_warning(const struct brc_group *g, struct brc_buf *out)
{
	static const struct {
		const char *name;
		size_t off;
	} kinds[] = {
		{ "http_status", offsetof(struct brc_failures, http_status) },
		{ "transport", offsetof(struct brc_failures, transport) },
		{ "corrupt", offsetof(struct brc_failures, corrupt) },
		{ "too_large", offsetof(struct brc_failures, too_large) },
		{ "missing", offsetof(struct brc_failures, missing) },
		{ "duplicate", offsetof(struct brc_failures, duplicate) },
	};
	uint64_t count[BR_ARRAY_SIZE(kinds)] = { 0 }, total = 0;
	const char *sep = "";

	for (size_t i = 0; i < g->n_runs; i++)
		for (size_t k = 0; k < BR_ARRAY_SIZE(kinds); k++) {
			const char *f = (const char *)&g->runs[i].fail;
			uint64_t v = *(const uint64_t *)(const void *)(f + kinds[k].off);

			count[k] += v;
			total += v;
		}
	if (!total)
		return;
	brc_buf_printf(out, "%s: %llu tickets failed over %zu run%s (", g->label,
	              (unsigned long long)total, g->n_runs,
	              g->n_runs == 1 ? "" : "s");
	for (size_t k = 0; k < BR_ARRAY_SIZE(kinds); k++) {
		if (!count[k])
			continue;
		brc_buf_printf(out, "%s%s %llu", sep, kinds[k].name,
		              (unsigned long long)count[k]);
		sep = ", ";
	}
	brc_buf_printf(out, ")\n");
}

/*
 * "sync: run 1 is an outlier in wall time (15 s; median 10 s, more than 3
 * scaled MADs away), kept in the mean: was the machine busy?"  Outliers
 * are flagged by the robust median/MAD rule and never dropped: dropping
 * the runs one does not like is how an A/A test comes out "significant".
 */
static void outlier_warning(const struct brc_group *g, const double *v,
                            const bool *flags, const struct brc_stats *s,
                            struct brc_buf *out)
{
	const char *sep = "";
	size_t k = 0, j = 0;
	char a[32];

	for (size_t i = 0; i < s->n; i++)
		k += flags[i];
	brc_buf_printf(out, "%s: run%s ", g->label, k == 1 ? "" : "s");
	/* v[] holds the measured runs in order: map back to run numbers. */
	for (size_t i = 0; i < g->n_runs; i++) {
		if (!brc_run_measured(&g->runs[i]))
			continue;
		if (flags[j])
			brc_buf_printf(out, "%s%d (%s)", sep,
			              g->runs[i].repetition + 1,
			              brc_fmt_duration(a, sizeof(a), v[j]));
		if (flags[j])
			sep = ", ";
		j++;
	}
	brc_buf_printf(out, " %s (median %s, MAD rule), kept in the mean: "
	              "busy machine?\n", k == 1 ? "is an outlier" : "are outliers",
	              brc_fmt_duration(a, sizeof(a), s->median));
}

/* The sampler promised one sample per interval: say when it did not. */
static void sampling_warning(const struct brc_group *g, struct brc_buf *out)
{
	double med = 0, max = 0, want = 0;
	bool sampled = false;
	char a[32], b[32], c[32];

	for (size_t i = 0; i < g->n_runs; i++) {
		const struct brc_run_result *x = &g->runs[i];

		if (!brc_run_measured(x) || !(x->interval > 0))
			continue;
		want = x->interval;
		med = x->interval_median > med ? x->interval_median : med;
		max = x->interval_max > max ? x->interval_max : max;
		sampled = sampled || !x->mem_instrument;
	}
	if (!(want > 0))
		return;
	if (med > 2 * want)
		brc_buf_printf(out, "%s: memory was sampled every %s (median), not "
		              "every %s: the machine is too busy for the "
		              "timeline\n", g->label,
		              brc_fmt_duration(a, sizeof(a), med),
		              brc_fmt_duration(b, sizeof(b), want));
	else if (sampled && max > 2 * want)
		brc_buf_printf(out, "%s: a gap of %s between memory samples "
		              "(asked: %s): a spike shorter than that may be "
		              "missed in tree memory\n", g->label,
		              brc_fmt_duration(c, sizeof(c), max),
		              brc_fmt_duration(b, sizeof(b), want));
}

/* runs.warmup as the run recorded it (0 when not set or not recorded). */
static long long warmup_of(const struct brc_results *r)
{
	for (size_t i = 0; r && i < r->n_settings; i++)
		if (!strcmp(r->setting_keys[i], "runs.warmup"))
			return atoll(r->setting_values[i]);
	return 0;
}

void brc_report_warnings(const struct brc_results *r,
                         const struct brc_group *g, struct brc_buf *out)
{
	long long warm = warmup_of(r);
	double *v = brc_xmalloc((g->n_runs + 1) * sizeof(*v));
	bool *flags = brc_xcalloc(g->n_runs + 1, sizeof(*flags));
	double server = 0;
	struct brc_stats s;
	char a[32], b[32];
	size_t k;

	brc_group_stats(g, BR_M_WALL, &s, v);
	k = brc_stats_outliers(v, s.n, &s, flags);
	if (k)
		outlier_warning(g, v, flags, &s, out);
	/* The hint only when there is no warm-up yet: with one, a slow
	 * first measured run is something else (the machine, the server). */
	if (brc_stats_slow_first(v, s.n, &s) && !warm)
		brc_buf_printf(out, "%s: the first run was slower (%s, median %s): "
		              "cold caches? try runs.warmup: 1\n", g->label,
		              brc_fmt_duration(a, sizeof(a), v[0]),
		              brc_fmt_duration(b, sizeof(b), s.median));
	else if (brc_stats_slow_first(v, s.n, &s))
		brc_buf_printf(out, "%s: the first measured run was slower (%s, "
		              "median %s), even after %lld warm-up run%s\n",
		              g->label, brc_fmt_duration(a, sizeof(a), v[0]),
		              brc_fmt_duration(b, sizeof(b), s.median), warm,
		              warm == 1 ? "" : "s");
	free(v);
	free(flags);

	brc_report_open_warnings(g, out);
	for (size_t i = 0; i < g->n_runs; i++) {
		const struct brc_run_result *x = &g->runs[i];

		if (x->server_bound && x->wall > 0 && x->server_cpu / x->wall > server)
			server = x->server_cpu / x->wall;
	}
	if (server > 0)
		brc_buf_printf(out, "%s: the server used %.0f%% of a core: numbers "
		              "may reflect the server, not the strategy\n",
		              g->label, server * 100);
	failure_warning(g, out);
	sampling_warning(g, out);

	/* Each failed run's reason in full, when the row could not say it. */
	for (size_t i = 0; i < g->n_runs; i++) {
		const struct brc_run_result *x = &g->runs[i];

		if (x->status != BR_RUN_OK && x->reason && *x->reason)
			brc_buf_printf(out, "%s: run %d %s: %s\n", g->label,
			              x->repetition + 1,
			              brc_run_status_name(x->status), x->reason);
	}
}
