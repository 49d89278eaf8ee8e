/*
 * check_newcomer.c - what a new user meets first, through the real
 * benchrun binary: one path rule (relative to the scenario file), a
 * program that cannot be started caught by validate, the same exit code
 * from validate and a run, all problems in one pass, typo'd commands,
 * which files a run writes, and check-plugin.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "util.h"

/* benchrun with argv; its stderr (and stdout, when out is given). */
static int run(const char *const *argv, struct brc_buf *err)
{
	return brc_test_benchrun(argv, 120, err);
}

static const char *text(const struct brc_buf *b)
{
	return b->data ? b->data : "";
}

static char *write_exec(const char *dir, const char *name, const char *body)
{
	char *p = brc_test_write(dir, name, body);

	ck_assert_int_eq(chmod(p, 0755), 0);
	return p;
}

/* A program speaking the exec protocol badly enough to be quick: it
 * reports every request as an HTTP 503 (status, not transport). */
#define ALL_503 "#!/bin/sh\ni=0\nwhile read -r url; do\n" \
	"  echo \"error $i 503 HTTP 503\"\n  i=$((i+1))\ndone\n"

START_TEST(test_typo_command)
{
	const char *argv[] = { "valdate", "s.yaml", NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(run(argv, &err), 2);
	ck_assert_msg(strstr(text(&err), "did you mean 'validate'"), "%s",
	              text(&err));
	brc_buf_free(&err);
}
END_TEST

/* The capacity search's probes run where the measured runs do: in the
 * scenario's directory, so a relative program is found from any cwd (they
 * ran in benchrun's own cwd, where p.sh is not). */
START_TEST(test_search_runs_in_scenario_dir)
{
	char *dir = brc_test_tmpdir();
	char *prog = brc_test_write(dir, "p.sh", "pwd > ran\n" ALL_503);
	char *s = brc_test_write(dir, "s.yaml",
		"workload: {arrival: {model: open, rate: 2}, duration: 1s}\n"
		"search: {rate: {p99: 1s, min: 2, max: 4, duration: 1s}}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [/bin/sh, p.sh], concurrency: 1}\n");
	char *ran = brc_xasprintf("%s/ran", dir);
	const char *r[] = { "-q", s, NULL };
	struct brc_buf err = { 0 };
	char *where, real[PATH_MAX];

	run(r, &err); /* every request a 503: the probes fail, and that is ok */
	where = brc_read_file(ran, 4096, NULL);
	ck_assert_msg(where != NULL, "no probe ran p.sh:\n%s", text(&err));
	ck_assert_ptr_nonnull(realpath(dir, real));
	ck_assert_msg(!strncmp(where, real, strlen(real)) &&
	              where[strlen(real)] == '\n', "ran in %s, not %s", where,
	              real);
	free(where);
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(ran);
	free(s);
	free(prog);
	free(dir);
}
END_TEST

/* A missing script: validate says it cannot be started, and a run
 * refuses with the same message and the same exit code. */
START_TEST(test_missing_script)
{
	char *dir = brc_test_tmpdir();
	char *s = brc_test_write(dir, "s.yaml", "workload: {days: 2}\n"
	                         "strategies:\n  - plugin: exec\n"
	                         "    params: {command: [/bin/sh, gone.sh]}\n");
	const char *v[] = { "validate", s, NULL }, *r[] = { "-q", s, NULL };
	struct brc_buf e1 = { 0 }, e2 = { 0 };

	ck_assert_int_eq(run(v, &e1), 1);
	ck_assert_msg(strstr(text(&e1), "cannot be started"), "%s", text(&e1));
	ck_assert_msg(strstr(text(&e1), "gone.sh"), "%s", text(&e1));
	ck_assert_int_eq(run(r, &e2), 1);
	ck_assert_msg(strstr(text(&e2), "cannot be started"), "%s", text(&e2));
	brc_buf_free(&e1);
	brc_buf_free(&e2);
	brc_test_rmtree(dir);
	free(s);
	free(dir);
}
END_TEST

/* A program whose interpreter is gone gets past validate: the run says
 * it cannot be started instead of "exited with status 127". */
START_TEST(test_exit_127)
{
	char *dir = brc_test_tmpdir();
	char *prog = write_exec(dir, "p", "#!/nonexistent/sh\n");
	char *s = brc_test_write(dir, "s.yaml", "workload: {days: 2}\n"
	                         "strategies:\n  - plugin: exec\n"
	                         "    params: {command: [./p]}\n");
	char *out = brc_xasprintf("%s/r.json", dir);
	const char *r[] = { "-q", "-o", out, s, NULL };
	cJSON *doc, *first;

	ck_assert_int_eq(run(r, NULL), 1);
	doc = brc_test_load_json(out);
	ck_assert_ptr_nonnull(doc);
	first = brc_test_first_run(doc);
	ck_assert_msg(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(first,
	              "reason")), "cannot be started"), "reason: %s",
	              cJSON_GetStringValue(cJSON_GetObjectItem(first, "reason")));
	cJSON_Delete(doc);
	brc_test_rmtree(dir);
	free(out);
	free(s);
	free(prog);
	free(dir);
}
END_TEST

