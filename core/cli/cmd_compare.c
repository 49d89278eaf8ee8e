/*
 * cmd_compare.c - `benchrun compare OLD.json NEW.json [--threshold PCT]`:
 * did anything get faster or slower between two results files?  Fit to
 * gate CI:
 *
 * - the files must measure the same work (compare_scenario.c);
 * - groups are matched by (strategy label, sweep point); for wall, CPU,
 *   p99 and peak memory the change is a ratio new/old with its 95% CI and
 *   p-value (log-scale Welch test, stats.h), and significance is decided
 *   by Holm-Bonferroni over every test of the comparison at once, so six
 *   metrics x N groups of tests still have a 5% family-wise false-positive
 *   rate (two identical runs used to "fail" CI with 4 regressions);
 * - with --threshold, a regression is a significant change for the worse
 *   beyond the threshold, and also, whatever the threshold: a group gone
 *   or no longer finishing, runs that now fail, fewer valid tickets, an
 *   incomplete new file; exit 1;
 * - a gate cannot pass on fewer than 3 runs on a side (1 run says
 *   nothing): exit 2 with the reason, unless --allow-few-runs.
 */
#include "config.h"

#include <errno.h>
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

/* req/s is not here: with the same requests it is wall time again, and a
 * redundant test only dilutes the correction.  Memory is added per group
 * (tree PSS when both sampled it, else peak RSS). */
static const int compared[] = { BR_M_WALL, BR_M_CPU, BR_M_P99 };

struct test {
	const struct brc_group *go, *gn;
	int metric;
	struct brc_stats so, sn;
	struct brc_ratio r;   /* new / old */
	bool significant;     /* after Holm */
};

struct state {
	FILE *out;            /* stdout, or the text kept for --html */
	double threshold;     /* fraction; 0: no gate */
	bool color;
	struct test *tests;
	size_t n_tests;
	size_t regressions, few;
	struct brc_buf list;  /* "  threads [concurrency=10]: wall +20%\n" */
	struct brc_buf few_list;
};

static void group_name(char *buf, size_t n, const struct brc_group *g)
{
	if (g->point && *g->point)
		snprintf(buf, n, "%s [%s]", g->label, g->point);
	else
		snprintf(buf, n, "%s", g->label);
}

static void regression(struct state *s, const struct brc_group *g,
                       const char *what)
{
	char name[160];

	group_name(name, sizeof(name), g);
	s->regressions++;
	brc_buf_printf(&s->list, "  %s: %s\n", name, what);
}

static int mem_metric(const struct brc_group *a, const struct brc_group *b)
{
	return brc_group_mem_metric(a) == BR_M_TREE_PEAK &&
	       brc_group_mem_metric(b) == BR_M_TREE_PEAK ? BR_M_TREE_PEAK
	                                                 : BR_M_PEAK_RSS;
}

static void add_test(struct state *s, const struct brc_group *go,
                     const struct brc_group *gn, int m)
{
	struct test t = { .go = go, .gn = gn, .metric = m };

	brc_group_stats(go, m, &t.so, NULL);
	brc_group_stats(gn, m, &t.sn, NULL);
	/* Not measured on either side (e.g. no tree PSS sampling). */
	if (!(t.so.mean > 0) && !(t.sn.mean > 0))
		return;
	t.r = brc_stats_ratio(&t.sn, &t.so);
	/* Fewer than 3 runs: no test at all (NaN is never significant). */
	if (t.so.n < BR_MIN_RUNS || t.sn.n < BR_MIN_RUNS)
		t.r.p = NAN;
	s->tests = brc_xrealloc(s->tests, (s->n_tests + 1) * sizeof(t));
	s->tests[s->n_tests++] = t;
}

/* Valid tickets over requests, over the measured runs. */
static double valid_share(const struct brc_group *g, uint64_t *ok,
                          uint64_t *req)
{
	*ok = *req = 0;
	for (size_t i = 0; i < g->n_runs; i++)
		if (brc_run_measured(&g->runs[i])) {
			*ok += g->runs[i].ok;
			*req += g->runs[i].requests;
		}
	return *req ? (double)*ok / (double)*req : NAN;
}

static size_t failed_runs(const struct brc_group *g)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n_runs; i++)
		n += g->runs[i].status != BR_RUN_OK;
	return n;
}

