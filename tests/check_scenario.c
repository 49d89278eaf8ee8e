/*
 * check_scenario.c - the scenario parser: a full round trip, defaults, the
 * corpus of bad scenarios in tests/data/bad (each file's first line says
 * "# expect: LINE:COL: words[ ... words]"), every error reported at once,
 * typed scalars, and errors on stderr.  Overrides are in check_override.c,
 * hostile YAML in check_yamltree.c.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/scenario.h"
#include "suites.h"
#include "util.h"

START_TEST(full_round_trip)
{
	struct brc_scenario sc;
	char *path = brc_test_good("full.yaml"), *err = NULL;
	const struct brc_strategy *s;

	ck_assert_msg(!brc_scenario_load(path, NULL, 0, &sc, &err), "%s", err);
	ck_assert_str_eq(sc.path, path);
	ck_assert_str_eq(sc.name, "full");
	ck_assert_str_eq(sc.description, "Every key, none left at its default");
	ck_assert_uint_eq(sc.workload.seed, 12345);
	ck_assert_int_eq(sc.workload.days, 365);
	ck_assert_str_eq(sc.workload.start_date, "2024-02-29");
	ck_assert_str_eq(sc.workload.route, "LED-MOW_2");
	ck_assert_int_eq(sc.workload.trips_min, 5);
	ck_assert_int_eq(sc.workload.trips_max, 40);
	ck_assert_double_eq(sc.workload.cpu_us_per_trip, 2.5);
	ck_assert_int_eq(sc.workload.max_body, 2 << 20);
	ck_assert(!sc.workload.validate);

	ck_assert(sc.server.embedded);
	ck_assert_ptr_null(sc.server.url);
	ck_assert_str_eq(sc.server.url_template, "{base}/api/v1/{route}/{date}");
	ck_assert_str_eq(sc.server.host, "127.0.0.2");
	ck_assert_int_eq(sc.server.port, 18080);
	ck_assert_int_eq(sc.server.threads, 4);
	ck_assert_int_eq(sc.server.max_connections, 1000);
	ck_assert_int_eq(sc.server.max_in_flight, 64);
	ck_assert_int_eq(sc.server.backlog, 128);
	ck_assert_int_eq(sc.server.conn_memory, 16384);
	ck_assert_double_eq(sc.server.rate, 1048576);
	ck_assert_int_eq(sc.server.latency.model, BR_LAT_LOGNORMAL);
	ck_assert_double_eq_tol(sc.server.latency.median, 0.020, 1e-12);
	ck_assert_double_eq_tol(sc.server.latency.p99, 0.200, 1e-12);
	ck_assert_double_eq_tol(sc.server.latency.sigma,
	                        log(10.0) / 2.3263478740408408, 1e-9);
	ck_assert_double_eq(sc.server.latency.tail_fraction, 0.01);
	ck_assert_double_eq(sc.server.latency.tail_factor, 20);
	ck_assert_double_eq(sc.server.faults.error_rate, 0.02);
	ck_assert_int_eq(sc.server.faults.error_status, 500);
	ck_assert_double_eq(sc.server.faults.reset_rate, 0.01);
	ck_assert_double_eq(sc.server.faults.truncate_rate, 0.005);

	ck_assert_uint_eq(sc.n_strategies, 3);
	s = &sc.strategies[0];
	ck_assert_str_eq(s->plugin, "sync");
	ck_assert_str_eq(s->label, "sync");
	ck_assert_uint_eq(s->n_params, 1);
	ck_assert_str_eq(s->params[0].name, "timeout");
	ck_assert(!s->params[0].is_list);
	ck_assert_uint_eq(s->params[0].n_items, 1);
	ck_assert_str_eq(s->params[0].items[0], "10s");
	ck_assert_str_eq(s->params[0].mark.file, path);
	ck_assert_int_eq(s->params[0].mark.line, 32);
	ck_assert_int_eq(s->params[0].mark.col, 23);
	ck_assert_int_eq(s->mark.line, 31);
	s = &sc.strategies[1];
	ck_assert_str_eq(s->label, "threads-8");
	ck_assert_uint_eq(s->n_params, 2);
	ck_assert_str_eq(s->params[1].name, "retries");
	ck_assert(s->params[1].is_list);
	ck_assert_uint_eq(s->params[1].n_items, 2);
	ck_assert_str_eq(s->params[1].items[1], "2");
	s = &sc.strategies[2];
	ck_assert_str_eq(s->plugin, "./plugins/.libs/eventloop.so");
	ck_assert_str_eq(s->label, "eventloop");
	ck_assert_uint_eq(s->n_params, 0);

	ck_assert_uint_eq(sc.n_sweeps, 1);
	ck_assert_str_eq(sc.sweeps[0].param, "concurrency");
	ck_assert_uint_eq(sc.sweeps[0].n_values, 3);
	ck_assert_str_eq(sc.sweeps[0].values[2], "100");
	ck_assert_int_eq(sc.sweeps[0].mark.line, 40);

	ck_assert_int_eq(sc.runs.repetitions, 5);
	ck_assert_int_eq(sc.runs.warmup, 2);
	ck_assert_double_eq(sc.runs.timeout, 120);
	ck_assert_double_eq_tol(sc.runs.sample_interval, 0.005, 1e-12);
	ck_assert_str_eq(sc.runs.baseline, "threads-8");
	ck_assert(sc.runs.tolerate_errors);
	ck_assert_str_eq(sc.outputs.json, "results/full.json");
	ck_assert_str_eq(sc.outputs.csv, "results/full.csv");
	ck_assert_str_eq(sc.outputs.markdown, "results/full.md");
	ck_assert_str_eq(sc.outputs.plot, "results/full.svg");
	ck_assert_uint_eq(strlen(sc.hash), 16);
	ck_assert_uint_eq(strspn(sc.hash, "0123456789abcdef"), 16);
	brc_scenario_free(&sc);
	ck_assert_ptr_null(sc.name);
	free(path);
}
END_TEST

START_TEST(defaults)
{
	struct brc_scenario sc;
	char *err;

	ck_assert_int_eq(brc_test_scenario_text("strategies: [sync]\n", NULL, 0, &sc, &err),
	                 0);
	ck_assert_ptr_null(err);
	ck_assert_str_eq(sc.name, "t");
	ck_assert_ptr_null(sc.description);
	ck_assert_uint_eq(sc.workload.seed, 1);
	ck_assert_int_eq(sc.workload.days, 100);
	ck_assert_str_eq(sc.workload.start_date, "2026-01-01");
	ck_assert_str_eq(sc.workload.route, "MOW-LED");
	ck_assert_int_eq(sc.workload.trips_min, 20);
	ck_assert_int_eq(sc.workload.trips_max, 20);
	ck_assert_double_eq(sc.workload.cpu_us_per_trip, 0);
	ck_assert_int_eq(sc.workload.max_body, 4 << 20);
	ck_assert(sc.workload.validate);
	ck_assert(sc.server.embedded);
	ck_assert_str_eq(sc.server.url_template,
	                 "{base}/tickets/{route}/{date}");
	ck_assert_str_eq(sc.server.host, "127.0.0.1");
	ck_assert_int_eq(sc.server.port, 0);
	ck_assert_int_eq(sc.server.threads, 2);
	ck_assert_int_eq(sc.server.max_connections, 20000);
	ck_assert_int_eq(sc.server.max_in_flight, 0);
	ck_assert_int_eq(sc.server.backlog, 4096);
	ck_assert_int_eq(sc.server.conn_memory, 8192);
	ck_assert_double_eq(sc.server.rate, 0);
	ck_assert_int_eq(sc.server.latency.model, BR_LAT_NONE);
	ck_assert_double_eq(sc.server.latency.tail_fraction, 0);
	ck_assert_double_eq(sc.server.latency.tail_factor, 1);
	ck_assert_int_eq(sc.server.faults.error_status, 503);
	ck_assert_double_eq(sc.server.faults.error_rate, 0);
	ck_assert_uint_eq(sc.n_strategies, 1);
	ck_assert_str_eq(sc.strategies[0].label, "sync");
	ck_assert_uint_eq(sc.n_sweeps, 0);
	ck_assert_int_eq(sc.runs.repetitions, 1);
	ck_assert_int_eq(sc.runs.warmup, 0);
	ck_assert_double_eq(sc.runs.timeout, 60);
	ck_assert_double_eq_tol(sc.runs.sample_interval, 0.010, 1e-12);
	ck_assert_ptr_null(sc.runs.baseline);
	ck_assert(!sc.runs.tolerate_errors);
	ck_assert_ptr_null(sc.outputs.json);
	ck_assert_ptr_null(sc.outputs.plot);
	brc_scenario_free(&sc);
}
END_TEST

START_TEST(good_files_load)
{
	const char *names[] = { "full.yaml", "minimal.yaml", "anchors.yaml",
		                "external.yaml" };

	for (size_t i = 0; i < BR_ARRAY_SIZE(names); i++) {
		struct brc_scenario sc;
		char *p = brc_test_good(names[i]), *err = NULL;

		ck_assert_msg(!brc_scenario_load(p, NULL, 0, &sc, &err),
		              "%s: %s", names[i], err);
		brc_scenario_free(&sc);
		free(p);
	}
}
END_TEST

/* Does some line of err start with "file:pos: " and contain every
 * " ... "-separated fragment of words, in order? */
