/*
 * check_hostile.c - benchrun against servers and users that misbehave:
 * truncated, oversized, non-JSON and deeply nested bodies, wrong
 * Content-Length, an endless drip, refused and dropped connections, and
 * Ctrl-C in the middle of a scenario.  Each must end in a recorded,
 * explained failure, a result file, and no process left behind.  The
 * server cases run once per strategy plugin (strategies.h), as the
 * conformance suite's do: _i indexes the list.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostile_server.h"
#include "strategies.h"
#include "suites.h"
#include "util.h"

static const struct brc_workload hostile_workload = {
	.seed = 1, .days = 2, .start_date = (char *)"2026-01-01",
	.route = (char *)"MOW-LED", .trips_min = 20, .trips_max = 20,
	.max_body = 4 << 20, .validate = true,
};

/* Strategy _i of the list. */
static const struct brc_test_strategy *strategy(int i)
{
	const struct brc_test_strategy *list;

	ck_assert_int_lt(i, (int)brc_test_strategies(&list));
	return &list[i];
}

/* Run strategy `plugin` on an external-server scenario pointing at
 * `port`; return the first run of the first group from the results
 * file. */
static cJSON *run_against(const char *plugin, int port,
                          const char *extra_workload, const char *params,
                          int *exit_code, cJSON **doc)
{
	char *yaml = brc_xasprintf(
		"workload: {days: 2, start_date: 2026-01-01, route: MOW-LED, "
		"trips: 20%s}\n"
		"seed: 1\n"
		"server: {url: 'http://127.0.0.1:%d/t/{i}'}\n"
		"strategies:\n  - plugin: '%s'\n    params: {%s}\n"
		"runs: {timeout: 20s}\n",
		extra_workload, port, plugin, params);

	*doc = brc_test_run_yaml(yaml, 60, exit_code, NULL);
	ck_assert_msg(*doc, "%s: no results file written (exit %d)", plugin,
	              *exit_code);
	free(yaml);
	return brc_test_first_run(*doc);
}

static double failures(const cJSON *run, const char *kind)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(run, "failures");

	return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(f, kind));
}

static const char *status_of(const cJSON *run)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(run, "status"));
}

/* One hostile mode: benchrun exits 1, the run finished with errors, and
 * every ticket failed as `kind`. */
static void expect_failure(int i, enum hostile_mode mode, const char *extra,
                           const char *params, const char *kind)
{
	const struct brc_test_strategy *st = strategy(i);
	struct hostile *h = hostile_start(mode, &hostile_workload);
	cJSON *doc, *run;
	int code;

	ck_assert_ptr_nonnull(h);
	run = run_against(st->path, hostile_port(h), extra, params, &code,
	                  &doc);
	hostile_stop(h);
	ck_assert_msg(code == 1, "%s: exit %d", st->name, code);
	ck_assert_msg(!strcmp(status_of(run), "errors"), "%s: %s: %s",
	              st->name, status_of(run),
	              cJSON_GetStringValue(cJSON_GetObjectItem(run, "reason")));
	ck_assert_msg(failures(run, kind) == 2, "%s: expected 2 %s failures, "
	              "got %g", st->name, kind, failures(run, kind));
	cJSON_Delete(doc);
}

/* The list has the bundled strategies (else every loop runs 0 times). */
START_TEST(test_strategies_found)
{
	const struct brc_test_strategy *list;
	size_t n = brc_test_strategies(&list);
	bool sync = false, greenlets = false;

	for (size_t k = 0; k < n; k++) {
		sync = sync || !strcmp(list[k].name, "sync");
		greenlets = greenlets || !strcmp(list[k].name, "greenlets");
	}
	ck_assert(sync && greenlets);
}
END_TEST

START_TEST(test_truncated_body)
{
	expect_failure(_i, HOSTILE_TRUNCATED, "", "timeout: 5s", "transport");
}
END_TEST

