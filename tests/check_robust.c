/*
 * check_robust.c - benchrun survives plugins that break the contract, and
 * says what broke: parameter tables with overlapping members,
 * constructors that crash, exit or hang, host calls with a wrong index or
 * after run returned, body sizes that wrap, children left behind.  Deep
 * bodies, stack overflows and memory exhaustion: check_robust_stack.c;
 * benchrun started with std fds closed, a failing libuv slot and a second
 * interrupt: check_robust_cli.c.  Fixtures: tests/plugins/robust.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/loader.h"
#include "run/runner.h"
#include "robust_util.h"
#include "suites.h"
#include "util.h"

/* ---- the loader ------------------------------------------------------ */

START_TEST(test_overlapping_params)
{
	char *path = brc_test_robust_fixture("robust_overlap");
	struct brc_loaded pl;
	char *err = NULL;

	ck_assert_int_eq(brc_plugin_open(path, NULL, NULL, &pl, &err), -1);
	ck_assert_msg(strstr(err, "'a' (offset 0, 8 bytes) and 's' (offset 0, "
	                          "8 bytes) overlap"), "%s", err);
	free(err);
	free(path);
}
END_TEST

static void assert_describe_fails(const char *name, const char *words)
{
	char *path = brc_test_robust_fixture(name);
	struct brc_loaded pl;
	char *err = NULL;
	uint64_t t0 = brc_now_ns();

	ck_assert_int_eq(brc_plugin_describe(path, NULL, NULL, 2.0, &pl, &err),
	                 -1);
	ck_assert_msg(err && strstr(err, words), "%s", err ? err : "(null)");
	/* The hang is cut at the timeout, not at the test's. */
	ck_assert_double_lt((double)(brc_now_ns() - t0) / 1e9,
	                    brc_test_scale(30.0));
	free(err);
	free(path);
}

START_TEST(test_constructor_crash)
{
	assert_describe_fails("robust_ctor_crash", "crashed while loading (SIGSEGV");
}
END_TEST

/* Described in a child of the test first: a constructor's _exit(0) in
 * the test's own process would end the test as a pass (Check counts a
 * test process that exits 0 as passed). */
START_TEST(test_constructor_exit)
{
	pid_t pid = fork();
	int st = 0;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *path = brc_test_robust_fixture("robust_ctor_exit");
		struct brc_loaded pl;
		char *err = NULL;
		int rc = brc_plugin_describe(path, NULL, NULL, 2.0, &pl, &err);

		_exit(rc == -1 && err && strstr(err, "exit status 0, no "
		                                "description") ? 42 : 43);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 42,
	              "describing ended the describing process (status %#x)",
	              st);
	assert_describe_fails("robust_ctor_exit", "exit status 0, no description");
}
END_TEST

START_TEST(test_constructor_hang)
{
	assert_describe_fails("robust_ctor_hang", "did not finish loading within 2 s");
}
END_TEST

/* A described plugin has the table of the real one, and no hooks. */
START_TEST(test_describe_matches_open)
{
	struct brc_loaded a, b;
	char *err = NULL;

	ck_assert_int_eq(brc_plugin_open("threads", NULL, NULL, &a, &err), 0);
	ck_assert_int_eq(brc_plugin_describe("threads", NULL, NULL, 30, &b,
	                                    &err), 0);
	ck_assert_str_eq(a.path, b.path);
	ck_assert_str_eq(a.desc->name, b.desc->name);
	ck_assert_uint_eq(a.desc->opts_size, b.desc->opts_size);
	for (size_t i = 0; a.desc->params[i].name; i++) {
		const struct br_param *p = &a.desc->params[i];
		const struct br_param *q = &b.desc->params[i];

		ck_assert_str_eq(p->name, q->name);
		ck_assert_int_eq(p->type, q->type);
		ck_assert_uint_eq(p->offset, q->offset);
		ck_assert_str_eq(p->def ? p->def : "", q->def ? q->def : "");
		ck_assert_double_eq(p->min, q->min);
		ck_assert_double_eq(p->max, q->max);
		ck_assert_uint_eq(p->flags, q->flags);
	}
	ck_assert_ptr_null(b.desc->create);
	brc_plugin_close(&a);
	brc_plugin_close(&b);
}
END_TEST

/* `benchrun plugins` lists a plugin whose constructor crashes as broken
 * and lives on. */
START_TEST(test_plugins_survives_constructors)
{
	char *dir = brc_test_tmpdir();
	const char *names[] = { "robust_ctor_crash", "robust_ctor_exit" };
	const char *argv[] = { "--plugin-path", dir, "plugins", NULL };
	struct brc_buf err = { 0 };
	int code;

	for (size_t i = 0; i < BR_ARRAY_SIZE(names); i++) {
		char *from = brc_test_robust_fixture(names[i]);
		char *to = brc_xasprintf("%s/%s.so", dir, names[i]);

		ck_assert_int_eq(symlink(from, to), 0);
		free(from);
		free(to);
	}
	code = brc_test_benchrun(argv, 60, &err);
	ck_assert_msg(code == 0 || code == 1, "exit %d: %s", code,
	              err.data ? err.data : "");
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

/* ---- the host's services --------------------------------------------- */

START_TEST(test_done_out_of_range)
{
	struct brc_run_result r;

	brc_test_robust_run("robust_bad_index", 0, &r);
	ck_assert_int_eq(r.status, BR_RUN_FAILED);
	ck_assert_msg(strstr(r.reason, "index 5, out of range (count is 0"),
	              "%s", r.reason);
	brc_run_result_clear(&r);
}
END_TEST

/* One day, never finished inside run: destroy's done(0) names a real
 * request, so only the closed run (not the index check) refuses it. */
START_TEST(test_done_after_run)
{
	struct brc_run_result r;

	brc_test_robust_run("robust_late", 1, &r);
	ck_assert_int_eq(r.status, BR_RUN_FAILED);
	ck_assert_msg(strstr(r.reason, "after its run hook returned"), "%s",
	              r.reason);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_body_size_max)
{
	struct brc_run_result r;

	brc_test_robust_run("robust_huge_body", 2, &r);
	ck_assert_msg(r.status == BR_RUN_ERRORS, "status %d: %s", r.status,
	              r.reason ? r.reason : "");
	ck_assert_uint_eq(r.fail.too_large, 2);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_children_left_warned)
{
	struct brc_run_result r;

	brc_test_robust_run("calib_orphan", 0, &r);
	ck_assert_int_eq(r.status, BR_RUN_OK);
	ck_assert_msg(r.log && strstr(r.log, "left 1 child process running"),
	              "%s", r.log ? r.log : "(no log)");
	brc_run_result_clear(&r);
}
END_TEST

Suite *brc_suite_robust(void)
{
	Suite *s = suite_create("robust");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_overlapping_params);
	tcase_add_test(tc, test_constructor_crash);
	tcase_add_test(tc, test_constructor_exit);
	tcase_add_test(tc, test_constructor_hang);
	tcase_add_test(tc, test_describe_matches_open);
	tcase_add_test(tc, test_plugins_survives_constructors);
	tcase_add_test(tc, test_done_out_of_range);
	tcase_add_test(tc, test_done_after_run);
	tcase_add_test(tc, test_body_size_max);
	tcase_add_test(tc, test_children_left_warned);
	suite_add_tcase(s, tc);
	return s;
}
