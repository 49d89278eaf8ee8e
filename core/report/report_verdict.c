/*
 * report_verdict.c - the verdict lines under a block of the summary: how a
 * strategy compares with the baseline, in one vocabulary shared by the
 * terminal table and the Markdown report.
 *
 * Every interval is a 95% confidence interval and the method is named
 * once in the header (brc_report_method).  A ratio is computed on the log
 * scale with Welch's degrees of freedom (stats.h), so its interval is
 * asymmetric and the verdict (the CI excludes 1) and the p-value agree.
 * With fewer than BR_MIN_RUNS runs on either side there is no interval and
 * no verdict, only the ratio of the means and a hint.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "report/report_util.h"
#include "util.h"

const char brc_report_method[] =
	"± and CI: 95% confidence intervals (Student's t over the runs; ratios: "
	"Welch's t on logs)";

/*
 * "26.2x faster than sync (CI 23.9-28.6x, p < 0.0001)",
 * "no difference detected (CI 0.97-1.08x, p = 0.41)", or
 * "36.7x faster than sync (means of 1 and 5 runs: no verdict)".
 * `than` is " than sync" or ""; `more`/`less` name the two directions.
 */
static void verdict(char *buf, size_t n, const struct brc_stats *sg,
                    const struct brc_stats *sb, const char *than,
                    const char *more, const char *less)
{
	struct brc_ratio r = brc_stats_ratio(sg, sb);
	bool above = r.value > 1;
	double v = above ? r.value : 1 / r.value;
	double lo = above ? r.lo : 1 / r.hi, hi = above ? r.hi : 1 / r.lo;
	const char *dir = above ? more : less;
	char val[32], ci[48], p[24];

	brc_fmt_sig(val, sizeof(val), v, 3);
	if (sg->n < BR_MIN_RUNS || sb->n < BR_MIN_RUNS || isnan(r.p)) {
		snprintf(buf, n, "%sx %s%s (means of %zu and %zu run%s: "
		         "no verdict)", val, dir, than, sg->n, sb->n,
		         sb->n == 1 ? "" : "s");
		return;
	}
	brc_fmt_p(p, sizeof(p), r.p);
	if (r.p < BR_ALPHA) {
		brc_fmt_ratio_ci(ci, sizeof(ci), lo, hi);
		snprintf(buf, n, "%sx %s%s (CI %sx, p %s%s)", val, dir, than,
		         ci, *p == '<' ? "" : "= ", p);
	} else {
		brc_fmt_ratio_ci(ci, sizeof(ci), r.lo, r.hi);
		snprintf(buf, n, "no difference detected (CI %sx, p %s%s)", ci,
		         *p == '<' ? "" : "= ", p);
	}
}

int brc_report_comparison(const struct brc_group *g, const struct brc_group *base,
                         char *buf, size_t n)
{
	struct brc_stats sg, sb, mg, mb;
	char speed[192], mem[320] = "", than[96];
	int mm;

	if (g == base)
		return -1;
	brc_group_stats(g, BR_M_WALL, &sg, NULL);
	brc_group_stats(base, BR_M_WALL, &sb, NULL);
	if (!sg.n || !sb.n || !(sg.mean > 0) || !(sb.mean > 0))
		return -1;
	/* A ratio >= 1, "faster" or "slower": 0.4x faster reads badly.  A
	 * longer wall time is "slower". */
	snprintf(than, sizeof(than), " than %s", base->label);
	verdict(speed, sizeof(speed), &sg, &sb, than, "slower", "faster");

	/* Compare like with like: the tree's growth over its baseline (the
	 * harness's own memory is not the strategy's) when both measured it
	 * with the same instrument; else the largest process's peak RSS. */
	mm = brc_report_mem_metric(g, base);
	brc_group_stats(g, mm, &mg, NULL);
	brc_group_stats(base, mm, &mb, NULL);
	if (mg.mean > 0 && mb.mean > 0) {
		char m[160], abs[48] = "";
		struct brc_stats ag, ab;

		/* The absolute peaks beside the growth. */
		brc_group_stats(g, BR_M_TREE_MEM, &ag, NULL);
		brc_group_stats(base, BR_M_TREE_MEM, &ab, NULL);
		if (mm == BR_M_TREE_GROWTH && ag.mean > 0 && ab.mean > 0)
			snprintf(abs, sizeof(abs), "; absolute %.2fx",
			         ag.mean / ab.mean);
		/* On its own line: the table stays within 100 columns. */
		verdict(m, sizeof(m), &mg, &mb, "", "more", "less");
		snprintf(mem, sizeof(mem), "\n    %s: %s%s",
		         mm != BR_M_TREE_GROWTH ? "peak RSS (largest process)"
		         : brc_report_mem_exact(g) ? "Δ tree memory (cgroup)"
		                                   : "Δ tree PSS (sampled)", m, abs);
	}
	snprintf(buf, n, "%s: %s%s", g->label, speed, mem);
	return 0;
}