START_TEST(test_short_content_length)
{
	/* curl stops at Content-Length: the body is cut, the JSON is bad. */
	expect_failure(_i, HOSTILE_SHORT_LENGTH, "", "timeout: 5s", "corrupt");
}
END_TEST

START_TEST(test_oversized_body)
{
	/* Bounded memory: the 8 MiB body stops at max_body. */
	expect_failure(_i, HOSTILE_OVERSIZED, ", max_body: 64KiB", "timeout: 5s",
	               "too_large");
}
END_TEST

START_TEST(test_not_json)
{
	expect_failure(_i, HOSTILE_NOT_JSON, "", "timeout: 5s", "corrupt");
}
END_TEST

START_TEST(test_nested_json)
{
	/* On the smallest stack the strategy allows: the body is refused
	 * before any parser recurses into it (workload/body_scan.h). */
	expect_failure(_i, HOSTILE_NESTED, "",
	               strategy(_i)->stack_size
	                       ? "timeout: 5s, stack_size: 16KiB"
	                       : "timeout: 5s", "corrupt");
}
END_TEST

START_TEST(test_slow_drip)
{
	expect_failure(_i, HOSTILE_DRIP, "", "timeout: 1s", "transport");
}
END_TEST

START_TEST(test_closed_without_answer)
{
	expect_failure(_i, HOSTILE_CLOSE, "", "timeout: 5s", "transport");
}
END_TEST

START_TEST(test_server_dies_mid_run)
{
	struct hostile *h = hostile_start(HOSTILE_DIES, &hostile_workload);
	cJSON *doc, *run;
	int code;

	run = run_against(strategy(_i)->path, hostile_port(h), "",
	                  "timeout: 5s", &code, &doc);
	hostile_stop(h);
	ck_assert_int_eq(code, 1);
	ck_assert_str_eq(status_of(run), "errors");
	ck_assert(cJSON_GetNumberValue(cJSON_GetObjectItem(run, "ok")) == 1);
	ck_assert(failures(run, "transport") == 1);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_connection_refused)
{
	/* Bind a port, then close it: nothing listens there any more. */
	struct hostile *h = hostile_start(HOSTILE_CLOSE, &hostile_workload);
	int port = hostile_port(h), code;
	cJSON *doc, *run;

	hostile_stop(h);
	run = run_against(strategy(_i)->path, port, "", "timeout: 5s", &code,
	                  &doc);
	ck_assert_int_eq(code, 1);
	ck_assert_str_eq(status_of(run), "errors");
	ck_assert(failures(run, "transport") == 2);
	cJSON_Delete(doc);
}
END_TEST

/*
 * Run `yaml` (embedded server) with results in <tmp>/out.json, hit benchrun
 * with `sig` (`times` times) after `after` seconds, or with `after` < 0
 * once a run is on disk (the journal out.json.partial has its header and
 * a run, results/journal.h); return its exit code
 * after checking that no process it started is left (they all carry
 * BR_TEST_MARK=<tmp> in their environment), and the results in *doc
 * (NULL when none were written).
 */
static int signalled_run(const char *yaml, int sig, double after, int times,
                         cJSON **doc)
{
	char *dir = brc_test_tmpdir();
	char *mark = brc_xasprintf("BR_TEST_MARK=%s", dir);
	char *path = brc_test_write(dir, "s.yaml", yaml);
	char *out = brc_xasprintf("%s/out.json", dir);
	char *journal = brc_xasprintf("%s.partial", out);
	const char *argv[] = { "-q", "-o", out, path, NULL };
	int code = after < 0
		? brc_test_benchrun_signal_when(argv, mark, sig, journal, 2, 30)
		: brc_test_benchrun_interrupt(argv, mark, sig, after, times, 30);

	ck_assert_int_eq(brc_test_count_marked(dir), 0);
	if (sig == SIGKILL) {
		/* No handler ran: the runs are in the journal, recovered by
		 * one command. */
		const char *merge[] = { "merge", journal, "-o", out, NULL };

		ck_assert_int_eq(brc_test_benchrun(merge, 60, NULL), 0);
	}
	free(journal);
	*doc = brc_test_load_json(out);
	free(out);
	free(path);
	free(mark);
	brc_test_rmtree(dir);
	free(dir);
	return code;
}