/* An out-of-range parameter: 1 from validate and from a run (docs). */
START_TEST(test_param_exit_code)
{
	char *dir = brc_test_tmpdir();
	char *s = brc_test_write(dir, "s.yaml", "workload: {days: 2}\n"
	                         "strategies:\n  - plugin: threadpool\n"
	                         "    params: {concurrency: 0}\n");
	const char *v[] = { "-q", "validate", s, NULL }, *r[] = { "-q", s, NULL };

	ck_assert_int_eq(run(v, NULL), 1);
	ck_assert_int_eq(run(r, NULL), 1);
	brc_test_rmtree(dir);
	free(s);
	free(dir);
}
END_TEST

/* Schema and plugin problems come in one pass. */
START_TEST(test_one_pass)
{
	char *dir = brc_test_tmpdir();
	char *s = brc_test_write(dir, "s.yaml", "workload: {days: -2}\n"
	                         "strategies:\n  - plugin: threadpool\n"
	                         "    params: {concurency: 4}\n");
	const char *v[] = { "validate", s, NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(run(v, &err), 2);
	ck_assert_msg(strstr(text(&err), "workload.days"), "%s", text(&err));
	ck_assert_msg(strstr(text(&err), "concurency"), "%s", text(&err));
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(s);
	free(dir);
}
END_TEST

/* Relative paths in a scenario are relative to its file, from any
 * directory: the exec program and the outputs; -o derives every output
 * and each file written is named. */
START_TEST(test_paths_and_outputs)
{
	char *dir = brc_test_tmpdir();
	char *sub = brc_xasprintf("%s/progs", dir);
	char *prog, *s, *o = brc_xasprintf("%s/elsewhere/x.json", dir);
	const char *r1[] = { NULL, NULL }, *r2[] = { "-o", o, NULL, NULL };
	struct brc_buf e1 = { 0 }, e2 = { 0 };
	char *f;

	ck_assert_int_eq(mkdir(sub, 0755), 0);
	prog = write_exec(sub, "all503.sh", ALL_503);
	s = brc_test_write(dir, "s.yaml", "workload: {days: 3}\n"
	                   "strategies:\n  - plugin: exec\n"
	                   "    params: {command: [progs/all503.sh]}\n"
	                   "outputs: {json: out/r.json, csv: out/r.csv}\n");
	r1[0] = s;
	r2[2] = s;
	/* The test runner's directory is not the scenario's. */
	ck_assert_int_eq(run(r1, &e1), 1);
	f = brc_xasprintf("%s/out/r.json", dir);
	ck_assert_msg(access(f, F_OK) == 0, "no %s: %s", f, text(&e1));
	ck_assert_msg(strstr(text(&e1), "wrote "), "%s", text(&e1));
	free(f);
	ck_assert_int_eq(run(r2, &e2), 1);
	f = brc_xasprintf("%s/elsewhere/x.csv", dir);
	ck_assert_msg(access(f, F_OK) == 0, "-o did not derive %s", f);
	ck_assert_msg(strstr(text(&e2), f), "%s", text(&e2));
	free(f);
	brc_buf_free(&e1);
	brc_buf_free(&e2);
	brc_test_rmtree(dir);
	free(s);
	free(o);
	free(prog);
	free(sub);
	free(dir);
}
END_TEST

/* A failing status with an error text is that status, not transport. */
START_TEST(test_error_class)
{
	char *dir = brc_test_tmpdir();
	char *prog = write_exec(dir, "p.sh", ALL_503);
	char *s = brc_test_write(dir, "s.yaml", "workload: {days: 3}\n"
	                         "server: {latency: {model: fixed, value: 5ms},"
	                         " faults: {error_rate: 0.015}}\n"
	                         "strategies:\n  - plugin: exec\n"
	                         "    params: {command: [./p.sh]}\n");
	char *out = brc_xasprintf("%s/r.json", dir);
	const char *r[] = { "-q", "-o", out, s, NULL };
	cJSON *doc, *f, *srv, *g;

	ck_assert_int_eq(run(r, NULL), 1);
	doc = brc_test_load_json(out);
	ck_assert_ptr_nonnull(doc);
	f = cJSON_GetObjectItem(brc_test_first_run(doc), "failures");
	ck_assert_double_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(f,
	                    "http_status")), 3);
	ck_assert_double_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(f,
	                    "transport")), 0);
	/* The server is an object that shows the faults injected; params
	 * are typed, their text kept beside. */
	srv = cJSON_GetObjectItem(doc, "server");
	ck_assert(cJSON_IsObject(srv));
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(srv, "model")),
	                 "fixed");
	ck_assert_double_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(
	        cJSON_GetObjectItem(srv, "parameters"), "value")), 0.005);
	ck_assert_double_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(
	        cJSON_GetObjectItem(srv, "faults"), "error_rate")), 0.015);
	g = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "groups"), 0);
	ck_assert_double_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(
	        cJSON_GetObjectItem(g, "params"), "concurrency")), 10);
	ck_assert(cJSON_IsString(cJSON_GetObjectItem(
	        cJSON_GetObjectItem(g, "params_text"), "concurrency")));
	cJSON_Delete(doc);
	brc_test_rmtree(dir);
	free(out);
	free(s);
	free(prog);
	free(dir);
}
END_TEST

