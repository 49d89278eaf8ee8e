/*
 * report_plot.c - one picture of a results file, drawn by gnuplot: the
 * memory of each strategy's process tree over time (first run of each
 * group), wall time and peak memory bars, and with a sweep, concurrency
 * against wall time and peak memory (log x).
 *
 * We write a gnuplot script and plain data files into a private temporary
 * directory and run gnuplot on them, rather than linking a plotting
 * library: gnuplot-nox is one apt-get away, and the script left behind
 * when gnuplot fails is easy to debug.  The picture is copied to its
 * destination atomically.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "report_util.h"
#include "util.h"

#define MIB (1024.0 * 1024.0)

struct plot {
	const struct br_results *r;
	char *dir;            /* temporary directory */
	const char *focus;    /* sweep point shown by timeline and bars */
	bool sweep;
	struct br_buf script;
	char **labels;        /* distinct strategy labels: colours, sweeps */
	size_t n_labels;
};

/* A gnuplot single-quoted string: the only escape is '' for '. */
static void gq(struct br_buf *b, const char *s)
{
	br_buf_append(b, "'", 1);
	for (; s && *s; s++) {
		if (*s == '\'')
			br_buf_append(b, "''", 2);
		else
			br_buf_append(b, s, 1);
	}
	br_buf_append(b, "'", 1);
}

/* A double-quoted data-file field; gnuplot has no escape there. */
static void dq(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++)
		fputc(*s == '"' ? '\'' : *s, f);
	fputc('"', f);
}

static size_t label_index(struct plot *p, const char *label)
{
	for (size_t i = 0; i < p->n_labels; i++)
		if (!strcmp(p->labels[i], label))
			return i;
	p->labels = br_xrealloc(p->labels, (p->n_labels + 1) * sizeof(char *));
	p->labels[p->n_labels] = (char *)label;
	return p->n_labels++;
}

static FILE *data_file(struct plot *p, const char *name)
{
	char *path = br_xasprintf("%s/%s", p->dir, name);
	FILE *f = fopen(path, "w");

	free(path);
	return f;
}

static bool in_focus(const struct plot *p, const struct br_group *g)
{
	const char *pt = g->point ? g->point : "";

	return !*pt || !strcmp(pt, p->focus);
}

static const struct br_run_result *first_timeline(const struct br_group *g)
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
		const struct br_group *g = &p->r->groups[i];
		const struct br_run_result *x = first_timeline(g);

		if (!in_focus(p, g) || !x)
			continue;
		double end = x->timeline[x->n_timeline - 1].t;

		shortest = fmin(shortest, end);
		longest = fmax(longest, end);
	}
	return shortest > 0 && longest > 8 * shortest;
}

static void panel_timeline(struct plot *p)
{
	struct br_buf *s = &p->script;
	const char *sep = "plot ";
	bool log_x = timeline_log_x(p);
	size_t n = 0;

	br_buf_printf(s, "set title 'Memory of the process tree over time "
	              "(first run of each strategy%s%s)'\n",
	              p->sweep ? ", " : "", p->sweep ? p->focus : "");
	br_buf_printf(s, "set xlabel 'time since the run started (s%s)'\n"
	              "set ylabel 'tree PSS (MiB)'\nset key top left\n%s",
	              log_x ? ", log scale" : "",
	              log_x ? "set logscale x\nset yrange [0:*]\n" : "");
	for (size_t i = 0; i < p->r->n_groups; i++) {
		const struct br_group *g = &p->r->groups[i];
		const struct br_run_result *x = first_timeline(g);
		char name[48];
		FILE *f;

		if (!in_focus(p, g) || !x)
			continue;
		snprintf(name, sizeof(name), "timeline%zu.dat", i);
		f = data_file(p, name);
		if (!f)
			continue;
		/* A sample of 0 is the tree already gone (or not yet
		 * started): a cliff to zero would only distract.  On a log
		 * axis the samples before the run have no place. */
		for (size_t k = 0; k < x->n_timeline; k++)
			if (x->timeline[k].tree_pss > 0 &&
			    (!log_x || x->timeline[k].t >= 1e-3))
				fprintf(f, "%.6f %.4f\n", x->timeline[k].t,
				        (double)x->timeline[k].tree_pss / MIB);
		fclose(f);
		br_buf_printf(s, "%s'%s/%s' using 1:2 with lines lw 2 lt %zu "
		              "title ", sep, p->dir, name,
		              label_index(p, g->label) + 1);
		gq(s, g->label);
		sep = ", \\\n  ";
		n++;
	}
	if (!n)
		br_buf_printf(s, "set label 1 'no memory timeline recorded' at "
		              "graph 0.5,0.5 center\nset xrange [0:1]\n"
		              "set yrange [0:1]\nplot 2 notitle\nunset label 1\n");
	else
		br_buf_printf(s, "\n");
	br_buf_printf(s, "unset logscale x\nset autoscale\n");
}

