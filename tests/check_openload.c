/*
 * check_openload.c - the open model (issue 16): the schedule
 * (workload/arrival.c) is a function of rate, process and seed alone; the
 * scenario's arrival, duration, rate sweep and search sections; the run
 * context's response time, service time, start lag and early-start count
 * driven in-process (no clocks involved in what is asserted); and the
 * real binary: sync against a fixed 50 ms server at 5x its capacity falls
 * behind with a backlog of seconds while its service time stays ~50 ms,
 * eventloop at concurrency 100 keeps up at ~50 ms, a plugin without BR_PLUGIN_F_DUE is
 * refused, and no plugin of the build tree ever starts a request before
 * it is due.
 *
 * Thresholds follow the model, not the machine: the backlog of a 2 s run
 * at 100 req/s against a 20 req/s client is ~8 s, asserted as "over 1 s";
 * a service time of 50 ms is asserted within 45 ms .. 1 s.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/metrics.h"
#include "run/loader.h"
#include "run/runctx.h"
#include "scenario/scenario.h"
#include "workload/arrival.h"
#include "workload/tickets.h"
#include "suites.h"
#include "util.h"

/* ---- the schedule -------------------------------------------------- */

START_TEST(test_schedule_constant)
{
	struct brc_arrival a = { BR_ARRIVAL_OPEN, 2000, BR_PROCESS_CONSTANT };
	uint64_t due[4001];

	brc_arrival_schedule(&a, 1, 4001, due);
	ck_assert_uint_eq(due[0], 0);
	ck_assert_uint_eq(due[1], 500000);
	/* No drift: the 4000th request of 2000/s is due at exactly 2 s. */
	ck_assert_uint_eq(due[4000], 2000000000u);
}
END_TEST

START_TEST(test_schedule_poisson)
{
	struct brc_arrival a = { BR_ARRIVAL_OPEN, 1000, BR_PROCESS_POISSON };
	enum { N = 20000 };
	uint64_t *x = brc_xcalloc(N, sizeof(*x)), *y = brc_xcalloc(N, sizeof(*y));
	double mean;

	brc_arrival_schedule(&a, 7, N, x);
	brc_arrival_schedule(&a, 7, N, y);
	/* Same seed: the same arrivals, for every strategy and every run. */
	ck_assert_int_eq(memcmp(x, y, N * sizeof(*x)), 0);
	for (size_t i = 1; i < N; i++)
		ck_assert_uint_ge(x[i], x[i - 1]);
	/* Mean gap 1 ms: over 20000 gaps the sample mean is within a few
	 * tenths of a percent (1 / sqrt(N) = 0.7 %); 5 % cannot fail. */
	mean = (double)x[N - 1] / (N - 1) / 1e6;
	ck_assert_double_lt(fabs(mean - 1.0), 0.05);
	brc_arrival_schedule(&a, 8, N, y);
	ck_assert_int_ne(memcmp(x, y, N * sizeof(*x)), 0);
	a.model = BR_ARRIVAL_CLOSED;
	brc_arrival_schedule(&a, 7, N, y);
	ck_assert_uint_eq(y[N - 1], 0);
	free(x);
	free(y);
}
END_TEST

/* ---- the scenario -------------------------------------------------- */

#define OPEN_HEAD "strategies: [{plugin: sync}]\n"

