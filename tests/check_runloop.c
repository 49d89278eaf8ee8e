/*
 * check_runloop.c - how runs are taken and what they are measured
 * against: the order of a round (interleaved, random, blocked) with known
 * answers and end to end (each run's `seq`), the in-order ideal next to
 * the true lower bound, the noisy-machine warnings on a synthetic state,
 * and a scenario whose embedded server dies: it stops with a clear error,
 * and the run that met the dead server has no efficiency.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "results/results.h"
#include "scenario/scenario.h"
#include "run/plan.h"
#include "server/model.h"
#include "suites.h"
#include "util.h"

START_TEST(test_plan_order)
{
	size_t o[4], seen;

	brc_plan_order(4, BR_ORDER_INTERLEAVED, 1, 0, o);
	ck_assert(o[0] == 0 && o[1] == 1 && o[2] == 2 && o[3] == 3);
	brc_plan_order(4, BR_ORDER_INTERLEAVED, 1, 1, o);
	ck_assert(o[0] == 1 && o[1] == 2 && o[2] == 3 && o[3] == 0);
	brc_plan_order(4, BR_ORDER_INTERLEAVED, 1, 6, o);
	ck_assert(o[0] == 2 && o[3] == 1);
	brc_plan_order(4, BR_ORDER_BLOCKED, 1, 5, o);
	ck_assert(o[0] == 0 && o[3] == 3);
	/* Random: a permutation, the same for the same seed and round. */
	brc_plan_order(4, BR_ORDER_RANDOM, 9, 3, o);
	seen = 0;
	for (size_t k = 0; k < 4; k++)
		seen |= (size_t)1 << o[k];
	ck_assert_uint_eq(seen, 15);
	{
		size_t again[4];

		brc_plan_order(4, BR_ORDER_RANDOM, 9, 3, again);
		ck_assert(!memcmp(o, again, sizeof(o)));
	}
}
END_TEST

/* 10 requests of exactly 100 ms on 3 slots: in order, 4 waves (0.4 s);
 * the bound is max(0.1, 1.0 / 3).  On 20 slots: one wave, 0.1 s both. */
START_TEST(test_lower_bound)
{
	struct brc_server s = { .embedded = true };

	s.latency.model = BR_LAT_FIXED;
	s.latency.value = 0.1;
	ck_assert_double_eq_tol(brc_model_ideal(&s, 1, 10, 3), 0.4, 1e-9);
	ck_assert_double_eq_tol(brc_model_lower_bound(&s, 1, 10, 3), 1.0 / 3,
	                        1e-9);
	ck_assert_double_eq_tol(brc_model_lower_bound(&s, 1, 10, 20), 0.1,
	                        1e-9);
	/* max_in_flight caps the slots. */
	s.max_in_flight = 2;
	ck_assert_double_eq_tol(brc_model_lower_bound(&s, 1, 10, 20), 0.5,
	                        1e-9);
	/* Random delays: the bound never exceeds the in-order ideal. */
	s.max_in_flight = 0;
	s.latency.model = BR_LAT_EXPONENTIAL;
	s.latency.mean = 0.05;
	for (int64_t c = 1; c <= 64; c *= 4)
		ck_assert(brc_model_lower_bound(&s, 3, 500, c) <=
		          brc_model_ideal(&s, 3, 500, c) + 1e-12);
}
END_TEST

START_TEST(test_machine_warnings)
{
	struct brc_machine_state quiet = { 0.1, 0.05, 0, NULL, -1 };
	struct brc_machine_state busy = { 3.5, 1.9, 4, (char *)"powersave", 1 };
	char *text;

	ck_assert_uint_eq(brc_machine_warnings(&quiet, 2, &text), 0);
	free(text);
	ck_assert_uint_eq(brc_machine_warnings(&busy, 2, &text), 5);
	ck_assert_has(text, "the load average is 3.50 on 2 cores");
	ck_assert_has(text, "1.9 of 2 CPUs were busy");
	ck_assert_has(text, "4 other runnable threads");
	ck_assert_has(text, "governor 'powersave'");
	ck_assert_has(text, "turbo boost is on");
	free(text);
}
END_TEST

