/*
 * report_plot_panels.c - what `benchrun plot` draws: each panel's data
 * files and gnuplot commands (report_plot.h).  report_plot.c assembles
 * them into one picture and runs gnuplot.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_plot.h"
#include "report/report_util.h"
#include "results/timeline.h"
#include "util.h"

#define MIB (1024.0 * 1024.0)

/*
 * Every string from a results file reaches the script only through here.
 * A gnuplot single-quoted string has one escape, '' for ', and expands
 * neither backquotes nor macros; what can still break out of it is the end
 * of the line (a newline ends the command, so the rest of a label would be
 * a command of its own).  brc_sanitize turns every control character into
 * '?', so the string ends where we close it (tests/check_security.c).
 */
void brc_plot_quote(struct brc_buf *b, const char *s)
{
	char *clean = brc_xsanitized(s, 0);

	brc_buf_append(b, "'", 1);
	for (const char *c = clean; *c; c++) {
		if (*c == '\'')
			brc_buf_append(b, "''", 2);
		else
			brc_buf_append(b, c, 1);
	}
	brc_buf_append(b, "'", 1);
	free(clean);
}

/* A double-quoted data-file field; gnuplot has no escape there, and a
 * newline would end the row. */
static void dq(FILE *f, const char *s)
{
	char *clean = brc_xsanitized(s, 0);

	fputc('"', f);
	for (const char *c = clean; *c; c++)
		fputc(*c == '"' ? '\'' : *c, f);
	fputc('"', f);
	free(clean);
}

size_t brc_plot_label(struct plot *p, const char *label)
{
	for (size_t i = 0; i < p->n_labels; i++)
		if (!strcmp(p->labels[i], label))
			return i;
	p->labels = brc_xrealloc(p->labels, (p->n_labels + 1) * sizeof(char *));
	p->labels[p->n_labels] = (char *)label;
	return p->n_labels++;
}

static FILE *data_file(struct plot *p, const char *name)
{
	char *path = brc_xasprintf("%s/%s", p->dir, name);
	FILE *f = fopen(path, "w");

	free(path);
	return f;
}

/* `set title` of a panel: fixed text, with a sweep the point in focus
 * between `sep` and `end` (a point comes from the results file: quoted). */
static void panel_title(struct plot *p, const char *text, const char *sep,
                  const char *end)
{
	char *t = brc_xasprintf("%s%s%s%s", text, sep, *sep ? p->focus : "",
	                        end);

	brc_buf_printf(&p->script, "set title ");
	brc_plot_quote(&p->script, t);
	brc_buf_printf(&p->script, "\n");
	free(t);
}

static bool in_focus(const struct plot *p, const struct brc_group *g)
{
	const char *pt = g->point ? g->point : "";

	return !*pt || !strcmp(pt, p->focus);
}

static const struct brc_run_result *first_timeline(const struct brc_group *g)
{
	for (size_t i = 0; i < g->n_runs; i++)
		if (g->runs[i].n_timeline)
			return &g->runs[i];
	return NULL;
}

/*
 * Whether run lengths differ so much (sync 10 s, eventloop 0.1 s) that a
 * linear time axis would squash all but the slowest strategy against the
 * y axis: then time goes on a log scale.
 */
static bool timeline_log_x(const struct plot *p)
{
	double shortest = INFINITY, longest = 0;

	for (size_t i = 0; i < p->r->n_groups; i++) {
		const struct brc_group *g = &p->r->groups[i];
		const struct brc_run_result *x = first_timeline(g);

		if (!in_focus(p, g) || !x)
			continue;
		double end = x->timeline[x->n_timeline - 1].t;

		shortest = fmin(shortest, end);
		longest = fmax(longest, end);
	}
	return shortest > 0 && longest > 8 * shortest;
}

/* Points per strategy at most: a picture is ~1,000 pixels wide, and
 * gnuplot took seconds over a 1,000,000-sample timeline. */
#define TIMELINE_MAX_POINTS 4000

/*
 * The timeline's points as "t MiB" lines.  A sample of 0 is the tree
 * already gone (or not yet started): a cliff to zero would only distract.
 * Samples before the run began (t < 0: the worker loading its plugin) are
 * not the strategy's memory and drew a spike left of the axis; on a log
 * axis the first millisecond has no place either.  A long timeline keeps
 * the lowest and highest sample of each bucket (results/timeline.h), at
 * most TIMELINE_MAX_POINTS, so no peak is lost.
 */
