/*
 * check_cli.c - `benchrun SCENARIO` as a user runs it (cli/cmd_run.c): a
 * good and a crashing strategy give a results file with both and exit
 * status 1; too few file descriptors for the concurrency are refused
 * before any run, with a message that says what to do.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "suites.h"
#include "util.h"

/* `benchrun SCENARIO` end to end: one good and one crashing strategy, a
 * results file with both, exit status 1. */
START_TEST(test_cli_run_exit_status)
{
	char *sleep_so = brc_test_builddir("tests/plugins/.libs/calib_sleep.so");
	char *crash_so = brc_test_builddir("tests/plugins/.libs/calib_crash.so");
	char *yaml = brc_xasprintf(
		"name: cli\nworkload: {days: 0}\n"
		"server: {latency: {model: none}}\n"
		"strategies:\n"
		"  - {plugin: '%s', label: nap, params: {seconds: 50ms}}\n"
		"  - {plugin: '%s', label: boom}\n"
		"runs: {repetitions: 2}\n", sleep_so, crash_so);
	struct brc_buf err = { 0 };
	cJSON *groups, *g;
	char *text;
	int code;
	cJSON *doc = brc_test_run_yaml(yaml, 60, &code, &err);

	ck_assert_msg(code == 1, "exit %d: %s", code, err.data ? err.data : "");
	ck_assert_ptr_nonnull(doc);
	groups = cJSON_GetObjectItemCaseSensitive(doc, "groups");
	ck_assert_int_eq(cJSON_GetArraySize(groups), 2);
	g = cJSON_GetArrayItem(groups, 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(g, "runs")), 2);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(g, "runs"), 0),
		"status")), "ok");
	g = cJSON_GetArrayItem(groups, 1);
	text = cJSON_PrintUnformatted(g);
	ck_assert_ptr_nonnull(strstr(text, "SIGSEGV"));
	cJSON_free(text);
	cJSON_Delete(doc);
	brc_buf_free(&err);
	free(sleep_so);
	free(crash_so);
	free(yaml);
}
END_TEST

/* Not enough file descriptors for the concurrency: refused before any
 * run, with a message that says what to do. */
START_TEST(test_cli_fd_limit)
{
	char *dir = brc_test_tmpdir();
	char *plugins = brc_test_builddir("plugins/.libs");
	char *path = brc_test_write(dir, "fds.yaml",
	                           "workload: {days: 5000}\n"
	                           "strategies: [{plugin: threads}]\n"
	                           "sweep: {concurrency: [5000]}\n");
	const char *argv[] = { "--plugin-path", plugins, path, NULL };
	struct rlimit rl = { 1024, 1024 };
	struct brc_buf err = { 0 };
	int code;

	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	code = brc_test_benchrun(argv, 30, &err);
	ck_assert_msg(code == 2, "exit %d: %s", code, err.data ? err.data : "");
	ck_assert_ptr_nonnull(strstr(err.data, "open files"));
	ck_assert_ptr_nonnull(strstr(err.data, "ulimit -n"));
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(dir);
	free(plugins);
	free(path);
}
END_TEST

Suite *brc_suite_cli(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cli_run_exit_status);
	tcase_add_test(tc, test_cli_fd_limit);
	suite_add_tcase(s, tc);
	return s;
}