/* check-plugin names the plugin and every case; a plugin that does not
 * load fails with 1. */
START_TEST(test_check_plugin)
{
	const char *ok[] = { "check-plugin", "null", NULL };
	const char *bad[] = { "check-plugin", "/nonexistent/x.so", NULL };
	struct brc_buf out = { 0 }, err = { 0 };
	int code = run(ok, &out);

	ck_assert_msg(code == 0, "exit %d: %s", code, text(&out));
	ck_assert_int_eq(run(bad, &err), 1);
	brc_buf_free(&out);
	brc_buf_free(&err);
}
END_TEST

/* Off a terminal a run prints a periodic status line; never: none. */
START_TEST(test_progress_off_tty)
{
	char *dir = brc_test_tmpdir();
	char *prog = write_exec(dir, "slow.sh", "#!/bin/sh\nsleep 1\n"
	                        "cat >/dev/null\n");
	char *s = brc_test_write(dir, "s.yaml", "workload: {days: 0}\n"
	                         "strategies:\n  - plugin: exec\n"
	                         "    params: {command: [./slow.sh]}\n");
	const char *r1[] = { s, NULL };
	const char *r2[] = { "--progress=never", s, NULL };
	struct brc_buf e1 = { 0 }, e2 = { 0 };

	setenv("BENCHRUN_PROGRESS_INTERVAL", "0.2", 1);
	ck_assert_int_eq(run(r1, &e1), 0);
	ck_assert_msg(strstr(text(&e1), "status: [1/1] exec run 1/1"), "%s",
	              text(&e1));
	ck_assert_int_eq(run(r2, &e2), 0);
	ck_assert_msg(!strstr(text(&e2), "status:"), "%s", text(&e2));
	brc_buf_free(&e1);
	brc_buf_free(&e2);
	brc_test_rmtree(dir);
	free(s);
	free(prog);
	free(dir);
}
END_TEST

