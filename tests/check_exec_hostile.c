/*
 * check_exec_hostile.c - the exec strategy against programs that break
 * the protocol (docs/exec-protocol.md): a line that never ends, body
 * lengths that are not byte counts, a body without its newline, an
 * instance run twice, and benchrun killed with -9 while the program runs.
 * Each ends in a failed run with the reason, in bounded time and memory,
 * with nothing left running.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/loader.h"
#include "run/runctx.h"
#include "scenario/params.h"
#include "suites.h"
#include "util.h"

/* Run `sh -c script` as an exec strategy over `days` days; returns
 * groups[0].runs[0] (the document in *doc, to be deleted). */
static cJSON *run_sh(const char *script, int days, cJSON **doc)
{
	char *dir = brc_test_tmpdir();
	char *prog = brc_test_write(dir, "prog.sh", script);
	char *yaml = brc_xasprintf(
		"workload: {days: %d}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [/bin/sh, '%s']}\n"
		"runs: {timeout: 60s}\n", days, prog);
	int code;

	*doc = brc_test_run_yaml(yaml, 90, &code, NULL);
	ck_assert_msg(*doc, "no results written (exit %d)", code);
	free(yaml);
	free(prog);
	brc_test_rmtree(dir);
	free(dir);
	return brc_test_first_run(*doc);
}

static void expect_broken(const char *script, const char *words)
{
	cJSON *doc, *run = run_sh(script, 1, &doc);
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(run, "status"));
	const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(run, "reason"));

	ck_assert_msg(status && !strcmp(status, "failed"), "status %s (%s)",
	              status ? status : "?", reason ? reason : "");
	ck_assert_msg(reason && strstr(reason, words), "reason: %s",
	              reason ? reason : "(none)");
	cJSON_Delete(doc);
}

/* 8 MiB of NULs and no newline: refused at 64 KiB, the program stopped,
 * long before the run's timeout. */
START_TEST(test_endless_line)
{
	expect_broken("cat >/dev/null; head -c 8388608 /dev/zero; sleep 60\n",
	              "a line longer than 64 KiB");
}
END_TEST

START_TEST(test_body_length_negative)
{
	expect_broken("cat >/dev/null; echo 'body 0 200 -1'\n",
	              "body length '-1' is not a byte count");
}
END_TEST

START_TEST(test_body_length_huge)
{
	expect_broken("cat >/dev/null; echo 'body 0 200 99999999999999999999'\n",
	              "is not a byte count");
	expect_broken("cat >/dev/null; echo 'body 0 200  5'\n",
	              "is not a byte count");
}
END_TEST

START_TEST(test_body_without_newline)
{
	expect_broken("cat >/dev/null; printf 'body 0 200 2\\nabX'\n",
	              "not followed by a newline");
}
END_TEST

/* One instance, two runs of 3000 requests (plugin.h: an instance must be
 * reusable): the second run's input starts from nothing. */
START_TEST(test_run_twice)
{
	struct brc_workload w = {
		.seed = 1, .days = 3000, .start_date = (char *)"2026-01-01",
		.route = (char *)"MOW-LED", .trips_min = 20, .trips_max = 20,
		.max_body = 4 << 20,
	};
	char *items[] = { (char *)"/bin/sh", (char *)"-c",
	                  (char *)"i=0; while read u; do "
	                  "echo \"error $i 0 nope\"; i=$((i+1)); done" };
	struct brc_param_value v = { .name = (char *)"command", .items = items,
	                             .n_items = 3, .is_list = true };
	struct brc_loaded pl;
	char *err = NULL;
	void *opts, *state;

	ck_assert_int_eq(brc_plugin_open("exec", NULL, NULL, &pl, &err), 0);
	ck_assert_int_eq(brc_params_build(pl.desc, &v, 1, &opts, &err), 0);
	ck_assert_int_eq(pl.desc->create(brc_host_table(), opts, &state), 0);
	for (int round = 0; round < 2; round++) {
		char **urls = brc_xcalloc((size_t)w.days, sizeof(char *));
		struct brc_run_tally t;
		struct br_run *run;

		for (int64_t i = 0; i < w.days; i++)
			urls[i] = brc_xasprintf("http://127.0.0.1:9/tickets/"
			                       "MOW-LED/day-%06lld", (long long)i);
		run = brc_run_new(&w, urls, (size_t)w.days);
		ck_assert_msg(pl.desc->run(state, run) == 0, "round %d", round);
		brc_run_close(run);
		brc_run_finish(run, &t);
		/* Every request reported once: no duplicate, none missing. */
		ck_assert_uint_eq(t.fail.transport, (uint64_t)w.days);
		ck_assert_uint_eq(t.fail.missing, 0);
		brc_run_tally_free(&t);
		brc_run_free(run);
	}
	pl.desc->destroy(state);
	brc_params_free(pl.desc, opts);
	brc_plugin_close(&pl);
}
END_TEST

/* kill -9 of benchrun: the worker dies with it, and the program with the
 * worker (PR_SET_PDEATHSIG); processes are found by their BR_TEST_MARK. */
START_TEST(test_killed_benchrun_leaves_no_program)
{
	char *dir = brc_test_tmpdir();
	char *mark = brc_xasprintf("BR_TEST_MARK=%s", dir);
	char *path = brc_test_write(dir, "s.yaml",
		"workload: {days: 3}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [sleep, '60']}\n"
		"runs: {timeout: 90s}\n");
	char *out = brc_xasprintf("%s/out.json", dir);
	const char *argv[] = { "-q", "-o", out, path, NULL };
	int code = brc_test_benchrun_interrupt(argv, mark, SIGKILL, 2.0, 1, 30);

	ck_assert_int_eq(code, 128 + SIGKILL);
	ck_assert_int_eq(brc_test_count_marked(dir), 0);
	free(out);
	free(path);
	free(mark);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *brc_suite_exec_hostile(void)
{
	Suite *s = suite_create("exec_hostile");
	TCase *tc = tcase_create("programs");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_endless_line);
	tcase_add_test(tc, test_body_length_negative);
	tcase_add_test(tc, test_body_length_huge);
	tcase_add_test(tc, test_body_without_newline);
	tcase_add_test(tc, test_run_twice);
	tcase_add_test(tc, test_killed_benchrun_leaves_no_program);
	suite_add_tcase(s, tc);
	return s;
}
