/*
 * report_md.c - the summary as Markdown, ready to paste into a README or
 * an issue: what ran and where, then per sweep point the table, the
 * comparison with the baseline and the warnings.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_util.h"
#include "util.h"

/* A '|' inside a cell would end it. */
static void cell(struct br_buf *b, const char *s)
{
	br_buf_append(b, " ", 1);
	for (; *s; s++) {
		if (*s == '|')
			br_buf_append(b, "\\", 1);
		br_buf_append(b, s, 1);
	}
	br_buf_append(b, " |", 2);
}

static void header(struct br_buf *b, const struct br_results *r)
{
	br_buf_printf(b, "## benchrun: %s\n\n",
	              r->scenario_name ? r->scenario_name : "results");
	br_buf_printf(b, "%llu requests, seed %llu",
	              (unsigned long long)r->requests,
	              (unsigned long long)r->seed);
	if (r->server_desc)
		br_buf_printf(b, "; server: %s", r->server_desc);
	br_buf_printf(b, ".  \n");
	if (r->host_cpu)
		br_buf_printf(b, "%s, %d core%s, %s; ", r->host_cpu,
		              r->host_cores, r->host_cores == 1 ? "" : "s",
		              r->host_kernel ? r->host_kernel : "?");
	br_buf_printf(b, "benchrun %s%s%s.\n",
	              r->benchrun_version ? r->benchrun_version : PACKAGE_VERSION,
	              r->started_at ? ", " : "",
	              r->started_at ? r->started_at : "");
	if (r->incomplete)
		br_buf_printf(b, "\n**Incomplete:** interrupted before every run "
		              "finished.\n");
}

static void block(struct br_buf *b, const struct br_results *r,
                  const char *point)
{
	const struct br_group *base = br_results_baseline(r, point);
	char cells[BR_COL_N][BR_CELL], line[512];
	struct br_buf warn = { 0 };
	bool any = false;

	if (*point)
		br_buf_printf(b, "\n### %s\n", point);
	br_buf_printf(b, "\n|");
	for (int c = 0; c < BR_COL_N; c++)
		cell(b, br_col_titles[c]);
	br_buf_printf(b, "\n|");
	for (int c = 0; c < BR_COL_N; c++)
		br_buf_printf(b, "%s|", c == BR_COL_LABEL || c == BR_COL_STATUS ?
		              ":---" : "---:");
	br_buf_printf(b, "\n");
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct br_group *g = &r->groups[i];

		if (strcmp(g->point ? g->point : "", point))
			continue;
		br_report_cells(g, cells);
		br_buf_printf(b, "|");
		for (int c = 0; c < BR_COL_N; c++)
			cell(b, cells[c]);
		br_buf_printf(b, "\n");
		br_report_warnings(g, &warn);
	}
	for (size_t i = 0; base && i < r->n_groups; i++) {
		const struct br_group *g = &r->groups[i];

		if (strcmp(g->point ? g->point : "", point) ||
		    br_report_comparison(g, base, line, sizeof(line)))
			continue;
		br_buf_printf(b, "%s- %s\n", any ? "" : "\n", line);
		any = true;
	}
	if (base && br_results_point_has_others(r, point, base) &&
	    !br_report_baseline_note(base, line, sizeof(line))) {
		br_buf_printf(b, "%s- %s\n", any ? "" : "\n", line);
		any = true;
	}
	for (char *p = warn.data, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		br_buf_printf(b, "%s- warning: %.*s\n", any ? "" : "\n",
		              (int)(nl - p), p);
		any = true;
	}
	br_buf_free(&warn);
}

int br_report_md_write(const char *path, const struct br_results *r)
{
	struct br_buf b = { 0 };
	const char **points;
	size_t n;
	int rc, saved;

	header(&b, r);
	points = br_results_points(r, &n);
	for (size_t p = 0; p < n; p++)
		block(&b, r, points[p]);
	free(points);
	rc = br_write_file_atomic(path, b.data, b.len);
	saved = errno;
	br_buf_free(&b);
	errno = saved;
	return rc;
}