START_TEST(test_scenario_arrival)
{
	struct brc_scenario sc;
	char *err;
	struct brc_override ov[] = {
		{ "workload.arrival.rate", "500" },
		{ "workload.arrival.process", "poisson" },
	};

	ck_assert_int_eq(brc_test_scenario_text(OPEN_HEAD, NULL, 0, &sc, &err), 0);
	ck_assert_int_eq(sc.workload.arrival.model, BR_ARRIVAL_CLOSED);
	ck_assert_int_eq(brc_workload_requests(&sc.workload), 100);
	brc_scenario_free(&sc);

	ck_assert_int_eq(brc_test_scenario_text(OPEN_HEAD
		"workload: {arrival: {model: open, rate: 2000}, duration: 10s}\n",
		ov, 2, &sc, &err), 0);
	ck_assert_int_eq(sc.workload.arrival.model, BR_ARRIVAL_OPEN);
	ck_assert_int_eq(sc.workload.arrival.process, BR_PROCESS_POISSON);
	ck_assert_double_eq(sc.workload.arrival.rate, 500);
	ck_assert_int_eq(brc_workload_requests(&sc.workload), 5000);
	brc_scenario_free(&sc);

	/* days and duration: days wins (a quick way to shorten a run). */
	ck_assert_int_eq(brc_test_scenario_text(OPEN_HEAD
		"workload: {arrival: {rate: 2000}, duration: 10s, days: 20}\n",
		NULL, 0, &sc, &err), 0);
	ck_assert_int_eq(brc_workload_requests(&sc.workload), 20);
	brc_scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_arrival_errors)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "workload: {arrival: {model: open}}\n", "needs a rate" },
		{ "workload: {arrival: {model: closed, rate: 5}}\n",
		  "needs 'model: open'" },
		{ "workload: {arrival: {model: opne, rate: 5}}\n",
		  "neither 'closed' nor 'open'" },
		{ "workload: {arrival: {rate: 5, process: bursty}}\n",
		  "neither 'constant' nor 'poisson'" },
		{ "workload: {duration: 2s}\n", "needs an open model" },
		{ "sweep: {rate: [100, 200]}\n", "needs an open model" },
		{ "workload: {arrival: {model: open}}\nsweep: {rate: [1, x]}\n",
		  "'x' is not a rate" },
		{ "workload: {arrival: {model: open}}\n"
		  "search: {rate: {min: 10, max: 100}}\n", "one response-time" },
		{ "workload: {arrival: {model: open}}\n"
		  "search: {rate: {p99: 1s, min: 100, max: 10}}\n",
		  "min must be below max" },
	};

	for (size_t k = 0; k < BR_ARRAY_SIZE(cases); k++) {
		char *text = brc_xasprintf("%s%s", OPEN_HEAD, cases[k].text);
		char *err = brc_test_scenario_fail(text, NULL, 0);

		ck_assert_msg(strstr(err, cases[k].want), "%s: got %s",
		              cases[k].text, err);
		free(err);
		free(text);
	}
}
END_TEST

START_TEST(test_scenario_search)
{
	struct brc_scenario sc;
	char *err;

	ck_assert_int_eq(brc_test_scenario_text(OPEN_HEAD
		"workload: {arrival: {model: open}}\n"
		"search: {rate: {p99: 150ms, min: 100, max: 50000}}\n",
		NULL, 0, &sc, &err), 0);
	ck_assert(sc.search.enabled);
	ck_assert_double_eq(sc.search.quantile, 0.99);
	ck_assert_double_eq_tol(sc.search.target, 0.150, 1e-12);
	ck_assert_double_eq(sc.search.min, 100);
	ck_assert_double_eq(sc.search.max, 50000);
	brc_scenario_free(&sc);
}
END_TEST

/* ---- the run context, in-process ----------------------------------- */

START_TEST(test_runctx_early_and_lag)
{
	struct brc_workload w = brc_test_workload(3);
	const struct br_host *h = brc_host_table();
	/* Request 1 is due in an hour: starting it now is early. */
	uint64_t due[3] = { 0, 3600000000000ull, 3600000000000ull };
	char **urls = brc_xcalloc(3, sizeof(char *));
	struct brc_run_tally t;
	struct br_run *run;

	for (size_t i = 0; i < 3; i++)
		urls[i] = brc_ticket_url("{base}/t/{date}", "http://x", &w,
		                        (int64_t)i);
	run = brc_run_new(&w, urls, 3);
	brc_run_set_due(run, due, 10);
	brc_run_begin(run);
	ck_assert_uint_eq(h->due(run, 1), due[1]);
	ck_assert_uint_lt(h->now(run), due[1]);
	h->start(run, 0);
	h->done(run, 0, 503, NULL);
	h->start(run, 1);
	h->done(run, 1, 503, NULL);
	brc_run_finish(run, &t);
	ck_assert_uint_eq(t.open.early_starts, 1);
	ck_assert_double_eq(t.open.offered_rate, 10);
	/* Request 2 never started: the run did not keep up. */
	ck_assert(!t.open.kept_up);
	ck_assert_uint_eq(t.fail.missing, 1);
	ck_assert_uint_eq(t.service.count, 2);
	brc_run_tally_free(&t);
	brc_run_free(run);
}
END_TEST