static int seq_of(cJSON *doc, int group, int run)
{
	cJSON *g = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "groups"), group);
	cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(g, "runs"), run);

	return (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "seq"));
}

static cJSON *two_strategies(const char *order, int *code)
{
	char *yaml = brc_xasprintf(
		"workload: {days: 3, trips: 2}\n"
		"strategies:\n  - {plugin: sync, label: A}\n"
		"  - {plugin: sync, label: B}\n"
		"runs: {repetitions: 3, warmup: 1%s%s}\n",
		order ? ", order: " : "", order ? order : "");
	cJSON *doc = brc_test_run_yaml(yaml, 60, code, NULL);

	free(yaml);
	ck_assert_msg(doc, "no results (exit %d)", *code);
	return doc;
}

START_TEST(test_interleaved_by_default)
{
	int code;
	cJSON *doc = two_strategies(NULL, &code);
	cJSON *runs = cJSON_GetObjectItem(doc, "runs");

	ck_assert_int_eq(code, 0);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(runs, "order")),
	                 "interleaved");
	/* Rounds A B, B A, A B. */
	ck_assert_int_eq(seq_of(doc, 0, 0), 0);
	ck_assert_int_eq(seq_of(doc, 1, 0), 1);
	ck_assert_int_eq(seq_of(doc, 1, 1), 2);
	ck_assert_int_eq(seq_of(doc, 0, 1), 3);
	ck_assert_int_eq(seq_of(doc, 0, 2), 4);
	ck_assert_int_eq(seq_of(doc, 1, 2), 5);
	cJSON_Delete(doc);

	doc = two_strategies("blocked", &code);
	ck_assert_int_eq(seq_of(doc, 0, 2), 2);
	ck_assert_int_eq(seq_of(doc, 1, 0), 3);
	cJSON_Delete(doc);
}
END_TEST

/*
 * The strategy kills the embedded server (its worker's parent's other
 * child, comm benchrun-server, found in /proc) and reads its URLs: the
 * run has missing tickets, the scenario stops there with an error naming
 * the server.
 */
static const char killer[] =
	"w=$PPID\n"
	"b=$(cut -d' ' -f4 /proc/$w/stat)\n"
	"for d in /proc/[0-9]*; do\n"
	"  p=${d#/proc/}\n"
	"  [ \"$p\" = \"$w\" ] && continue\n"
	"  pp=$(cut -d' ' -f4 $d/stat 2>/dev/null) || continue\n"
	"  [ \"$pp\" = \"$b\" ] && [ \"$(cat $d/comm)\" = benchrun-server ] && "
	"kill -9 $p\n"
	"done\n"
	"cat >/dev/null\n";

START_TEST(test_dead_server_stops)
{
	char *dir = brc_test_tmpdir();
	char *prog = brc_test_write(dir, "killer.sh", killer);
	char *yaml = brc_xasprintf(
		"workload: {days: 4, trips: 2}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [/bin/sh, '%s'], concurrency: 2}\n"
		"  - {plugin: sync}\n"
		"runs: {repetitions: 3, timeout: 30s}\n", prog);
	struct brc_buf err = { 0 };
	cJSON *doc, *run, *groups;
	int code;

	doc = brc_test_run_yaml(yaml, 60, &code, &err);
	ck_assert_msg(doc, "no results (exit %d)", code);
	ck_assert_int_eq(code, BR_EXIT_FAIL);
	ck_assert_has(err.data, "the embedded server (pid ");
	ck_assert_has(err.data, "was killed by SIGKILL during exec run 1/3: "
	                        "stopping the scenario");
	groups = cJSON_GetObjectItem(doc, "groups");
	/* One run, then nothing: not two more runs against no server. */
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(
		cJSON_GetArrayItem(groups, 0), "runs")), 1);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(
		cJSON_GetArrayItem(groups, 1), "runs")), 0);
	run = brc_test_first_run(doc);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(run, "efficiency")));
	cJSON_Delete(doc);
	brc_buf_free(&err);
	free(yaml);
	free(prog);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * An exec program that works (a shell loop) before saying `ready`: that
 * start-up is reported apart and the run is timed from `ready`; without
 * the record, everything is the run, as before.
 */
