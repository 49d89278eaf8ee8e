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
		brc_buf_printf(out, "%s: did not keep up with %.6g req/s (%s): "
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
		snprintf(buf, n, "open model: %.6g req/s offered; p99 is the "
		         "response time from when a request was due", rate);
	return 0;
}

/* "p99 <= 150 ms" for the search's target. */
static void target_text(const struct brc_capacity *c, char *buf, size_t n)
{
	char t[32];

	snprintf(buf, n, "p%g <= %s", c->quantile * 100,
	         brc_fmt_duration(t, sizeof(t), c->target));
}

/* "2,150 req/s", "below 100 req/s" or "at least 50000 req/s". */
static void answer_text(const struct brc_capacity *c, char *buf, size_t n)
{
	if (!(c->capacity > 0))
		snprintf(buf, n, "below %.6g req/s", c->min);
	else if (c->capacity >= c->max)
		snprintf(buf, n, "at least %.6g req/s", c->max);
	else
		snprintf(buf, n, "%.0f req/s", c->capacity);
}

void brc_report_capacity(struct brc_buf *out, const struct brc_results *r,
                         bool markdown)
{
	char tgt[64], ans[64], v[32];

	if (!r->n_capacity)
		return;
	target_text(&r->capacity[0], tgt, sizeof(tgt));
	brc_buf_printf(out, markdown ? "\n### Capacity (%s, kept up)\n\n"
	                             : "\ncapacity: the highest rate with %s "
	                               "that kept up\n", tgt);
	if (markdown)
		brc_buf_printf(out, "| strategy | capacity | probes (req/s: "
		              "p%g, pass) |\n|:---|---:|:---|\n",
		              r->capacity[0].quantile * 100);
	for (size_t i = 0; i < r->n_capacity; i++) {
		const struct brc_capacity *c = &r->capacity[i];

		answer_text(c, ans, sizeof(ans));
		brc_buf_printf(out, markdown ? "| %s%s%s | %s | " : "  %s%s%s: %s; probes:",
		              c->label, *c->point ? " " : "", c->point, ans);
		for (size_t k = 0; k < c->n_probes; k++) {
			const struct brc_probe *p = &c->probes[k];

			brc_buf_printf(out, "%s%.0f %s %s", k ? ", " : " ",
			              p->rate,
			              brc_fmt_duration(v, sizeof(v), p->value),
			              p->pass ? "ok"
			              : p->status != BR_RUN_OK ? "failed"
			              : !p->kept_up ? "behind" : "slow");
		}
		brc_buf_printf(out, markdown ? " |\n" : "\n");
	}
}
