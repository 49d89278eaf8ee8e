/*
 * report_open.c - the open model in the summary (docs/open-model.md): the
 * table's "eff" column becomes "kept up" (an efficiency against a
 * closed-model ideal means nothing when the schedule sets the pace), a
 * header line says what was offered, and a warning says why a strategy
 * fell behind.  Closed-model results are untouched.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "report/report_util.h"
#include "util.h"

static bool group_open(const struct brc_group *g)
{
	for (size_t i = 0; i < g->n_runs; i++)
		if (g->runs[i].open.offered_rate > 0)
			return true;
	return false;
}

const char *brc_col_title(const struct brc_results *r, int c)
{
	if (c == BR_COL_EFF && r && brc_results_open(r))
		return "kept up";
	return brc_col_titles[c];
}

void brc_report_open_cells(const struct brc_group *g,
                           char cells[BR_COL_N][BR_CELL])
{
	size_t kept = 0, measured = 0;

	if (!group_open(g))
		return;
	for (size_t i = 0; i < g->n_runs; i++) {
		if (!brc_run_measured(&g->runs[i]))
			continue;
		measured++;
		kept += g->runs[i].open.kept_up;
	}
	if (!measured)
		snprintf(cells[BR_COL_EFF], BR_CELL, "-");
	else if (kept == measured || !kept)
		snprintf(cells[BR_COL_EFF], BR_CELL, "%s", kept ? "yes" : "no");
	else
		snprintf(cells[BR_COL_EFF], BR_CELL, "%zu/%zu", kept, measured);
}

void brc_report_open_warnings(const struct brc_group *g, struct brc_buf *out)
{
	char why[128];

	for (size_t i = 0; i < g->n_runs; i++) {
		const struct brc_run_result *x = &g->runs[i];

		if (x->open.early_starts)
			brc_buf_printf(out, "%s: run %zu started %llu requests "
			              "before they were due (a plugin bug)\n",
			              g->label, i + 1,
			              (unsigned long long)x->open.early_starts);
		if (!brc_run_measured(x) || x->open.kept_up ||
		    !(x->open.offered_rate > 0))
			continue;
		if (brc_open_kept_up(&x->open, 0, why, sizeof(why)))
			snprintf(why, sizeof(why), "requests never started");
		brc_buf_printf(out, "%s: did not keep up with %.4g req/s (%s): "
		              "its response times include the backlog\n",
		              g->label, x->open.offered_rate, why);
		break; /* one line per strategy is enough */
	}
}

int brc_report_open_header(const struct brc_results *r, char *buf, size_t n)
{
	double rate = -1;
	bool mixed = false;

	for (size_t i = 0; i < r->n_groups; i++)
		for (size_t j = 0; j < r->groups[i].n_runs; j++) {
			double o = r->groups[i].runs[j].open.offered_rate;

			if (!(o > 0))
				continue;
			mixed = mixed || (rate > 0 && o != rate);
			rate = o;
		}
	if (rate < 0)
		return -1;
	if (mixed)
		snprintf(buf, n, "open model: the offered rate of each point; "
		         "p99 is the response time from when a request was due");
	else
		snprintf(buf, n, "open model: %.4g req/s offered; p99 is the "
		         "response time from when a request was due", rate);
	return 0;
}
