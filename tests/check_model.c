/*
 * check_model.c - the server's latency/fault model: each distribution's
 * draws against its analytic median, p99 and mean, the tail, the fault
 * rates, determinism, and the ideal makespan.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "server/model.h"
#include "suites.h"
#include "util.h"

#define N 10000

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Draw N delays; compare median, p99 and mean with the model's own. */
static void assert_matches(const struct brc_latency *m, double tol_mid,
                           double tol_p99)
{
	double *d = brc_xmalloc(N * sizeof(*d)), sum = 0;
	double med, p99, mean;

	for (int i = 0; i < N; i++) {
		d[i] = brc_model_delay(m, 1234, (uint64_t)i, 0);
		ck_assert(d[i] >= 0 && isfinite(d[i]));
		sum += d[i];
	}
	qsort(d, N, sizeof(*d), cmp_double);
	med = brc_model_quantile(m, 0.5);
	p99 = brc_model_quantile(m, 0.99);
	mean = brc_model_mean(m);
	ck_assert_msg(fabs(d[N / 2] - med) <= tol_mid * med,
	              "model %d median %g, drawn %g", m->model, med, d[N / 2]);
	ck_assert_msg(fabs(d[N * 99 / 100] - p99) <= tol_p99 * p99,
	              "model %d p99 %g, drawn %g", m->model, p99,
	              d[N * 99 / 100]);
	ck_assert_msg(fabs(sum / N - mean) <= tol_mid * mean,
	              "model %d mean %g, drawn %g", m->model, mean, sum / N);
	free(d);
}

START_TEST(test_fixed_none)
{
	struct brc_latency m = { .model = BR_LAT_FIXED, .value = 0.1 };

	for (uint64_t i = 0; i < 100; i++)
		ck_assert_double_eq(brc_model_delay(&m, 1, i, 0), 0.1);
	ck_assert_double_eq_tol(brc_model_quantile(&m, 0.99), 0.1, 1e-9);
	ck_assert_double_eq(brc_model_mean(&m), 0.1);
	m.model = BR_LAT_NONE;
	ck_assert_double_eq(brc_model_delay(&m, 1, 5, 0), 0);
	ck_assert_double_eq_tol(brc_model_quantile(&m, 0.5), 0, 1e-9);
	ck_assert_double_eq(brc_model_mean(&m), 0);
}
END_TEST

START_TEST(test_distributions)
{
	struct brc_latency m = { .model = BR_LAT_UNIFORM, .min = 0.05,
	                        .max = 0.15 };

	assert_matches(&m, 0.02, 0.02);
	ck_assert_double_eq_tol(brc_model_quantile(&m, 0.5), 0.1, 1e-9);

	m = (struct brc_latency){ .model = BR_LAT_NORMAL, .mean = 0.1,
	                         .stddev = 0.02 };
	assert_matches(&m, 0.02, 0.05);
	ck_assert_double_eq_tol(brc_model_quantile(&m, 0.99),
	                        0.1 + 2.326348 * 0.02, 1e-6);

	/* Clamped at 0: a third of the mass sits at zero. */
	m = (struct brc_latency){ .model = BR_LAT_NORMAL, .mean = 0.02,
	                         .stddev = 0.05 };
	assert_matches(&m, 0.1, 0.05);

	m = (struct brc_latency){ .model = BR_LAT_LOGNORMAL, .median = 0.1,
	                         .p99 = 0.5 };
	assert_matches(&m, 0.03, 0.1);
	ck_assert_double_eq_tol(brc_model_quantile(&m, 0.99), 0.5, 1e-6);
	ck_assert_double_eq_tol(brc_model_quantile(&m, 0.5), 0.1, 1e-9);

	m = (struct brc_latency){ .model = BR_LAT_LOGNORMAL, .median = 0.1,
	                         .sigma = 0.5 };
	assert_matches(&m, 0.03, 0.1);
	ck_assert_double_eq_tol(brc_model_mean(&m), 0.1 * exp(0.125), 1e-12);

	m = (struct brc_latency){ .model = BR_LAT_EXPONENTIAL, .mean = 0.1 };
	assert_matches(&m, 0.04, 0.1);
	ck_assert_double_eq_tol(brc_model_quantile(&m, 0.5), 0.1 * log(2),
	                        1e-9);
}
END_TEST

START_TEST(test_tail)
{
	struct brc_latency m = { .model = BR_LAT_FIXED, .value = 0.1,
	                        .tail_fraction = 0.01, .tail_factor = 10 };
	int slow = 0;

	for (uint64_t i = 0; i < N; i++) {
		double d = brc_model_delay(&m, 77, i, 0);

		ck_assert(d == 0.1 || fabs(d - 1.0) < 1e-12);
		slow += d > 0.5;
	}
	ck_assert_int_ge(slow, 70);
	ck_assert_int_le(slow, 130);
	ck_assert_double_eq_tol(brc_model_mean(&m), 0.1 * (0.99 + 0.1), 1e-12);
	ck_assert_double_eq_tol(brc_model_quantile(&m, 0.5), 0.1, 1e-9);
	ck_assert_double_eq_tol(brc_model_quantile(&m, 0.995), 1.0, 1e-9);

	m = (struct brc_latency){ .model = BR_LAT_LOGNORMAL, .median = 0.05,
	                         .sigma = 0.3, .tail_fraction = 0.05,
	                         .tail_factor = 4 };
	assert_matches(&m, 0.03, 0.1);
}
END_TEST