static bool matches(const char *err, const char *file, const char *pos,
                    const char *words)
{
	char *prefix = brc_xasprintf("%s:%s: ", file, pos);
	const char *line = err;
	bool found = false;

	while (line && *line && !found) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		char *l = brc_xmalloc(len + 1), *w = brc_xstrdup(words), *save;
		const char *at;

		memcpy(l, line, len);
		l[len] = '\0';
		found = !strncmp(l, prefix, strlen(prefix));
		at = l + strlen(prefix);
		for (char *f = strtok_r(w, "\x01", &save); found && f;
		     f = strtok_r(NULL, "\x01", &save)) {
			at = strstr(at, f);
			found = at != NULL;
		}
		free(w);
		free(l);
		line = eol ? eol + 1 : NULL;
	}
	free(prefix);
	return found;
}

START_TEST(bad_corpus)
{
	char *dir = brc_test_srcdir("tests/data/bad");
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char *path, *text, *err = NULL, *pos, *words, *sep;
		struct brc_scenario sc;

		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		path = brc_xasprintf("%s/%s", dir, e->d_name);
		text = brc_read_file(path, 1 << 20, NULL);
		ck_assert_ptr_nonnull(text);
		ck_assert_msg(!strncmp(text, "# expect: ", 10),
		              "%s: no '# expect:' line", e->d_name);
		pos = text + 10;
		*strchr(pos, '\n') = '\0';
		/* "3:12: words ... more words" */
		words = strchr(strchr(pos, ':') + 1, ':');
		*words = '\0';
		words += 2;
		while ((sep = strstr(words, " ... "))) {
			*sep = '\x01';
			memmove(sep + 1, sep + 5, strlen(sep + 5) + 1);
		}
		ck_assert_msg(brc_scenario_load(path, NULL, 0, &sc, &err) == -1,
		              "%s loaded", e->d_name);
		ck_assert_msg(matches(err, path, pos, words),
		              "%s: want %s: %s, got:\n%s", e->d_name, pos,
		              words, err);
		free(err);
		free(text);
		free(path);
		n++;
	}
	closedir(d);
	free(dir);
	ck_assert_int_ge(n, 20);
}
END_TEST

