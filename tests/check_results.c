/*
 * check_results.c - the results file (results_json.c) on a hand-built set
 * of results (results_fixture.c): JSON write -> read -> write byte for
 * byte, every read error with its message, `compare` exit codes, and
 * atomic writes that keep the old file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "report/report_util.h"
#include "results_fixture.h"
#include "suites.h"
#include "util.h"

static void assert_same_run(const struct brc_run_result *a,
                            const struct brc_run_result *b)
{
	ck_assert_int_eq(a->status, b->status);
	ck_assert_str_eq(a->reason ? a->reason : "(null)",
	                 b->reason ? b->reason : "(null)");
	ck_assert_str_eq(a->log, b->log);
	for (size_t i = 0; i < brc_n_run_fields; i++) {
		double x = brc_run_field_get(a, &brc_run_fields[i]);
		double y = brc_run_field_get(b, &brc_run_fields[i]);

		ck_assert_msg(x == y || (isnan(x) && isnan(y)),
		              "%s: %.17g != %.17g", brc_run_fields[i].key, x, y);
	}
	ck_assert_uint_eq(a->n_timeline, b->n_timeline);
	ck_assert(!memcmp(a->timeline, b->timeline,
	                  a->n_timeline * sizeof(*a->timeline)));
}

START_TEST(test_json_round_trip)
{
	struct brc_results r, back;
	char *p1 = brc_test_results_tmp("a.json"), *p2 = brc_test_results_tmp("b.json"), *t1, *t2, *err;
	size_t l1, l2;

	brc_test_results_build(&r, 1.0);
	/* Values with no short decimal form must survive too. */
	r.groups[0].runs[1].wall = 0.1 + 0.2;
	r.groups[0].runs[1].timeline[2].t = 1.0 / 3;
	ck_assert_int_eq(brc_results_json_write(p1, &r), 0);
	ck_assert_int_eq(brc_results_json_read(p1, &back, &err), 0);
	ck_assert_int_eq(brc_results_json_write(p2, &back), 0);
	t1 = brc_test_slurp(p1, &l1);
	t2 = brc_test_slurp(p2, &l2);
	ck_assert_uint_eq(l1, l2);
	ck_assert(!memcmp(t1, t2, l1));
	ck_assert_ptr_nonnull(strstr(t1, "\"seed\":\t\"18364758544493064720\""));

	ck_assert_uint_eq(back.seed, r.seed);
	ck_assert_str_eq(back.host_cpu, r.host_cpu);
	ck_assert_uint_eq(back.n_groups, r.n_groups);
	for (size_t i = 0; i < r.n_groups; i++) {
		const struct brc_group *a = &r.groups[i], *b = &back.groups[i];

		ck_assert_str_eq(a->label, b->label);
		ck_assert_str_eq(a->point, b->point);
		ck_assert_int_eq(a->concurrency, b->concurrency);
		ck_assert_uint_eq(a->n_params, b->n_params);
		for (size_t k = 0; k < a->n_params; k++) {
			ck_assert_str_eq(a->param_names[k], b->param_names[k]);
			ck_assert_str_eq(a->param_values[k], b->param_values[k]);
		}
		ck_assert_uint_eq(a->n_runs, b->n_runs);
		for (size_t k = 0; k < a->n_runs; k++)
			assert_same_run(&a->runs[k], &b->runs[k]);
	}
	free(t1);
	free(t2);
	free(p1);
	free(p2);
	brc_results_free(&back);
	brc_results_free(&r);
}
END_TEST

static int put(const char *path, const char *text)
{
	return brc_write_file_atomic(path, text, strlen(text));
}