START_TEST(test_verdict)
{
	struct brc_open_result o = { .offered_rate = 100, .achieved_rate = 20,
		                     .lag_p99 = 4 };
	char why[128];

	ck_assert(!brc_open_kept_up(&o, 0, why, sizeof(why)));
	ck_assert_msg(strstr(why, "started 20.0 of 100 req/s"), "%s", why);
	o.achieved_rate = 99;
	ck_assert(!brc_open_kept_up(&o, 0, why, sizeof(why)));
	ck_assert_msg(strstr(why, "start lag p99 4"), "%s", why);
	o.lag_p99 = 0.002;
	ck_assert(brc_open_kept_up(&o, 0, why, sizeof(why)));
	ck_assert_str_eq(why, "");
	o.offered_rate = 0; /* closed */
	ck_assert(brc_open_kept_up(&o, 0, NULL, 0));
}
END_TEST

/* ---- the binary ---------------------------------------------------- */

static double jnum(const cJSON *o, const char *group, const char *key)
{
	const cJSON *g = group ? cJSON_GetObjectItemCaseSensitive(o, group) : o;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(g, key);

	ck_assert_msg(cJSON_IsNumber(v) || cJSON_IsBool(v), "no %s.%s",
	              group ? group : "", key);
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : v->valuedouble;
}

static cJSON *run_open(const char *strategies, const char *extra, int *code)
{
	char *yaml = brc_xasprintf(
		"name: open\nseed: 3\n"
		"workload: {arrival: {model: open, rate: 100}, duration: 2s, "
		"trips: 3}\n"
		/* http2 for the multiplex plugin, which speaks only h2c */
		"server: {latency: {model: fixed, value: 50ms}, http2: true}\n"
		"runs: {timeout: 60s}\n%s"
		"strategies:\n%s", extra, strategies);
	struct brc_buf err = { 0 };
	cJSON *doc = brc_test_run_yaml(yaml, 90, code, &err);

	if (!doc)
		fprintf(stderr, "benchrun exit %d:\n%s\n", *code,
		        err.data ? err.data : "");
	brc_buf_free(&err);
	free(yaml);
	return doc;
}

START_TEST(test_sync_falls_behind)
{
	int code;
	cJSON *doc = run_open("  - {plugin: sync}\n", "", &code);
	cJSON *r = brc_test_first_run(doc);

	ck_assert_int_eq(code, 0);
	ck_assert_double_eq(jnum(r, NULL, "requests"), 200);
	ck_assert_double_eq(jnum(r, NULL, "ok"), 200);
	ck_assert_double_eq(jnum(r, "open", "offered_rate"), 100);
	/* One at a time against 50 ms: at most 20 req/s. */
	ck_assert_double_le(jnum(r, "open", "achieved_rate"), 21);
	ck_assert(!jnum(r, "open", "kept_up"));
	ck_assert_double_eq(jnum(r, "open", "early_starts"), 0);
	/* The backlog: the last requests wait seconds for their turn. */
	ck_assert_double_gt(jnum(r, "latency", "p99"), 1.0);
	ck_assert_double_gt(jnum(r, "open", "lag_max"), 1.0);
	/* ... while each one, once started, still takes ~50 ms. */
	ck_assert_double_ge(jnum(r, "service", "p50"), 0.045);
	ck_assert_double_lt(jnum(r, "service", "p50"), 1.0);
	cJSON_Delete(doc);
}
END_TEST

/* With room for ten times the load, an event loop keeps up: its response
 * time is its service time, ~50 ms. */
START_TEST(test_eventloop_keeps_up)
{
	int code;
	cJSON *doc = run_open("  - {plugin: eventloop, params: "
	                      "{concurrency: 100}}\n", "", &code);
	cJSON *r = brc_test_first_run(doc);

	ck_assert_int_eq(code, 0);
	ck_assert_double_eq(jnum(r, NULL, "ok"), 200);
	ck_assert_double_eq(jnum(r, "open", "early_starts"), 0);
	ck_assert_msg(jnum(r, "open", "kept_up"), "lag p99 %g s, achieved %g",
	              jnum(r, "open", "lag_p99"),
	              jnum(r, "open", "achieved_rate"));
	ck_assert_double_ge(jnum(r, "latency", "p50"), 0.045);
	ck_assert_double_lt(jnum(r, "latency", "p50"), 0.5);
	cJSON_Delete(doc);
}
END_TEST