START_TEST(test_deterministic)
{
	struct brc_latency m = { .model = BR_LAT_UNIFORM, .min = 0, .max = 1 };

	ck_assert_double_eq(brc_model_delay(&m, 9, 123, 0),
	                    brc_model_delay(&m, 9, 123, 0));
	ck_assert_double_ne(brc_model_delay(&m, 9, 123, 0),
	                    brc_model_delay(&m, 9, 123, 1));
	ck_assert_double_ne(brc_model_delay(&m, 9, 123, 0),
	                    brc_model_delay(&m, 10, 123, 0));
	ck_assert_double_ne(brc_model_delay(&m, 9, 123, 0),
	                    brc_model_delay(&m, 9, 124, 0));
}
END_TEST

START_TEST(test_faults)
{
	struct brc_faults f = { .error_rate = 0.05, .error_status = 503,
	                       .reset_rate = 0.02, .truncate_rate = 0.03 };
	struct brc_latency m = { .model = BR_LAT_UNIFORM, .min = 0, .max = 1 };
	int count[4] = { 0 };
	double faulty_delay = 0;

	for (uint64_t i = 0; i < N; i++) {
		enum brc_fault x = brc_model_fault(&f, 5, i, 0);

		ck_assert_int_eq(x, brc_model_fault(&f, 5, i, 0));
		count[x]++;
		if (x != BR_FAULT_NONE)
			faulty_delay += brc_model_delay(&m, 5, i, 0);
	}
	ck_assert_int_ge(count[BR_FAULT_ERROR], 400);
	ck_assert_int_le(count[BR_FAULT_ERROR], 600);
	ck_assert_int_ge(count[BR_FAULT_RESET], 140);
	ck_assert_int_le(count[BR_FAULT_RESET], 260);
	ck_assert_int_ge(count[BR_FAULT_TRUNCATE], 230);
	ck_assert_int_le(count[BR_FAULT_TRUNCATE], 370);
	/* Independent of the delay: faulty requests are not the slow ones. */
	faulty_delay /= N - count[BR_FAULT_NONE];
	ck_assert_msg(fabs(faulty_delay - 0.5) < 0.05, "mean delay of "
	              "faulty requests %g", faulty_delay);
	/* A retry is a new draw. */
	f = (struct brc_faults){ .error_rate = 1 };
	ck_assert_int_eq(brc_model_fault(&f, 5, 1, 3), BR_FAULT_ERROR);
	f = (struct brc_faults){ 0 };
	for (uint64_t i = 0; i < 1000; i++)
		ck_assert_int_eq(brc_model_fault(&f, 5, i, 0), BR_FAULT_NONE);
}
END_TEST

START_TEST(test_ideal)
{
	struct brc_server s = { .latency = { .model = BR_LAT_FIXED,
	                                    .value = 0.1 } };
	double sum = 0, max = 0, ideal;

	ck_assert_double_eq_tol(brc_model_ideal(&s, 1, 10000, 1000), 1.0, 1e-9);
	ck_assert_double_eq_tol(brc_model_ideal(&s, 1, 10000, 1), 1000.0, 1e-6);
	ck_assert_double_eq_tol(brc_model_ideal(&s, 1, 10000, 0), 0.1, 1e-12);
	ck_assert_double_eq_tol(brc_model_ideal(&s, 1, 10000, 20000), 0.1, 1e-12);
	ck_assert_double_eq(brc_model_ideal(&s, 1, 0, 10), 0);
	s.max_in_flight = 100;
	ck_assert_double_eq_tol(brc_model_ideal(&s, 1, 10000, 1000), 10.0, 1e-9);
	ck_assert_double_eq_tol(brc_model_ideal(&s, 1, 10000, 10), 100.0, 1e-9);

	/* Any distribution: between the work bound and work bound + max. */
	s = (struct brc_server){ .latency = { .model = BR_LAT_EXPONENTIAL,
	                                     .mean = 0.1 } };
	for (uint64_t i = 0; i < 1000; i++) {
		double d = brc_model_delay(&s.latency, 3, i, 0);

		sum += d;
		max = d > max ? d : max;
	}
	ideal = brc_model_ideal(&s, 3, 1000, 10);
	ck_assert(ideal >= sum / 10 - 1e-9 && ideal >= max - 1e-9);
	ck_assert(ideal <= sum / 10 + max + 1e-9);
	ck_assert_double_eq_tol(brc_model_ideal(&s, 3, 1000, 1), sum, 1e-9);
}
END_TEST

Suite *brc_suite_model(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fixed_none);
	tcase_add_test(tc, test_distributions);
	tcase_add_test(tc, test_tail);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_faults);
	tcase_add_test(tc, test_ideal);
	suite_add_tcase(s, tc);
	return s;
}