int brc_report_few_runs_hint(const struct brc_results *r, char *buf, size_t n)
{
	size_t few = 0;

	for (size_t i = 0; i < r->n_groups; i++) {
		struct brc_stats s;

		brc_group_stats(&r->groups[i], BR_M_WALL, &s, NULL);
		few += s.n > 0 && s.n < BR_MIN_RUNS;
	}
	if (!few)
		return -1;
	snprintf(buf, n, "hint: %zu group%s measured fewer than %d runs, so no "
	         "CI and no verdict: use --runs 5 (at least %d)", few,
	         few == 1 ? "" : "s", BR_MIN_RUNS, BR_MIN_RUNS);
	return 0;
}

/* Mean of a run field over the measured runs of g; NaN without any. */
static double mean_of(const struct brc_group *g, size_t off)
{
	double sum = 0;
	size_t n = 0;

	for (size_t i = 0; i < g->n_runs; i++) {
		const char *x = (const char *)&g->runs[i];
		double v = *(const double *)(const void *)(x + off);

		if (brc_run_measured(&g->runs[i]) && v > 0) {
			sum += v;
			n++;
		}
	}
	return n ? sum / (double)n : NAN;
}

int brc_report_ideal_note(const struct brc_results *r, const char *point,
                         char *buf, size_t n)
{
	int64_t seen[8];
	size_t n_seen = 0, len;

	len = (size_t)snprintf(buf, n, "eff = ideal / wall; ideal (in-order) / "
	                       "lower bound:");
	for (size_t i = 0; i < r->n_groups && n_seen < BR_ARRAY_SIZE(seen); i++) {
		const struct brc_group *g = &r->groups[i];
		double ideal, bound;
		char a[32], b[32];
		size_t k;

		if (strcmp(g->point ? g->point : "", point))
			continue;
		for (k = 0; k < n_seen && seen[k] != g->concurrency; k++)
			;
		ideal = mean_of(g, offsetof(struct brc_run_result, ideal));
		bound = mean_of(g, offsetof(struct brc_run_result, lower_bound));
		if (k < n_seen || isnan(ideal) || isnan(bound))
			continue;
		seen[n_seen++] = g->concurrency;
		if (len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s %s / %s at "
			                        "concurrency %lld", n_seen > 1 ?
			                        "," : "",
			                        brc_fmt_duration(a, sizeof(a), ideal),
			                        brc_fmt_duration(b, sizeof(b), bound),
			                        (long long)(g->concurrency > 0 ?
			                                    g->concurrency : 1));
	}
	return n_seen ? 0 : -1;
}

int brc_report_startup_note(const struct brc_group *g, char *buf, size_t n)
{
	double wall = mean_of(g, offsetof(struct brc_run_result, startup_wall));
	double cpu = mean_of(g, offsetof(struct brc_run_result, startup_cpu));
	char a[32], b[32];

	if (isnan(wall))
		return -1;
	snprintf(buf, n, "%s: start-up before `ready` (interpreter, imports) "
	         "%s wall, %s CPU per run, not in its wall and CPU", g->label,
	         brc_fmt_duration(a, sizeof(a), wall),
	         isnan(cpu) ? "0 s" : brc_fmt_duration(b, sizeof(b), cpu));
	return 0;
}