/* A failed run's first reasons reach the terminal without -v: the
 * program's last stderr lines and the failed tickets. */
START_TEST(test_reasons_shown)
{
	char *dir = brc_test_tmpdir();
	char *prog = write_exec(dir, "p.sh", "#!/bin/sh\ncat >/dev/null\n"
	                        "echo 'ModuleNotFoundError: no module x' >&2\n"
	                        "exit 1\n");
	char *s = brc_test_write(dir, "s.yaml", "workload: {days: 2}\n"
	                         "strategies:\n  - plugin: exec\n"
	                         "    params: {command: [./p.sh]}\n");
	const char *r[] = { "--progress=never", s, NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(run(r, &err), 1);
	ck_assert_msg(strstr(text(&err), "    ModuleNotFoundError: no module x"),
	              "%s", text(&err));
	ck_assert_msg(strstr(text(&err), "missing: done() never called"), "%s",
	              text(&err));
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(s);
	free(prog);
	free(dir);
}
END_TEST

/* validate says how long the runs take at least. */
START_TEST(test_validate_estimate)
{
	char *dir = brc_test_tmpdir();
	char *s = brc_test_write(dir, "s.yaml", "workload: {days: 10}\n"
	                         "server: {latency: {model: fixed, value: 1s}}\n"
	                         "strategies: [sync]\n"
	                         "runs: {repetitions: 3, warmup: 1}\n");
	char *out = brc_xasprintf("%s/out.txt", dir);
	char *cmd, *got;

	/* 10 requests of 1 s in a row, 4 runs: 40 s. */
	cmd = brc_xasprintf("'%s/benchrun' validate '%s' >'%s'",
	                    getenv("BR_TEST_BUILDDIR") ? getenv("BR_TEST_BUILDDIR")
	                    : ".", s, out);
	ck_assert_int_eq(system(cmd), 0);
	got = brc_read_file(out, 1 << 16, NULL);
	ck_assert_msg(got && strstr(got, "estimated time: at least 40"), "%s",
	              got ? got : "");
	free(got);
	free(cmd);
	brc_test_rmtree(dir);
	free(out);
	free(s);
	free(dir);
}
END_TEST

/* plot -o with a format it cannot draw is a usage error (2). */
START_TEST(test_plot_usage)
{
	const char *argv[] = { "plot", "r.json", "-o", "x.jpg", NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(run(argv, &err), 2);
	ck_assert_msg(strstr(text(&err), ".svg or .png"), "%s", text(&err));
	brc_buf_free(&err);
}
END_TEST

Suite *brc_suite_newcomer(void)
{
	Suite *s = suite_create("newcomer");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_typo_command);
	tcase_add_test(tc, test_missing_script);
	tcase_add_test(tc, test_search_runs_in_scenario_dir);
	tcase_add_test(tc, test_exit_127);
	tcase_add_test(tc, test_param_exit_code);
	tcase_add_test(tc, test_one_pass);
	tcase_add_test(tc, test_paths_and_outputs);
	tcase_add_test(tc, test_error_class);
	tcase_add_test(tc, test_check_plugin);
	tcase_add_test(tc, test_progress_off_tty);
	tcase_add_test(tc, test_plot_usage);
	tcase_add_test(tc, test_reasons_shown);
	tcase_add_test(tc, test_validate_estimate);
	suite_add_tcase(s, tc);
	return s;
}
