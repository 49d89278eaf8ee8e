/*
 * check_runner.c - the runner against ground truth: calibration plugins
 * whose cost is known (allocate 64 MiB, sleep 0.3 s, burn 0.3 s of CPU,
 * fork 4 children of 16 MiB) and ones that end badly in a known way
 * (crash, abort, hang, exit, lie, leave an orphan).  Each run goes through
 * the real path: fork/exec of `benchrun __worker`, the handshakes, the
 * sampler, the report.  Plus the sampler on its own and an end-to-end run
 * against the embedded server.
 */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/runctx.h"
#include "run/runner.h"
#include "run/sampler.h"
#include "workload/tickets.h"
#include "scenario/scenario.h"
#include "server/server.h"
#include "suites.h"
#include "util.h"

#define MIB (1024.0 * 1024.0)

static struct brc_workload workload(int64_t days)
{
	return (struct brc_workload){
		.seed = 42, .days = days, .start_date = (char *)"2026-01-01",
		.route = (char *)"MOW-LED", .trips_min = 20, .trips_max = 20,
		.max_body = 4 << 20, .validate = true,
	};
}

/* Run fixture `name` with params "k=v" pairs over `days` requests. */
static void run_calib(const char *name, const char *const *kv, int64_t days,
                      double timeout, struct brc_run_result *out)
{
	struct brc_workload w = workload(days);
	struct brc_param_value pv[4] = { 0 };
	char *keys[4] = { 0 }, *vals[4] = { 0 };
	char *items[4][1];
	size_t n = 0;
	char *rel = brc_xasprintf("tests/plugins/.libs/%s.so", name);
	char *plugin = brc_test_builddir(rel);
	char *exe = brc_test_builddir("benchrun");
	struct brc_runner_job job = {
		.exe = exe, .plugin_path = plugin, .params = pv, .w = &w,
		.url_template = "{base}/tickets/{route}/{date}",
		.base = "http://127.0.0.1:9", .concurrency = 1,
		.timeout = timeout, .sample_interval = 0.005,
	};

	for (; kv && kv[n]; n++) {
		const char *eq = strchr(kv[n], '=');

		keys[n] = brc_xasprintf("%.*s", (int)(eq - kv[n]), kv[n]);
		vals[n] = brc_xstrdup(eq + 1);
		items[n][0] = vals[n];
		pv[n] = (struct brc_param_value){ .name = keys[n],
		                                 .items = items[n], .n_items = 1 };
	}
	job.n_params = n;
	brc_runner_run(&job, out);
	for (size_t i = 0; i < n; i++) {
		free(keys[i]);
		free(vals[i]);
	}
	free(rel);
	free(plugin);
	free(exe);
}

/* Children of this test process, zombies included: a subreaper gets
 * every orphan of the worker's group, so none may be left. */
static int count_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[64], buf[512];
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		FILE *f;
		char *rp;
		int ppid;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", atoi(e->d_name));
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')) &&
		    sscanf(rp + 2, "%*c %d", &ppid) == 1 && ppid == getpid())
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

START_TEST(test_alloc_memory)
{
	const char *const none[] = { "mib=0", NULL };
	const char *const big[] = { "mib=64", NULL };
	struct brc_run_result a, b;
	double hwm, pss;

	run_calib("calib_alloc", none, 0, 20, &a);
	run_calib("calib_alloc", big, 0, 20, &b);
	ck_assert_msg(a.status == BR_RUN_OK && b.status == BR_RUN_OK,
	              "status %d/%d: %s", a.status, b.status,
	              b.reason ? b.reason : "");
	hwm = (double)(b.peak_rss - a.peak_rss) / MIB;
	pss = (double)(b.tree_peak_pss - b.baseline_pss) / MIB;
	ck_assert_msg(fabs(hwm - 64) < 6.4, "peak RSS grew by %.1f MiB", hwm);
	ck_assert_msg(fabs(pss - 64) < 6.4, "tree PSS grew by %.1f MiB", pss);
	ck_assert_int_ge(b.n_timeline, 1);
	ck_assert_int_eq(b.peak_procs, 1);
	brc_run_result_clear(&a);
	brc_run_result_clear(&b);
}
END_TEST

