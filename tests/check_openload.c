/*
 * check_openload.c - the open model (issue 16): the schedule
 * (workload/arrival.c) is a function of rate, process and seed alone; the
 * scenario's arrival, duration, rate sweep and search sections; the run
 * context's response time, service time, start lag and early-start count
 * driven in-process (no clocks involved in what is asserted); and the
 * open-model verdict.  Runs of the real binary are check_openload_runs.c's.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/metrics.h"
#include "run/loader.h"
#include "run/runctx.h"
#include "scenario/scenario.h"
#include "workload/arrival.h"
#include "workload/tickets.h"
#include "suites.h"
#include "util.h"

/* ---- the schedule -------------------------------------------------- */

START_TEST(test_schedule_constant)
{
	struct brc_arrival a = { BR_ARRIVAL_OPEN, 2000, BR_PROCESS_CONSTANT };
	uint64_t due[4001];

	brc_arrival_schedule(&a, 1, 4001, due);
	ck_assert_uint_eq(due[0], 0);
	ck_assert_uint_eq(due[1], 500000);
	/* No drift: the 4000th request of 2000/s is due at exactly 2 s. */
	ck_assert_uint_eq(due[4000], 2000000000u);
}
END_TEST

START_TEST(test_schedule_poisson)
{
	struct brc_arrival a = { BR_ARRIVAL_OPEN, 1000, BR_PROCESS_POISSON };
	enum { N = 20000 };
	uint64_t *x = brc_xcalloc(N, sizeof(*x)), *y = brc_xcalloc(N, sizeof(*y));
	double mean;

	brc_arrival_schedule(&a, 7, N, x);
	brc_arrival_schedule(&a, 7, N, y);
	/* Same seed: the same arrivals, for every strategy and every run. */
	ck_assert_int_eq(memcmp(x, y, N * sizeof(*x)), 0);
	for (size_t i = 1; i < N; i++)
		ck_assert_uint_ge(x[i], x[i - 1]);
	/* Mean gap 1 ms: over 20000 gaps the sample mean is within a few
	 * tenths of a percent (1 / sqrt(N) = 0.7 %); 5 % cannot fail. */
	mean = (double)x[N - 1] / (N - 1) / 1e6;
	ck_assert_double_lt(fabs(mean - 1.0), 0.05);
	brc_arrival_schedule(&a, 8, N, y);
	ck_assert_int_ne(memcmp(x, y, N * sizeof(*x)), 0);
	a.model = BR_ARRIVAL_CLOSED;
	brc_arrival_schedule(&a, 7, N, y);
	ck_assert_uint_eq(y[N - 1], 0);
	free(x);
	free(y);
}
END_TEST

/* ---- the scenario -------------------------------------------------- */

#define OPEN_HEAD "strategies: [{plugin: sync}]\n"

START_TEST(test_scenario_arrival)
{
	struct brc_scenario sc;
	char *err;
	struct brc_override ov[] = {
		{ "workload.arrival.rate", "500" },
		{ "workload.arrival.process", "poisson" },
	};

	ck_assert_int_eq(brc_test_scenario_text(OPEN_HEAD, NULL, 0, &sc, &err), 0);
	ck_assert_int_eq(sc.workload.arrival.model, BR_ARRIVAL_CLOSED);
	ck_assert_int_eq(brc_workload_requests(&sc.workload), 100);
	brc_scenario_free(&sc);

	ck_assert_int_eq(brc_test_scenario_text(OPEN_HEAD
		"workload: {arrival: {model: open, rate: 2000}, duration: 10s}\n",
		ov, 2, &sc, &err), 0);
	ck_assert_int_eq(sc.workload.arrival.model, BR_ARRIVAL_OPEN);
	ck_assert_int_eq(sc.workload.arrival.process, BR_PROCESS_POISSON);
	ck_assert_double_eq(sc.workload.arrival.rate, 500);
	ck_assert_int_eq(brc_workload_requests(&sc.workload), 5000);
	brc_scenario_free(&sc);

	/* days and duration: days wins (a quick way to shorten a run). */
	ck_assert_int_eq(brc_test_scenario_text(OPEN_HEAD
		"workload: {arrival: {rate: 2000}, duration: 10s, days: 20}\n",
		NULL, 0, &sc, &err), 0);
	ck_assert_int_eq(brc_workload_requests(&sc.workload), 20);
	brc_scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_arrival_errors)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "workload: {arrival: {model: open}}\n", "needs a rate" },
		{ "workload: {arrival: {model: closed, rate: 5}}\n",
		  "needs 'model: open'" },
		{ "workload: {arrival: {model: opne, rate: 5}}\n",
		  "neither 'closed' nor 'open'" },
		{ "workload: {arrival: {rate: 5, process: bursty}}\n",
		  "neither 'constant' nor 'poisson'" },
		{ "workload: {duration: 2s}\n", "needs an open model" },
		{ "sweep: {rate: [100, 200]}\n", "needs an open model" },
		{ "workload: {arrival: {model: open}}\nsweep: {rate: [1, x]}\n",
		  "'x' is not a rate" },
		{ "workload: {arrival: {model: open}}\n"
		  "search: {rate: {min: 10, max: 100}}\n", "one response-time" },
		{ "workload: {arrival: {model: open}}\n"
		  "search: {rate: {p99: 1s, min: 100, max: 10}}\n",
		  "min must be below max" },
	};

	for (size_t k = 0; k < BR_ARRAY_SIZE(cases); k++) {
		char *text = brc_xasprintf("%s%s", OPEN_HEAD, cases[k].text);
		char *err = brc_test_scenario_fail(text, NULL, 0);

		ck_assert_msg(strstr(err, cases[k].want), "%s: got %s",
		              cases[k].text, err);
		free(err);
		free(text);
	}
}
END_TEST

