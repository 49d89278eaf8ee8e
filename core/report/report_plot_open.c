/*
 * report_plot_open.c - the open model's curves (docs/open-model.md), drawn
 * in place of the concurrency sweep panels when the results sweep the
 * offered rate: per strategy, p50 (dashed) and p99 response time against
 * the achieved rate - the latency-throughput "hockey stick", where a
 * strategy that falls over turns up and stops moving right - and CPU and
 * peak memory against the offered rate.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_plot.h"
#include "report/report_util.h"
#include "util.h"

#define MIB (1024.0 * 1024.0)

/* The offered rate of g's runs (they share it), 0 when closed. */
static double offered(const struct brc_group *g)
{
	for (size_t i = 0; i < g->n_runs; i++)
		if (g->runs[i].open.offered_rate > 0)
			return g->runs[i].open.offered_rate;
	return 0;
}

static int cmp_offered(const void *a, const void *b)
{
	double x = offered(*(const struct brc_group *const *)a);
	double y = offered(*(const struct brc_group *const *)b);

	return (x > y) - (x < y);
}

static double get_achieved(const struct brc_run_result *r)
{
	return r->open.achieved_rate;
}

static double get_p50(const struct brc_run_result *r)
{
	return r->latency.p50;
}

static double get_p99(const struct brc_run_result *r)
{
	return r->latency.p99;
}

static double get_cpu(const struct brc_run_result *r)
{
	return r->cpu_user + r->cpu_sys;
}

static double get_mem(const struct brc_run_result *r)
{
	return (double)(r->tree_peak_pss ? r->tree_peak_pss : r->peak_rss) / MIB;
}

bool brc_plot_open_wanted(const struct brc_results *r)
{
	for (size_t i = 0; i < r->n_groups; i++)
		for (size_t j = i + 1; j < r->n_groups; j++)
			if (!strcmp(r->groups[i].label, r->groups[j].label) &&
			    offered(&r->groups[i]) > 0 && offered(&r->groups[j]) > 0 &&
			    offered(&r->groups[i]) != offered(&r->groups[j]))
				return true;
	return false;
}

/* rate<l>.dat per strategy: offered, achieved, p50, p99, CPU, memory. */
static size_t write_data(struct plot *p)
{
	const struct brc_results *r = p->r;
	const struct brc_group **gs = brc_xcalloc(r->n_groups + 1, sizeof(*gs));
	size_t drawn = 0;

	for (size_t l = 0; l < p->n_labels; l++) {
		char name[48], *path;
		size_t n = 0;
		FILE *f;

		for (size_t i = 0; i < r->n_groups; i++)
			if (!strcmp(r->groups[i].label, p->labels[l]) &&
			    offered(&r->groups[i]) > 0 &&
			    !isnan(brc_group_mean(&r->groups[i], get_p99)))
				gs[n++] = &r->groups[i];
		if (n < 1)
			continue;
		qsort(gs, n, sizeof(*gs), cmp_offered);
		snprintf(name, sizeof(name), "rate%zu.dat", l);
		path = brc_xasprintf("%s/%s", p->dir, name);
		f = fopen(path, "w");
		free(path);
		if (!f)
			continue;
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%g %g %g %g %g %g\n", offered(gs[i]),
			        brc_group_mean(gs[i], get_achieved),
			        brc_group_mean(gs[i], get_p50) * 1e3,
			        brc_group_mean(gs[i], get_p99) * 1e3,
			        brc_group_mean(gs[i], get_cpu), brc_group_mean(gs[i], get_mem));
		fclose(f);
		drawn++;
	}
	free(gs);
	return drawn;
}

/* One panel: `cols` "x:y" of every strategy's file. */
static void panel(struct plot *p, const char *title, const char *xlabel,
                  const char *ylabel, const char *cols, bool with_p50)
{
	struct brc_buf *s = &p->script;
	const char *sep = "plot ";

	brc_buf_printf(s, "set title '%s'\nset xlabel '%s'\nset ylabel '%s'\n"
	              "set logscale x\nset key top left\n", title, xlabel,
	              ylabel);
	if (with_p50)
		brc_buf_printf(s, "set logscale y\n");
	for (size_t l = 0; l < p->n_labels; l++) {
		char name[48], *path = NULL;
		FILE *f;

		snprintf(name, sizeof(name), "rate%zu.dat", l);
		path = brc_xasprintf("%s/%s", p->dir, name);
		f = fopen(path, "r");
		free(path);
		if (!f)
			continue;
		fclose(f);
		brc_buf_printf(s, "%s'%s' using %s with linespoints lw 2 pt 7 "
		              "lt %zu title ", sep, name, cols, l + 1);
		brc_plot_quote(s, p->labels[l]);
		sep = ", \\\n  ";
		if (with_p50)
			brc_buf_printf(s, "%s'%s' using 2:3 with linespoints lw 1 "
			              "dt 2 pt 6 lt %zu notitle", sep, name, l + 1);
	}
	if (!strcmp(sep, "plot "))
		brc_buf_printf(s, "set label 1 'no strategy ran at two rates' at "
		              "graph 0.5,0.5 center\nplot 2 notitle\n"
		              "unset label 1\n");
	else
		brc_buf_printf(s, "\n");
	brc_buf_printf(s, "unset logscale x\nunset logscale y\nset autoscale\n");
}

void brc_plot_open(struct plot *p, double height)
{
	struct brc_buf *s = &p->script;

	write_data(p);
	brc_buf_printf(s, "set origin 0,%g\nset size 0.5,%g\n", height, height);
	panel(p, "Response time vs achieved rate (p99 solid, p50 dashed)",
	      "achieved req/s", "ms (from due)", "2:4", true);
	brc_buf_printf(s, "set origin 0.5,%g\nset size 0.5,%g\n", height, height);
	panel(p, "CPU vs offered rate", "offered req/s", "CPU seconds", "1:5",
	      false);
	brc_buf_printf(s, "set origin 0,0\nset size 0.5,%g\n", height);
	panel(p, "Peak memory vs offered rate", "offered req/s", "MiB", "1:6",
	      false);
	brc_buf_printf(s, "set origin 0.5,0\nset size 0.5,%g\n", height);
	panel(p, "Achieved vs offered rate", "offered req/s", "achieved req/s",
	      "1:2", false);
}
