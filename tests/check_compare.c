/*
 * check_compare.c - `benchrun compare` as a CI gate, on hand-built results
 * files: fewer than 3 runs cannot pass a threshold (exit 2, unless
 * --allow-few-runs); two files of the same distribution pass although many
 * metrics are tested (Holm); failed, missing, incomplete groups and fewer
 * valid tickets are regressions; the scenario fields that differ are
 * named, output-only and run-count differences ignored, and different
 * workloads are refused.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "results/results.h"
#include "suites.h"
#include "util.h"

static void add_setting(struct brc_results *r, const char *k, const char *v)
{
	r->setting_keys = brc_xrealloc(r->setting_keys,
	                              (r->n_settings + 1) * sizeof(char *));
	r->setting_values = brc_xrealloc(r->setting_values,
	                                (r->n_settings + 1) * sizeof(char *));
	r->setting_keys[r->n_settings] = brc_xstrdup(k);
	r->setting_values[r->n_settings++] = brc_xstrdup(v);
}

/* Two groups, A and B, with the given wall times (n each); everything
 * else is fixed so only wall differs. */
static void build(struct brc_results *r, const double *wa, const double *wb,
                  size_t n)
{
	const double *walls[] = { wa, wb };
	const char *labels[] = { "A", "B" };

	memset(r, 0, sizeof(*r));
	r->schema = BR_RESULTS_SCHEMA;
	r->scenario_name = brc_xstrdup("gate");
	r->scenario_hash = brc_xstrdup("0123");
	r->baseline = brc_xstrdup("A");
	r->requests = 100;
	r->seed = 7;
	r->server_desc = brc_xstrdup("embedded, fixed 10 ms");
	add_setting(r, "seed", "7");
	add_setting(r, "workload.days", "100");
	add_setting(r, "runs.repetitions", "5");
	add_setting(r, "runs.timeout", "60s");
	add_setting(r, "outputs.json", "a.json");
	r->groups = brc_xcalloc(2, sizeof(*r->groups));
	r->n_groups = 2;
	for (size_t g = 0; g < 2; g++) {
		struct brc_group *gr = &r->groups[g];

		gr->label = brc_xstrdup(labels[g]);
		gr->plugin = brc_xstrdup("eventloop");
		gr->point = brc_xstrdup("");
		gr->runs = brc_xcalloc(n + 1, sizeof(*gr->runs));
		gr->n_runs = n;
		for (size_t i = 0; i < n; i++) {
			struct brc_run_result *x = &gr->runs[i];

			x->repetition = (int)i;
			x->wall = walls[g][i];
			x->cpu_user = 0.01 * (double)(i % 3 + 1);
			x->latency.p99 = 0.012 + 0.001 * (double)(i % 2);
			x->peak_rss = (int64_t)(10 + i % 2) << 20;
			x->requests = x->ok = 100;
		}
	}
}

static char *save(const char *name, const struct brc_results *r)
{
	char *p = brc_xasprintf("%s/%s", brc_test_dir, name);

	ck_assert_int_eq(brc_results_json_write(p, r), 0);
	return p;
}

/* Run compare, its stdout into *out (malloc'd). */
static int compare(const char *a, const char *b, double threshold, bool few,
                   bool diff, char **out)
{
	char *args[] = { (char *)a, (char *)b };
	struct brc_options o = { .threshold = threshold, .no_color = true,
		                 .allow_few_runs = few, .allow_different = diff,
		                 .args = args, .n_args = 2 };
	char *path = brc_xasprintf("%s/out.txt", brc_test_dir);
	int rc, saved, fd;
	size_t len;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	rc = brc_cmd_compare(&o);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	*out = brc_read_file(path, 1 << 20, &len);
	ck_assert_ptr_nonnull(*out);
	free(path);
	return rc;
}

static const double same1[] = { 1.00, 1.02, 0.98, 1.01, 0.99 };
static const double same2[] = { 1.01, 0.99, 1.00, 0.98, 1.02 };
static const double slow[] = { 1.30, 1.32, 1.28, 1.31, 1.29 };