/* bars.dat: index, label, wall mean, wall sd, memory mean, memory sd,
 * colour. */
static int write_bars(struct plot *p, size_t *n)
{
	FILE *f = data_file(p, "bars.dat");

	*n = 0;
	if (!f)
		return -1;
	for (size_t i = 0; i < p->r->n_groups; i++) {
		const struct br_group *g = &p->r->groups[i];
		struct br_stats w, m;

		if (!in_focus(p, g))
			continue;
		br_group_stats(g, BR_M_WALL, &w, NULL);
		br_group_stats(g, br_group_mem_metric(g), &m, NULL);
		fprintf(f, "%zu ", (*n)++);
		dq(f, g->label);
		fprintf(f, " %g %g %g %g %zu\n", w.mean, isnan(w.sd) ? 0 : w.sd,
		        m.mean / MIB, isnan(m.sd) ? 0 : m.sd / MIB,
		        label_index(p, g->label) + 1);
	}
	fclose(f);
	return 0;
}

static void panel_bars(struct plot *p, const char *title, const char *ylabel,
                       int col, size_t n)
{
	struct br_buf *s = &p->script;

	br_buf_printf(s, "set title '%s%s%s'\nset xlabel ''\nset ylabel '%s'\n",
	              title, p->sweep ? " at " : "", p->sweep ? p->focus : "",
	              ylabel);
	br_buf_printf(s, "set style fill solid 0.7 border -1\nset boxwidth 0.6\n"
	              "set xrange [-0.6:%g]\nset yrange [0:*]\nset xtics %s\n",
	              (double)n - 0.4, n > 5 ? "rotate by -30" : "norotate");
	br_buf_printf(s, "plot '%s/bars.dat' using 1:%d:7:xtic(2) with boxes "
	              "lc variable notitle, \\\n  '' using 1:%d:%d with "
	              "yerrorbars lc rgb 'black' lw 1.5 pt 7 ps 0.4 notitle\n",
	              p->dir, col, col, col + 1);
	br_buf_printf(s, "set autoscale\nset xtics norotate\nunset xtics\n"
	              "set xtics\n");
}

static int cmp_group_conc(const void *a, const void *b)
{
	const struct br_group *x = *(const struct br_group *const *)a;
	const struct br_group *y = *(const struct br_group *const *)b;

	return (x->concurrency > y->concurrency) -
	       (x->concurrency < y->concurrency);
}