START_TEST(all_errors_reported)
{
	char *err = brc_test_scenario_fail("workload: {days: -1, dayz: 3}\n"
	                      "runs: {repetitions: 0}\n"
	                      "strategies: [sync, sync]\n",
	                      NULL, 0);
	int lines = 0;

	for (const char *p = err; (p = strchr(p, '\n')); p++)
		lines++;
	ck_assert_int_eq(lines, 4);
	ck_assert_has(err, "t.yaml:1:18: workload.days: -1 is out of range");
	ck_assert_has(err, "t.yaml:1:22: workload.dayz: unknown key");
	ck_assert_has(err, "t.yaml:2:21: runs.repetitions: 0");
	ck_assert_has(err, "t.yaml:3:20: strategies[1]: duplicate label");
	free(err);
}
END_TEST

START_TEST(scalar_types)
{
	const char *doc = "strategies: [sync]\nworkload: {max_body: 64k}\n"
	                  "runs: {timeout: 1.5}\nserver: {latency: 20ms}\n";
	struct brc_scenario sc;
	char *err;

	ck_assert_msg(!brc_test_scenario_text(doc, NULL, 0, &sc, &err), "%s", err);
	ck_assert_int_eq(sc.workload.max_body, 65536);
	ck_assert_double_eq(sc.runs.timeout, 1.5);
	ck_assert_int_eq(sc.server.latency.model, BR_LAT_FIXED);
	ck_assert_double_eq_tol(sc.server.latency.value, 0.02, 1e-12);
	brc_scenario_free(&sc);

	err = brc_test_scenario_fail("strategies: [sync]\nworkload: {validate: !!str true}\n",
	                NULL, 0);
	ck_assert_has(err, "workload.validate: expected a boolean, found the "
	                   "quoted string");
	free(err);
	err = brc_test_scenario_fail("strategies: [sync]\nserver: {port: 70000}\n", NULL, 0);
	ck_assert_has(err, "server.port: 70000 is out of range (0..65535)");
	free(err);
	err = brc_test_scenario_fail("strategies: [sync]\nworkload: {start_date: 2025-02-29}\n",
	                NULL, 0);
	ck_assert_has(err, "'2025-02-29' is not a valid date");
	free(err);
}
END_TEST

