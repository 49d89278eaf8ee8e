/*
 * check_security_input.c - wrong input caught at validation, not at run
 * time (issue 11): dates past 9999-12-31, a server.url with CR/LF, quoted
 * numbers for plugin parameters and sweeps (the scenario's own rule),
 * unknown YAML tags, a second merge key, and a --set path of 60,000
 * segments (fast, and bound by the nesting limit).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "suites.h"
#include "util.h"

static void fails_with(const char *yaml, const char *needle)
{
	char *err = brc_test_scenario_fail(yaml, NULL, 0);

	ck_assert_has(err, needle);
	free(err);
}

START_TEST(test_dates_end_by_9999)
{
	struct brc_scenario sc;
	char *err = NULL;

	fails_with("workload: {start_date: 9999-01-01, days: 370}\n"
	           "strategies: [sync]\n", "past 9999-12-31");
	fails_with("workload: {start_date: 9998-12-31, days: 367}\n"
	           "strategies: [sync]\n", "past 9999-12-31");
	/* The very last day is fine. */
	ck_assert_int_eq(brc_test_scenario_text(
		"workload: {start_date: 9999-01-01, days: 365}\n"
		"strategies: [sync]\n", NULL, 0, &sc, &err), 0);
	brc_scenario_free(&sc);
}
END_TEST

START_TEST(test_url_control_chars)
{
	fails_with("server: {url: \"http://127.0.0.1:9/{date}\\r\\nX: 1\"}\n"
	           "strategies: [sync]\n", "control character");
	fails_with("server: {url: \"http://127.0.0.1:9/{date} x\"}\n"
	           "strategies: [sync]\n", "space");
}
END_TEST

START_TEST(test_yaml_tags_and_merges)
{
	fails_with("name: !foo x\nstrategies: [sync]\n", "unknown YAML tag '!foo'");
	fails_with("strategies: !!python/object [sync]\n", "unknown YAML tag");
	fails_with("x-a: &a {days: 1}\nx-b: &b {trips: 2}\n"
	           "workload:\n  <<: *a\n  <<: *b\nstrategies: [sync]\n",
	           "duplicate merge key");
}
END_TEST

/* validate (the plan types plugin parameters): exit code, stderr. */
static int validate(const char *yaml, struct brc_buf *err)
{
	char *dir = brc_test_tmpdir(), *path = brc_test_write(dir, "q.yaml", yaml);
	const char *argv[] = { "validate", path, NULL };
	int rc = brc_test_benchrun(argv, 30, err);

	brc_test_rmtree(dir);
	free(path);
	free(dir);
	return rc;
}

/* One rule for numbers: "4" is text, for the scenario's keys (already
 * refused) and now for plugin parameters and sweep values too. */
START_TEST(test_quoted_numbers_one_rule)
{
	static const char *const bad[] = {
		"workload: {days: \"4\"}\nstrategies: [sync]\n",
		"strategies: [{plugin: threads, params: {concurrency: \"4\"}}]\n",
		"strategies: [threads]\nsweep: {concurrency: [1, \"4\"]}\n",
		"strategies: [{plugin: threads, params: {stack_size: '64k'}}]\n",
	};

	for (size_t i = 0; i < BR_ARRAY_SIZE(bad); i++) {
		struct brc_buf err = { 0 };

		ck_assert_msg(validate(bad[i], &err) != 0, "accepted: %s", bad[i]);
		ck_assert_has(err.data, "quoted string");
		brc_buf_free(&err);
	}
	/* Unquoted, and quoted strings for string parameters, are fine. */
	ck_assert_int_eq(validate("strategies: [{plugin: threads, params: "
	                          "{concurrency: 4, stack_size: 64k, "
	                          "http_version: \"1.1\"}}]\n", NULL), 0);
}
END_TEST

START_TEST(test_set_long_path)
{
	struct brc_buf path = { 0 }, err = { 0 };
	char *dir = brc_test_tmpdir();
	char *sc = brc_test_write(dir, "s.yaml", "strategies: [sync]\n");
	const char *argv[] = { "validate", sc, "--set", NULL, NULL };

	for (int i = 0; i < 60000; i++)
		brc_buf_printf(&path, "%sa", i ? "." : "");
	brc_buf_printf(&path, "=1");
	argv[3] = path.data;
	/* It took over a minute; the deadline is generous, not a timing. */
	ck_assert_int_eq(brc_test_benchrun(argv, 30, &err), 2);
	ck_assert_has(err.data, "nested deeper");
	ck_assert_uint_lt(err.len, 4096);
	brc_buf_free(&path);
	/* Just past the limit is refused like the file's own nesting. */
	for (int i = 0; i < 65; i++)
		brc_buf_printf(&path, "%sx-a", i ? "." : "");
	brc_buf_printf(&path, "=1");
	argv[3] = path.data;
	err.len = 0;
	ck_assert_int_eq(brc_test_benchrun(argv, 30, &err), 2);
	ck_assert_has(err.data, "nested deeper");
	brc_buf_free(&err);
	brc_buf_free(&path);
	brc_test_rmtree(dir);
	free(sc);
	free(dir);
}
END_TEST

Suite *brc_suite_security_input(void)
{
	Suite *s = suite_create("security_input");
	TCase *tc = tcase_create("input");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_dates_end_by_9999);
	tcase_add_test(tc, test_url_control_chars);
	tcase_add_test(tc, test_yaml_tags_and_merges);
	tcase_add_test(tc, test_quoted_numbers_one_rule);
	tcase_add_test(tc, test_set_long_path);
	suite_add_tcase(s, tc);
	return s;
}