START_TEST(test_scenario_search)
{
	struct brc_scenario sc;
	char *err;

	ck_assert_int_eq(brc_test_scenario_text(OPEN_HEAD
		"workload: {arrival: {model: open}}\n"
		"search: {rate: {p99: 150ms, min: 100, max: 50000}}\n",
		NULL, 0, &sc, &err), 0);
	ck_assert(sc.search.enabled);
	ck_assert_double_eq(sc.search.quantile, 0.99);
	ck_assert_double_eq_tol(sc.search.target, 0.150, 1e-12);
	ck_assert_double_eq(sc.search.min, 100);
	ck_assert_double_eq(sc.search.max, 50000);
	brc_scenario_free(&sc);
}
END_TEST

/* ---- the run context, in-process ----------------------------------- */

START_TEST(test_runctx_early_and_lag)
{
	struct brc_workload w = brc_test_workload(3);
	const struct br_host *h = brc_host_table();
	/* Request 1 is due in an hour: starting it now is early. */
	uint64_t due[3] = { 0, 3600000000000ull, 3600000000000ull };
	char **urls = brc_xcalloc(3, sizeof(char *));
	struct brc_run_tally t;
	struct br_run *run;

	for (size_t i = 0; i < 3; i++)
		urls[i] = brc_ticket_url("{base}/t/{date}", "http://x", &w,
		                        (int64_t)i);
	run = brc_run_new(&w, urls, 3);
	brc_run_set_due(run, due, 10);
	brc_run_begin(run);
	ck_assert_uint_eq(h->due(run, 1), due[1]);
	ck_assert_uint_lt(h->now(run), due[1]);
	h->start(run, 0);
	h->done(run, 0, 503, NULL);
	h->start(run, 1);
	h->done(run, 1, 503, NULL);
	brc_run_finish(run, &t);
	ck_assert_uint_eq(t.open.early_starts, 1);
	ck_assert_double_eq(t.open.offered_rate, 10);
	/* Request 2 never started: the run did not keep up. */
	ck_assert(!t.open.kept_up);
	ck_assert_uint_eq(t.fail.missing, 1);
	ck_assert_uint_eq(t.service.count, 2);
	brc_run_tally_free(&t);
	brc_run_free(run);
}
END_TEST

START_TEST(test_verdict)
{
	struct brc_open_result o = { .offered_rate = 100, .achieved_rate = 20,
		                     .lag_p99 = 4 };
	char why[128];

	ck_assert(!brc_open_kept_up(&o, 0, why, sizeof(why)));
	ck_assert_msg(strstr(why, "started 20.0 of 100 req/s"), "%s", why);
	o.achieved_rate = 99;
	ck_assert(!brc_open_kept_up(&o, 0, why, sizeof(why)));
	ck_assert_msg(strstr(why, "start lag p99 4"), "%s", why);
	o.lag_p99 = 0.002;
	ck_assert(brc_open_kept_up(&o, 0, why, sizeof(why)));
	ck_assert_str_eq(why, "");
	o.offered_rate = 0; /* closed */
	ck_assert(brc_open_kept_up(&o, 0, NULL, 0));
}
END_TEST

Suite *brc_suite_openload(void)
{
	Suite *s = suite_create("openload");
	TCase *unit = tcase_create("unit");

	tcase_add_test(unit, test_schedule_constant);
	tcase_add_test(unit, test_schedule_poisson);
	tcase_add_test(unit, test_scenario_arrival);
	tcase_add_test(unit, test_scenario_arrival_errors);
	tcase_add_test(unit, test_scenario_search);
	tcase_add_test(unit, test_runctx_early_and_lag);
	tcase_add_test(unit, test_verdict);
	suite_add_tcase(s, unit);
	return s;
}
