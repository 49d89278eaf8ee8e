/*
 * check_conformance.c - every strategy plugin through the same cases, the
 * way a user runs them: the real `benchrun` binary on generated scenarios
 * with the embedded server, JSON results parsed back with cJSON (like
 * libsigrok's generic driver tests).  Plugins are found by scanning the
 * build tree's plugins/.libs and every BENCHRUN_PLUGIN_PATH directory, so a
 * new plugin is covered without touching this file.
 *
 * Cases: 0, 1 and 500 requests; concurrency 1, 10, 100 (for plugins that
 * declare it); keep-alive on and off; injected 503s and resets with and
 * without retries; a server that admits only 4 requests at a time; a 2 s
 * server delay against a 300 ms timeout.  Every strategy must have the
 * retries and timeout parameters (a case fails without them); one without
 * keepalive or concurrency skips that part of a case.
 *
 * BR_CONFORMANCE_THREADED_ONLY=1 keeps only the plugins that run requests
 * on several OS threads ("thread" in the name), for ThreadSanitizer builds:
 * TSan does not follow ucontext switches (greenlets), and single-threaded
 * plugins have nothing for it to find.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/loader.h"
#include "server/model.h"
#include "suites.h"
#include "util.h"

#define MAX_PLUGINS 32

struct conf_plugin {
	char *name, *path;
	bool concurrency, keepalive, retries, timeout;
};

/* Filled once when the suite is built; the loop tests index it. */
static struct conf_plugin plugins[MAX_PLUGINS];
static int n_plugins;

/* Not strategies to hold to this contract: the calibration/null plugins
 * fetch nothing, and exec needs a program to run (its own suite has it). */
static bool conf_excluded(const char *name)
{
	const char *threaded = getenv("BR_CONFORMANCE_THREADED_ONLY");

	if (threaded && *threaded && strcmp(threaded, "0") &&
	    !strstr(name, "thread"))
		return true;
	return !strcmp(name, "null") || !strncmp(name, "calib", 5) ||
	       !strcmp(name, "exec");
}

static void conf_add_dir(const char *dir)
{
	char *real = realpath(dir, NULL);
	char **names;

	brc_loader_scan(dir, &names);
	for (size_t k = 0; names && names[k]; k++) {
		struct conf_plugin *p = &plugins[n_plugins];
		struct brc_loaded l;
		char *path, *err = NULL;
		bool dup = false;

		for (int j = 0; j < n_plugins; j++)
			dup = dup || !strcmp(plugins[j].name, names[k]);
		if (dup || conf_excluded(names[k]) || n_plugins == MAX_PLUGINS)
			continue;
		/* Absolute: the scenario lives in another directory. */
		path = brc_xasprintf("%s/%s.so", real ? real : dir, names[k]);
		if (brc_plugin_open(path, NULL, NULL, &l, &err) < 0) {
			/* The loader suite owns load errors; keep the plugin
			 * so its cases fail loudly with the message. */
			fprintf(stderr, "conformance: %s\n", err);
			free(err);
			p->name = brc_xstrdup(names[k]);
			p->path = path;
			n_plugins++;
			continue;
		}
		p->name = brc_xstrdup(names[k]);
		p->path = path;
		p->concurrency = brc_plugin_param(l.desc, "concurrency") != NULL;
		p->keepalive = brc_plugin_param(l.desc, "keepalive") != NULL;
		p->retries = brc_plugin_param(l.desc, "retries") != NULL;
		p->timeout = brc_plugin_param(l.desc, "timeout") != NULL;
		brc_plugin_close(&l);
		n_plugins++;
	}
	brc_loader_free_names(names);
	free(real);
}

static void conf_scan(void)
{
	char *dir = brc_test_builddir("plugins/.libs");
	const char *env = getenv("BENCHRUN_PLUGIN_PATH");

	n_plugins = 0;
	conf_add_dir(dir);
	free(dir);
	if (env && *env) {
		char *copy = brc_xstrdup(env), *save = NULL;

		for (char *d = strtok_r(copy, ":", &save); d;
		     d = strtok_r(NULL, ":", &save))
			conf_add_dir(d);
		free(copy);
	}
}

