/*
 * check_verdicts.c - the statistics behind every verdict, on synthetic
 * samples with answers known in closed form (no timing anywhere): the
 * ratio's 95% CI on the log scale, Holm-Bonferroni, p-values and
 * intervals printed to significant digits, the few-runs rule, and an A/A
 * simulation whose false-positive rate must be close to 5%.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_util.h"
#include "results/stats.h"
#include "suites.h"

/*
 * a = {9, 10, 11}, b = {18, 20, 22}: relative sd 0.1 on both sides, so
 * se(log ratio) = sqrt(2 * 0.01 / 3), Welch df = 4 exactly and t(.975, 4)
 * = 2.7764.  The two-sided p of t = ln 2 / se with 4 df has a closed form
 * (F(t) = 1/2 + 3/8 x (1 - x^2/12 ...)); values computed by hand.
 */
START_TEST(test_ratio_ci_known)
{
	const double a[] = { 9, 10, 11 }, b[] = { 18, 20, 22 };
	const double c[] = { 9.9, 11, 12.1 };
	struct brc_stats sa, sb, sc;
	struct brc_ratio r;

	brc_stats_compute(a, 3, &sa);
	brc_stats_compute(b, 3, &sb);
	brc_stats_compute(c, 3, &sc);
	r = brc_stats_ratio(&sb, &sa);
	ck_assert_double_eq_tol(r.value, 2, 1e-12);
	ck_assert_double_eq_tol(r.df, 4, 1e-9);
	ck_assert_double_eq_tol(r.lo, 1.5943323668505474, 1e-6);
	ck_assert_double_eq_tol(r.hi, 2.508887157513851, 1e-6);
	ck_assert_double_eq_tol(r.p, 0.0010556587326413513, 1e-6);
	/* The other way round: the reciprocal interval, the same p. */
	r = brc_stats_ratio(&sa, &sb);
	ck_assert_double_eq_tol(r.lo, 0.39858309171263684, 1e-6);
	ck_assert_double_eq_tol(r.hi, 0.6272217893784627, 1e-6);
	ck_assert_double_eq_tol(r.p, 0.0010556587326413513, 1e-6);
	/* 1.1x with the same spread: not significant, the CI covers 1. */
	r = brc_stats_ratio(&sc, &sa);
	ck_assert_double_eq_tol(r.p, 0.3079256804828212, 1e-6);
	ck_assert(r.lo < 1 && r.hi > 1.1);
	/* No spread at all: the interval is the point. */
	brc_stats_compute(b, 1, &sb);
	r = brc_stats_ratio(&sb, &sa);
	ck_assert(isnan(r.lo) && isnan(r.p));
}
END_TEST

START_TEST(test_holm)
{
	const double p[] = { 0.01, 0.04, 0.03, 0.005, NAN };
	const double q[] = { 0.01, 0.02 };
	bool rej[5];

	/* Sorted: 0.005 < 0.05/4, 0.01 < 0.05/3, 0.03 > 0.05/2: stop.  The
	 * NaN is not a test, so m = 4. */
	ck_assert_uint_eq(brc_stats_holm(p, 5, 0.05, rej), 2);
	ck_assert(rej[0] && !rej[1] && !rej[2] && rej[3] && !rej[4]);
	/* Plain Bonferroni would reject only the first of q; Holm both. */
	ck_assert_uint_eq(brc_stats_holm(q, 2, 0.05, rej), 2);
	ck_assert_uint_eq(brc_stats_holm(q, 0, 0.05, rej), 0);
}
END_TEST

START_TEST(test_fmt_p)
{
	char buf[32];

	ck_assert_str_eq(brc_fmt_p(buf, sizeof(buf), 0.41), "0.41");
	ck_assert_str_eq(brc_fmt_p(buf, sizeof(buf), 0.00123), "0.0012");
	/* Never rounded onto the threshold. */
	ck_assert_str_eq(brc_fmt_p(buf, sizeof(buf), 0.0496), "0.0496");
	ck_assert_str_eq(brc_fmt_p(buf, sizeof(buf), 0.0504), "0.0504");
	ck_assert_str_eq(brc_fmt_p(buf, sizeof(buf), 0.05), "0.050");
	ck_assert_str_eq(brc_fmt_p(buf, sizeof(buf), 0.00001), "< 0.0001");
	ck_assert_str_eq(brc_fmt_p(buf, sizeof(buf), 1), "1.0");
	ck_assert_str_eq(brc_fmt_p(buf, sizeof(buf), NAN), "-");
}
END_TEST

