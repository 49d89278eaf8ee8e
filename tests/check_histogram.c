/*
 * check_histogram.c - the latency histogram: bucket layout, bounded
 * relative error of percentiles, exact min/max/mean, merging.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "results/histogram.h"
#include "suites.h"

START_TEST(test_empty)
{
	struct brc_hist h;
	struct brc_latency_summary s;

	brc_hist_init(&h);
	ck_assert_uint_eq(brc_hist_percentile(&h, 0.5), 0);
	ck_assert_double_eq(brc_hist_mean(&h), 0.0);
	brc_hist_summary(&h, &s);
	ck_assert_uint_eq(s.count, 0);
	ck_assert_double_eq(s.max, 0.0);
}
END_TEST

START_TEST(test_layout)
{
	uint64_t prev_hi = 0;

	/* Counters tile the value range without gaps or overlaps. */
	for (size_t i = 0; i < BR_HIST_BUCKETS; i++) {
		uint64_t lo = brc_hist_lowest(i), hi = brc_hist_highest(i);

		ck_assert_uint_le(lo, hi);
		if (i)
			ck_assert_uint_eq(lo, prev_hi + 1);
		ck_assert_uint_eq(brc_hist_index(lo), i);
		ck_assert_uint_eq(brc_hist_index(hi), i);
		/* Bounded relative error: a counter is at most 1/64 of its
		 * lowest value wide. */
		if (lo >= 64)
			ck_assert_uint_le((hi - lo + 1) * 64, lo);
		prev_hi = hi;
	}
	/* 1 h fits; larger values are clamped into the last counter. */
	ck_assert_uint_lt(brc_hist_index(3600ull * 1000000000ull),
	                  BR_HIST_BUCKETS - 1);
	ck_assert_uint_eq(brc_hist_index(UINT64_MAX), BR_HIST_BUCKETS - 1);
	ck_assert_uint_eq(brc_hist_index(0), 0);
	ck_assert_uint_eq(brc_hist_index(63), 63);
}
END_TEST

START_TEST(test_small_exact)
{
	struct brc_hist h;

	brc_hist_init(&h);
	brc_hist_record(&h, 1);
	brc_hist_record(&h, 2);
	brc_hist_record(&h, 3);
	ck_assert_uint_eq(brc_hist_percentile(&h, 0.5), 2);
	ck_assert_uint_eq(brc_hist_percentile(&h, 1.0), 3);
	ck_assert_uint_eq(brc_hist_percentile(&h, 0.0), 1);
	ck_assert_double_eq_tol(brc_hist_mean(&h), 2.0, 1e-12);
}
END_TEST

START_TEST(test_percentiles_uniform)
{
	struct brc_hist *h = malloc(sizeof(*h));
	const double qs[] = { 0.5, 0.9, 0.99, 0.999 };

	brc_hist_init(h);
	/* 1 us .. 1 s in 1 us steps: the q-quantile is q seconds. */
	for (uint64_t v = 1; v <= 1000000; v++)
		brc_hist_record(h, v * 1000);
	for (size_t k = 0; k < 4; k++) {
		double want = qs[k] * 1e9;
		double got = (double)brc_hist_percentile(h, qs[k]);

		ck_assert_double_le(fabs(got - want) / want, 1.0 / 64);
	}
	ck_assert_uint_eq(h->max, 1000000000ull);
	ck_assert_uint_eq(h->min, 1000);
	ck_assert_double_eq_tol(brc_hist_mean(h), 500000500.0, 1e-3);
	free(h);
}
END_TEST

START_TEST(test_clamped_to_extremes)
{
	struct brc_hist h;
	uint64_t two_hours = 7200ull * 1000000000ull;

	brc_hist_init(&h);
	brc_hist_record(&h, two_hours);
	/* One value: every percentile is that value, exactly. */
	ck_assert_uint_eq(brc_hist_percentile(&h, 0.5), two_hours);
	ck_assert_uint_eq(brc_hist_percentile(&h, 0.99), two_hours);
}
END_TEST

START_TEST(test_merge)
{
	struct brc_hist *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b)),
	               *all = malloc(sizeof(*all));
	struct brc_latency_summary sa, sall;

	brc_hist_init(a);
	brc_hist_init(b);
	brc_hist_init(all);
	for (uint64_t v = 1; v <= 20000; v++) {
		uint64_t ns = v * v * 7 + 100;

		brc_hist_record(v % 2 ? a : b, ns);
		brc_hist_record(all, ns);
	}
	brc_hist_merge(a, b);
	ck_assert_uint_eq(a->count, all->count);
	ck_assert_uint_eq(a->min, all->min);
	ck_assert_uint_eq(a->max, all->max);
	ck_assert_uint_eq(a->sum, all->sum);
	for (size_t i = 0; i < BR_HIST_BUCKETS; i++)
		ck_assert_uint_eq(a->counts[i], all->counts[i]);
	brc_hist_summary(a, &sa);
	brc_hist_summary(all, &sall);
	ck_assert_double_eq(sa.p99, sall.p99);
	ck_assert_uint_eq(sa.count, 20000);
	ck_assert_double_eq_tol(sa.max, (20000.0 * 20000 * 7 + 100) / 1e9, 1e-12);
	free(a);
	free(b);
	free(all);
}
END_TEST

Suite *brc_suite_histogram(void)
{
	Suite *s = suite_create("histogram");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_small_exact);
	tcase_add_test(tc, test_percentiles_uniform);
	tcase_add_test(tc, test_clamped_to_extremes);
	tcase_add_test(tc, test_merge);
	suite_add_tcase(s, tc);
	return s;
}