/* ---- running benchrun -------------------------------------------------- */

/* Write `yaml` into a fresh directory, run benchrun on it, and return the
 * parsed results (NULL when there are none).  *code gets the exit code. */
static cJSON *conf_run(const char *yaml, int *code)
{
	struct brc_buf err = { 0 };
	cJSON *json = brc_test_run_yaml(yaml, 90, code, &err);

	if (!json || (*code != 0 && *code != 1))
		/* The output is the only clue to what went wrong. */
		fprintf(stderr, "benchrun exit %d; scenario:\n%s\nstderr:\n%s\n",
		        *code, yaml, err.data ? err.data : "");
	brc_buf_free(&err);
	return json;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	ck_assert_msg(cJSON_IsNumber(v), "results: no number '%s'", key);
	return v->valuedouble;
}

/* What all the runs of a results file added up to. */
struct conf_tally {
	int groups, runs, runs_ok;
	double requests, ok, http_status, transport, missing, duplicate;
	double other; /* corrupt + too_large */
	double queue_max; /* most requests the server kept waiting, any run */
};

static struct conf_tally conf_tally(const cJSON *json, const char *yaml)
{
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(json, "groups");
	const cJSON *g, *run;
	struct conf_tally t = { 0 };

	ck_assert_msg(cJSON_IsArray(groups), "results: no groups");
	cJSON_ArrayForEach(g, groups) {
		t.groups++;
		cJSON_ArrayForEach(run, cJSON_GetObjectItemCaseSensitive(g, "runs")) {
			const cJSON *st = cJSON_GetObjectItemCaseSensitive(run, "status");
			const cJSON *f = cJSON_GetObjectItemCaseSensitive(run, "failures");
			const cJSON *why = cJSON_GetObjectItemCaseSensitive(run, "reason");
			const cJSON *log = cJSON_GetObjectItemCaseSensitive(run, "log");
			const cJSON *srv;

			ck_assert_msg(cJSON_IsString(st), "results: no status");
			/* A crash, timeout or plugin failure is never fine. */
			ck_assert_msg(!strcmp(st->valuestring, "ok") ||
			              !strcmp(st->valuestring, "errors"),
			              "run %s (%s) of\n%s", st->valuestring,
			              cJSON_IsString(why) ? why->valuestring : "", yaml);
			/* In a sanitizer build, a report fails the case. */
			ck_assert_msg(!cJSON_IsString(log) ||
			              !strstr(log->valuestring, "Sanitizer"),
			              "sanitizer report in a run of\n%s:\n%s", yaml,
			              log->valuestring);
			t.runs++;
			t.runs_ok += !strcmp(st->valuestring, "ok");
			t.requests += num(run, "requests");
			t.ok += num(run, "ok");
			t.http_status += num(f, "http_status");
			t.transport += num(f, "transport");
			t.missing += num(f, "missing");
			t.duplicate += num(f, "duplicate");
			t.other += num(f, "corrupt") + num(f, "too_large");
			srv = cJSON_GetObjectItemCaseSensitive(run, "server");
			if (cJSON_IsObject(srv) && num(srv, "queue_max") > t.queue_max)
				t.queue_max = num(srv, "queue_max");
		}
	}
	/* Whatever happened, every ticket was accounted for exactly once. */
	ck_assert_double_eq(t.missing, 0);
	ck_assert_double_eq(t.duplicate, 0);
	ck_assert_double_eq(t.ok + t.http_status + t.transport + t.other,
	                    t.requests);
	return t;
}

/* The scenario text for plugin p: `server` and `params` lines are YAML
 * flow mappings (without braces), `sweep` a flow list or NULL. */