/* One data file per strategy: concurrency, wall, memory (MiB). */
static void panel_sweep(struct plot *p, int col, const char *title,
                        const char *ylabel)
{
	const struct br_results *r = p->r;
	const struct br_group **gs = br_xcalloc(r->n_groups + 1, sizeof(*gs));
	struct br_buf *s = &p->script, cmd = { 0 };
	double lo = INFINITY, hi = 0;
	const char *sep = "plot ";

	br_buf_printf(s, "set title '%s'\nset xlabel 'concurrency'\n"
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
			struct br_stats w, m;
			double y;

			br_group_stats(gs[i], BR_M_WALL, &w, NULL);
			br_group_stats(gs[i], br_group_mem_metric(gs[i]), &m, NULL);
			fprintf(f, "%lld %g %g\n", (long long)gs[i]->concurrency,
			        w.mean, m.mean / MIB);
			y = col == 2 ? w.mean : m.mean;
			if (y > 0) {
				lo = fmin(lo, y);
				hi = fmax(hi, y);
			}
		}
		fclose(f);
		br_buf_printf(&cmd, "%s'%s/%s' using 1:%d with linespoints lw 2 "
		              "pt 7 lt %zu title ", sep, p->dir, name, col, l + 1);
		gq(&cmd, p->labels[l]);
		sep = ", \\\n  ";
	}
	if (!cmd.len) {
		br_buf_printf(s, "set label 1 'no strategy ran at two or more "
		              "concurrencies' at graph 0.5,0.5 center\n"
		              "unset logscale x\nset xrange [0:1]\nset yrange [0:1]\n"
		              "plot 2 notitle\nunset label 1\n");
	} else {
		/* A sweep over decades spans decades of time too. */
		if (hi > 20 * lo)
			br_buf_printf(s, "set logscale y\n");
		br_buf_printf(s, "%s\n", cmd.data);
	}
	br_buf_printf(s, "unset logscale x\nunset logscale y\nset autoscale\n");
	br_buf_free(&cmd);
	free(gs);
}

static const char *picture_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && !strcasecmp(dot, ".svg"))
		return "svg";
	if (dot && !strcasecmp(dot, ".png"))
		return "png";
	return NULL;
}

static void build_script(struct plot *p, const char *type)
{
	const struct br_results *r = p->r;
	struct br_buf *s = &p->script;
	double h = p->sweep ? 1350 : 950;
	char title[512];
	size_t n_bars;

	/* pngcairo draws far better than libgd's png, but a gnuplot built
	 * without cairo only has the latter. */
	if (!strcmp(type, "svg"))
		br_buf_printf(s, "set terminal svg size 1200,%g dynamic "
		              "noenhanced font 'sans,12' background '#ffffff'\n", h);
	else
		br_buf_printf(s, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) "
		              "{ set terminal pngcairo size 1200,%g noenhanced "
		              "font 'sans,10' background '#ffffff' } else "
		              "{ set terminal png size 1200,%g noenhanced }\n", h, h);
	br_buf_printf(s, "set output '%s/picture.%s'\nset grid\n", p->dir, type);
	br_buf_printf(s, "set linetype 1 lc rgb '#1f77b4'\nset linetype 2 lc rgb "
	              "'#ff7f0e'\nset linetype 3 lc rgb '#2ca02c'\nset linetype 4 "
	              "lc rgb '#d62728'\nset linetype 5 lc rgb '#9467bd'\n"
	              "set linetype 6 lc rgb '#8c564b'\nset linetype 7 lc rgb "
	              "'#e377c2'\nset linetype 8 lc rgb '#7f7f7f'\n"
	              "set linetypes cycle 8\n");
	snprintf(title, sizeof(title), "benchrun: %s, %llu requests%s%s",
	         r->scenario_name ? r->scenario_name : "results",
	         (unsigned long long)r->requests, r->server_desc ? ", server " : "",
	         r->server_desc ? r->server_desc : "");
	br_buf_printf(s, "set multiplot title ");
	gq(s, title);
	br_buf_printf(s, " font 'sans,14'\n");

	/* Fixed labels first so colours follow the order of the file. */
	for (size_t i = 0; i < r->n_groups; i++)
		label_index(p, r->groups[i].label);

	br_buf_printf(s, "set origin 0,%g\nset size 1,%g\n",
	              p->sweep ? 0.62 : 0.5, p->sweep ? 0.35 : 0.46);
	panel_timeline(p);
	write_bars(p, &n_bars);
	br_buf_printf(s, "set origin 0,%g\nset size 0.5,%g\n",
	              p->sweep ? 0.31 : 0.0, p->sweep ? 0.31 : 0.5);
	panel_bars(p, "Wall time (mean, sd)", "seconds", 3, n_bars);
	br_buf_printf(s, "set origin 0.5,%g\nset size 0.5,%g\n",
	              p->sweep ? 0.31 : 0.0, p->sweep ? 0.31 : 0.5);
	panel_bars(p, "Peak memory of the tree (mean, sd)", "MiB", 5, n_bars);
	if (p->sweep) {
		br_buf_printf(s, "set origin 0,0\nset size 0.5,0.31\n");
		panel_sweep(p, 2, "Wall time by concurrency", "seconds");
		br_buf_printf(s, "set origin 0.5,0\nset size 0.5,0.31\n");
		panel_sweep(p, 3, "Peak memory by concurrency", "MiB");
	}
	br_buf_printf(s, "unset multiplot\nset output\n");
}