static cJSON *exec_run(const char *script, cJSON **doc)
{
	char *dir = brc_test_tmpdir();
	char *prog = brc_test_write(dir, "p.sh", script);
	char *yaml = brc_xasprintf(
		"workload: {days: 3, trips: 2}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [/bin/sh, '%s'], concurrency: 2}\n"
		"runs: {timeout: 60s, tolerate_errors: true}\n", prog);
	int code;

	*doc = brc_test_run_yaml(yaml, 90, &code, NULL);
	ck_assert_msg(*doc, "no results (exit %d)", code);
	free(yaml);
	free(prog);
	brc_test_rmtree(dir);
	free(dir);
	return brc_test_first_run(*doc);
}

static double field(const cJSON *run, const char *key)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItem(run, key));
}

START_TEST(test_exec_ready)
{
	static const char busy[] =
		"i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done\n";
	char *with = brc_xasprintf("%secho ready\ncat >/dev/null\n", busy);
	char *without = brc_xasprintf("%scat >/dev/null\n", busy);
	cJSON *doc, *run;

	run = exec_run(with, &doc);
	ck_assert(field(run, "startup_wall") > 0);
	ck_assert(field(run, "startup_cpu") > 0);
	ck_assert(field(run, "wall") > 0);
	cJSON_Delete(doc);
	run = exec_run(without, &doc);
	ck_assert(field(run, "startup_wall") == 0);
	ck_assert(field(run, "startup_cpu") == 0);
	cJSON_Delete(doc);
	free(with);
	free(without);
}
END_TEST

/* repetitions: auto stops between its bounds (here both 3, so exactly
 * 3 rounds whatever the noise) and is recorded; bad bounds are refused. */
START_TEST(test_auto_repetitions)
{
	struct brc_scenario sc;
	char *err = NULL;
	int code;
	cJSON *doc, *g;

	ck_assert_int_eq(brc_test_scenario_text(
		"strategies: [{plugin: sync}]\n"
		"runs: {repetitions: auto, max_repetitions: 7}\n",
		NULL, 0, &sc, &err), 0);
	ck_assert(sc.runs.auto_reps);
	ck_assert_int_eq(sc.runs.repetitions, 7);
	ck_assert_int_eq(sc.runs.min_repetitions, 5);
	brc_scenario_free(&sc);
	err = brc_test_scenario_fail(
		"strategies: [{plugin: sync}]\n"
		"runs: {repetitions: auto, min_repetitions: 9, "
		"max_repetitions: 4}\n", NULL, 0);
	ck_assert_has(err, "runs.max_repetitions: is below min_repetitions");
	free(err);
	err = brc_test_scenario_fail(
		"strategies: [{plugin: sync}]\nruns: {order: sideways}\n", NULL, 0);
	ck_assert_has(err, "'sideways': the order is interleaved, random or "
	                   "blocked");
	free(err);

	doc = brc_test_run_yaml(
		"workload: {days: 2, trips: 2}\n"
		"strategies: [{plugin: sync}]\n"
		"runs: {repetitions: auto, min_repetitions: 3, "
		"max_repetitions: 3, target_ci: 0.0001}\n", 60, &code, NULL);
	ck_assert_msg(doc, "no results (exit %d)", code);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(doc, "runs"), "auto_repetitions")));
	g = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "groups"), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(g, "runs")), 3);
	cJSON_Delete(doc);
}
END_TEST

Suite *brc_suite_runloop(void)
{
	Suite *s = suite_create("runloop");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_plan_order);
	tcase_add_test(tc, test_lower_bound);
	tcase_add_test(tc, test_machine_warnings);
	tcase_add_test(tc, test_interleaved_by_default);
	tcase_add_test(tc, test_dead_server_stops);
	tcase_add_test(tc, test_exec_ready);
	tcase_add_test(tc, test_auto_repetitions);
	suite_add_tcase(s, tc);
	return s;
}