START_TEST(test_children_memory)
{
	const char *const kv[] = { "children=4", "mib=16", "hold=0.3", NULL };
	struct brc_run_result r;
	double grew;

	run_calib("calib_children", kv, 0, 20, &r);
	ck_assert_msg(r.status == BR_RUN_OK, "%s", r.reason ? r.reason : "");
	grew = (double)(r.tree_peak_pss - r.baseline_pss) / MIB;
	ck_assert_msg(grew >= 0.9 * 64, "tree PSS grew by %.1f MiB", grew);
	ck_assert_int_eq(r.peak_procs, 5);
	ck_assert_int_eq(count_children(), 0);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_sleep_wall)
{
	const char *const kv[] = { "seconds=0.3", NULL };
	struct brc_run_result r;
	double best = 1e9;

	/* Never shorter than the sleep; longer only by scheduling delay, which
	 * a loaded machine (parallel test suites) can stretch: the best of
	 * three must be within 30 ms. */
	for (int k = 0; k < 3 && best - 0.3 >= 0.03; k++) {
		run_calib("calib_sleep", kv, 0, 20, &r);
		ck_assert_int_eq(r.status, BR_RUN_OK);
		ck_assert_msg(r.wall >= 0.2995, "wall %.4f s", r.wall);
		ck_assert_double_lt(r.cpu_user + r.cpu_sys, 0.05);
		if (r.wall < best)
			best = r.wall;
		brc_run_result_clear(&r);
	}
	ck_assert_msg(best - 0.3 < 0.03, "best wall %.4f s", best);
}
END_TEST