/* What can be said about a pair before any statistics: failures. */
static void check_health(struct state *s, const struct brc_group *go,
                         const struct brc_group *gn)
{
	struct brc_stats so, sn;
	uint64_t ok_o, req_o, ok_n, req_n;
	double vo, vn;
	char name[160], what[160];

	group_name(name, sizeof(name), gn);
	brc_group_stats(go, BR_M_WALL, &so, NULL);
	brc_group_stats(gn, BR_M_WALL, &sn, NULL);
	if (so.n && !sn.n) {
		char cells[BR_COL_N][BR_CELL];

		/* It used to work and now no run finishes. */
		brc_report_cells(gn, cells);
		snprintf(what, sizeof(what), "no run finished any more (%s)",
		         cells[BR_COL_STATUS]);
		regression(s, gn, what);
	} else if (failed_runs(gn) > failed_runs(go)) {
		snprintf(what, sizeof(what), "%zu of %zu runs failed (%zu of %zu "
		         "before)", failed_runs(gn), gn->n_runs, failed_runs(go),
		         go->n_runs);
		regression(s, gn, what);
	}
	vo = valid_share(go, &ok_o, &req_o);
	vn = valid_share(gn, &ok_n, &req_n);
	if (vn < vo) {
		snprintf(what, sizeof(what), "fewer valid tickets: %llu/%llu "
		         "(%.4g%%), was %llu/%llu", (unsigned long long)ok_n,
		         (unsigned long long)req_n, 100 * vn,
		         (unsigned long long)ok_o, (unsigned long long)req_o);
		regression(s, gn, what);
	}
	if ((so.n && so.n < BR_MIN_RUNS) || (sn.n && sn.n < BR_MIN_RUNS)) {
		s->few++;
		brc_buf_printf(&s->few_list, "%s%s (%zu -> %zu)",
		              s->few > 1 ? ", " : "", name, so.n, sn.n);
	}
}

/* A change in percent to two significant digits: "+23", "-0.98". */
static const char *pct(char *buf, size_t n, double ratio)
{
	double v = (ratio - 1) * 100;

	snprintf(buf, n, fabs(v) >= 100 ? "%+.0f" : "%+.2g", v);
	return buf;
}

static void print_test(struct state *s, const struct test *t)
{
	const struct brc_metric *mt = &brc_metrics[t->metric];
	bool worse = mt->higher_is_better ? t->r.value < 1 : t->r.value > 1;
	char a[48], b[48], chg[64], verdict[96], p[24], x[3][16];
	const char *col = NULL;

	if (isnan(t->r.value) || isinf(t->r.value))
		snprintf(chg, sizeof(chg), "-");
	else if (isnan(t->r.lo))
		snprintf(chg, sizeof(chg), "%s%%", pct(x[0], 16, t->r.value));
	else
		snprintf(chg, sizeof(chg), "%s%% (%s..%s%%)",
		         pct(x[0], 16, t->r.value), pct(x[1], 16, t->r.lo),
		         pct(x[2], 16, t->r.hi));
	brc_fmt_p(p, sizeof(p), t->r.p);
	if (t->so.n < BR_MIN_RUNS || t->sn.n < BR_MIN_RUNS) {
		snprintf(verdict, sizeof(verdict), "no verdict (fewer than %d "
		         "runs)", BR_MIN_RUNS);
	} else if (!t->significant) {
		snprintf(verdict, sizeof(verdict), "no difference detected "
		         "(p %s%s)", *p == '<' ? "" : "= ", p);
	} else {
		snprintf(verdict, sizeof(verdict), "%s, significant (p %s%s)",
		         worse ? "worse" : "better", *p == '<' ? "" : "= ", p);
		col = worse ? RED : GREEN;
		if (worse && s->threshold > 0 &&
		    fabs(t->r.value - 1) > s->threshold) {
			snprintf(a, sizeof(a), "%s %s%%", mt->title,
			         pct(x[0], 16, t->r.value));
			regression(s, t->gn, a);
		}
	}
	fprintf(s->out, "  %-9s %10s %10s  %-24s %s%s%s\n", mt->title,
	       brc_fmt_metric(a, sizeof(a), mt->kind, t->so.mean),
	       brc_fmt_metric(b, sizeof(b), mt->kind, t->sn.mean), chg,
	       s->color && col ? col : "", verdict, s->color && col ? RESET : "");
}

static void print_groups(struct state *s)
{
	const struct brc_group *cur = NULL;
	char name[160];

	for (size_t i = 0; i < s->n_tests; i++) {
		const struct test *t = &s->tests[i];

		if (t->gn != cur) {
			cur = t->gn;
			group_name(name, sizeof(name), cur);
			fprintf(s->out, "\n%s (%zu -> %zu runs)\n", name, t->go->n_runs,
			       t->gn->n_runs);
			fprintf(s->out, "  %-9s %10s %10s  %-24s %s\n", "metric", "old",
			       "new", "change (95% CI)", "verdict");
		}
		print_test(s, t);
	}
}

/* Groups of the old file missing from the new one are regressions;
 * new groups are just listed. */
static void only_in(struct state *s, const struct brc_results *a,
                    const struct brc_results *b, const char *file_a,
                    bool old)
{
	char name[160];

	for (size_t i = 0; i < a->n_groups; i++) {
		const struct brc_group *g = &a->groups[i];

		if (brc_results_find(b, g->label, g->point ? g->point : ""))
			continue;
		group_name(name, sizeof(name), g);
		fprintf(s->out, "only in %s: %s\n", file_a, name);
		if (old)
			regression(s, g, "missing from the new results");
	}
}