/* Run gnuplot on the script; 0 when it succeeded, -2 when there is no
 * gnuplot, -1 when it failed.  BENCHRUN_GNUPLOT
 * overrides the gnuplot found by configure. */
static int run_gnuplot(const char *script)
{
	const char *gnuplot = getenv("BENCHRUN_GNUPLOT");
	pid_t pid;
	int st;

	if (!gnuplot || !*gnuplot)
		gnuplot = BR_GNUPLOT;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp(gnuplot, gnuplot, script, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		br_error("gnuplot not found (%s): install gnuplot-nox "
		         "(apt-get install gnuplot-nox)", gnuplot);
		return -2;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		br_error("gnuplot failed on %s", script);
		return -1;
	}
	return 0;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			char *f = br_xasprintf("%s/%s", dir, e->d_name);

			unlink(f);
			free(f);
		}
	closedir(d);
	rmdir(dir);
}

int br_report_plot(const char *path, const struct br_results *r)
{
	const char *type = picture_type(path), *tmp = getenv("TMPDIR");
	struct plot p = { .r = r };
	char *script = NULL, *picture = NULL, *data = NULL;
	const char **points;
	size_t n_points, len;
	int rc = -1;

	if (!type) {
		br_error("%s: the picture must be .svg or .png", path);
		return -1;
	}
	points = br_results_points(r, &n_points);
	p.focus = n_points ? points[n_points - 1] : "";
	p.sweep = *p.focus != '\0';
	p.dir = br_xasprintf("%s/benchrun-plot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(p.dir)) {
		br_error("cannot create a temporary directory %s: %s", p.dir,
		         strerror(errno));
		goto out;
	}
	build_script(&p, type);
	script = br_xasprintf("%s/plot.gp", p.dir);
	if (br_write_file_atomic(script, p.script.data, p.script.len)) {
		br_error("%s: %s", script, strerror(errno));
		goto out_rm;
	}
	switch (run_gnuplot(script)) {
	case 0:
		break;
	case -1:
		/* Keep the script and data for whoever debugs it. */
		br_error("the script and its data are kept in %s", p.dir);
		goto out;
	default:
		goto out_rm;
	}
	picture = br_xasprintf("%s/picture.%s", p.dir, type);
	data = br_read_file(picture, 1u << 30, &len);
	if (!data || !len) {
		br_error("gnuplot wrote no picture");
		goto out_rm;
	}
	if (br_write_file_atomic(path, data, len)) {
		br_error("cannot write %s: %s", path, strerror(errno));
		goto out_rm;
	}
	rc = 0;
out_rm:
	remove_dir(p.dir);
out:
	free(data);
	free(picture);
	free(script);
	free(points);
	free(p.labels);
	br_buf_free(&p.script);
	free(p.dir);
	return rc;
}