START_TEST(test_json_read_errors)
{
	struct brc_results r;
	char *p = brc_test_results_tmp("bad.json"), *err;

	ck_assert_int_eq(brc_results_json_read("/nonexistent/x.json", &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	free(err);
	ck_assert_int_eq(put(p, "{\"schema\": 1,"), 0);
	ck_assert_int_eq(brc_results_json_read(p, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not valid JSON"));
	free(err);
	ck_assert_int_eq(put(p, "{\"a\": 1}"), 0);
	ck_assert_int_eq(brc_results_json_read(p, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a benchrun results file"));
	free(err);
	ck_assert_int_eq(put(p, "{\"schema\": 2}"), 0);
	ck_assert_int_eq(brc_results_json_read(p, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "schema 2"));
	free(err);
	ck_assert_int_eq(put(p, "{\"schema\": 1, \"groups\": "
	                 "[{\"label\": \"x\", \"runs\": [{\"status\": \"meh\"}]}]}"), 0);
	ck_assert_int_eq(brc_results_json_read(p, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "status"));
	free(err);
	free(p);
}
END_TEST

/* Run `benchrun compare` in-process, its stdout into /dev/null (and
 * back: with CK_FORK=no the runner prints its summary afterwards). */
static int compare(const char *a, const char *b, double threshold)
{
	char *args[] = { (char *)a, (char *)b };
	/* The fixture has groups of 1 and 2 runs: the few-runs refusal is
	 * tested in check_compare.c. */
	struct brc_options o = { .threshold = threshold, .no_color = true,
	                        .allow_few_runs = true, .args = args,
	                        .n_args = 2 };
	int rc, saved, null;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY);
	ck_assert(saved >= 0 && null >= 0);
	dup2(null, STDOUT_FILENO);
	close(null);
	rc = brc_cmd_compare(&o);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return rc;
}

START_TEST(test_compare)
{
	struct brc_results r;
	char *old = brc_test_results_tmp("old.json"), *new = brc_test_results_tmp("new.json");

	brc_test_results_build(&r, 1.0);
	ck_assert_int_eq(brc_results_json_write(old, &r), 0);
	brc_results_free(&r);
	brc_test_results_build(&r, 1.2); /* threads 20% slower */
	ck_assert_int_eq(brc_results_json_write(new, &r), 0);
	brc_results_free(&r);

	ck_assert_int_eq(compare(old, new, 0.05), BR_EXIT_FAIL);
	ck_assert_int_eq(compare(old, new, 0), BR_EXIT_OK);
	ck_assert_int_eq(compare(old, new, 0.25), BR_EXIT_OK);
	ck_assert_int_eq(compare(new, old, 0.05), BR_EXIT_OK); /* faster */
	ck_assert_int_eq(compare(old, old, 0.05), BR_EXIT_OK);
	ck_assert_int_eq(compare(old, "/nonexistent.json", 0.05), BR_EXIT_USAGE);

	/* A strategy that no longer finishes any run is a regression. */
	brc_test_results_build(&r, 1.0);
	for (size_t i = 0; i < r.groups[1].n_runs; i++)
		r.groups[1].runs[i].status = BR_RUN_CRASHED;
	ck_assert_int_eq(brc_results_json_write(new, &r), 0);
	brc_results_free(&r);
	ck_assert_int_eq(compare(old, new, 0.05), BR_EXIT_FAIL);
	ck_assert_int_eq(compare(old, new, 0), BR_EXIT_OK);
	free(old);
	free(new);
}
END_TEST

START_TEST(test_atomic_keeps_old)
{
	struct brc_results r;
	char name[256], *path, *text;
	size_t len;
	FILE *f;

	brc_test_results_build(&r, 1.0);
	/* No directory: nothing written, a clear errno. */
	ck_assert_int_eq(brc_results_json_write("/nonexistent/dir/r.json", &r), -1);
	ck_assert_int_eq(errno, ENOENT);

	/* As root every directory is writable, so make the write fail
	 * another way: a name of 250 bytes is fine, but its temporary
	 * "<name>.tmp.XXXXXX" is over NAME_MAX.  The old file must stay. */
	memset(name, 'r', 245);
	strcpy(name + 245, ".json");
	path = brc_test_results_tmp(name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("old", f);
	fclose(f);
	ck_assert_int_eq(brc_results_json_write(path, &r), -1);
	ck_assert_int_eq(brc_report_md_write(path, &r), -1);
	ck_assert_int_eq(brc_report_csv_write(path, &r), -1);
	text = brc_test_slurp(path, &len);
	ck_assert_str_eq(text, "old");
	free(text);
	free(path);
	brc_results_free(&r);
}
END_TEST

Suite *brc_suite_results(void)
{
	Suite *s = suite_create("results");
	TCase *tc = tcase_create("json");

	tcase_add_checked_fixture(tc, brc_test_results_setup,
	                          brc_test_results_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_json_round_trip);
	tcase_add_test(tc, test_json_read_errors);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_atomic_keeps_old);
	suite_add_tcase(s, tc);
	return s;
}
