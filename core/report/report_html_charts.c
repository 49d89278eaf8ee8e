/*
 * report_html_charts.c - what the HTML report draws (report_svg.c draws
 * it): per sweep point the memory of every strategy's process tree over
 * time on one chart, wall time and memory as bars with their confidence
 * intervals, and across sweep points each strategy's curve.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html.h"
#include "report/report_svg.h"
#include "report/report_util.h"
#include "results/timeline.h"
#include "util.h"

#define MIB (1024.0 * 1024.0)
/* Points per line: a 10-minute run sampled every 10 ms has 60,000; the
 * page draws the lowest and highest sample of each of half this many
 * buckets (results/timeline.h), so a peak is never thinned away and the
 * page stays small. */
#define MAX_POINTS 600
/* Charts of at most this many sweep points, then a note. */
#define MAX_POINT_CHARTS 6

static bool at(const struct brc_group *g, const char *point)
{
	return !strcmp(g->point ? g->point : "", point);
}

static const struct brc_run_result *first_timeline(const struct brc_group *g)
{
	for (size_t i = 0; i < g->n_runs; i++)
		if (g->runs[i].n_timeline)
			return &g->runs[i];
	return NULL;
}

/* The run's samples from its start on (the baseline before it is not the
 * strategy's), at most MAX_POINTS. */
static size_t thin(const struct brc_run_result *x, double *t, double *y)
{
	size_t first = 0, out = 0, kept, keep[MAX_POINTS];

	while (first < x->n_timeline && x->timeline[first].t < 0)
		first++;
	kept = brc_timeline_thin(x->timeline + first, x->n_timeline - first,
	                         MAX_POINTS, keep);
	for (size_t i = 0; i < kept; i++) {
		const struct brc_mem_sample *m = &x->timeline[first + keep[i]];

		if (m->tree_pss <= 0)
			continue; /* the tree already gone, or not yet there */
		t[out] = m->t;
		y[out++] = (double)m->tree_pss;
	}
	return out;
}

static void timeline(struct brc_buf *b, const struct brc_results *r,
                     const char *point)
{
	struct brc_series *s = brc_xcalloc(r->n_groups + 1, sizeof(*s));
	struct brc_axis ax = { .label = "seconds since the run started",
	                       .scale = 1 };
	struct brc_axis ay = { .label = "tree PSS (MiB)", .scale = MIB };
	double shortest = INFINITY, longest = 0;
	size_t n = 0;
	char *title;

	for (size_t i = 0; i < r->n_groups; i++) {
		const struct brc_run_result *x = first_timeline(&r->groups[i]);
		size_t m = x ? x->n_timeline : 0;
		double *t, *y;

		if (!at(&r->groups[i], point) || !m)
			continue;
		t = brc_xcalloc(m, sizeof(double));
		y = brc_xcalloc(m, sizeof(double));
		s[n] = (struct brc_series){ r->groups[i].label, t, y,
		                            thin(x, t, y) };
		if (s[n].n) {
			shortest = fmin(shortest, t[s[n].n - 1]);
			longest = fmax(longest, t[s[n].n - 1]);
		}
		n++;
	}
	/* sync for 10 s beside eventloop for 0.1 s: a linear axis would
	 * squash all but the slowest against the y axis. */
	ax.log = shortest > 0 && longest > 8 * shortest;
	if (ax.log)
		ax.label = "seconds since the run started (log scale)";
	title = brc_xasprintf("Memory of the process tree over time (first run "
	                     "of each strategy%s%s)", *point ? ", " : "", point);
	if (brc_svg_lines(b, title, s, n, &ax, &ay))
		brc_buf_printf(b, "<p class=\"note\">No memory timeline to draw "
		              "(no run sampled its tree).</p>\n");
	free(title);
	for (size_t i = 0; i < n; i++) {
		free((void *)s[i].x);
		free((void *)s[i].y);
	}
	free(s);
}