START_TEST(test_fmt_ci)
{
	char buf[64];

	/* Two significant digits of the interval, the mean to match. */
	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 11.0, 2.2),
	                 "11.0 ± 2.2 s");
	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 0.420, 0.0124),
	                 "420 ± 12 ms");
	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 0.128, 0.00041),
	                 "128.00 ± 0.41 ms");
	/* No interval: three significant digits, no ±. */
	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 8.037, NAN), "8.04 s");
	ck_assert_str_eq(brc_fmt_sig(buf, sizeof(buf), 26.234, 3), "26.2");
	ck_assert_str_eq(brc_fmt_sig(buf, sizeof(buf), 0.97312, 3), "0.973");
	ck_assert_str_eq(brc_fmt_sig(buf, sizeof(buf), 431.6, 3), "432");
	ck_assert_str_eq(brc_fmt_ratio_ci(buf, sizeof(buf), 0.97, 1.0812),
	                 "0.970-1.08");
	ck_assert_str_eq(brc_fmt_ratio_ci(buf, sizeof(buf), 23.91, 28.64),
	                 "23.9-28.6");
	/* A bound near 1 keeps the digits that tell it from 1. */
	ck_assert_str_eq(brc_fmt_ratio_ci(buf, sizeof(buf), 1.0042, 1.26),
	                 "1.004-1.26");
	ck_assert_str_eq(brc_fmt_ratio_ci(buf, sizeof(buf), 0.9996, 1.2),
	                 "0.9996-1.20");
}
END_TEST

START_TEST(test_precise)
{
	const double a[] = { 9, 10, 11 };
	struct brc_stats s;

	brc_stats_compute(a, 3, &s);
	/* Half width t(2) * 1 / sqrt 3 = 2.48, 24.8% of the mean. */
	ck_assert(brc_stats_precise(&s, 0.25));
	ck_assert(!brc_stats_precise(&s, 0.24));
	brc_stats_compute(a, 2, &s);
	ck_assert(!brc_stats_precise(&s, 10));
}
END_TEST

/* Deterministic normal samples: splitmix64 and Box-Muller. */
static uint64_t rng_state;

static double uniform01(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(double mean, double sd)
{
	double u = uniform01(), v = uniform01();

	return mean + sd * sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* One A/A trial: two samples of 5 from N(10, 0.3); the p of their ratio. */
static double aa_p(void)
{
	double a[5], b[5];
	struct brc_stats sa, sb;

	for (int i = 0; i < 5; i++) {
		a[i] = normal(10, 0.3);
		b[i] = normal(10, 0.3);
	}
	brc_stats_compute(a, 5, &sa);
	brc_stats_compute(b, 5, &sb);
	return brc_stats_ratio(&sa, &sb).p;
}

/*
 * The A/A test in the small: two samples of 5 from the same distribution
 * (mean 10, sd 0.3, like stable runs), 4000 times.  A 95% procedure calls
 * about 5% of them different; the log-scale ratio is an approximation, so
 * allow 3.5% to 6.5% (the binomial sd at 4000 trials is 0.34%).  With
 * Holm over 6 metrics at once, the family-wise rate is at most 5%.
 */
START_TEST(test_aa_false_positives)
{
	size_t hits = 0, trials = 4000, fam = 0;

	rng_state = 42;
	for (size_t k = 0; k < trials; k++)
		hits += aa_p() < BR_ALPHA;
	ck_assert_msg(hits > trials * 35 / 1000 && hits < trials * 65 / 1000,
	              "%zu false positives in %zu A/A trials", hits, trials);

	for (size_t k = 0; k < 1000; k++) {
		double p[6];
		bool rej[6];

		for (int m = 0; m < 6; m++)
			p[m] = aa_p();
		fam += brc_stats_holm(p, 6, BR_ALPHA, rej) > 0;
	}
	ck_assert_msg(fam < 65, "%zu of 1000 families had a false positive", fam);
}
END_TEST

Suite *brc_suite_verdicts(void)
{
	Suite *s = suite_create("verdicts");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_ratio_ci_known);
	tcase_add_test(tc, test_holm);
	tcase_add_test(tc, test_fmt_p);
	tcase_add_test(tc, test_fmt_ci);
	tcase_add_test(tc, test_precise);
	tcase_add_test(tc, test_aa_false_positives);
	suite_add_tcase(s, tc);
	return s;
}
