/*
 * results.c - freeing results, and what every reader of results shares
 * (metrics.h): the metric table, group statistics, status names and
 * sweep points.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/histogram.h"
#include "results/metrics.h"
#include "util.h"

void brc_run_result_clear(struct brc_run_result *run)
{
	free(run->reason);
	free(run->timeline);
	free(run->log);
	free(run->host);
	free(run->hist);
	run->reason = run->log = run->host = NULL;
	run->timeline = NULL;
	run->n_timeline = 0;
	run->timeline_from = 0;
	run->hist = NULL;
}

void brc_group_free(struct brc_group *g)
{
	free(g->label);
	free(g->plugin);
	free(g->point);
	for (size_t i = 0; i < g->n_params; i++) {
		free(g->param_names[i]);
		free(g->param_values[i]);
	}
	free(g->param_names);
	free(g->param_values);
	for (size_t i = 0; i < g->n_runs; i++)
		brc_run_result_clear(&g->runs[i]);
	free(g->runs);
}

void brc_results_free(struct brc_results *r)
{
	if (!r)
		return;
	free(r->scenario_name);
	free(r->scenario_path);
	free(r->scenario_hash);
	free(r->scenario_yaml);
	free(r->started_at);
	free(r->baseline);
	free(r->host_kernel);
	free(r->host_cpu);
	free(r->benchrun_version);
	free(r->libcurl_version);
	free(r->compiler);
	free(r->server_desc);
	free(r->order);
	for (size_t i = 0; i < r->n_settings; i++) {
		free(r->setting_keys[i]);
		free(r->setting_values[i]);
	}
	free(r->setting_keys);
	free(r->setting_values);
	free(r->state.governor);
	free(r->mem_instrument);
	for (size_t i = 0; i < r->n_groups; i++)
		brc_group_free(&r->groups[i]);
	free(r->groups);
	brc_capacity_free(r);
	memset(r, 0, sizeof(*r));
}

/* --- metrics ---------------------------------------------------------- */

static double get_wall(const struct brc_run_result *x) { return x->wall; }
static double get_cpu(const struct brc_run_result *x)
{
	return x->cpu_user + x->cpu_sys;
}
static double get_reqs(const struct brc_run_result *x) { return x->req_per_s; }
static double get_p50(const struct brc_run_result *x) { return x->latency.p50; }
static double get_p99(const struct brc_run_result *x) { return x->latency.p99; }
/* The largest process of the tree: for exec, the program, not the
 * worker that started it. */
static double get_rss(const struct brc_run_result *x)
{
	return (double)(x->largest_rss > x->peak_rss ? x->largest_rss
	                                             : x->peak_rss);
}
static double get_tree_mem(const struct brc_run_result *x)
{
	return (double)(x->tree_peak ? x->tree_peak : x->tree_peak_pss);
}
static double get_growth(const struct brc_run_result *x)
{
	if (!x->tree_peak)
		return (double)(x->tree_peak_pss - x->baseline_pss);
	return (double)(x->tree_peak - x->tree_baseline);
}
static double get_tree_peak(const struct brc_run_result *x)
{
	return (double)x->tree_peak_pss;
}
static double get_tree_mean(const struct brc_run_result *x)
{
	return (double)x->tree_mean_pss;
}
static double get_eff(const struct brc_run_result *x) { return x->efficiency; }

const struct brc_metric brc_metrics[BR_M_COUNT] = {
	[BR_M_WALL] = { "wall", "wall", BR_MK_TIME, false, get_wall },
	[BR_M_CPU] = { "cpu", "CPU", BR_MK_TIME, false, get_cpu },
	[BR_M_REQS] = { "req_per_s", "req/s", BR_MK_RATE, true, get_reqs },
	[BR_M_P50] = { "p50", "p50", BR_MK_TIME, false, get_p50 },
	[BR_M_P99] = { "p99", "p99", BR_MK_TIME, false, get_p99 },
	[BR_M_PEAK_RSS] = { "peak_rss", "peak RSS", BR_MK_SIZE, false, get_rss },
	[BR_M_TREE_PEAK] = { "tree_peak_pss", "tree PSS", BR_MK_SIZE, false,
	                     get_tree_peak },
	[BR_M_TREE_MEAN] = { "tree_mean_pss", "tree mean PSS", BR_MK_SIZE, false,
	                     get_tree_mean },
	[BR_M_EFFICIENCY] = { "efficiency", "efficiency", BR_MK_PERCENT, true,
	                      get_eff },
	[BR_M_TREE_MEM] = { "tree_peak", "tree memory", BR_MK_SIZE, false,
	                    get_tree_mem },
	[BR_M_TREE_GROWTH] = { "tree_growth", "Δ tree memory", BR_MK_SIZE,
	                       false, get_growth },
};

bool brc_run_measured(const struct brc_run_result *run)
{
	return run->status == BR_RUN_OK || run->status == BR_RUN_ERRORS;
}

