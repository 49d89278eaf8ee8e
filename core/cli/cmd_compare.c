/*
 * cmd_compare.c - `benchrun compare OLD.json NEW.json [--threshold PCT]`:
 * did anything get faster or slower between two results files?
 *
 * Groups are matched by (strategy label, sweep point).  For each metric
 * people decide by (wall, CPU, req/s, p99, peak RSS, tree PSS) it prints
 * old, new, the change, and whether the change is significant by Welch's
 * t-test on the runs.  With --threshold, a significant change for the
 * worse larger than the threshold is a regression: exit 1, for CI.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "report/report_util.h"
#include "util.h"

#define RED "\033[31m"
#define GREEN "\033[32m"
#define RESET "\033[0m"

static const int compared[] = { BR_M_WALL, BR_M_CPU, BR_M_REQS, BR_M_P99,
                                BR_M_PEAK_RSS, BR_M_TREE_PEAK };

struct verdicts {
	double threshold;  /* fraction; 0: no regression check */
	bool color;
	size_t regressions;
	struct brc_buf list; /* "  threads [concurrency=10] wall +20.0%\n" */
};

static void group_name(char *buf, size_t n, const struct brc_group *g)
{
	if (g->point && *g->point)
		snprintf(buf, n, "%s [%s]", g->label, g->point);
	else
		snprintf(buf, n, "%s", g->label);
}

static void compare_metric(const struct brc_group *go,
                           const struct brc_group *gn, int m,
                           struct verdicts *v)
{
	const struct brc_metric *mt = &brc_metrics[m];
	struct brc_stats so, sn;
	struct brc_welch w;
	char a[48], b[48], chg[24], name[160], verdict[64];
	const char *col = NULL;
	double change;
	bool worse;

	brc_group_stats(go, m, &so, NULL);
	brc_group_stats(gn, m, &sn, NULL);
	/* Not measured on either side (e.g. no tree PSS sampling). */
	if (!(so.mean > 0) && !(sn.mean > 0))
		return;
	change = so.mean != 0 ? (sn.mean - so.mean) / fabs(so.mean) : NAN;
	worse = mt->higher_is_better ? change < 0 : change > 0;
	w = brc_stats_welch(&sn, &so);
	if (w.verdict == BR_SIGNIF_UNKNOWN) {
		snprintf(verdict, sizeof(verdict), "not enough runs to tell");
	} else if (w.verdict == BR_SIGNIF_NO) {
		snprintf(verdict, sizeof(verdict), "not significant (p = %.2f)",
		         w.p);
	} else {
		snprintf(verdict, sizeof(verdict), "%s, significant (p = %.2g)",
		         worse ? "worse" : "better", w.p);
		col = worse ? RED : GREEN;
		if (worse && v->threshold > 0 && fabs(change) > v->threshold) {
			v->regressions++;
			group_name(name, sizeof(name), gn);
			brc_buf_printf(&v->list, "  %s: %s %+.1f%%\n", name,
			              mt->title, change * 100);
		}
	}
	if (isnan(change))
		snprintf(chg, sizeof(chg), "-");
	else
		snprintf(chg, sizeof(chg), "%+.1f%%", change * 100);
	printf("  %-10s %12s %12s %8s  %s%s%s\n", mt->title,
	       brc_fmt_metric(a, sizeof(a), mt->kind, so.mean),
	       brc_fmt_metric(b, sizeof(b), mt->kind, sn.mean), chg,
	       v->color && col ? col : "", verdict, v->color && col ? RESET : "");
}

static void compare_group(const struct brc_group *go, const struct brc_group *gn,
                          struct verdicts *v)
{
	char name[160];

	struct brc_stats so, sn;

	group_name(name, sizeof(name), gn);
	printf("\n%s (%zu -> %zu runs)\n", name, go->n_runs, gn->n_runs);
	brc_group_stats(go, BR_M_WALL, &so, NULL);
	brc_group_stats(gn, BR_M_WALL, &sn, NULL);
	if (so.n && !sn.n) {
		/* It used to work and now no run finishes: the worst
		 * regression of all, whatever the threshold. */
		char cells[BR_COL_N][BR_CELL];

		brc_report_cells(gn, cells);
		printf("  %sno run finished any more: %s%s\n",
		       v->color ? RED : "", cells[BR_COL_STATUS],
		       v->color ? RESET : "");
		if (v->threshold > 0) {
			v->regressions++;
			brc_buf_printf(&v->list, "  %s: %s\n", name,
			              cells[BR_COL_STATUS]);
		}
		return;
	}
	printf("  %-10s %12s %12s %8s  %s\n", "metric", "old", "new", "change",
	       "verdict");
	for (size_t i = 0; i < BR_ARRAY_SIZE(compared); i++)
		compare_metric(go, gn, compared[i], v);
}

static void only_in(const struct brc_results *a, const struct brc_results *b,
                    const char *file_a)
{
	char name[160];

	for (size_t i = 0; i < a->n_groups; i++) {
		const struct brc_group *g = &a->groups[i];

		if (brc_results_find(b, g->label, g->point ? g->point : ""))
			continue;
		group_name(name, sizeof(name), g);
		printf("only in %s: %s\n", file_a, name);
	}
}

int brc_cmd_compare(const struct brc_options *o)
{
	const char *old_path = o->args[0], *new_path = o->args[1];
	struct brc_results ro, rn;
	struct verdicts v = { o->threshold, false, 0, { 0 } };
	char *err;
	int rc = BR_EXIT_OK;

	if (brc_results_json_read(old_path, &ro, &err)) {
		brc_error("cannot compare: %s", err);
		free(err);
		return BR_EXIT_USAGE;
	}
	if (brc_results_json_read(new_path, &rn, &err)) {
		brc_error("cannot compare: %s", err);
		free(err);
		brc_results_free(&ro);
		return BR_EXIT_USAGE;
	}
	v.color = !o->no_color && isatty(STDOUT_FILENO);

	printf("old: %s (%s, %s)\nnew: %s (%s, %s)\n", old_path,
	       ro.scenario_name ? ro.scenario_name : "?",
	       ro.started_at ? ro.started_at : "?", new_path,
	       rn.scenario_name ? rn.scenario_name : "?",
	       rn.started_at ? rn.started_at : "?");
	if (ro.scenario_hash && rn.scenario_hash &&
	    strcmp(ro.scenario_hash, rn.scenario_hash))
		printf("note: the scenarios differ (or were overridden "
		       "differently): compare with care\n");
	for (size_t i = 0; i < rn.n_groups; i++) {
		const struct brc_group *gn = &rn.groups[i];
		const struct brc_group *go =
		        brc_results_find(&ro, gn->label, gn->point ? gn->point : "");

		if (go)
			compare_group(go, gn, &v);
	}
	printf("\n");
	only_in(&ro, &rn, old_path);
	only_in(&rn, &ro, new_path);

	if (v.regressions) {
		printf("%zu significant regression%s beyond %g%%:\n%s",
		       v.regressions, v.regressions == 1 ? "" : "s",
		       v.threshold * 100, v.list.data);
		rc = BR_EXIT_FAIL;
	} else if (v.threshold > 0) {
		printf("no significant regression beyond %g%%\n",
		       v.threshold * 100);
	}
	brc_buf_free(&v.list);
	brc_results_free(&ro);
	brc_results_free(&rn);
	return rc;
}