static char *conf_yaml(const struct conf_plugin *p, int days, uint64_t seed,
                       const char *server, const char *params,
                       const char *sweep, bool both_keepalive)
{
	struct brc_buf b = { 0 };

	brc_buf_printf(&b, "name: conformance-%s\nseed: %llu\n"
	              "workload: {days: %d, trips: 3}\n"
	              "server: {%s%s%s}\n"
	              "runs: {repetitions: 1, warmup: 0, timeout: 30s}\n"
	              "strategies:\n"
	              "  - {plugin: '%s', label: ka, params: {%s}}\n",
	              p->name, (unsigned long long)seed, days,
	              /* multiplex speaks HTTP/2 only (h2c, prior knowledge) */
	              strcmp(p->name, "multiplex") ? "" : "http2: true",
	              strcmp(p->name, "multiplex") || !*server ? "" : ", ",
	              server, p->path, params);
	if (both_keepalive && p->keepalive)
		brc_buf_printf(&b, "  - {plugin: '%s', label: nka, params: "
		              "{keepalive: false%s%s}}\n", p->path,
		              *params ? ", " : "", params);
	if (sweep && p->concurrency)
		brc_buf_printf(&b, "sweep: {concurrency: [%s]}\n", sweep);
	return b.data;
}

/* Run and expect every ticket of every run valid; returns the tally. */
static struct conf_tally conf_expect_ok(char *yaml)
{
	struct conf_tally t;
	int code;
	cJSON *json = conf_run(yaml, &code);

	ck_assert_msg(json != NULL, "no results for\n%s", yaml);
	t = conf_tally(json, yaml);
	ck_assert_msg(code == 0 && t.runs_ok == t.runs && t.ok == t.requests,
	              "exit %d, %d/%d runs ok, %.0f/%.0f tickets ok "
	              "(503: %.0f, transport: %.0f) for\n%s", code, t.runs_ok,
	              t.runs, t.ok, t.requests, t.http_status, t.transport, yaml);
	cJSON_Delete(json);
	free(yaml);
	return t;
}

/* ---- the cases --------------------------------------------------------- */

/* The scan found the build tree's plugins (else every loop runs 0 times). */
START_TEST(test_found)
{
	bool threads = false;

	for (int k = 0; k < n_plugins; k++)
		threads = threads || !strcmp(plugins[k].name, "threads");
	ck_assert_msg(threads, "no threads plugin in the build tree's "
	              "plugins/.libs");
}
END_TEST

START_TEST(test_sizes)
{
	const struct conf_plugin *p = &plugins[_i];
	struct conf_tally t;

	t = conf_expect_ok(conf_yaml(p, 0, 1, "latency: {model: none}", "",
	                             NULL, false));
	ck_assert_double_eq(t.requests, 0);
	t = conf_expect_ok(conf_yaml(p, 1, 1, "latency: {model: none}", "",
	                             NULL, false));
	ck_assert_double_eq(t.ok, 1);
}
END_TEST

START_TEST(test_concurrency_keepalive)
{
	const struct conf_plugin *p = &plugins[_i];
	struct conf_tally t;
	int groups = (p->concurrency ? 3 : 1) * (p->keepalive ? 2 : 1);

	t = conf_expect_ok(conf_yaml(p, 500, 1, "latency: {model: none}", "",
	                             "1, 10, 100", true));
	ck_assert_int_eq(t.groups, groups);
	ck_assert_double_eq(t.ok, 500.0 * groups);
}
END_TEST

#define FAULTS "latency: {model: none}, faults: {error_rate: 0.05, " \
	"reset_rate: 0.05}"

/* A seed under which every request of n gets a clean answer within
 * `attempts` tries, so that retries 3 must end with every ticket OK. */
static uint64_t conf_seed_recoverable(int n, uint32_t attempts)
{
	const struct brc_faults f = { 0.05, 503, 0.05, 0 };

	for (uint64_t seed = 1;; seed++) {
		int i = 0;

		for (; i < n; i++) {
			uint32_t k = 0;

			while (k < attempts &&
			       brc_model_fault(&f, seed, (uint64_t)i, k) != BR_FAULT_NONE)
				k++;
			if (k == attempts)
				break;
		}
		if (i == n)
			return seed;
	}
}