static int verdict(struct state *s, const struct brc_options *o,
                   const struct brc_results *rn)
{
	if (s->threshold > 0 && rn->incomplete) {
		s->regressions++;
		brc_buf_printf(&s->list, "  the new results are incomplete "
		              "(interrupted)\n");
	}
	if (s->regressions && s->threshold > 0) {
		fprintf(s->out, "%zu regression%s (threshold %g%%):\n%s", s->regressions,
		       s->regressions == 1 ? "" : "s", s->threshold * 100,
		       s->list.data);
		return BR_EXIT_FAIL;
	}
	if (s->regressions)
		fprintf(s->out, "worse (a regression with --threshold):\n%s",
		       s->list.data);
	if (s->threshold > 0 && s->few && !o->allow_few_runs) {
		fprintf(s->out, "cannot pass the gate: fewer than %d runs in %s: rerun "
		       "with --runs 5, or --allow-few-runs\n", BR_MIN_RUNS,
		       s->few_list.data);
		return BR_EXIT_USAGE;
	}
	if (s->threshold > 0)
		fprintf(s->out, "no significant regression beyond %g%%\n",
		       s->threshold * 100);
	return BR_EXIT_OK;
}

int brc_cmd_compare(const struct brc_options *o)
{
	const char *old_path = o->args[0], *new_path = o->args[1];
	struct brc_results ro, rn;
	struct state s = { .threshold = o->threshold, .out = stdout };
	char *text = NULL;
	size_t text_len = 0;
	double *p;
	bool *rej;
	char *err;
	int rc;

	/* No timelines: compare shows none, and they are most of a long
	 * run's file. */
	if (brc_results_json_read_lean(old_path, &ro, &err)) {
		brc_error("cannot compare: %s", err);
		free(err);
		return BR_EXIT_USAGE;
	}
	if (brc_results_json_read_lean(new_path, &rn, &err)) {
		brc_error("cannot compare: %s", err);
		free(err);
		brc_results_free(&ro);
		return BR_EXIT_USAGE;
	}
	s.color = !o->no_color && isatty(STDOUT_FILENO) && !o->html;
	/* --html: the same text goes on the page; keep it, print it after. */
	if (o->html && !(s.out = open_memstream(&text, &text_len)))
		s.out = stdout;

	fprintf(s.out, "old: %s (%s, %s)\nnew: %s (%s, %s)\n", old_path,
	       ro.scenario_name ? ro.scenario_name : "?",
	       ro.started_at ? ro.started_at : "?", new_path,
	       rn.scenario_name ? rn.scenario_name : "?",
	       rn.started_at ? rn.started_at : "?");
	if (brc_compare_scenarios(&ro, &rn, o->allow_different)) {
		rc = BR_EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < rn.n_groups; i++) {
		const struct brc_group *gn = &rn.groups[i];
		const struct brc_group *go =
		        brc_results_find(&ro, gn->label, gn->point ? gn->point : "");

		if (!go)
			continue;
		check_health(&s, go, gn);
		for (size_t k = 0; k < BR_ARRAY_SIZE(compared); k++)
			add_test(&s, go, gn, compared[k]);
		add_test(&s, go, gn, mem_metric(go, gn));
	}
	/* Holm over every test at once. */
	p = brc_xcalloc(s.n_tests + 1, sizeof(*p));
	rej = brc_xcalloc(s.n_tests + 1, sizeof(*rej));
	for (size_t i = 0; i < s.n_tests; i++)
		p[i] = s.tests[i].r.p;
	brc_stats_holm(p, s.n_tests, BR_ALPHA, rej);
	size_t m = 0;

	for (size_t i = 0; i < s.n_tests; i++) {
		s.tests[i].significant = rej[i];
		m += !isnan(p[i]);
	}
	free(p);
	free(rej);
	fprintf(s.out, "changes: new/old - 1 with its 95%% CI (Welch's t on logs); "
	       "significance by Holm-Bonferroni over %zu test%s (5%% "
	       "family-wise; p as measured)\n", m, m == 1 ? "" : "s");
	print_groups(&s);
	fprintf(s.out, "\n");
	only_in(&s, &ro, &rn, old_path, true);
	only_in(&s, &rn, &ro, new_path, false);
	rc = verdict(&s, o, &rn);
out:
	if (s.out != stdout) {
		fclose(s.out);
		fputs(text ? text : "", stdout);
		if (brc_mkdir_parents(o->html) ||
		    brc_report_html_compare_write(o->html, &ro, &rn, old_path,
		                                  new_path, text ? text : "")) {
			brc_error("cannot write %s: %s", o->html, strerror(errno));
			if (rc == BR_EXIT_OK)
				rc = BR_EXIT_FAIL;
		} else {
			brc_info("wrote %s", o->html);
		}
		free(text);
	}
	free(s.tests);
	brc_buf_free(&s.list);
	brc_buf_free(&s.few_list);
	brc_results_free(&ro);
	brc_results_free(&rn);
	return rc;
}
