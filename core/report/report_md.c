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
static void cell(struct brc_buf *b, const char *s)
{
	brc_buf_append(b, " ", 1);
	for (; *s; s++) {
		if (*s == '|')
			brc_buf_append(b, "\\", 1);
		brc_buf_append(b, s, 1);
	}
	brc_buf_append(b, " |", 2);
}

static void header(struct brc_buf *b, const struct brc_results *r)
{
	brc_buf_printf(b, "## benchrun: %s\n\n",
	              r->scenario_name ? r->scenario_name : "results");
	brc_buf_printf(b, "%llu requests, seed %llu",
	              (unsigned long long)r->requests,
	              (unsigned long long)r->seed);
	if (r->server_desc)
		brc_buf_printf(b, "; server: %s", r->server_desc);
	brc_buf_printf(b, ".  \n");
	if (r->host_cpu)
		brc_buf_printf(b, "%s, %d core%s, %s; ", r->host_cpu,
		              r->host_cores, r->host_cores == 1 ? "" : "s",
		              r->host_kernel ? r->host_kernel : "?");
	brc_buf_printf(b, "benchrun %s%s%s.\n",
	              r->benchrun_version ? r->benchrun_version : PACKAGE_VERSION,
	              r->started_at ? ", " : "",
	              r->started_at ? r->started_at : "");
	brc_buf_printf(b, "\n%s.\n", brc_report_method);
	if (r->incomplete)
		brc_buf_printf(b, "\n**Incomplete:** interrupted before every run "
		              "finished.\n");
}

static void block(struct brc_buf *b, const struct brc_results *r,
                  const char *point)
{
	const struct brc_group *base = brc_results_baseline(r, point);
	char cells[BR_COL_N][BR_CELL], line[512];
	struct brc_buf warn = { 0 };
	bool any = false;

	if (*point)
		brc_buf_printf(b, "\n### %s\n", point);
	brc_buf_printf(b, "\n|");
	for (int c = 0; c < BR_COL_N; c++)
		cell(b, brc_col_title(r, c));
	brc_buf_printf(b, "\n|");
	for (int c = 0; c < BR_COL_N; c++)
		brc_buf_printf(b, "%s|", c == BR_COL_LABEL || c == BR_COL_STATUS ?
		              ":---" : "---:");
	brc_buf_printf(b, "\n");
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];

		if (strcmp(g->point ? g->point : "", point))
			continue;
		brc_report_cells(g, cells);
		brc_buf_printf(b, "|");
		for (int c = 0; c < BR_COL_N; c++)
			cell(b, cells[c]);
		brc_buf_printf(b, "\n");
		brc_report_warnings(r, g, &warn);
	}
	for (size_t i = 0; base && i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];

		if (strcmp(g->point ? g->point : "", point) ||
		    brc_report_comparison(g, base, line, sizeof(line)))
			continue;
		brc_buf_printf(b, "%s- %s\n", any ? "" : "\n", line);
		any = true;
	}
	if (!brc_report_rss_note(r, point, line, sizeof(line))) {
		brc_buf_printf(b, "%s- %s\n", any ? "" : "\n", line);
		any = true;
	}
	if (base && brc_results_point_has_others(r, point, base) &&
	    !brc_report_baseline_note(base, line, sizeof(line))) {
		brc_buf_printf(b, "%s- %s\n", any ? "" : "\n", line);
		any = true;
	}
	if (!brc_report_ideal_note(r, point, line, sizeof(line))) {
		brc_buf_printf(b, "%s- %s\n", any ? "" : "\n", line);
		any = true;
	}
	for (size_t i = 0; i < r->n_groups; i++)
		if (!strcmp(r->groups[i].point ? r->groups[i].point : "", point) &&
		    !brc_report_startup_note(&r->groups[i], line, sizeof(line))) {
			brc_buf_printf(b, "%s- %s\n", any ? "" : "\n", line);
			any = true;
		}
	for (char *p = warn.data, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		brc_buf_printf(b, "%s- warning: %.*s\n", any ? "" : "\n",
		              (int)(nl - p), p);
		any = true;
	}
	brc_buf_free(&warn);
}

int brc_report_md_write(const char *path, const struct brc_results *r)
{
	struct brc_buf b = { 0 };
	const char **points;
	char hint[160];
	size_t n;
	int rc, saved;

	header(&b, r);
	points = brc_results_points(r, &n);
	for (size_t p = 0; p < n; p++)
		block(&b, r, points[p]);
	free(points);
	brc_report_capacity(&b, r, true);
	if (!brc_report_few_runs_hint(r, hint, sizeof(hint)))
		brc_buf_printf(&b, "\n%s.\n", hint);
	rc = brc_write_file_atomic(path, b.data, b.len);
	saved = errno;
	brc_buf_free(&b);
	errno = saved;
	return rc;
}
