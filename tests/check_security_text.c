/*
 * check_security_text.c - text from input never reaches a terminal, a CSV
 * or a picture raw (issue 11): escape sequences in a scenario name, a
 * label, a sweep value, a plugin's log, an exec program's output or a
 * results file are refused at validation or shown as '?', and CSV cells a
 * spreadsheet would take for formulas are neutralized.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report.h"
#include "results/results.h"
#include "suites.h"
#include "util.h"

/* No ESC, no CSI (0x9b or its UTF-8 form), no BEL anywhere in s. */
static void assert_no_escape(const char *s)
{
	ck_assert_msg(!strchr(s, '\033'), "raw ESC in: %s", s);
	ck_assert_msg(!strchr(s, '\007'), "raw BEL in: %s", s);
	ck_assert_msg(!strstr(s, "\xc2\x9b"), "raw CSI in: %s", s);
	ck_assert_msg(!strchr(s, '\x9b'), "raw CSI byte in: %s", s);
}

START_TEST(test_sanitize)
{
	char a[] = "ok \033[31mred\033]0;title\007 tab\there\nnl";
	char b[] = "caf\xc3\xa9 \xc2\x9b" "2J \xff\xfe \xe2\x82 \xed\xa0\x80";
	char c[] = "tab\there\nnl";

	ck_assert_str_eq(brc_sanitize(a, 0),
	                 "ok ?[31mred?]0;title? tab?here?nl");
	/* é stays; C1 CSI, stray bytes, a cut sequence and a surrogate go. */
	ck_assert_str_eq(brc_sanitize(b, 0), "caf\xc3\xa9 ??2J ?? ?? ???");
	ck_assert_str_eq(brc_sanitize(c, BRC_TEXT_KEEP_NL | BRC_TEXT_KEEP_TAB),
	                 "tab\there\nnl");
	ck_assert(brc_is_clean("plain \xe2\x82\xac", 0));
	ck_assert(!brc_is_clean("a\033b", 0));
}
END_TEST

static int validate(const char *yaml, struct brc_buf *err)
{
	char *path = brc_test_write(brc_test_dir, "v.yaml", yaml);
	const char *argv[] = { "validate", path, NULL };
	int rc = brc_test_benchrun(argv, 30, err);

	free(path);
	return rc;
}

/* Each refused for its escape sequence, not for something else: the sweep
 * is over a string parameter (a quoted size would be refused anyway). */
START_TEST(test_scenario_text_refused)
{
	static const struct {
		const char *yaml, *why;
	} bad[] = {
		{ "name: \"x\\e[2Jy\"\nstrategies: [sync]\n",
		  "control characters" },
		{ "name: \"x\\x9b2Jy\"\nstrategies: [sync]\n",
		  "control characters" },
		{ "strategies: [{plugin: sync, label: \"a\\x9b31m\"}]\n",
		  "printable characters" },
		{ "strategies: [{plugin: exec, params: {command: [/bin/true]}}]\n"
		  "sweep: {cwd: [/tmp, \"/tmp\\e[2J\"]}\n",
		  "has a control character" },
	};

	for (size_t i = 0; i < BR_ARRAY_SIZE(bad); i++) {
		struct brc_buf err = { 0 };

		ck_assert_msg(validate(bad[i].yaml, &err) != 0, "accepted: %s",
		              bad[i].yaml);
		ck_assert_has(err.data ? err.data : "", bad[i].why);
		assert_no_escape(err.data ? err.data : "");
		brc_buf_free(&err);
	}
}
END_TEST

/* Messages quote paths and names: the quote is cleaned, in a scenario's
 * diagnostics and in benchrun's own messages (brc_error) alike. */