/* The closed run of the same scenario reports none of it. */
START_TEST(test_closed_has_no_open_fields)
{
	int code;
	struct brc_buf err = { 0 };
	cJSON *doc = brc_test_run_yaml(
		"workload: {days: 5, trips: 3}\n"
		"server: {latency: {model: none}}\n"
		"strategies: [{plugin: sync}]\n", 60, &code, &err);
	cJSON *r = brc_test_first_run(doc);

	ck_assert_int_eq(code, 0);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(r, "open"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(r, "service"));
	brc_buf_free(&err);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_refuses_closed_only_plugin)
{
	char *fixture = brc_test_builddir("tests/plugins/.libs/params_demo.so");
	char *strat = brc_xasprintf("  - {plugin: '%s'}\n", fixture);
	struct brc_buf err = { 0 };
	char *yaml = brc_xasprintf(
		"workload: {arrival: {model: open, rate: 10}, days: 3}\n"
		"strategies:\n%s", strat);
	int code;
	cJSON *doc = brc_test_run_yaml(yaml, 60, &code, &err);

	/* A plugin problem, like validate's: exit 1, before any run. */
	ck_assert_int_eq(code, 1);
	ck_assert_ptr_null(doc);
	ck_assert_msg(err.data && strstr(err.data, "does not honour due times"),
	              "%s", err.data ? err.data : "");
	brc_buf_free(&err);
	free(yaml);
	free(strat);
	free(fixture);
}
END_TEST

/* Every strategy plugin of the build tree (and the exec plugin with the
 * Python dispatcher when python3 has requests), at a rate it sustains:
 * every ticket valid, and not one started before it was due. */
START_TEST(test_never_early)
{
	char *dir = brc_test_builddir("plugins/.libs");
	struct brc_buf strat = { 0 };
	char **names;
	size_t n = brc_loader_scan(dir, &names);
	int code, runs = 0;
	cJSON *doc, *g;

	for (size_t k = 0; k < n; k++) {
		char *path = brc_xasprintf("%s/%s.so", dir, names[k]), *e;
		struct brc_loaded l;
		bool due;

		ck_assert_msg(!brc_plugin_open(path, NULL, NULL, &l, &e), "%s", e);
		due = brc_plugin_honours_due(l.desc);
		brc_plugin_close(&l);
		/* Every bundled plugin runs open-model scenarios. */
		ck_assert_msg(due, "%s does not set BR_PLUGIN_F_DUE", names[k]);
		if (strcmp(names[k], "exec") && strcmp(names[k], "null"))
			brc_buf_printf(&strat, "  - {plugin: '%s'}\n", path);
		free(path);
	}
	doc = run_open(strat.data, "", &code);
	ck_assert_msg(code == 0, "exit %d", code);
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(doc, "groups")) {
		const cJSON *r = cJSON_GetArrayItem(
			cJSON_GetObjectItemCaseSensitive(g, "runs"), 0);
		const char *label = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(g, "label"));

		ck_assert_msg(jnum(r, "open", "early_starts") == 0,
		              "%s started a request early", label);
		ck_assert_msg(jnum(r, NULL, "ok") == 200, "%s: %g ok", label,
		              jnum(r, NULL, "ok"));
		runs++;
	}
	ck_assert_int_ge(runs, 7);
	cJSON_Delete(doc);
	brc_loader_free_names(names);
	brc_buf_free(&strat);
	free(dir);
}
END_TEST

/* exec: a program that ignores the due times is caught by the core. */
START_TEST(test_exec_early_caught)
{
	int code;
	cJSON *doc = run_open(
		"  - plugin: exec\n"
		"    params:\n"
		"      command: [sh, -c, 'n=0; while read url due; do echo \"start "
		"$n\"; echo \"error $n 0 skipped\"; n=$((n+1)); done']\n",
		"", &code);
	cJSON *r = brc_test_first_run(doc);

	ck_assert_int_eq(code, 1);
	/* Request 0 is due at once; most of the other 199 are not. */
	ck_assert_double_gt(jnum(r, "open", "early_starts"), 100);
	ck_assert_msg(strstr(cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(r, "reason")), "before they "
		"were due"), "reason");
	cJSON_Delete(doc);
}
END_TEST