START_TEST(null_plugin_name)
{
	/* YAML reads a bare null as "nothing"; for `plugin` it can only mean
	 * the null plugin.  Other keys keep YAML's meaning. */
	struct brc_scenario sc;
	char *err;

	ck_assert_msg(!brc_test_scenario_text("strategies: [{plugin: null}, {plugin: sync, "
	                         "label: null}]\n", NULL, 0, &sc, &err),
	              "%s", err);
	ck_assert_str_eq(sc.strategies[0].plugin, "null");
	ck_assert_str_eq(sc.strategies[1].label, "sync");
	brc_scenario_free(&sc);
	err = brc_test_scenario_fail("strategies: [{plugin: ~}]\n", NULL, 0);
	ck_assert_has(err, "missing 'plugin'");
	free(err);
}
END_TEST

START_TEST(errors_to_stderr)
{
	char *path = brc_xasprintf("/tmp/br-check-scenario-%d.err", getpid());
	struct brc_scenario sc;
	int saved = dup(2), fd;
	char *text;

	fflush(stderr);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	close(fd);
	ck_assert_int_eq(brc_scenario_load_string("s.yaml", "runs: 3\n", 8,
	                                         NULL, 0, &sc, NULL), -1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	text = brc_read_file(path, 1 << 16, NULL);
	unlink(path);
	ck_assert_has(text, "s.yaml:1:7: runs: expected a mapping, found a "
	                    "scalar\n");
	ck_assert_has(text, "s.yaml:1:1: strategies: missing");
	free(text);
	free(path);
}
END_TEST

Suite *brc_suite_scenario(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, full_round_trip);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, good_files_load);
	tcase_add_test(tc, bad_corpus);
	tcase_add_test(tc, all_errors_reported);
	tcase_add_test(tc, scalar_types);
	tcase_add_test(tc, null_plugin_name);
	tcase_add_test(tc, errors_to_stderr);
	suite_add_tcase(s, tc);
	return s;
}
