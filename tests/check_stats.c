/*
 * check_stats.c - the statistics against values computed by hand (Python's
 * statistics module, closed forms of Student's t for 1 and 2 degrees of
 * freedom, and printed t tables).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "results/stats.h"
#include "suites.h"
#include "util.h"

START_TEST(test_summary)
{
	const double x[] = { 4, 1, 100, 3, 2 };
	struct brc_stats s;

	brc_stats_compute(x, BR_ARRAY_SIZE(x), &s);
	ck_assert_uint_eq(s.n, 5);
	ck_assert_double_eq_tol(s.mean, 22, 1e-12);
	ck_assert_double_eq_tol(s.sd, 43.617656975128774, 1e-9);
	ck_assert_double_eq_tol(s.median, 3, 1e-12);
	ck_assert_double_eq_tol(s.min, 1, 1e-12);
	ck_assert_double_eq_tol(s.max, 100, 1e-12);
	ck_assert_double_eq_tol(s.mad, 1, 1e-12);
	/* t(0.975, 4) = 2.7764 */
	ck_assert_double_eq_tol(s.ci_hi - s.mean,
	                        2.7764 * 43.617656975128774 / sqrt(5), 1e-9);
	ck_assert_double_eq_tol(s.mean - s.ci_lo, s.ci_hi - s.mean, 1e-9);
}
END_TEST

