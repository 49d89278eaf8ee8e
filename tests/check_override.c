/*
 * check_override.c - `--set PATH=VALUE` overrides of a scenario
 * (scenario_override.c): values of every kind, created mappings, list
 * items, the results' identity, each kind of bad path or value with its
 * message, and the command line's --runs/--warmup on top.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "scenario/scenario.h"
#include "suites.h"
#include "util.h"

#define OV(p, v) ((struct brc_override){ (p), (v) })

static const char *base_doc = "workload: {days: 10}\n"
                              "strategies:\n"
                              "  - plugin: sync\n"
                              "  - plugin: threads\n"
                              "    params: {concurrency: 4}\n";

START_TEST(override_values)
{
	const struct brc_override ov[] = {
		OV("workload.days", "20"),
		OV("strategies[1].params.concurrency", "[1, 10]"),
		OV("strategies[0].params.timeout", "5s"),
		OV("strategies[2]", "{plugin: eventloop, label: ev}"),
		OV("workload.trips", "{min: 1, max: 3}"),
		OV("server.latency.value", "50ms"),
		OV("sweep.concurrency", "[1,2,3]"),
		OV("runs.baseline", "ev"),
		OV("outputs.json", "out.json"),
	};
	struct brc_scenario sc, plain;
	char *err;

	ck_assert_msg(!brc_test_scenario_text(base_doc, ov, BR_ARRAY_SIZE(ov), &sc, &err),
	              "%s", err);
	ck_assert_int_eq(sc.workload.days, 20);
	ck_assert_uint_eq(sc.n_strategies, 3);
	ck_assert(sc.strategies[1].params[0].is_list);
	ck_assert_uint_eq(sc.strategies[1].params[0].n_items, 2);
	ck_assert_str_eq(sc.strategies[1].params[0].items[1], "10");
	ck_assert_str_eq(sc.strategies[1].params[0].mark.file,
	                 "--set strategies[1].params.concurrency=[1, 10]");
	ck_assert_int_eq(sc.strategies[1].params[0].mark.line, 0);
	ck_assert_str_eq(sc.strategies[0].params[0].items[0], "5s");
	ck_assert_str_eq(sc.strategies[2].label, "ev");
	ck_assert_int_eq(sc.workload.trips_min, 1);
	ck_assert_int_eq(sc.workload.trips_max, 3);
	/* A missing mapping is created; "value" alone means fixed. */
	ck_assert_int_eq(sc.server.latency.model, BR_LAT_FIXED);
	ck_assert_double_eq_tol(sc.server.latency.value, 0.05, 1e-12);
	ck_assert_uint_eq(sc.sweeps[0].n_values, 3);
	ck_assert_str_eq(sc.runs.baseline, "ev");
	ck_assert_str_eq(sc.outputs.json, "out.json");

	/* Overrides are part of the identity of the results. */
	ck_assert_int_eq(brc_test_scenario_text(base_doc, NULL, 0, &plain, &err), 0);
	ck_assert_str_ne(sc.hash, plain.hash);
	brc_scenario_free(&plain);
	ck_assert_int_eq(brc_test_scenario_text(base_doc, ov, BR_ARRAY_SIZE(ov), &plain,
	                           &err), 0);
	ck_assert_str_eq(sc.hash, plain.hash);
	brc_scenario_free(&plain);
	brc_scenario_free(&sc);
}
END_TEST

START_TEST(override_errors)
{
	const struct brc_override ov[] = {
		OV("workload.days", "abc"),
		OV("workload.dayz", "3"),
		OV("workload.max_body", "\"4MiB\""),
		OV("strategies[5].plugin", "x"),
		OV("workload.days.x", "1"),
		OV("workload[0]", "1"),
		OV("a..b", "1"),
		OV("sweep.concurrency", "10"),
		OV("server.latency", "[1, 2"),
	};
	char *err = brc_test_scenario_fail(base_doc, ov, BR_ARRAY_SIZE(ov));

	ck_assert_has(err, "--set workload.days=abc: workload.days: 'abc': "
	                   "not an integer\n");
	ck_assert_has(err, "--set workload.dayz=3: workload.dayz: unknown key "
	                   "'dayz', did you mean 'days'?\n");
	ck_assert_has(err, "--set workload.max_body=\"4MiB\": "
	                   "workload.max_body: expected a size, found the "
	                   "quoted string");
	ck_assert_has(err, "--set strategies[5].plugin=x: strategies: index "
	                   "[5] is out of range (the list has 2 items");
	ck_assert_has(err, "--set workload.days.x=1: workload.days: is a "
	                   "scalar, not a mapping");
	ck_assert_has(err, "--set workload[0]=1: workload: is a mapping, not "
	                   "a list");
	ck_assert_has(err, "--set a..b=1: bad path 'a..b'");
	ck_assert_has(err, "--set sweep.concurrency=10: sweep.concurrency: "
	                   "expected a list of values");
	ck_assert_has(err, "--set server.latency=[1, 2: YAML syntax error");
	free(err);
}
END_TEST

START_TEST(cli_overrides)
{
	char *path = brc_test_good("minimal.yaml");
	struct brc_override set = OV("workload.days", "7");
	struct brc_options o = { .overrides = &set, .n_overrides = 1,
		                .runs = 4, .warmup = 2, .args = &path,
		                .n_args = 1 };
	struct brc_scenario sc;

	ck_assert_int_eq(brc_cli_load_scenario(&o, &sc), 0);
	ck_assert_int_eq(sc.workload.days, 7);
	ck_assert_int_eq(sc.runs.repetitions, 4);
	ck_assert_int_eq(sc.runs.warmup, 2);
	brc_scenario_free(&sc);
	o.runs = 0; /* checked like the file: repetitions >= 1 */
	ck_assert_int_eq(brc_cli_load_scenario(&o, &sc), BR_EXIT_USAGE);
	o.n_args = 0;
	ck_assert_int_eq(brc_cli_load_scenario(&o, &sc), BR_EXIT_USAGE);
	free(path);
}
END_TEST

Suite *brc_suite_override(void)
{
	Suite *s = suite_create("override");
	TCase *tc = tcase_create("override");

	tcase_add_test(tc, override_values);
	tcase_add_test(tc, override_errors);
	tcase_add_test(tc, cli_overrides);
	suite_add_tcase(s, tc);
	return s;
}
