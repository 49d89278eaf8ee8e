/*
 * report_plot.c - one picture of a results file, drawn by gnuplot: the
 * memory of each strategy's process tree over time (first run of each
 * group), wall time and peak memory bars, and with a sweep, concurrency
 * against wall time and peak memory (report_plot_panels.c draws each).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/report.h"
#include "report/report_plot.h"
#include "report/report_util.h"
#include "util.h"

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
	const struct brc_results *r = p->r;
	struct brc_buf *s = &p->script;
	bool open = brc_plot_open_wanted(r);
	double h = open ? 1750 : p->sweep ? 1350 : 950;
	char title[512];
	size_t n_bars;

	/* pngcairo draws far better than libgd's png, but a gnuplot built
	 * without cairo only has the latter. */
	if (!strcmp(type, "svg"))
		brc_buf_printf(s, "set terminal svg size 1200,%g dynamic "
		              "noenhanced font 'sans,12' background '#ffffff'\n", h);
	else
		brc_buf_printf(s, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) "
		              "{ set terminal pngcairo size 1200,%g noenhanced "
		              "font 'sans,10' background '#ffffff' } else "
		              "{ set terminal png size 1200,%g noenhanced }\n", h, h);
	/* gnuplot runs in p->dir: the script names its files relative to it,
	 * so no path (a TMPDIR with a quote...) is ever part of the script. */
	brc_buf_printf(s, "set output 'picture.%s'\nset grid\n", type);
	brc_buf_printf(s, "set linetype 1 lc rgb '#1f77b4'\nset linetype 2 lc rgb "
	              "'#ff7f0e'\nset linetype 3 lc rgb '#2ca02c'\nset linetype 4 "
	              "lc rgb '#d62728'\nset linetype 5 lc rgb '#9467bd'\n"
	              "set linetype 6 lc rgb '#8c564b'\nset linetype 7 lc rgb "
	              "'#e377c2'\nset linetype 8 lc rgb '#7f7f7f'\n"
	              "set linetypes cycle 8\n");
	snprintf(title, sizeof(title), "benchrun: %s, %llu requests%s%s",
	         r->scenario_name ? r->scenario_name : "results",
	         (unsigned long long)r->requests, r->server_desc ? ", server " : "",
	         r->server_desc ? r->server_desc : "");
	brc_buf_printf(s, "set multiplot title ");
	brc_plot_quote(s, title);
	brc_buf_printf(s, " font 'sans,14'\n");

	/* Fixed labels first so colours follow the order of the file. */
	for (size_t i = 0; i < r->n_groups; i++)
		brc_plot_label(p, r->groups[i].label);

	if (open) {
		/* The open model: timeline and bars at the highest rate on
		 * top, then the curves against the rate (two rows). */
		brc_buf_printf(s, "set origin 0,0.74\nset size 1,0.24\n");
		brc_plot_timeline(p);
		brc_plot_bars_data(p, &n_bars);
		brc_buf_printf(s, "set origin 0,0.5\nset size 0.5,0.24\n");
		brc_plot_bars(p, "Wall time (mean, 95% CI)", "seconds", 3, n_bars);
		brc_buf_printf(s, "set origin 0.5,0.5\nset size 0.5,0.24\n");
		brc_plot_bars(p, "Peak memory of the tree (mean, 95% CI)", "MiB",
		              5, n_bars);
		brc_plot_open(p, 0.25);
		brc_buf_printf(s, "unset multiplot\nset output\n");
		return;
	}
	brc_buf_printf(s, "set origin 0,%g\nset size 1,%g\n",
	              p->sweep ? 0.62 : 0.5, p->sweep ? 0.35 : 0.46);
	brc_plot_timeline(p);
	brc_plot_bars_data(p, &n_bars);
	brc_buf_printf(s, "set origin 0,%g\nset size 0.5,%g\n",
	              p->sweep ? 0.31 : 0.0, p->sweep ? 0.31 : 0.5);
	brc_plot_bars(p, "Wall time (mean, 95% CI)", "seconds", 3, n_bars);
	brc_buf_printf(s, "set origin 0.5,%g\nset size 0.5,%g\n",
	              p->sweep ? 0.31 : 0.0, p->sweep ? 0.31 : 0.5);
	brc_plot_bars(p, "Peak memory of the tree (mean, 95% CI)", "MiB", 5, n_bars);
	if (p->sweep) {
		brc_buf_printf(s, "set origin 0,0\nset size 0.5,0.31\n");
		brc_plot_sweep(p, 2, "Wall time by concurrency", "seconds");
		brc_buf_printf(s, "set origin 0.5,0\nset size 0.5,0.31\n");
		brc_plot_sweep(p, 3, "Peak memory by concurrency", "MiB");
	}
	brc_buf_printf(s, "unset multiplot\nset output\n");
}

