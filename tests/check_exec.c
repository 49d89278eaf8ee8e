/*
 * check_exec.c - the exec strategy end to end: programs in other languages
 * speaking the exec protocol (docs/exec-protocol.md) through the real
 * benchrun against the embedded server.  Good programs (body records,
 * summary records, the Python reference programs) validate every ticket;
 * a program that exits non-zero, prints garbage or forgets tickets fails
 * its run with the reason, and benchrun goes on.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "util.h"

/* Run one exec strategy over `days` days; returns groups[0].runs[0] of the
 * results (the document in *doc, to be deleted). */
static cJSON *run_exec(const char *command, const char *script, int days,
                       int *code, cJSON **doc)
{
	char *dir = brc_test_tmpdir();
	char *prog = brc_test_write(dir, "prog", script);
	char *yaml = brc_xasprintf(
		"workload: {days: %d}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [%s, '%s'], concurrency: 4}\n"
		"runs: {timeout: 60s}\n", days, command, prog);

	*doc = brc_test_run_yaml(yaml, 90, code, NULL);
	ck_assert_msg(*doc, "no results written (exit %d)", *code);
	free(yaml);
	free(prog);
	brc_test_rmtree(dir);
	free(dir);
	return brc_test_first_run(*doc);
}

static const char *str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s ? s : "";
}

static double number(const cJSON *o, const char *group, const char *key)
{
	if (group)
		o = cJSON_GetObjectItem(o, group);
	return cJSON_GetNumberValue(cJSON_GetObjectItem(o, key));
}

/* Body records: the program relays raw bodies, the core validates them. */
static const char body_program[] =
	"import sys, urllib.request\n"
	"for i, url in enumerate(l.strip() for l in sys.stdin):\n"
	"    print('start %d' % i, flush=True)\n"
	"    body = urllib.request.urlopen(url).read()\n"
	"    sys.stdout.write('body %d 200 %d\\n' % (i, len(body)))\n"
	"    sys.stdout.flush()\n"
	"    sys.stdout.buffer.write(body + b'\\n')\n"
	"    sys.stdout.buffer.flush()\n";

START_TEST(test_body_records)
{
	cJSON *doc, *run;
	int code;

	run = run_exec("/usr/bin/python3", body_program, 5, &code, &doc);
	ck_assert_int_eq(code, 0);
	ck_assert_str_eq(str(run, "status"), "ok");
	ck_assert(number(run, NULL, "ok") == 5);
	ck_assert(number(run, "latency", "count") == 5);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_python_reference_program)
{
	char *lib = brc_test_srcdir("examples/python/sync_requests.py");
	char *text = brc_read_file(lib, 1 << 20, NULL);
	char *dir = brc_test_srcdir("examples/python");
	/* The reference program imports ticketlib from its own directory. */
	char *script = brc_xasprintf("import sys; sys.path.insert(0, '%s')\n%s",
	                            dir, text);
	cJSON *doc, *run;
	int code;

	ck_assert_ptr_nonnull(text);
	run = run_exec("/usr/bin/python3", script, 6, &code, &doc);
	ck_assert_msg(code == 0, "exit %d: %s", code, str(run, "log"));
	ck_assert_str_eq(str(run, "status"), "ok");
	ck_assert(number(run, NULL, "ok") == 6);
	cJSON_Delete(doc);
	free(script);
	free(text);
	free(dir);
	free(lib);
}
END_TEST

START_TEST(test_wrong_summary_is_corrupt)
{
	static const char prog[] =
		"n=0\nwhile read url; do\n"
		"  echo \"summary $n 200 trips=1 cheapest=1 total=1 seats=1 "
		"first=1 digest=0000000000000001\"\n"
		"  n=$((n+1))\ndone\n";
	cJSON *doc, *run;
	int code;

	run = run_exec("/bin/sh", prog, 3, &code, &doc);
	ck_assert_int_eq(code, 1);
	ck_assert_str_eq(str(run, "status"), "errors");
	ck_assert(number(run, "failures", "corrupt") == 3);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_nonzero_exit)
{
	cJSON *doc, *run;
	int code;

	run = run_exec("/bin/sh", "cat >/dev/null; exit 3\n", 3, &code, &doc);
	ck_assert_int_eq(code, 1);
	ck_assert_str_eq(str(run, "status"), "failed");
	ck_assert_ptr_nonnull(strstr(str(run, "reason"), "exited with status 3"));
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_garbage_output)
{
	cJSON *doc, *run;
	int code;

	run = run_exec("/bin/sh", "cat >/dev/null; echo 'hello world'\n", 3,
	               &code, &doc);
	ck_assert_int_eq(code, 1);
	ck_assert_str_eq(str(run, "status"), "failed");
	ck_assert_ptr_nonnull(strstr(str(run, "reason"), "not in the protocol"));
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_missing_tickets)
{
	/* Reports nothing, exits 0: every ticket is missing. */
	cJSON *doc, *run;
	int code;

	run = run_exec("/bin/sh", "cat >/dev/null\n", 4, &code, &doc);
	ck_assert_int_eq(code, 1);
	ck_assert_str_eq(str(run, "status"), "errors");
	ck_assert(number(run, "failures", "missing") == 4);
	cJSON_Delete(doc);
}
END_TEST

Suite *brc_suite_exec(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("protocol");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_body_records);
	tcase_add_test(tc, test_python_reference_program);
	tcase_add_test(tc, test_wrong_summary_is_corrupt);
	tcase_add_test(tc, test_nonzero_exit);
	tcase_add_test(tc, test_garbage_output);
	tcase_add_test(tc, test_missing_tickets);
	suite_add_tcase(s, tc);
	return s;
}
