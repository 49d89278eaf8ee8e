/*
 * report_util.h - what the report formats share: the humanized formatting
 * of values (report_fmt.c) and the words of the summary table, the
 * comparison lines and the warnings (report_text.c).  The metric and field
 * tables they read come from results/metrics.h.
 */
#ifndef BR_REPORT_UTIL_H
#define BR_REPORT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "results/metrics.h"
#include "util.h"

/* One humanized value of a metric kind ("1.23 s", "12.3 MiB", "3.4k",
 * "97%"); "-" for NaN. */
const char *brc_fmt_metric(char *buf, size_t n, enum brc_metric_kind kind,
                          double v);
/* "29.6 ± 0.13 s": the half width of a 95% CI in the unit of the mean, to
 * two significant digits, the mean to the same decimals; just the mean
 * (three significant digits) when half is NaN. */
const char *brc_fmt_time_pm(char *buf, size_t n, double mean, double half);
/* v to `digits` significant digits without an exponent ("26.2", "0.973"). */
const char *brc_fmt_sig(char *buf, size_t n, double v, int digits);
/* A p-value to two significant digits, never rounded onto BR_ALPHA
 * ("0.0496", not "0.050"); "< 0.0001" below that. */
const char *brc_fmt_p(char *buf, size_t n, double p);
/* A ratio's CI bounds "0.973-1.08", three significant digits each. */
const char *brc_fmt_ratio_ci(char *buf, size_t n, double lo, double hi);

/*
 * The words shared by the terminal table and the Markdown summary
 * (report_text.c).
 */
enum {
	BR_COL_LABEL, BR_COL_CONC, BR_COL_WALL, BR_COL_CPU, BR_COL_REQS, BR_COL_P99,
	BR_COL_RSS, BR_COL_TREE, BR_COL_EFF, BR_COL_STATUS, BR_COL_N
};
#define BR_CELL 128
extern const char *const brc_col_titles[BR_COL_N];

enum brc_health { BR_HEALTH_OK, BR_HEALTH_WARN, BR_HEALTH_BAD };

/* Whether every measured run of g measured its tree with a cgroup. */
bool brc_report_mem_exact(const struct brc_group *g);
/* The memory metric to compare g with base by: BR_M_TREE_GROWTH when
 * both measured the tree the same way, else BR_M_PEAK_RSS. */
int brc_report_mem_metric(const struct brc_group *g,
                          const struct brc_group *base);

/* The note under a table whose peak RSS column (marked "*") shows a
 * child of the worker; 0 when written, -1 when no group needs it. */
int brc_report_rss_note(const struct brc_results *r, const char *point,
                       char *buf, size_t n);

/* One summary row of group g; returns how healthy its runs were (for the
 * colour of the status). */
enum brc_health brc_report_cells(const struct brc_group *g,
                               char cells[BR_COL_N][BR_CELL]);

/* report_verdict.c.  "eventloop: 2.41x faster than sync (CI 2.30-2.53x,
 * p < 0.0001); peak memory: 3.2x less than sync (CI ...)" or "no
 * difference detected from sync (CI 0.97-1.08x, p = 0.41)"; no verdict
 * with fewer than BR_MIN_RUNS runs.  0 when written, -1 when there is
 * nothing to compare (g is the baseline, or either has no run). */
int brc_report_comparison(const struct brc_group *g, const struct brc_group *base,
                         char *buf, size_t n);

/* "eff = ideal / wall; ideal (in-order) / lower bound: 210 ms / 170 ms
 * at concurrency 50, ..." for the groups of a sweep point that have an
 * ideal (docs/reading-results.md); 0 when written. */
int brc_report_ideal_note(const struct brc_results *r, const char *point,
                         char *buf, size_t n);

/* "py-gevent: start-up before `ready` (interpreter, imports) 310 ms wall,
 * 250 ms CPU per run, not in its wall and CPU" for a group whose runs
 * said ready (exec); 0 when written. */
int brc_report_startup_note(const struct brc_group *g, char *buf, size_t n);

/* What every ± and CI in the reports is, for their header. */
extern const char brc_report_method[];

/* One line when some group measured fewer than BR_MIN_RUNS runs; 0 when
 * written. */
int brc_report_few_runs_hint(const struct brc_results *r, char *buf, size_t n);

/* "no comparison: the baseline sync has no finished run" when the
 * block's baseline exists but cannot be compared with; 0 when written. */
int brc_report_baseline_note(const struct brc_group *base, char *buf, size_t n);

/* Warnings about g of r (outliers, slow first run, server-bound runs,
 * failed tickets), appended to out one line each, "\n"-terminated. */
void brc_report_warnings(const struct brc_results *r,
                         const struct brc_group *g, struct brc_buf *out);

/* The open model (report_open.c).  A column's title for results r
 * ("kept up" instead of "eff" when r has open-model runs); the kept-up
 * cell of an open-model group (closed ones are left alone); the
 * warnings of a strategy that fell behind or started early; the header
 * line of open-model results (0 when written, -1 when r has none). */
const char *brc_col_title(const struct brc_results *r, int c);
void brc_report_open_cells(const struct brc_group *g,
                           char cells[BR_COL_N][BR_CELL]);
void brc_report_open_warnings(const struct brc_group *g, struct brc_buf *out);
int brc_report_open_header(const struct brc_results *r, char *buf, size_t n);
/* The capacity search's answers and probes, for the terminal or (with
 * markdown) as a Markdown table; nothing when r has none. */
void brc_report_capacity(struct brc_buf *out, const struct brc_results *r,
                         bool markdown);

/* Display width of a UTF-8 string (code points; we only print ASCII and
 * a few symbols such as '±'). */
size_t brc_utf8_width(const char *s);

#endif /* BR_REPORT_UTIL_H */