START_TEST(test_few_runs_refused)
{
	struct brc_results r;
	char *a, *b, *out;

	build(&r, same1, same2, 1);
	a = save("a.json", &r);
	brc_results_free(&r);
	build(&r, slow, slow, 1); /* 30% slower, but one run says nothing */
	b = save("b.json", &r);
	brc_results_free(&r);
	ck_assert_int_eq(compare(a, b, 0.05, false, false, &out), BR_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(out, "cannot pass the gate: fewer than 3 "
	                             "runs in A (1 -> 1), B (1 -> 1)"));
	free(out);
	/* Allowed: no verdict either way, so nothing fails. */
	ck_assert_int_eq(compare(a, b, 0.05, true, false, &out), BR_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(out, "no verdict (fewer than 3 runs)"));
	free(out);
	/* No threshold: informational, exit 0. */
	ck_assert_int_eq(compare(a, b, 0, false, false, &out), BR_EXIT_OK);
	free(out);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_same_passes_slower_fails)
{
	struct brc_results r;
	char *a, *b, *c, *out;

	build(&r, same1, same1, 5);
	a = save("a.json", &r);
	brc_results_free(&r);
	build(&r, same2, same2, 5);
	b = save("b.json", &r);
	brc_results_free(&r);
	build(&r, same2, slow, 5);
	c = save("c.json", &r);
	brc_results_free(&r);
	ck_assert_int_eq(compare(a, b, 0.05, false, false, &out), BR_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(out, "Holm-Bonferroni over 8 tests"));
	ck_assert_ptr_nonnull(strstr(out, "no significant regression"));
	free(out);
	ck_assert_int_eq(compare(a, c, 0.05, false, false, &out), BR_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(out, "  B: wall +30%"));
	ck_assert_ptr_null(strstr(out, "  A: wall"));
	free(out);
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(test_failures_are_regressions)
{
	struct brc_results r;
	char *a, *b, *out;

	build(&r, same1, same1, 5);
	a = save("a.json", &r);
	brc_results_free(&r);

	/* Fewer valid tickets, same times. */
	build(&r, same1, same1, 5);
	r.groups[1].runs[2].ok = 99;
	r.groups[1].runs[2].status = BR_RUN_ERRORS;
	b = save("b.json", &r);
	brc_results_free(&r);
	ck_assert_int_eq(compare(a, b, 0.05, false, false, &out), BR_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(out, "B: fewer valid tickets: 499/500"));
	ck_assert_ptr_nonnull(strstr(out, "B: 1 of 5 runs failed"));
	free(out);

	/* A group gone, and the file incomplete. */
	build(&r, same1, same1, 5);
	r.n_groups = 1;
	r.incomplete = true;
	free(b);
	b = save("b.json", &r);
	r.n_groups = 2;
	brc_results_free(&r);
	ck_assert_int_eq(compare(a, b, 0.05, false, false, &out), BR_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(out, "B: missing from the new results"));
	ck_assert_ptr_nonnull(strstr(out, "the new results are incomplete"));
	free(out);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_scenario_fields)
{
	struct brc_results r;
	char *a, *b, *out;
	size_t i;

	build(&r, same1, same1, 5);
	a = save("a.json", &r);
	brc_results_free(&r);

	/* Run count and output path differ: nothing to say. */
	build(&r, same2, same2, 5);
	free(r.setting_values[2]);
	r.setting_values[2] = brc_xstrdup("10");
	free(r.setting_values[4]);
	r.setting_values[4] = brc_xstrdup("b.json");
	b = save("b.json", &r);
	brc_results_free(&r);
	ck_assert_int_eq(compare(a, b, 0.05, false, false, &out), BR_EXIT_OK);
	ck_assert_ptr_null(strstr(out, "fields that differ"));
	ck_assert_ptr_null(strstr(out, "workloads differ"));
	free(out);

	/* The timeout differs: named. */
	build(&r, same2, same2, 5);
	free(r.setting_values[3]);
	r.setting_values[3] = brc_xstrdup("30s");
	free(b);
	b = save("b.json", &r);
	brc_results_free(&r);
	ck_assert_int_eq(compare(a, b, 0.05, false, false, &out), BR_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(out, "scenario fields that differ: "
	                             "runs.timeout (60s -> 30s)\n"));
	free(out);

	/* 300 requests instead of 100: refused, or loudly compared. */
	build(&r, same2, same2, 5);
	for (i = 0; strcmp(r.setting_keys[i], "workload.days"); i++)
		;
	free(r.setting_values[i]);
	r.setting_values[i] = brc_xstrdup("300");
	r.requests = 300;
	free(b);
	b = save("b.json", &r);
	brc_results_free(&r);
	ck_assert_int_eq(compare(a, b, 0.05, false, false, &out), BR_EXIT_USAGE);
	free(out);
	ck_assert_int_eq(compare(a, b, 0.05, false, true, &out), BR_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(out, "WARNING: the workloads differ: "
	                             "workload.days (100 -> 300)"));
	free(out);
	free(a);
	free(b);
}
END_TEST

Suite *brc_suite_compare(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, brc_test_dir_setup,
	                          brc_test_dir_teardown);
	tcase_add_test(tc, test_few_runs_refused);
	tcase_add_test(tc, test_same_passes_slower_fails);
	tcase_add_test(tc, test_failures_are_regressions);
	tcase_add_test(tc, test_scenario_fields);
	suite_add_tcase(s, tc);
	return s;
}