void brc_group_stats(const struct brc_group *g, int m, struct brc_stats *s,
                    double *values)
{
	double *v = values ? values : brc_xmalloc((g->n_runs + 1) * sizeof(*v));
	size_t n = 0;

	/* A NaN is a value the run does not have (the efficiency of a run
	 * whose tickets were not all valid): it is left out, not averaged. */
	for (size_t i = 0; i < g->n_runs; i++)
		if (brc_run_measured(&g->runs[i]) &&
		    !isnan(brc_metrics[m].get(&g->runs[i])))
			v[n++] = brc_metrics[m].get(&g->runs[i]);
	brc_stats_compute(v, n, s);
	if (v != values)
		free(v);
}

double brc_group_rate(const struct brc_group *g)
{
	double ok = 0, wall = 0;

	for (size_t i = 0; i < g->n_runs; i++)
		if (brc_run_measured(&g->runs[i])) {
			ok += (double)g->runs[i].ok;
			wall += g->runs[i].wall;
		}
	return wall > 0 ? ok / wall : NAN;
}

double brc_group_mean(const struct brc_group *g,
                      double (*get)(const struct brc_run_result *run))
{
	double sum = 0;
	size_t n = 0;

	for (size_t i = 0; i < g->n_runs; i++)
		if (brc_run_measured(&g->runs[i])) {
			sum += get(&g->runs[i]);
			n++;
		}
	return n ? sum / (double)n : NAN;
}

size_t brc_group_latency(const struct brc_group *g,
                         struct brc_latency_summary *out)
{
	struct brc_hist *all = brc_xmalloc(sizeof(*all));
	size_t n = 0;

	brc_hist_init(all);
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < g->n_runs; i++) {
		if (!brc_run_measured(&g->runs[i]))
			continue;
		if (!g->runs[i].hist) {
			n = 0;
			break;
		}
		brc_hist_merge(all, g->runs[i].hist);
		n++;
	}
	if (n)
		brc_hist_summary(all, out);
	free(all);
	return n;
}

int brc_group_mem_metric(const struct brc_group *g)
{
	for (size_t i = 0; i < g->n_runs; i++)
		if (brc_run_measured(&g->runs[i]) &&
		    (g->runs[i].tree_peak > 0 || g->runs[i].tree_peak_pss > 0))
			return BR_M_TREE_GROWTH;
	return BR_M_PEAK_RSS;
}

static const char *const status_names[] = {
	[BR_RUN_OK] = "ok",
	[BR_RUN_ERRORS] = "errors",
	[BR_RUN_FAILED] = "failed",
	[BR_RUN_CRASHED] = "crashed",
	[BR_RUN_TIMEOUT] = "timeout",
	[BR_RUN_EXITED] = "exited",
	[BR_RUN_INTERRUPTED] = "interrupted",
};

const char *brc_run_status_name(enum brc_run_status st)
{
	if ((size_t)st < BR_ARRAY_SIZE(status_names) && status_names[st])
		return status_names[st];
	return "unknown";
}

int brc_run_status_parse(const char *name)
{
	for (size_t i = 0; i < BR_ARRAY_SIZE(status_names); i++)
		if (status_names[i] && !strcmp(status_names[i], name))
			return (int)i;
	return -1;
}

/* --- groups and points -------------------------------------------------- */

static const char *point_of(const struct brc_group *g)
{
	return g->point ? g->point : "";
}

const char **brc_results_points(const struct brc_results *r, size_t *n)
{
	const char **pts = brc_xcalloc(r->n_groups + 1, sizeof(*pts));

	*n = 0;
	for (size_t i = 0; i < r->n_groups; i++) {
		const char *p = point_of(&r->groups[i]);
		size_t j;

		for (j = 0; j < *n; j++)
			if (!strcmp(pts[j], p))
				break;
		if (j == *n)
			pts[(*n)++] = p;
	}
	return pts;
}

const struct brc_group *brc_results_find(const struct brc_results *r,
                                       const char *label, const char *point)
{
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];

		if (g->label && !strcmp(g->label, label) &&
		    !strcmp(point_of(g), point))
			return g;
	}
	return NULL;
}

bool brc_results_point_has_others(const struct brc_results *r, const char *point,
                                 const struct brc_group *g)
{
	for (size_t i = 0; i < r->n_groups; i++)
		if (&r->groups[i] != g && !strcmp(point_of(&r->groups[i]), point))
			return true;
	return false;
}

const struct brc_group *brc_results_baseline(const struct brc_results *r,
                                           const char *point)
{
	const char *label = r->baseline;
	const struct brc_group *g;

	if (!label && r->n_groups)
		label = r->groups[0].label;
	if (!label)
		return NULL;
	g = brc_results_find(r, label, point);
	return g ? g : brc_results_find(r, label, "");
}
