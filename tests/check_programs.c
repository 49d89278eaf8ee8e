/*
 * check_programs.c - every exec program of examples/ held to the same
 * contract as a plugin: 0, 1 and 60 requests, one and ten at a time, and
 * a server that answers some requests with errors -- every ticket
 * reported once, every summary right (the core checks it against the
 * generator), errors reported as errors.  The programs' runtimes come
 * with the README's first command; a missing one fails with its name.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "util.h"

static const struct program {
	const char *name, *interp, *path, *need;
} programs[] = {
	{ "py-sync", "/usr/bin/python3", "examples/python/sync_requests.py",
	  "python3-requests" },
	{ "py-threadpool", "/usr/bin/python3",
	  "examples/python/threadpool_requests.py", "python3-requests" },
	{ "py-gevent", "/usr/bin/python3", "examples/python/gevent_requests.py",
	  "python3-gevent" },
	{ "py-asyncio", "/usr/bin/python3", "examples/python/asyncio_aiohttp.py",
	  "python3-aiohttp" },
	{ "py-uvloop", "/usr/bin/python3", "examples/python/asyncio_uvloop.py",
	  "python3-uvloop" },
	{ "go", NULL, "examples/go/run.sh", "golang-go" },
	{ "node", "/usr/bin/node", "examples/node/tickets.mjs", "nodejs" },
};

/* The strategy line for program p at concurrency c. */
static char *strategy(const struct program *p, int c)
{
	char *path = brc_test_srcdir(p->path);
	char *s = p->interp
	          ? brc_xasprintf("{plugin: exec, label: %s, params: {command: "
	                          "['%s', '%s'], concurrency: %d}}", p->name,
	                          p->interp, path, c)
	          : brc_xasprintf("{plugin: exec, label: %s, params: {command: "
	                          "['%s'], concurrency: %d}}", p->name, path, c);

	free(path);
	return s;
}

static cJSON *run(const struct program *p, int days, int c,
                  const char *server, int *code)
{
	char *st = strategy(p, c);
	char *yaml = brc_xasprintf("workload: {days: %d, trips: 5}\n"
	                           "server: {%s}\nruns: {repetitions: 1, "
	                           "timeout: 120s}\nstrategies: [%s]\n", days,
	                           server, st);
	struct brc_buf err = { 0 };
	cJSON *doc = brc_test_run_yaml(yaml, 180, code, &err);

	ck_assert_msg(doc != NULL, "%s: no results (is %s installed? apt-get "
	              "install %s)\n%s", p->name, p->interp ? p->interp : "go",
	              p->need, err.data ? err.data : "");
	brc_buf_free(&err);
	free(yaml);
	free(st);
	return doc;
}

static double num(cJSON *o, const char *a, const char *b)
{
	cJSON *x = cJSON_GetObjectItem(o, a);

	return cJSON_GetNumberValue(b ? cJSON_GetObjectItem(x, b) : x);
}

START_TEST(test_program_sizes)
{
	const struct program *p = &programs[_i];
	static const int days[] = { 0, 1, 60 }, conc[] = { 1, 10 };

	for (size_t d = 0; d < BR_ARRAY_SIZE(days); d++)
		for (size_t k = 0; k < BR_ARRAY_SIZE(conc); k++) {
			int code;
			cJSON *doc = run(p, days[d], conc[k],
			                 "latency: {model: fixed, value: 2ms}", &code);
			cJSON *r = brc_test_first_run(doc);
			const char *status = cJSON_GetStringValue(
				cJSON_GetObjectItem(r, "status"));

			ck_assert_msg(code == 0 && !strcmp(status, "ok") &&
			              num(r, "ok", NULL) == days[d],
			              "%s, %d requests, concurrency %d: exit %d, %s, "
			              "%g ok (%s)", p->name, days[d], conc[k], code,
			              status, num(r, "ok", NULL),
			              cJSON_GetStringValue(
			                      cJSON_GetObjectItem(r, "reason")));
			cJSON_Delete(doc);
		}
}
END_TEST

/* A server that answers a tenth with 503: reported as failed (an `error`
 * record), the rest valid, nothing missing or corrupt. */
START_TEST(test_program_errors)
{
	const struct program *p = &programs[_i];
	int code;
	cJSON *doc = run(p, 60, 10, "faults: {error_rate: 0.1}", &code);
	cJSON *r = brc_test_first_run(doc);

	double failed = num(r, "failures", "http_status") +
	                num(r, "failures", "transport");

	ck_assert_int_eq(code, 1);
	ck_assert_double_gt(failed, 0);
	ck_assert_double_eq(failed + num(r, "ok", NULL), 60);
	ck_assert_double_eq(num(r, "failures", "corrupt"), 0);
	ck_assert_double_eq(num(r, "failures", "missing"), 0);
	cJSON_Delete(doc);
}
END_TEST

Suite *brc_suite_programs(void)
{
	Suite *s = suite_create("programs");
	TCase *tc = tcase_create("programs");

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_program_sizes, 0, BR_ARRAY_SIZE(programs));
	tcase_add_loop_test(tc, test_program_errors, 0, BR_ARRAY_SIZE(programs));
	suite_add_tcase(s, tc);
	return s;
}