START_TEST(test_summary_small)
{
	const double one = 7.5, even[] = { 4, 1, 3, 2 };
	struct brc_stats s;

	brc_stats_compute(&one, 1, &s);
	ck_assert_double_eq(s.mean, 7.5);
	ck_assert_double_eq(s.median, 7.5);
	ck_assert(isnan(s.sd));
	ck_assert(isnan(s.ci_lo) && isnan(s.ci_hi));
	ck_assert(isnan(brc_stats_se(&s)));

	brc_stats_compute(NULL, 0, &s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert(isnan(s.mean));

	brc_stats_compute(even, 4, &s);
	ck_assert_double_eq_tol(s.median, 2.5, 1e-12);
	ck_assert_double_eq_tol(s.mad, 1, 1e-12); /* |x-2.5| = .5 .5 1.5 1.5 */
}
END_TEST

START_TEST(test_t_quantile)
{
	ck_assert_double_eq_tol(brc_t_quantile975(1), 12.7062, 1e-4);
	ck_assert_double_eq_tol(brc_t_quantile975(2), 4.3027, 1e-4);
	ck_assert_double_eq_tol(brc_t_quantile975(9), 2.2622, 1e-4);
	ck_assert_double_eq_tol(brc_t_quantile975(60), 2.0003, 1e-4);
	ck_assert_double_eq_tol(brc_t_quantile975(1e9), 1.96, 1e-3);
	/* Interpolated values stay between their neighbours. */
	ck_assert(brc_t_quantile975(2.5) < 4.3027);
	ck_assert(brc_t_quantile975(2.5) > 3.1824);
	ck_assert(brc_t_quantile975(45) < 2.0211);
	ck_assert(brc_t_quantile975(45) > 2.0003);
	/* The table agrees with the distribution function. */
	for (int df = 1; df <= 30; df++)
		ck_assert_double_eq_tol(brc_t_pvalue(brc_t_quantile975(df), df),
		                        0.05, 2e-5);
	ck_assert_double_eq_tol(brc_t_pvalue(brc_t_quantile975(45), 45), 0.05,
	                        1e-4);
	ck_assert_double_eq_tol(brc_t_pvalue(brc_t_quantile975(300), 300), 0.05,
	                        1e-4);
}
END_TEST

START_TEST(test_t_pvalue)
{
	/* df = 1 is Cauchy: p = 1 - 2/pi atan|t|. */
	ck_assert_double_eq_tol(brc_t_pvalue(1, 1), 0.5, 1e-10);
	ck_assert_double_eq_tol(brc_t_pvalue(-3, 1), 1 - 2 / M_PI * atan(3), 1e-10);
	/* df = 2: p = 1 - |t| / sqrt(2 + t^2). */
	ck_assert_double_eq_tol(brc_t_pvalue(2, 2), 1 - 2 / sqrt(6), 1e-10);
	ck_assert_double_eq_tol(brc_t_pvalue(0.3, 2), 1 - 0.3 / sqrt(2.09), 1e-10);
	/* Large df tends to the normal distribution. */
	ck_assert_double_eq_tol(brc_t_pvalue(1.959964, 1e7), 0.05, 1e-5);
	ck_assert_double_eq_tol(brc_t_pvalue(0, 5), 1, 1e-12);
	ck_assert_double_eq(brc_t_pvalue(INFINITY, 5), 0);
}
END_TEST

START_TEST(test_outliers)
{
	const double x[] = { 1, 2, 3, 4, 100 }, flat[] = { 5, 5, 5, 9 };
	const double three[] = { 10, 10.1, 12 };
	bool flags[5];
	struct brc_stats s;

	brc_stats_compute(x, 5, &s);
	ck_assert_uint_eq(brc_stats_outliers(x, 5, &s, flags), 1);
	ck_assert(flags[4] && !flags[0] && !flags[3]);
	/* MAD of 0: no scale to judge by, so nothing is called an outlier. */
	brc_stats_compute(flat, 4, &s);
	ck_assert_double_eq(s.mad, 0);
	ck_assert_uint_eq(brc_stats_outliers(flat, 4, &s, NULL), 0);
	/* Three runs are too few to call one an outlier. */
	brc_stats_compute(three, 3, &s);
	ck_assert_uint_eq(brc_stats_outliers(three, 3, &s, NULL), 0);
}
END_TEST

START_TEST(test_slow_first)
{
	const double slow[] = { 2.0, 1.0, 1.01, 0.99, 1.0 };
	const double madslow[] = { 1.2, 1.0, 1.01, 0.99, 1.0 };
	const double fine[] = { 1.02, 1.0, 1.01, 0.99, 1.0 };
	const double two[] = { 5, 1 }, three[] = { 1.2, 1.0, 1.01 };
	struct brc_stats s;

	brc_stats_compute(slow, 5, &s);
	ck_assert(brc_stats_slow_first(slow, 5, &s));
	brc_stats_compute(madslow, 5, &s); /* 1.2 > 1.0 + 3*1.4826*0.01 */
	ck_assert(brc_stats_slow_first(madslow, 5, &s));
	brc_stats_compute(fine, 5, &s);
	ck_assert(!brc_stats_slow_first(fine, 5, &s));
	brc_stats_compute(three, 3, &s); /* 1.2x: only noise for 3 runs */
	ck_assert(!brc_stats_slow_first(three, 3, &s));
	brc_stats_compute(two, 2, &s);
	ck_assert(!brc_stats_slow_first(two, 2, &s));
}
END_TEST

START_TEST(test_ratio_welch)
{
	const double a[] = { 10.1, 10.3, 9.9, 10.2, 10.0 };
	const double b[] = { 12.0, 12.4, 11.9, 12.2, 12.1 };
	const double c[] = { 10.2, 10.0, 10.1, 9.9, 10.3 };
	struct brc_stats sa, sb, sc, s1;
	struct brc_ratio r;
	struct brc_welch w;

	brc_stats_compute(a, 5, &sa);
	brc_stats_compute(b, 5, &sb);
	brc_stats_compute(c, 5, &sc);
	r = brc_stats_ratio(&sb, &sa);
	ck_assert_double_eq_tol(r.value, 1.2, 1e-12);
	ck_assert(r.lo < 1.2 && r.hi > 1.2 && r.lo > 1.15 && r.hi < 1.25);
	ck_assert(r.p < 1e-6);

	w = brc_stats_welch(&sa, &sb);
	ck_assert_double_eq_tol(w.t, -18.14013550470426, 1e-9);
	ck_assert_double_eq_tol(w.df, 7.711133400200603, 1e-9);
	ck_assert(w.p < 1e-6);
	ck_assert_int_eq(w.verdict, BR_SIGNIF_YES);

	/* Same values in another order: no difference at all. */
	w = brc_stats_welch(&sa, &sc);
	ck_assert_double_eq_tol(w.p, 1, 1e-9);
	ck_assert_int_eq(w.verdict, BR_SIGNIF_NO);

	/* One run: not enough to tell, and no uncertainty. */
	brc_stats_compute(a, 1, &s1);
	w = brc_stats_welch(&s1, &sb);
	ck_assert_int_eq(w.verdict, BR_SIGNIF_UNKNOWN);
	r = brc_stats_ratio(&sb, &s1);
	ck_assert(isnan(r.lo) && isnan(r.hi) && isnan(r.p));
	ck_assert_double_eq_tol(r.value, 12.12 / 10.1, 1e-12);
}
END_TEST

START_TEST(test_welch_zero_spread)
{
	const double a[] = { 1, 1, 1 }, b[] = { 2, 2, 2 };
	struct brc_stats sa, sb;

	brc_stats_compute(a, 3, &sa);
	brc_stats_compute(b, 3, &sb);
	ck_assert_int_eq(brc_stats_welch(&sa, &sb).verdict, BR_SIGNIF_YES);
	ck_assert_int_eq(brc_stats_welch(&sa, &sa).verdict, BR_SIGNIF_NO);
}
END_TEST

Suite *brc_suite_stats(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_summary);
	tcase_add_test(tc, test_summary_small);
	tcase_add_test(tc, test_t_quantile);
	tcase_add_test(tc, test_t_pvalue);
	tcase_add_test(tc, test_outliers);
	tcase_add_test(tc, test_slow_first);
	tcase_add_test(tc, test_ratio_welch);
	tcase_add_test(tc, test_welch_zero_spread);
	suite_add_tcase(s, tc);
	return s;
}