/* Set-up in create is outside the measured window. */
START_TEST(test_create_not_timed)
{
	const char *const kv[] = { "seconds=0.05", "setup=0.4", NULL };
	struct brc_run_result r;

	run_calib("calib_sleep", kv, 0, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_OK);
	ck_assert_msg(r.wall >= 0.0495 && r.wall < 0.3, "wall %.4f s", r.wall);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_cpu_time)
{
	const char *const kv[] = { "seconds=0.3", NULL };
	struct brc_run_result r;
	double cpu;

	run_calib("calib_cpu", kv, 0, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_OK);
	cpu = r.cpu_user + r.cpu_sys;
	ck_assert_msg(fabs(cpu - 0.3) < 0.06, "cpu %.4f s", cpu);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_crash)
{
	struct brc_run_result r;

	run_calib("calib_crash", NULL, 0, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_CRASHED);
	ck_assert_ptr_nonnull(strstr(r.reason, "SIGSEGV"));
	brc_run_result_clear(&r);
	run_calib("calib_abort", NULL, 0, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_CRASHED);
	ck_assert_ptr_nonnull(strstr(r.reason, "SIGABRT"));
	brc_run_result_clear(&r);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

START_TEST(test_hang_timeout)
{
	struct brc_run_result r;
	uint64_t t0 = brc_now_ns();

	run_calib("calib_hang", NULL, 0, 1.0, &r);
	ck_assert_int_eq(r.status, BR_RUN_TIMEOUT);
	ck_assert_ptr_nonnull(strstr(r.reason, "timeout"));
	ck_assert_double_lt((double)(brc_now_ns() - t0) / 1e9, 5.0);
	ck_assert_int_eq(count_children(), 0);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_exit_without_report)
{
	struct brc_run_result r;

	run_calib("calib_exit0", NULL, 3, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_EXITED);
	ck_assert_ptr_nonnull(strstr(r.reason, "without a report"));
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_orphan_killed)
{
	struct brc_run_result r;

	run_calib("calib_orphan", NULL, 0, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_OK);
	ck_assert_int_eq(count_children(), 0);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_escaped_killed)
{
	struct brc_run_result r;

	run_calib("calib_escape", NULL, 0, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_OK);
	ck_assert_int_eq(count_children(), 0);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_noisy_plugin)
{
	struct brc_run_result r;

	/* 2 MiB of output, leaked memory and fds: the run still ends, its
	 * output is kept (tail) in the record, never mixed into ours. */
	run_calib("calib_noisy", NULL, 0, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_OK);
	ck_assert_ptr_nonnull(r.log);
	ck_assert_ptr_nonnull(strstr(r.log, "noise on std"));
	ck_assert_int_eq(count_children(), 0);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_wrong_tickets)
{
	struct brc_run_result r;

	run_calib("calib_wrong", NULL, 6, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_ERRORS);
	ck_assert_uint_eq(r.requests, 6);
	ck_assert_uint_eq(r.ok, 0);
	ck_assert_uint_eq(r.fail.corrupt, 4);
	ck_assert_uint_eq(r.fail.missing, 2);
	ck_assert_ptr_nonnull(strstr(r.reason, "4 corrupt"));
	ck_assert_ptr_nonnull(r.log);
	ck_assert_ptr_nonnull(strstr(r.log, "corrupt"));
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_bad_plugin_fails)
{
	struct brc_run_result r;

	run_calib("no_such_plugin", NULL, 0, 20, &r);
	ck_assert_int_eq(r.status, BR_RUN_FAILED);
	ck_assert_ptr_nonnull(r.reason);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_sampler_tree)
{
	struct brc_sample self, tree;
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	ck_assert_int_eq(brc_sample_proc(getpid(), &self), 0);
	ck_assert_int_gt(self.rss, 0);
	ck_assert_int_gt(self.pss, 0);
	ck_assert_int_ge(self.root_hwm, self.rss / 2);
	ck_assert_int_eq(brc_sample_tree(getpid(), true, &tree), 0);
	ck_assert_int_ge(tree.procs, 2);
	ck_assert_int_ge(tree.rss, self.rss);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_assert_int_eq(brc_sample_tree(999999999, false, &tree), -1);
}
END_TEST

/* A run context of `n` requests, driven in-process. */
static struct br_run *ctx_new(const struct brc_workload *w, size_t n)
{
	char **urls = brc_xcalloc(n, sizeof(char *));
	struct br_run *run;

	for (size_t i = 0; i < n; i++)
		urls[i] = brc_ticket_url("{base}/t/{date}", "http://x", w,
		                        (int64_t)i);
	run = brc_run_new(w, urls, n);
	brc_run_prepare(run);
	return run;
}

START_TEST(test_runctx_accounting)
{
	struct brc_workload w = workload(8);
	const struct br_host *h = brc_host_table();
	struct br_run *run;
	struct brc_run_tally t;
	struct brc_buf body = { 0 };
	struct brc_summary want;
	char text[160];

	w.max_body = 64 * 1024;
	run = ctx_new(&w, 8);
	ck_assert_uint_eq(h->count(run), 8);
	ck_assert_ptr_nonnull(strstr(h->url(run, 3), "2026-01-04"));
	/* 0: valid, in two pieces, after a retry whose bytes are dropped */
	brc_ticket_render(&w, 0, &body);
	h->start(run, 0);
	h->body(run, 0, "garbage", 7);
	h->start(run, 0);
	h->body(run, 0, body.data, 10);
	h->body(run, 0, body.data + 10, body.len - 10);
	ck_assert_int_eq(h->done(run, 0, 200, NULL), 0);
	/* 1: another day's ticket is corrupt */
	h->start(run, 1);
	h->body(run, 1, body.data, body.len);
	ck_assert_int_eq(h->done(run, 1, 200, NULL), -1);
	/* 2: over max_body */
	h->start(run, 2);
	for (int k = 0; k < 20; k++)
		if (h->body(run, 2, body.data, body.len))
			break;
	ck_assert_int_eq(h->body(run, 2, "x", 1), -1);
	ck_assert_int_eq(h->done(run, 2, 200, NULL), -1);
	/* 3: HTTP 503; 4: transport; 5: done twice */
	h->start(run, 3);
	ck_assert_int_eq(h->done(run, 3, 503, NULL), -1);
	h->start(run, 4);
	ck_assert_int_eq(h->done(run, 4, 0, "connection reset"), -1);
	body.len = 0;
	brc_ticket_render(&w, 5, &body);
	h->start(run, 5);
	h->body(run, 5, body.data, body.len);
	ck_assert_int_eq(h->done(run, 5, 200, NULL), 0);
	ck_assert_int_eq(h->done(run, 5, 200, NULL), -1);
	/* 6: a summary computed by the plugin, right; 7: never done */
	brc_ticket_expect(&w, 6, &want);
	h->start(run, 6);
	ck_assert_int_eq(h->done_summary(run, 6, 200, NULL,
	                                 brc_summary_format(&want, text,
	                                                   sizeof(text))),
	                 0);
	h->log(run, BR_LOG_DEBUG, "not shown at verbosity %d", 0);

	brc_run_finish(run, &t);
	ck_assert_uint_eq(t.requests, 8);
	ck_assert_uint_eq(t.ok, 3);
	ck_assert_uint_eq(t.retries, 1);
	ck_assert_uint_eq(t.fail.corrupt, 1);
	ck_assert_uint_eq(t.fail.too_large, 1);
	ck_assert_uint_eq(t.fail.http_status, 1);
	ck_assert_uint_eq(t.fail.transport, 1);
	ck_assert_uint_eq(t.fail.duplicate, 1);
	ck_assert_uint_eq(t.fail.missing, 1);
	ck_assert_uint_eq(t.latency.count, 7);
	ck_assert_double_gt(t.cpu_processing, 0);
	ck_assert_ptr_nonnull(strstr(t.failures, "HTTP status 503"));
	ck_assert_ptr_nonnull(strstr(t.failures, "connection reset"));
	brc_run_tally_free(&t);
	brc_run_free(run);
	brc_buf_free(&body);
}
END_TEST

struct hammer {
	struct br_run *run;
	size_t from, to;
};

static void *hammer_thread(void *arg)
{
	const struct hammer *hm = arg;
	const struct br_host *h = brc_host_table();

	for (size_t i = hm->from; i < hm->to; i++) {
		h->start(hm->run, i);
		h->done(hm->run, i, 0, "refused");
	}
	return NULL;
}

START_TEST(test_runctx_threads)
{
	struct brc_workload w = workload(10000);
	struct br_run *run = ctx_new(&w, 10000);
	struct hammer hm[4];
	pthread_t th[4];
	struct brc_run_tally t;

	for (int k = 0; k < 4; k++) {
		hm[k] = (struct hammer){ run, (size_t)k * 2500,
		                         (size_t)(k + 1) * 2500 };
		ck_assert_int_eq(pthread_create(&th[k], NULL, hammer_thread,
		                                &hm[k]), 0);
	}
	for (int k = 0; k < 4; k++)
		pthread_join(th[k], NULL);
	brc_run_finish(run, &t);
	/* Four threads at once, no update lost. */
	ck_assert_uint_eq(t.latency.count, 10000);
	ck_assert_uint_eq(t.fail.transport, 10000);
	ck_assert_uint_eq(t.fail.missing, 0);
	ck_assert_ptr_nonnull(strstr(t.failures, "more failures not shown"));
	brc_run_tally_free(&t);
	brc_run_free(run);
}
END_TEST

static const char e2e_yaml[] =
	"name: e2e\n"
	"workload: {days: 20}\n"
	"server: {latency: {model: none}}\n"
	"strategies:\n"
	"  - plugin: sync\n";

START_TEST(test_end_to_end_fetch)
{
	struct brc_scenario sc;
	struct brc_server_proc srv = { 0 };
	struct brc_run_result r;
	char *err = NULL;
	char *plugin = brc_test_builddir("tests/plugins/.libs/calib_fetch.so");
	char *exe = brc_test_builddir("benchrun");
	struct brc_runner_job job = {
		.exe = exe, .plugin_path = plugin, .concurrency = 1,
		.timeout = 30, .sample_interval = 0.01,
	};

	ck_assert_msg(brc_scenario_load_string("e2e.yaml", e2e_yaml,
	                                      strlen(e2e_yaml), NULL, 0, &sc,
	                                      &err) == 0,
	              "%s", err ? err : "");
	ck_assert_int_eq(brc_server_spawn(&sc, &srv), 0);
	job.w = &sc.workload;
	job.url_template = sc.server.url_template;
	job.base = srv.base_url;
	job.model = &sc.server;
	job.srv = &srv;
	brc_runner_run(&job, &r);
	brc_server_stop(&srv);
	ck_assert_msg(r.status == BR_RUN_OK, "%s\n%s", r.reason ? r.reason : "",
	              r.log ? r.log : "");
	ck_assert_uint_eq(r.requests, 20);
	ck_assert_uint_eq(r.ok, 20);
	ck_assert_uint_eq(r.latency.count, 20);
	ck_assert_uint_eq(r.server_requests, 20);
	ck_assert_double_gt(r.bytes, 20 * 1000);
	ck_assert_double_gt(r.cpu_processing, 0);
	brc_run_result_clear(&r);
	brc_scenario_free(&sc);
	free(plugin);
	free(exe);
}
END_TEST

/* `benchrun SCENARIO` end to end: one good and one crashing strategy, a
 * results file with both, exit status 1. */
START_TEST(test_cli_run_exit_status)
{
	char *dir = brc_test_tmpdir();
	char *sleep_so = brc_test_builddir("tests/plugins/.libs/calib_sleep.so");
	char *crash_so = brc_test_builddir("tests/plugins/.libs/calib_crash.so");
	char *yaml = brc_xasprintf(
		"name: cli\nworkload: {days: 0}\n"
		"server: {latency: {model: none}}\n"
		"strategies:\n"
		"  - {plugin: '%s', label: nap, params: {seconds: 50ms}}\n"
		"  - {plugin: '%s', label: boom}\n"
		"runs: {repetitions: 2}\n", sleep_so, crash_so);
	char *path = brc_test_write(dir, "cli.yaml", yaml);
	char *out = brc_xasprintf("%s/out.json", dir);
	const char *argv[] = { "-q", "-o", out, path, NULL };
	struct brc_buf err = { 0 };
	cJSON *doc, *groups, *g;
	char *text;
	int code = brc_test_benchrun(argv, 60, &err);

	ck_assert_msg(code == 1, "exit %d: %s", code, err.data ? err.data : "");
	doc = brc_test_load_json(out);
	ck_assert_ptr_nonnull(doc);
	groups = cJSON_GetObjectItemCaseSensitive(doc, "groups");
	ck_assert_int_eq(cJSON_GetArraySize(groups), 2);
	g = cJSON_GetArrayItem(groups, 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(g, "runs")), 2);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(g, "runs"), 0),
		"status")), "ok");
	g = cJSON_GetArrayItem(groups, 1);
	text = cJSON_PrintUnformatted(g);
	ck_assert_ptr_nonnull(strstr(text, "SIGSEGV"));
	cJSON_free(text);
	cJSON_Delete(doc);
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(dir);
	free(sleep_so);
	free(crash_so);
	free(yaml);
	free(path);
	free(out);
}
END_TEST