/* Bars of one metric per strategy at a point, whiskers its 95% CI. */
static void bars(struct brc_buf *b, const struct brc_results *r,
                 const char *point, bool memory)
{
	size_t n = 0;
	const char **names = brc_xcalloc(r->n_groups + 1, sizeof(char *));
	double *v = brc_xcalloc(r->n_groups + 1, sizeof(double));
	double *lo = brc_xcalloc(r->n_groups + 1, sizeof(double));
	double *hi = brc_xcalloc(r->n_groups + 1, sizeof(double));
	const char *metric = NULL;
	char *title;

	for (size_t i = 0; i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];
		int m = memory ? brc_group_mem_metric(g) : BR_M_WALL;
		struct brc_stats st;

		if (!at(g, point))
			continue;
		brc_group_stats(g, m, &st, NULL);
		names[n] = g->label;
		v[n] = st.mean;
		/* No whisker under BR_MIN_RUNS runs, as no ± in the table. */
		lo[n] = st.n >= BR_MIN_RUNS ? st.ci_lo : NAN;
		hi[n] = st.n >= BR_MIN_RUNS ? st.ci_hi : NAN;
		metric = brc_metrics[m].title;
		n++;
	}
	title = brc_xasprintf("%s by strategy%s%s (mean; whiskers: 95%% "
	                     "confidence interval)", memory ? "Memory"
	                                                    : "Wall time",
	                     *point ? ", " : "", point);
	if (memory) {
		char *unit = brc_xasprintf("%s (MiB)", metric ? metric : "memory");

		brc_svg_bars(b, title, unit, MIB, names, v, lo, hi, n);
		free(unit);
	} else {
		brc_svg_bars(b, title, "wall time (s)", 1, names, v, lo, hi, n);
	}
	free(title);
	free(names);
	free(v);
	free(lo);
	free(hi);
}

/* The number in a sweep point ("concurrency=100" -> 100). */
static double point_value(const char *point)
{
	const char *eq = strchr(point, '=');
	char *end;
	double v;

	if (!eq)
		return NAN;
	v = strtod(eq + 1, &end);
	return end == eq + 1 ? NAN : v;
}

/* Each strategy's mean of metric m across sweep points. */
static void curves(struct brc_buf *b, const struct brc_results *r,
                   const char **points, size_t n_points, bool memory)
{
	struct brc_series *s = brc_xcalloc(r->n_groups + 1, sizeof(*s));
	struct brc_axis ax = { .label = "", .scale = 1 };
	struct brc_axis ay = { .scale = memory ? MIB : 1,
	                       .label = "wall time (s)" };
	char *mem_label = NULL;
	double lo = INFINITY, hi = 0;
	size_t n = 0;

	for (size_t i = 0; i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];
		size_t k, j;
		double *x, *y;

		for (k = 0; k < n; k++)
			if (!strcmp(s[k].name, g->label))
				break;
		if (k < n)
			continue; /* this strategy's curve is drawn already */
		x = brc_xcalloc(n_points, sizeof(double));
		y = brc_xcalloc(n_points, sizeof(double));
		s[n] = (struct brc_series){ g->label, x, y, 0 };
		for (j = 0; j < n_points; j++) {
			const struct brc_group *h = brc_results_find(r, g->label,
			                                             points[j]);
			struct brc_stats st;

			if (!h || !*points[j])
				continue;
			int m = memory ? brc_group_mem_metric(h) : BR_M_WALL;

			brc_group_stats(h, m, &st, NULL);
			/* The metric memory is compared by (the tree's growth,
			 * or the largest process): the axis says which. */
			if (memory && !mem_label)
				mem_label = brc_xasprintf("%s (MiB)",
				                          brc_metrics[m].title);
			x[s[n].n] = point_value(points[j]);
			y[s[n].n++] = st.mean;
			lo = fmin(lo, point_value(points[j]));
			hi = fmax(hi, point_value(points[j]));
		}
		n++;
	}
	{
		const char *eq = strchr(points[n_points - 1], '=');
		size_t len = eq ? (size_t)(eq - points[n_points - 1]) : 0;
		char *label = brc_xasprintf("%.*s", (int)len,
		                           points[n_points - 1]);
		char *title = brc_xasprintf("%s across the sweep (mean of each "
		                           "point)", memory ? "Memory"
		                                            : "Wall time");

		ax.label = label;
		if (mem_label)
			ay.label = mem_label;
		ax.log = lo > 0 && hi > 50 * lo;
		if (brc_svg_lines(b, title, s, n, &ax, &ay))
			brc_buf_printf(b, "<p class=\"note\">The sweep's points are "
			              "not numbers: no curve.</p>\n");
		free(title);
		free(label);
		free(mem_label);
	}
	for (size_t i = 0; i < n; i++) {
		free((void *)s[i].x);
		free((void *)s[i].y);
	}
	free(s);
}