/* exec: the four Python programs honour the due times they are given. */
START_TEST(test_exec_python_never_early)
{
	static const struct {
		const char *file, *module;
	} progs[] = {
		{ "sync_requests.py", "requests" },
		{ "threadpool_requests.py", "requests" },
		{ "gevent_requests.py", "gevent" },
		{ "asyncio_aiohttp.py", "aiohttp" },
	};
	const char *p = progs[_i].file;
	char *path = brc_xasprintf("examples/python/%s", p);
	char *abs = brc_test_srcdir(path);
	char *probe = brc_xasprintf("/usr/bin/python3 -c 'import %s' 2>/dev/null",
	                            progs[_i].module);
	char *strat;
	cJSON *doc, *r;
	int code;

	if (system(probe) != 0) {
		fprintf(stderr, "openload: skipping %s (no python3 %s)\n", p,
		        progs[_i].module);
		goto out;
	}
	strat = brc_xasprintf("  - plugin: exec\n    params: {concurrency: 10, "
	                      "command: [/usr/bin/python3, '%s']}\n", abs);
	doc = run_open(strat, "", &code);
	r = brc_test_first_run(doc);
	ck_assert_msg(code == 0, "%s: exit %d", p, code);
	ck_assert_double_eq(jnum(r, "open", "early_starts"), 0);
	ck_assert_double_eq(jnum(r, NULL, "ok"), 200);
	cJSON_Delete(doc);
	free(strat);
out:
	free(probe);
	free(abs);
	free(path);
}
END_TEST

/* The capacity search: sync against 50 ms can do 20 req/s; its answer is
 * a passing probe with a failing one above it, and every probe is listed. */
START_TEST(test_capacity_bracketed)
{
	int code;
	/* Probes long enough (4 s, 16+ requests) and a target loose enough
	 * (800 ms) that a loaded machine's stalls do not fail the lowest
	 * one; the bound below still comes from the strategy, not the
	 * machine. */
	cJSON *doc = run_open("  - {plugin: sync}\n",
		"search: {rate: {p99: 800ms, min: 4, max: 200, duration: 4s, "
		"precision: 0.5}}\n", &code);
	const cJSON *c = cJSON_GetArrayItem(
		cJSON_GetObjectItemCaseSensitive(doc, "capacity"), 0);
	const cJSON *p;
	double cap, above = 0;
	bool at = false;

	ck_assert_int_eq(code, 0);
	ck_assert_ptr_nonnull(c);
	cap = jnum(c, NULL, "capacity");
	/* One at a time against 50 ms serves at most 20 req/s.  Offered r
	 * for D = 4 s, the last start lags D (r/20 - 1): keeping up (lag
	 * p99 <= 250 ms, BR_KEPT_UP_LAG) bounds a passing r by
	 * 20 (1 + 0.25/4) = 21.25; the p99 target alone by 23.75. */
	ck_assert_double_gt(cap, 0);
	ck_assert_double_le(cap, 21.25);
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "probes")) {
		double rate = jnum(p, NULL, "rate");
		bool pass = cJSON_IsTrue(cJSON_GetObjectItem(p, "pass"));

		at = at || (rate == cap && pass);
		if (!pass && rate > cap && (above == 0 || rate < above))
			above = rate;
		/* Nothing above the answer passed. */
		ck_assert_msg(!(pass && rate > cap), "probe %g passed", rate);
	}
	ck_assert_msg(at, "no passing probe at the capacity %g", cap);
	ck_assert_msg(above > cap, "no failing probe above %g", cap);
	/* The search replaced the measured runs. */
	ck_assert_int_eq(cJSON_GetArraySize(
		cJSON_GetObjectItemCaseSensitive(doc, "groups")), 0);
	cJSON_Delete(doc);
}
END_TEST

Suite *brc_suite_openload(void)
{
	Suite *s = suite_create("openload");
	TCase *unit = tcase_create("unit");
	TCase *bin = tcase_create("binary");

	tcase_add_test(unit, test_schedule_constant);
	tcase_add_test(unit, test_schedule_poisson);
	tcase_add_test(unit, test_scenario_arrival);
	tcase_add_test(unit, test_scenario_arrival_errors);
	tcase_add_test(unit, test_scenario_search);
	tcase_add_test(unit, test_runctx_early_and_lag);
	tcase_add_test(unit, test_verdict);
	suite_add_tcase(s, unit);
	tcase_set_timeout(bin, 240);
	tcase_add_test(bin, test_sync_falls_behind);
	tcase_add_test(bin, test_eventloop_keeps_up);
	tcase_add_test(bin, test_closed_has_no_open_fields);
	tcase_add_test(bin, test_refuses_closed_only_plugin);
	tcase_add_test(bin, test_never_early);
	tcase_add_test(bin, test_exec_early_caught);
	tcase_add_test(bin, test_capacity_bracketed);
	tcase_add_loop_test(bin, test_exec_python_never_early, 0, 4);
	suite_add_tcase(s, bin);
	return s;
}