/* Not enough file descriptors for the concurrency: refused before any
 * run, with a message that says what to do. */
START_TEST(test_cli_fd_limit)
{
	char *dir = brc_test_tmpdir();
	char *plugins = brc_test_builddir("plugins/.libs");
	char *path = brc_test_write(dir, "fds.yaml",
	                           "workload: {days: 5000}\n"
	                           "strategies: [{plugin: threads}]\n"
	                           "sweep: {concurrency: [5000]}\n");
	const char *argv[] = { "--plugin-path", plugins, path, NULL };
	struct rlimit rl = { 1024, 1024 };
	struct brc_buf err = { 0 };
	int code;

	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	code = brc_test_benchrun(argv, 30, &err);
	ck_assert_msg(code == 2, "exit %d: %s", code, err.data ? err.data : "");
	ck_assert_ptr_nonnull(strstr(err.data, "open files"));
	ck_assert_ptr_nonnull(strstr(err.data, "ulimit -n"));
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(dir);
	free(plugins);
	free(path);
}
END_TEST

Suite *brc_suite_runner(void)
{
	Suite *s = suite_create("runner");
	TCase *tc = tcase_create("calibration");
	TCase *bad = tcase_create("failures");
	TCase *e2e = tcase_create("end_to_end");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_runctx_accounting);
	tcase_add_test(tc, test_runctx_threads);
	tcase_add_test(tc, test_sampler_tree);
	tcase_add_test(tc, test_alloc_memory);
	tcase_add_test(tc, test_children_memory);
	tcase_add_test(tc, test_sleep_wall);
	tcase_add_test(tc, test_create_not_timed);
	tcase_add_test(tc, test_cpu_time);
	suite_add_tcase(s, tc);
	tcase_set_timeout(bad, 60);
	tcase_add_test(bad, test_crash);
	tcase_add_test(bad, test_hang_timeout);
	tcase_add_test(bad, test_exit_without_report);
	tcase_add_test(bad, test_orphan_killed);
	tcase_add_test(bad, test_escaped_killed);
	tcase_add_test(bad, test_noisy_plugin);
	tcase_add_test(bad, test_wrong_tickets);
	tcase_add_test(bad, test_bad_plugin_fails);
	suite_add_tcase(s, bad);
	tcase_set_timeout(e2e, 60);
	tcase_add_test(e2e, test_end_to_end_fetch);
	tcase_add_test(e2e, test_cli_run_exit_status);
	tcase_add_test(e2e, test_cli_fd_limit);
	suite_add_tcase(s, e2e);
	return s;
}