START_TEST(test_interrupt_leaves_nothing)
{
	cJSON *doc;
	int code;

	/* SIGINT after 1.5 s, in the middle of the first run. */
	code = signalled_run("workload: {days: 400}\n"
	                     "server: {latency: {model: fixed, value: 50ms}}\n"
	                     "strategies: [sync, {plugin: sync, label: again}]\n",
	                     SIGINT, 1.5, 1, &doc);
	ck_assert_int_eq(code, 130);
	ck_assert_msg(doc, "interrupted run wrote no results");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(doc, "incomplete")));
	cJSON_Delete(doc);
}
END_TEST

/* test_second_interrupt_exits_at_once: tests/check_robust_cli.c. */

START_TEST(test_killed_benchrun_keeps_finished_runs)
{
	cJSON *doc, *groups;
	int code;

	/* kill -9 during sync's 3 s run: no handler runs, yet the
	 * eventloop run measured before is on disk, and the worker and the
	 * server die with benchrun (PR_SET_PDEATHSIG).  The kill comes once
	 * that run is on disk, not after a fixed 1.5 s, which a loaded machine
	 * (ASan, busy cores) can spend before the first run ends. */
	code = signalled_run("workload: {days: 60}\n"
	                     "server: {latency: {model: fixed, value: 50ms}}\n"
	                     "strategies: [{plugin: eventloop, "
	                     "params: {concurrency: 60}}, sync]\n",
	                     SIGKILL, -1, 1, &doc);
	ck_assert_int_eq(code, 128 + SIGKILL);
	ck_assert_msg(doc, "the finished run was lost");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(doc, "incomplete")));
	groups = cJSON_GetObjectItem(doc, "groups");
	ck_assert_str_eq(status_of(brc_test_first_run(doc)), "ok");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(
		cJSON_GetArrayItem(groups, 1), "runs")), 0);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_unwritable_output_keeps_results)
{
	char *dir = brc_test_tmpdir();
	char *path = brc_test_write(dir, "ok.yaml",
		"workload: {days: 3}\nstrategies:\n  - plugin: sync\n");
	const char *argv[] = { "-q", "-o", "/dev/null/out.json", path, NULL };
	struct brc_buf err = { 0 };
	int code = brc_test_benchrun(argv, 60, &err);

	ck_assert_int_eq(code, 1);
	ck_assert_msg(err.data && strstr(err.data, "/dev/null/out.json"),
	              "no error naming the file: %s", err.data ? err.data : "");
	brc_buf_free(&err);
	free(path);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *brc_suite_hostile(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("servers");
	const struct brc_test_strategy *list;
	int n = (int)brc_test_strategies(&list);

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_strategies_found);
	tcase_add_loop_test(tc, test_truncated_body, 0, n);
	tcase_add_loop_test(tc, test_short_content_length, 0, n);
	tcase_add_loop_test(tc, test_oversized_body, 0, n);
	tcase_add_loop_test(tc, test_not_json, 0, n);
	tcase_add_loop_test(tc, test_nested_json, 0, n);
	tcase_add_loop_test(tc, test_slow_drip, 0, n);
	tcase_add_loop_test(tc, test_closed_without_answer, 0, n);
	tcase_add_loop_test(tc, test_connection_refused, 0, n);
	tcase_add_loop_test(tc, test_server_dies_mid_run, 0, n);
	suite_add_tcase(s, tc);

	tc = tcase_create("users");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_interrupt_leaves_nothing);
	tcase_add_test(tc, test_killed_benchrun_keeps_finished_runs);
	tcase_add_test(tc, test_unwritable_output_keeps_results);
	suite_add_tcase(s, tc);
	return s;
}