static size_t timeline_points(const struct brc_run_result *x, bool log_x,
                              struct brc_buf *pts)
{
	double t_min = log_x ? 1e-3 : 0;
	size_t first = 0, n = 0, kept, *keep;

	while (first < x->n_timeline && x->timeline[first].t < t_min)
		first++;
	keep = brc_xcalloc(TIMELINE_MAX_POINTS, sizeof(*keep));
	kept = brc_timeline_thin(x->timeline + first, x->n_timeline - first,
	                         TIMELINE_MAX_POINTS, keep);
	for (size_t i = 0; i < kept; i++) {
		const struct brc_mem_sample *m = &x->timeline[first + keep[i]];

		if (m->tree_pss > 0 && m->t >= t_min) {
			brc_buf_printf(pts, "%.6f %.4f\n", m->t,
			              (double)m->tree_pss / MIB);
			n++;
		}
	}
	free(keep);
	return n;
}

/* Fewer samples than this in a timeline are drawn with markers. */
#define SPARSE_SAMPLES 30

void brc_plot_timeline(struct plot *p)
{
	struct brc_buf *s = &p->script;
	const char *sep = "plot ";
	bool log_x = timeline_log_x(p);
	size_t n = 0;

	panel_title(p, "Memory of the process tree over time (first run of each "
	      "strategy", p->sweep ? ", " : "", ")");
	brc_buf_printf(s, "set xlabel 'time since the run started (s%s)'\n"
	              "set ylabel 'tree PSS (MiB)'\nset key top left\n%s",
	              log_x ? ", log scale" : "",
	              log_x ? "set logscale x\nset yrange [0:*]\n" : "");
	for (size_t i = 0; i < p->r->n_groups; i++) {
		const struct brc_group *g = &p->r->groups[i];
		const struct brc_run_result *x = first_timeline(g);
		char name[48];
		FILE *f;

		struct brc_buf pts = { 0 };
		size_t n_pts = 0;

		if (!in_focus(p, g) || !x)
			continue;
		n_pts = timeline_points(x, log_x, &pts);
		/* A run that failed at once has nothing to draw. */
		snprintf(name, sizeof(name), "timeline%zu.dat", i);
		f = pts.len ? data_file(p, name) : NULL;
		if (!f) {
			brc_buf_free(&pts);
			continue;
		}
		fwrite(pts.data, 1, pts.len, f);
		brc_buf_free(&pts);
		fclose(f);
		/* A few samples joined by straight lines look like a
		 * measurement between them: mark where the samples are. */
		brc_buf_printf(s, "%s'%s' using 1:2 with %s lw 2 lt %zu "
		              "title ", sep, name,
		              n_pts < SPARSE_SAMPLES ? "linespoints pt 7 ps 0.7"
		                                     : "lines",
		              brc_plot_label(p, g->label) + 1);
		brc_plot_quote(s, g->label);
		sep = ", \\\n  ";
		n++;
	}
	if (!n)
		brc_buf_printf(s, "set label 1 'no memory timeline recorded' at "
		              "graph 0.5,0.5 center\nset xrange [0:1]\n"
		              "set yrange [0:1]\nplot 2 notitle\nunset label 1\n");
	else
		brc_buf_printf(s, "\n");
	brc_buf_printf(s, "unset logscale x\nset autoscale\n");
}

/* Half the width of the 95% CI of the mean: the error bar (none with
 * fewer than BR_MIN_RUNS runs, as in the table). */
static double ci_half(const struct brc_stats *s)
{
	return s->n >= BR_MIN_RUNS && !isnan(s->ci_hi) ? (s->ci_hi - s->ci_lo) / 2
	                                              : 0;
}

/* Pictures show the tree's absolute peak ("Peak memory of the tree"),
 * not the growth the ratio lines compare. */
static int plot_mem_metric(const struct brc_group *g)
{
	int m = brc_group_mem_metric(g);

	return m == BR_M_TREE_GROWTH ? BR_M_TREE_MEM : m;
}

/* bars.dat: index, label, wall mean, wall CI half width, memory mean,
 * memory CI half width, colour. */
int brc_plot_bars_data(struct plot *p, size_t *n)
{
	FILE *f = data_file(p, "bars.dat");

	*n = 0;
	if (!f)
		return -1;
	for (size_t i = 0; i < p->r->n_groups; i++) {
		const struct brc_group *g = &p->r->groups[i];
		struct brc_stats w, m;

		if (!in_focus(p, g))
			continue;
		brc_group_stats(g, BR_M_WALL, &w, NULL);
		brc_group_stats(g, plot_mem_metric(g), &m, NULL);
		fprintf(f, "%zu ", (*n)++);
		dq(f, g->label);
		fprintf(f, " %g %g %g %g %zu\n", w.mean, ci_half(&w),
		        m.mean / MIB, ci_half(&m) / MIB,
		        brc_plot_label(p, g->label) + 1);
	}
	fclose(f);
	return 0;
}