static double achieved(const struct brc_run_result *x)
{
	return x->open.achieved_rate;
}

static double resp_p50(const struct brc_run_result *x)
{
	return x->latency.p50;
}

static double resp_p99(const struct brc_run_result *x)
{
	return x->latency.p99;
}

/* The open model's latency-throughput curve of each strategy: response
 * time (from when each request was due) against the rate it achieved,
 * one point per sweep point -- the hockey stick of docs/open-model.md. */
static void open_curves(struct brc_buf *b, const struct brc_results *r,
                        const char **points, size_t n_points, bool p99)
{
	struct brc_series *s = brc_xcalloc(r->n_groups + 1, sizeof(*s));
	struct brc_axis ax = { .label = "achieved rate (requests/s)",
	                       .scale = 1 };
	struct brc_axis ay = { .label = p99 ? "p99 response time (s)"
	                                    : "p50 response time (s)",
	                       .scale = 1 };
	size_t n = 0;

	for (size_t i = 0; i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];
		size_t k;
		double *x, *y;

		for (k = 0; k < n && strcmp(s[k].name, g->label); k++)
			;
		if (k < n)
			continue;
		x = brc_xcalloc(n_points + 1, sizeof(double));
		y = brc_xcalloc(n_points + 1, sizeof(double));
		s[n] = (struct brc_series){ g->label, x, y, 0 };
		for (size_t j = 0; j < n_points; j++) {
			const struct brc_group *h = brc_results_find(r, g->label,
			                                             points[j]);

			if (!h)
				continue;
			x[s[n].n] = brc_group_mean(h, achieved);
			y[s[n].n++] = brc_group_mean(h, p99 ? resp_p99 : resp_p50);
		}
		n++;
	}
	brc_svg_lines(b, p99 ? "p99 response time against achieved rate (open "
	                       "model, from when each request was due)"
	                     : "p50 response time against achieved rate (open "
	                       "model)", s, n, &ax, &ay);
	for (size_t i = 0; i < n; i++) {
		free((void *)s[i].x);
		free((void *)s[i].y);
	}
	free(s);
}

static bool open_model(const struct brc_results *r)
{
	for (size_t i = 0; i < r->n_groups; i++)
		for (size_t k = 0; k < r->groups[i].n_runs; k++)
			if (r->groups[i].runs[k].open.offered_rate > 0)
				return true;
	return false;
}

void brc_html_charts(struct brc_buf *b, const struct brc_results *r,
                     const char **points, size_t n_points)
{
	size_t numeric = 0;

	for (size_t p = 0; p < n_points && p < MAX_POINT_CHARTS; p++) {
		if (*points[p]) {
			brc_buf_printf(b, "<h3>");
			brc_html_escape(b, points[p]);
			brc_buf_printf(b, "</h3>\n");
		}
		timeline(b, r, points[p]);
		bars(b, r, points[p], false);
		bars(b, r, points[p], true);
	}
	if (n_points > MAX_POINT_CHARTS)
		brc_buf_printf(b, "<p class=\"note\">Charts of the first %d sweep "
		              "points; the curves below cover all %zu.</p>\n",
		              MAX_POINT_CHARTS, n_points);
	for (size_t p = 0; p < n_points; p++)
		numeric += isfinite(point_value(points[p]));
	if (numeric >= 2) {
		curves(b, r, points, n_points, false);
		curves(b, r, points, n_points, true);
	}
	if (open_model(r)) {
		open_curves(b, r, points, n_points, true);
		open_curves(b, r, points, n_points, false);
	}
}