START_TEST(test_faults_retried)
{
	const struct conf_plugin *p = &plugins[_i];
	struct conf_tally t;

	/* Every strategy must be able to retry: one that cannot fails
	 * here rather than passing without being tested. */
	ck_assert_msg(p->retries, "%s has no 'retries' parameter", p->name);
	t = conf_expect_ok(conf_yaml(p, 200, conf_seed_recoverable(200, 4),
	                             FAULTS, "retries: 3, retry_backoff: 1ms",
	                             "4", true));
	ck_assert_double_eq(t.ok, t.requests);
}
END_TEST

START_TEST(test_faults_reported)
{
	const struct conf_plugin *p = &plugins[_i];
	char *yaml = conf_yaml(p, 200, 1, FAULTS,
	                       p->retries ? "retries: 0" : "", "4", true);
	struct conf_tally t;
	int code;
	cJSON *json = conf_run(yaml, &code);

	ck_assert_msg(json != NULL, "no results for\n%s", yaml);
	t = conf_tally(json, yaml);
	/* Failed tickets fail the run (exit 1) but crash nothing. */
	ck_assert_int_eq(code, 1);
	ck_assert_int_eq(t.runs_ok, 0);
	ck_assert_double_gt(t.http_status, 0);
	ck_assert_double_lt(t.ok, t.requests);
	cJSON_Delete(json);
	free(yaml);
}
END_TEST

START_TEST(test_max_in_flight)
{
	const struct conf_plugin *p = &plugins[_i];
	struct conf_tally t;

	t = conf_expect_ok(conf_yaml(p, 100, 1, "latency: {model: fixed, "
	                             "value: 20ms}, max_in_flight: 4", "",
	                             "1, 10", false));
	if (!p->concurrency)
		return; /* one request at a time never meets the limit */
	/* At concurrency 10 the server held requests back (the limit was
	 * met, not just configured), and never more than the 10 the
	 * strategy may have in flight.  20 ms per request, not 2: under
	 * ASan on a loaded machine forkpool's children spent longer between
	 * requests than in them, and five were never in flight at once. */
	ck_assert_msg(t.queue_max >= 1 && t.queue_max <= 10,
	              "%s: server queue_max %g", p->name, t.queue_max);
}
END_TEST

START_TEST(test_timeout)
{
	const struct conf_plugin *p = &plugins[_i];
	char *yaml;
	struct conf_tally t;
	int code;
	cJSON *json;

	ck_assert_msg(p->timeout, "%s has no 'timeout' parameter", p->name);
	yaml = conf_yaml(p, 4, 1, "latency: {model: fixed, value: 2s}",
	                 p->retries ? "timeout: 300ms, retries: 0" :
	                 "timeout: 300ms", "4", false);
	json = conf_run(yaml, &code);
	ck_assert_msg(json != NULL, "no results for\n%s", yaml);
	t = conf_tally(json, yaml);
	ck_assert_int_eq(code, 1);
	/* Every request gave up before the server answered. */
	ck_assert_double_eq(t.transport, t.requests);
	ck_assert_double_eq(t.ok, 0);
	cJSON_Delete(json);
	free(yaml);
}
END_TEST

Suite *brc_suite_conformance(void)
{
	Suite *s = suite_create("conformance");
	TCase *tc = tcase_create("plugins");

	conf_scan();
	tcase_set_timeout(tc, 120);
	/* Every loop test runs once per plugin found: _i indexes plugins[]. */
	tcase_add_test(tc, test_found);
	tcase_add_loop_test(tc, test_sizes, 0, n_plugins);
	tcase_add_loop_test(tc, test_concurrency_keepalive, 0, n_plugins);
	tcase_add_loop_test(tc, test_faults_retried, 0, n_plugins);
	tcase_add_loop_test(tc, test_faults_reported, 0, n_plugins);
	tcase_add_loop_test(tc, test_max_in_flight, 0, n_plugins);
	tcase_add_loop_test(tc, test_timeout, 0, n_plugins);
	suite_add_tcase(s, tc);
	return s;
}