START_TEST(test_message_cleaned)
{
	char *path = brc_xasprintf("%s/a\033[2Jb.yaml", brc_test_dir);
	char *pic = brc_xasprintf("%s/c\033]0;t\007d.gif", brc_test_dir);
	const char *argv[] = { "validate", path, NULL };
	const char *plot[] = { "plot", path, "-o", pic, NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(brc_test_benchrun(argv, 30, &err), 2);
	ck_assert_has(err.data, "a?[2Jb.yaml");
	assert_no_escape(err.data);
	err.len = 0;
	ck_assert_int_eq(brc_test_benchrun(plot, 30, &err), 2);
	ck_assert_has(err.data, "c?]0;t?d.gif: the picture must be");
	assert_no_escape(err.data);
	brc_buf_free(&err);
	free(pic);
	free(path);
}
END_TEST

/* An exec program's log line and its stderr, shown with -v. */
START_TEST(test_exec_output_cleaned)
{
	char *prog = brc_test_write(brc_test_dir, "p.sh",
		"printf 'log \\033[2Jlogged\\033]0;t\\007\\n'\n"
		"printf 'err \\033[31mred\\302\\233\\n' >&2\nexit 3\n");
	char *yaml = brc_xasprintf("workload: {days: 1, trips: 1}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [/bin/sh, '%s']}\n", prog);
	char *sc = brc_test_write(brc_test_dir, "e.yaml", yaml);
	char *out = brc_xasprintf("%s/o.json", brc_test_dir);
	const char *argv[] = { "-v", "-o", out, sc, NULL };
	struct brc_buf err = { 0 };
	cJSON *doc;

	ck_assert_int_eq(brc_test_benchrun(argv, 60, &err), 1);
	ck_assert_has(err.data, "logged");
	ck_assert_has(err.data, "red");
	assert_no_escape(err.data);
	doc = brc_test_load_json(out);
	ck_assert_ptr_nonnull(doc);
	{
		char *text = cJSON_PrintUnformatted(doc);

		/* cJSON would write ESC as \u001b. */
		ck_assert_msg(!strstr(text, "\\u001b"), "ESC kept in results");
		free(text);
	}
	cJSON_Delete(doc);
	brc_buf_free(&err);
	free(out);
	free(sc);
	free(yaml);
	free(prog);
}
END_TEST

/* A crafted results file: `compare` prints its labels and name cleaned,
 * and the CSV neutralizes a formula. */
START_TEST(test_results_text)
{
	static const char json[] =
		"{\"schema\":1,\"scenario\":{\"name\":\"n\\u001b[2J\"},"
		"\"workload\":{\"requests\":1},\"groups\":["
		"{\"label\":\"=HYPERLINK(\\\"http://x/\\\",\\\"y\\\")\\u001b]0;t\\u0007\","
		"\"plugin\":\"sync\",\"runs\":[{\"status\":\"failed\","
		"\"reason\":\"-2+3\\u009b1m\",\"wall\":1}]},"
		"{\"label\":\"@SUM(A1)\",\"plugin\":\"sync\",\"runs\":[]}]}";
	char *path = brc_test_write(brc_test_dir, "r.json", json);
	char *csv = brc_xasprintf("%s/r.csv", brc_test_dir), *text, *e = NULL;
	const char *argv[] = { "compare", path, path, NULL };
	struct brc_results r;
	struct brc_buf err = { 0 };

	ck_assert_msg(!brc_results_json_read(path, &r, &e), "%s", e);
	ck_assert_int_eq(brc_report_csv_write(csv, &r), 0);
	text = brc_read_file(csv, 1 << 20, NULL);
	ck_assert_has(text, "\"'=HYPERLINK(");
	ck_assert_has(text, ",'-2+3??1m,");
	assert_no_escape(text);
	free(text);
	brc_results_free(&r);
	brc_test_benchrun(argv, 30, &err);
	assert_no_escape(err.data ? err.data : "");
	brc_buf_free(&err);
	free(csv);
	free(path);
}
END_TEST

Suite *brc_suite_security_text(void)
{
	Suite *s = suite_create("security_text");
	TCase *tc = tcase_create("text");

	tcase_add_checked_fixture(tc, brc_test_dir_setup,
	                          brc_test_dir_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sanitize);
	tcase_add_test(tc, test_scenario_text_refused);
	tcase_add_test(tc, test_message_cleaned);
	tcase_add_test(tc, test_exec_output_cleaned);
	tcase_add_test(tc, test_results_text);
	suite_add_tcase(s, tc);
	return s;
}
