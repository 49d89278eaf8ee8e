/*
 * report_html_compare.c - the page of `benchrun compare OLD NEW --html`:
 * the comparison exactly as printed (verdicts, the gate), each group's
 * wall time and memory old beside new with their 95% confidence
 * intervals, and both summary tables.  Same rules as every page: one file,
 * no script, every string escaped (report_html.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_html.h"
#include "report/report_svg.h"
#include "report/report_util.h"
#include "util.h"

#define MIB (1024.0 * 1024.0)

/* Bars of metric m (or each group's memory metric, m < 0): every group of
 * new beside its old self. */
static void side_by_side(struct brc_buf *b, const struct brc_results *old,
                         const struct brc_results *new, int m)
{
	size_t cap = 2 * new->n_groups + 1, n = 0;
	char **names = brc_xcalloc(cap, sizeof(char *));
	double *v = brc_xcalloc(cap, sizeof(double));
	double *lo = brc_xcalloc(cap, sizeof(double));
	double *hi = brc_xcalloc(cap, sizeof(double));

	for (size_t i = 0; i < new->n_groups; i++) {
		const struct brc_group *gn = &new->groups[i];
		const struct brc_group *go = brc_results_find(
		        old, gn->label, gn->point ? gn->point : "");
		const struct brc_group *pair[2] = { go, gn };

		for (int k = 0; k < 2; k++) {
			struct brc_stats st;

			if (!pair[k])
				continue;
			brc_group_stats(pair[k], m >= 0 ? m
			                                : brc_group_mem_metric(pair[k]),
			                &st, NULL);
			names[n] = brc_xasprintf("%s%s%s (%s)", gn->label,
			                         gn->point && *gn->point ? " " : "",
			                         gn->point ? gn->point : "",
			                         k ? "new" : "old");
			v[n] = st.mean;
			lo[n] = st.ci_lo;
			hi[n] = st.ci_hi;
			n++;
		}
	}
	if (m >= 0)
		brc_svg_bars(b, "Wall time, old and new (mean; whiskers: 95% "
		             "confidence interval)", "wall time (s)", 1,
		             (const char *const *)names, v, lo, hi, n);
	else
		brc_svg_bars(b, "Memory, old and new (mean; whiskers: 95% "
		             "confidence interval)", "memory (MiB)", MIB,
		             (const char *const *)names, v, lo, hi, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(v);
	free(lo);
	free(hi);
}

static void tables(struct brc_buf *b, const char *title, const char *path,
                   const struct brc_results *r)
{
	size_t n_points;
	const char **points = brc_results_points(r, &n_points);

	brc_buf_printf(b, "<h2>%s: ", title);
	brc_html_escape(b, path);
	brc_buf_printf(b, "</h2>\n<p class=\"note\">");
	brc_html_escape(b, r->started_at ? r->started_at : "");
	brc_buf_printf(b, "; ");
	brc_html_escape(b, r->host_cpu ? r->host_cpu : "");
	brc_buf_printf(b, "</p>\n");
	for (size_t p = 0; p < n_points; p++) {
		if (*points[p]) {
			brc_buf_printf(b, "<h3>");
			brc_html_escape(b, points[p]);
			brc_buf_printf(b, "</h3>\n");
		}
		brc_html_summary(b, r, points[p]);
	}
	free(points);
}

int brc_report_html_compare_write(const char *path,
                                  const struct brc_results *old,
                                  const struct brc_results *new,
                                  const char *old_path, const char *new_path,
                                  const char *text)
{
	struct brc_buf b = { 0 };
	int rc, saved;

	brc_html_head(&b, "compare", new);
	brc_buf_printf(&b, "<h2 id=\"comparison\">Comparison</h2>\n"
	              "<p class=\"note\">As <code>benchrun compare</code> "
	              "printed it.</p>\n<pre class=\"compare\">");
	brc_html_escape(&b, text);
	brc_buf_printf(&b, "</pre>\n<h2 id=\"charts\">Old and new</h2>\n");
	side_by_side(&b, old, new, BR_M_WALL);
	side_by_side(&b, old, new, -1);
	tables(&b, "Old", old_path, old);
	tables(&b, "New", new_path, new);
	brc_html_tail(&b);
	rc = brc_write_file_atomic(path, b.data, b.len);
	saved = errno;
	brc_buf_free(&b);
	errno = saved;
	return rc;
}