void brc_plot_bars(struct plot *p, const char *title, const char *ylabel,
                  int col, size_t n)
{
	struct brc_buf *s = &p->script;

	panel_title(p, title, p->sweep ? " at " : "", "");
	brc_buf_printf(s, "set xlabel ''\nset ylabel '%s'\n", ylabel);
	brc_buf_printf(s, "set style fill solid 0.7 border -1\nset boxwidth 0.6\n"
	              "set xrange [-0.6:%g]\nset yrange [0:*]\nset xtics %s\n",
	              (double)n - 0.4, n > 5 ? "rotate by -30" : "norotate");
	brc_buf_printf(s, "plot 'bars.dat' using 1:%d:7:xtic(2) with boxes "
	              "lc variable notitle, \\\n  '' using 1:%d:%d with "
	              "yerrorbars lc rgb 'black' lw 1.5 pt 7 ps 0.4 notitle\n",
	              col, col, col + 1);
	brc_buf_printf(s, "set autoscale\nset xtics norotate\nunset xtics\n"
	              "set xtics\n");
}

static int cmp_group_conc(const void *a, const void *b)
{
	const struct brc_group *x = *(const struct brc_group *const *)a;
	const struct brc_group *y = *(const struct brc_group *const *)b;

	return (x->concurrency > y->concurrency) -
	       (x->concurrency < y->concurrency);
}

/* One data file per strategy: concurrency, wall, memory (MiB). */
void brc_plot_sweep(struct plot *p, int col, const char *title,
                   const char *ylabel)
{
	const struct brc_results *r = p->r;
	const struct brc_group **gs = brc_xcalloc(r->n_groups + 1, sizeof(*gs));
	struct brc_buf *s = &p->script, cmd = { 0 };
	double lo = INFINITY, hi = 0;
	const char *sep = "plot ";

	brc_buf_printf(s, "set title '%s'\nset xlabel 'concurrency'\n"
	              "set ylabel '%s'\nset logscale x\nset key top left\n",
	              title, ylabel);
	for (size_t l = 0; l < p->n_labels; l++) {
		size_t n = 0;
		char name[48];
		FILE *f;

		for (size_t i = 0; i < r->n_groups; i++)
			if (!strcmp(r->groups[i].label, p->labels[l]) &&
			    r->groups[i].concurrency > 0)
				gs[n++] = &r->groups[i];
		if (n < 2)
			continue;
		qsort(gs, n, sizeof(*gs), cmp_group_conc);
		snprintf(name, sizeof(name), "sweep%zu.dat", l);
		f = data_file(p, name);
		if (!f)
			continue;
		for (size_t i = 0; i < n; i++) {
			struct brc_stats w, m;
			double y;

			brc_group_stats(gs[i], BR_M_WALL, &w, NULL);
			brc_group_stats(gs[i], plot_mem_metric(gs[i]), &m, NULL);
			fprintf(f, "%lld %g %g\n", (long long)gs[i]->concurrency,
			        w.mean, m.mean / MIB);
			y = col == 2 ? w.mean : m.mean;
			if (y > 0) {
				lo = fmin(lo, y);
				hi = fmax(hi, y);
			}
		}
		fclose(f);
		brc_buf_printf(&cmd, "%s'%s' using 1:%d with linespoints lw 2 "
		              "pt 7 lt %zu title ", sep, name, col, l + 1);
		brc_plot_quote(&cmd, p->labels[l]);
		sep = ", \\\n  ";
	}
	if (!cmd.len) {
		brc_buf_printf(s, "set label 1 'no strategy ran at two or more "
		              "concurrencies' at graph 0.5,0.5 center\n"
		              "unset logscale x\nset xrange [0:1]\nset yrange [0:1]\n"
		              "plot 2 notitle\nunset label 1\n");
	} else {
		/* A sweep over decades spans decades of time too. */
		if (hi > 20 * lo)
			brc_buf_printf(s, "set logscale y\n");
		brc_buf_printf(s, "%s\n", cmd.data);
	}
	brc_buf_printf(s, "unset logscale x\nunset logscale y\nset autoscale\n");
	brc_buf_free(&cmd);
	free(gs);
}
