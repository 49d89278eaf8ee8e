/*
 * check_cells.c - choosing cells: ids and ranges, the scheduler's index
 * from the environment, shards, and the errors for what does not exist.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "suites.h"
#include "util.h"

/* The chosen ids as "0,3,4" (malloc'd). */
static char *chosen(const char *cells, const char *shard, size_t total)
{
	struct brc_buf b = { 0 };
	bool *sel;
	char *err = NULL;

	if (brc_cells_select(cells, shard, total, &sel, &err)) {
		brc_buf_printf(&b, "error: %s", err);
		free(err);
		return b.data;
	}
	brc_buf_append(&b, "", 0);
	for (size_t c = 0; c < total; c++)
		if (sel[c])
			brc_buf_printf(&b, "%s%zu", b.len ? "," : "", c);
	free(sel);
	return b.data;
}

#define CHOSEN(cells, shard, total, want)                                  \
	do {                                                                \
		char *got_ = chosen(cells, shard, total);                   \
		ck_assert_str_eq(got_, want);                               \
		free(got_);                                                 \
	} while (0)

START_TEST(test_ids_and_ranges)
{
	CHOSEN("3", NULL, 10, "3");
	CHOSEN("3,5-7,0", NULL, 10, "0,3,5,6,7");
	CHOSEN("9", NULL, 10, "9");
	CHOSEN("5-5", NULL, 10, "5");
}
END_TEST

START_TEST(test_shards)
{
	CHOSEN(NULL, "0/3", 10, "0,3,6,9");
	CHOSEN(NULL, "2/3", 10, "2,5,8");
	CHOSEN("1-6", "1/2", 10, "1,3,5");
	/* Every shard together is every cell, each once. */
	for (size_t k = 0, seen = 0; k < 4; k++) {
		bool *sel;
		char *err, spec[8];

		snprintf(spec, sizeof(spec), "%zu/4", k);
		ck_assert_int_eq(brc_cells_select(NULL, spec, 9, &sel, &err), 0);
		for (size_t c = 0; c < 9; c++)
			seen += sel[c];
		free(sel);
		if (k == 3)
			ck_assert_uint_eq(seen, 9);
	}
}
END_TEST

START_TEST(test_env)
{
	unsetenv("SLURM_ARRAY_TASK_ID");
	unsetenv("JOB_COMPLETION_INDEX");
	CHOSEN("env", NULL, 10, "error: --cell env: neither SLURM_ARRAY_TASK_ID "
	       "(a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes "
	       "Indexed Job) is set");
	setenv("JOB_COMPLETION_INDEX", "4", 1);
	CHOSEN("env", NULL, 10, "4");
	setenv("SLURM_ARRAY_TASK_ID", "7", 1);
	CHOSEN("env", NULL, 10, "7");
	setenv("SLURM_ARRAY_TASK_ID", "12", 1);
	CHOSEN("env", NULL, 10, "error: cell 12 does not exist: the scenario "
	       "has 10 cells, 0 to 9 (benchrun plan lists them)");
}
END_TEST

START_TEST(test_refused)
{
	static const char *const bad[] = { "", "x", "3-", "-3", "5-2", "1,,2",
	                                   "1.5", "+1", "10", "99999999999999999999" };

	for (size_t i = 0; i < BR_ARRAY_SIZE(bad); i++) {
		char *got = chosen(bad[i], NULL, 10);

		ck_assert_msg(!strncmp(got, "error: ", 7), "'%s' gave %s", bad[i],
		              got);
		free(got);
	}
	CHOSEN(NULL, "3/3", 10, "error: --shard wants K/N with 0 <= K < N "
	       "(every N-th cell from cell K), not '3/3'");
	CHOSEN(NULL, "1/0", 10, "error: --shard wants K/N with 0 <= K < N "
	       "(every N-th cell from cell K), not '1/0'");
	CHOSEN(NULL, "2", 10, "error: --shard wants K/N with 0 <= K < N "
	       "(every N-th cell from cell K), not '2'");
}
END_TEST

Suite *brc_suite_cells(void)
{
	Suite *s = suite_create("cells");
	TCase *tc = tcase_create("select");

	tcase_add_test(tc, test_ids_and_ranges);
	tcase_add_test(tc, test_shards);
	tcase_add_test(tc, test_env);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}
