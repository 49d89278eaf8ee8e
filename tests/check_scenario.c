/*
 * check_scenario.c - the scenario parser: a full round trip, defaults, the
 * corpus of bad scenarios in tests/data/bad (each file's first line says
 * "# expect: LINE:COL: words[ ... words]"), --set overrides, anchors, and
 * hostile inputs (empty, directory, missing, huge, binary, multi-document,
 * deep nesting, alias bombs).
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "scenario/scenario.h"
#include "suites.h"
#include "util.h"

#define OV(p, v) ((struct brc_override){ (p), (v) })

static int load_text(const char *text, const struct brc_override *ov,
                     size_t n, struct brc_scenario *sc, char **err)
{
	*err = NULL;
	return brc_scenario_load_string("t.yaml", text, strlen(text), ov, n, sc,
	                               err);
}

/* Fails the test when `text` loads; returns the error text (free it). */
static char *must_fail(const char *text, const struct brc_override *ov,
                       size_t n)
{
	struct brc_scenario sc;
	char *err = NULL;

	ck_assert_int_eq(load_text(text, ov, n, &sc, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_null(sc.name);
	ck_assert_ptr_null(sc.strategies);
	return err;
}

#define ck_assert_has(hay, needle)                                          \
	ck_assert_msg(strstr((hay), (needle)), "'%s' not in:\n%s", (needle), \
	              (hay))

static char *good(const char *name)
{
	char *rel = brc_xasprintf("tests/data/good/%s", name);
	char *p = brc_test_srcdir(rel);

	free(rel);
	return p;
}

START_TEST(full_round_trip)
{
	struct brc_scenario sc;
	char *path = good("full.yaml"), *err = NULL;
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

	ck_assert_int_eq(load_text("strategies: [sync]\n", NULL, 0, &sc, &err),
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
		char *p = good(names[i]), *err = NULL;

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
	char *err = must_fail("workload: {days: -1, dayz: 3}\n"
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

	ck_assert_msg(!load_text(base_doc, ov, BR_ARRAY_SIZE(ov), &sc, &err),
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
	ck_assert_int_eq(load_text(base_doc, NULL, 0, &plain, &err), 0);
	ck_assert_str_ne(sc.hash, plain.hash);
	brc_scenario_free(&plain);
	ck_assert_int_eq(load_text(base_doc, ov, BR_ARRAY_SIZE(ov), &plain,
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
	char *err = must_fail(base_doc, ov, BR_ARRAY_SIZE(ov));

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
	char *path = good("minimal.yaml");
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

START_TEST(anchors_and_merges)
{
	struct brc_scenario sc;
	char *p = good("anchors.yaml"), *err = NULL;
	const struct brc_strategy *s;

	ck_assert_msg(!brc_scenario_load(p, NULL, 0, &sc, &err), "%s", err);
	ck_assert_int_eq(sc.server.latency.model, BR_LAT_UNIFORM);
	ck_assert_double_eq_tol(sc.server.latency.max, 0.003, 1e-12);
	s = &sc.strategies[0];
	ck_assert_uint_eq(s->n_params, 2);
	ck_assert_str_eq(s->params[1].name, "concurrency");
	ck_assert_str_eq(s->params[1].items[0], "4");
	s = &sc.strategies[1];
	ck_assert_uint_eq(s->n_params, 2);
	/* The explicit key wins over the merged one. */
	ck_assert_str_eq(s->params[0].name, "concurrency");
	ck_assert_str_eq(s->params[0].items[0], "16");
	ck_assert_str_eq(s->params[1].name, "timeout");
	brc_scenario_free(&sc);
	free(p);
}
END_TEST

static char *tmpdir;

static void mk_tmp(void)
{
	tmpdir = brc_xstrdup("/tmp/br-check-scenario-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
	char *cmd = brc_xasprintf("rm -rf '%s'", tmpdir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(tmpdir);
}

/* Write `len` bytes of `text` to tmpdir/name, load it, return the
 * errors. */
static char *load_file(const char *name, const char *text, size_t len)
{
	char *path = brc_xasprintf("%s/%s", tmpdir, name), *err = NULL;
	struct brc_scenario sc;

	if (text)
		ck_assert_int_eq(brc_write_file_atomic(path, text, len), 0);
	ck_assert_int_eq(brc_scenario_load(path, NULL, 0, &sc, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(!strncmp(err, path, strlen(path)), "%s", err);
	free(path);
	return err;
}

START_TEST(hostile_files)
{
	char *err, *big;
	size_t n = (4u << 20) + 10;

	mk_tmp();
	err = load_file("empty.yaml", "", 0);
	ck_assert_has(err, "empty scenario");
	free(err);
	err = load_file("comments.yaml", "# nothing\n", 10);
	ck_assert_has(err, "empty scenario");
	free(err);
	err = load_file("missing.yaml", NULL, 0);
	ck_assert_has(err, "cannot read: No such file");
	free(err);
	err = load_file("", NULL, 0); /* tmpdir itself */
	ck_assert_has(err, "is a directory");
	free(err);
	err = load_file("bin.yaml", "\x80\x01garbage\xff", 10);
	ck_assert_has(err, "bin.yaml:1:1: not YAML text");
	free(err);
	err = load_file("text.yaml", "just some words\n", 16);
	ck_assert_has(err, "a scenario is a mapping");
	free(err);
	err = load_file("multi.yaml", "strategies: [a]\n---\nx: 1\n", 24);
	ck_assert_has(err, "multi.yaml:2:1: a second YAML document");
	free(err);
	big = brc_xmalloc(n);
	memset(big, '#', n);
	err = load_file("huge.yaml", big, n);
	ck_assert_has(err, "too large");
	free(err);
	free(big);
	rm_tmp();
}
END_TEST

START_TEST(deep_nesting)
{
	struct brc_buf b = { 0 };
	uint64_t t0 = brc_now_ns();
	char *err;

	brc_buf_printf(&b, "strategies: [sync]\nx-deep: ");
	for (int i = 0; i < 200; i++)
		brc_buf_printf(&b, "{a: ");
	brc_buf_printf(&b, "1");
	for (int i = 0; i < 200; i++)
		brc_buf_printf(&b, "}");
	brc_buf_printf(&b, "\n");
	err = must_fail(b.data, NULL, 0);
	ck_assert_has(err, "nesting deeper than");
	free(err);
	brc_buf_free(&b);
	/* Block style too, and lists. */
	for (int i = 0; i < 200; i++)
		brc_buf_printf(&b, "%*s- \n", 2 * i, "");
	err = must_fail(b.data, NULL, 0);
	ck_assert_has(err, "nesting deeper than");
	free(err);
	brc_buf_free(&b);
	ck_assert_msg(brc_now_ns() - t0 < 5000000000ull, "too slow");
}
END_TEST

START_TEST(alias_bomb)
{
	/* "Billion laughs": each level is ten of the previous one. */
	struct brc_buf b = { 0 };
	uint64_t t0 = brc_now_ns();
	char *err;

	brc_buf_printf(&b, "x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, "
	                  "lol, lol]\n");
	for (int i = 1; i < 10; i++) {
		brc_buf_printf(&b, "x-%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			brc_buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1);
		brc_buf_printf(&b, "]\n");
	}
	brc_buf_printf(&b, "strategies: [sync]\n");
	err = must_fail(b.data, NULL, 0);
	ck_assert_has(err, "document too large");
	free(err);
	brc_buf_free(&b);
	ck_assert_msg(brc_now_ns() - t0 < 5000000000ull, "too slow");
}
END_TEST

START_TEST(scalar_types)
{
	const char *doc = "strategies: [sync]\nworkload: {max_body: 64k}\n"
	                  "runs: {timeout: 1.5}\nserver: {latency: 20ms}\n";
	struct brc_scenario sc;
	char *err;

	ck_assert_msg(!load_text(doc, NULL, 0, &sc, &err), "%s", err);
	ck_assert_int_eq(sc.workload.max_body, 65536);
	ck_assert_double_eq(sc.runs.timeout, 1.5);
	ck_assert_int_eq(sc.server.latency.model, BR_LAT_FIXED);
	ck_assert_double_eq_tol(sc.server.latency.value, 0.02, 1e-12);
	brc_scenario_free(&sc);

	err = must_fail("strategies: [sync]\nworkload: {validate: !!str true}\n",
	                NULL, 0);
	ck_assert_has(err, "workload.validate: expected a boolean, found the "
	                   "quoted string");
	free(err);
	err = must_fail("strategies: [sync]\nserver: {port: 70000}\n", NULL, 0);
	ck_assert_has(err, "server.port: 70000 is out of range (0..65535)");
	free(err);
	err = must_fail("strategies: [sync]\nworkload: {start_date: 2025-02-29}\n",
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

	ck_assert_msg(!load_text("strategies: [{plugin: null}, {plugin: sync, "
	                         "label: null}]\n", NULL, 0, &sc, &err),
	              "%s", err);
	ck_assert_str_eq(sc.strategies[0].plugin, "null");
	ck_assert_str_eq(sc.strategies[1].label, "sync");
	brc_scenario_free(&sc);
	err = must_fail("strategies: [{plugin: ~}]\n", NULL, 0);
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

/* Random edits of a good file must never crash or leak: each either loads
 * or fails with at least one message. */
START_TEST(mutations)
{
	static const char alphabet[] = "{}[]:,-&*!|>'\"#\n \t?<~%@`09az.";
	char *p = good("full.yaml");
	size_t len;
	char *base = brc_read_file(p, 1 << 20, &len);
	uint64_t rng = 42;

	ck_assert_ptr_nonnull(base);
	for (int it = 0; it < 500; it++) {
		char *t = brc_xmalloc(len + 16), *err = NULL;
		size_t n = len;
		struct brc_scenario sc;

		memcpy(t, base, len);
		for (int m = 0; m < 1 + it % 4; m++) {
			size_t pos = brc_splitmix64(&rng) % n;
			char c = alphabet[brc_splitmix64(&rng) %
			                  (sizeof(alphabet) - 1)];

			if (it % 3 == 0) {
				memmove(t + pos + 1, t + pos, n - pos);
				n++;
			}
			t[pos] = c;
		}
		if (!brc_scenario_load_string("m.yaml", t, n, NULL, 0, &sc,
		                             &err))
			brc_scenario_free(&sc);
		else
			ck_assert_msg(err && strstr(err, "m.yaml"), "no message");
		free(err);
		free(t);
	}
	free(base);
	free(p);
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
	suite_add_tcase(s, tc);
	tc = tcase_create("overrides");
	tcase_add_test(tc, override_values);
	tcase_add_test(tc, override_errors);
	tcase_add_test(tc, cli_overrides);
	tcase_add_test(tc, anchors_and_merges);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_add_test(tc, hostile_files);
	tcase_add_test(tc, deep_nesting);
	tcase_add_test(tc, alias_bomb);
	tcase_add_test(tc, mutations);
	tcase_add_test(tc, errors_to_stderr);
	suite_add_tcase(s, tc);
	return s;
}
