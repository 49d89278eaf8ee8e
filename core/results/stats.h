/*
 * stats.h - the statistics behind every report: summaries over the
 * repetitions of a group, outliers, the "slow first run" check, the ratio
 * of two means with its uncertainty and Welch's t-test.
 *
 * Pure functions over arrays of doubles: no allocation visible to the
 * caller, no I/O, no global state, so they are tested against values
 * computed by hand.
 */
#ifndef BR_STATS_H
#define BR_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Summary of n samples.  sd, ci_lo/ci_hi are NaN when n < 2 (a single
 * run says nothing about spread); every field is NaN when n == 0. */
struct brc_stats {
	size_t n;
	double mean, sd, median, min, max;
	double ci_lo, ci_hi; /* 95% confidence interval of the mean */
	double mad;          /* median absolute deviation, unscaled */
};

/* The MAD of a normal distribution times this estimates its sd. */
#define BR_MAD_SCALE 1.4826

void brc_stats_compute(const double *x, size_t n, struct brc_stats *s);

/* Standard error of the mean, sd / sqrt(n); NaN when n < 2. */
double brc_stats_se(const struct brc_stats *s);

/* The 0.975 quantile of Student's t with df degrees of freedom (df may
 * be fractional, as Welch's is): a table for small df, interpolated in
 * 1/df beyond it, 1.96 at infinity. */
double brc_t_quantile975(double df);

/* Two-sided p-value of Student's t statistic with df degrees of freedom:
 * P(|T| > |t|). */
double brc_t_pvalue(double t, double df);

/* Outliers: |x - median| > 3 * BR_MAD_SCALE * MAD.  Marks flags[i] (may
 * be NULL) and returns how many.  None when MAD is 0 or n < 5: the MAD of
 * three runs is just the smaller of two deviations, and calling the
 * larger one an outlier would flag ordinary noise. */
size_t brc_stats_outliers(const double *x, size_t n, const struct brc_stats *s,
                         bool *flags);

/* The first run (x[0]) was much slower than the rest, usually cold
 * caches or a lazy start-up: x[0] > 1.5 * median (n >= 3), or x[0] >
 * median + 3 * BR_MAD_SCALE * MAD (n >= 5, MAD > 0, as for outliers). */
bool brc_stats_slow_first(const double *x, size_t n, const struct brc_stats *s);

/* Fewer measured runs than this: no confidence interval is printed and
 * no verdict is given (two runs have one degree of freedom: t = 12.7). */
#define BR_MIN_RUNS 3
/* The significance level of every verdict, and the CI level (1 - it). */
#define BR_ALPHA 0.05

/* The 95% CI of a mean is trustworthy (n >= BR_MIN_RUNS) and its half
 * width is at most `rel` of the mean: what runs.repetitions: auto waits
 * for. */
bool brc_stats_precise(const struct brc_stats *s, double rel);

/* ---- stats_compare.c: two samples ------------------------------------- */

/*
 * a.mean / b.mean with its 95% confidence interval, computed on the log
 * scale: log(mean) has the standard error sd / (mean sqrt(n)) (delta
 * method), the two are combined as in Welch's test (Welch-Satterthwaite
 * degrees of freedom), and the interval exp(log r +- t se) is mapped back,
 * so it is asymmetric as a ratio's should be.  p is the two-sided p-value
 * of the same test (log r = 0), so "the CI excludes 1" and "p < 0.05"
 * always agree.  lo, hi, p, df are NaN when either side has fewer than 2
 * runs or a mean <= 0.
 */
struct brc_ratio {
	double value, lo, hi, p, df;
};
struct brc_ratio brc_stats_ratio(const struct brc_stats *a,
                               const struct brc_stats *b);

/* Welch's unequal-variance t-test on two summaries (difference of the
 * means). */
enum brc_signif {
	BR_SIGNIF_NO = 0,  /* p >= 0.05: no difference detected          */
	BR_SIGNIF_YES,     /* p < 0.05                                   */
	BR_SIGNIF_UNKNOWN, /* n < 2 on either side: not enough runs       */
};
struct brc_welch {
	double t, df, p;   /* NaN when unknown */
	enum brc_signif verdict;
};
struct brc_welch brc_stats_welch(const struct brc_stats *a,
                               const struct brc_stats *b);

/*
 * Holm-Bonferroni: of n tests with p-values p[], which are significant
 * while keeping the chance of any false positive across all of them at
 * most alpha.  NaN p-values are never significant (and not counted as
 * tests).  Fills reject[] and returns how many.
 */
size_t brc_stats_holm(const double *p, size_t n, double alpha, bool *reject);

#endif /* BR_STATS_H */