/* Run gnuplot on plot.gp in dir; 0 when it succeeded, -2 when there is no
 * gnuplot, -1 when it failed.  BENCHRUN_GNUPLOT
 * overrides the gnuplot found by configure. */
static int run_gnuplot(const char *dir, const char *script)
{
	const char *gnuplot = getenv("BENCHRUN_GNUPLOT");
	char *abs = NULL;
	pid_t pid;
	int st;

	if (!gnuplot || !*gnuplot)
		gnuplot = BR_GNUPLOT;
	/* gnuplot starts in dir: a relative path to it must not move. */
	if (strchr(gnuplot, '/') && *gnuplot != '/') {
		char *cwd = getcwd(NULL, 0);

		abs = brc_xasprintf("%s/%s", cwd ? cwd : ".", gnuplot);
		free(cwd);
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(abs);
		return -1;
	}
	if (pid == 0) {
		if (chdir(dir))
			_exit(126);
		execlp(abs ? abs : gnuplot, gnuplot, "plot.gp", (char *)NULL);
		_exit(127);
	}
	free(abs);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		brc_error("gnuplot not found (%s): install gnuplot-nox "
		         "(apt-get install gnuplot-nox)", gnuplot);
		return -2;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		brc_error("gnuplot failed on %s", script);
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
			char *f = brc_xasprintf("%s/%s", dir, e->d_name);

			unlink(f);
			free(f);
		}
	closedir(d);
	rmdir(dir);
}

/* True when some run finished (ok, or with failed tickets): a results
 * file of failed or interrupted runs only has nothing to draw. */
static bool any_finished(const struct brc_results *r)
{
	for (size_t g = 0; g < r->n_groups; g++)
		for (size_t k = 0; k < r->groups[g].n_runs; k++)
			if (r->groups[g].runs[k].status == BR_RUN_OK ||
			    r->groups[g].runs[k].status == BR_RUN_ERRORS)
				return true;
	return false;
}

int brc_report_plot(const char *path, const struct brc_results *r)
{
	const char *type = picture_type(path), *tmp = getenv("TMPDIR");
	struct plot p = { .r = r };
	char *script = NULL, *picture = NULL, *data = NULL;
	const char **points;
	size_t n_points, len;
	int rc = -1;

	if (!type) {
		brc_error("%s: the picture must be .svg or .png", path);
		return -1;
	}
	if (!any_finished(r)) {
		/* Rather than gnuplot's "all points y value undefined!" and a
		 * temporary directory kept for debugging. */
		brc_error("%s: nothing to plot: no run finished (every run "
		          "failed or was interrupted)", path);
		return -1;
	}
	points = brc_results_points(r, &n_points);
	p.focus = n_points ? points[n_points - 1] : "";
	p.sweep = *p.focus != '\0';
	p.dir = brc_xasprintf("%s/benchrun-plot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(p.dir)) {
		brc_error("cannot create a temporary directory %s: %s", p.dir,
		         strerror(errno));
		goto out;
	}
	build_script(&p, type);
	script = brc_xasprintf("%s/plot.gp", p.dir);
	if (brc_write_file_atomic(script, p.script.data, p.script.len)) {
		brc_error("%s: %s", script, strerror(errno));
		goto out_rm;
	}
	switch (run_gnuplot(p.dir, script)) {
	case 0:
		break;
	case -1:
		/* Keep the script and data for whoever debugs it. */
		brc_error("the script and its data are kept in %s", p.dir);
		goto out;
	default:
		goto out_rm;
	}
	picture = brc_xasprintf("%s/picture.%s", p.dir, type);
	data = brc_read_file(picture, 1u << 30, &len);
	if (!data || !len) {
		brc_error("gnuplot wrote no picture");
		goto out_rm;
	}
	if (brc_write_file_atomic(path, data, len)) {
		brc_error("cannot write %s: %s", path, brc_file_strerror(errno));
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
	brc_buf_free(&p.script);
	free(p.dir);
	return rc;
}
