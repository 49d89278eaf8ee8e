/*
 * check_robust.c - benchrun survives plugins and bodies that break the
 * rules, and says what broke: deep bodies on small stacks, parameter
 * tables with overlapping members, constructors that crash, exit or hang,
 * host calls with a wrong index or after run returned, body sizes that
 * wrap, stack overflows, memory exhaustion, children left behind, and a
 * benchrun started with stdin closed.  Fixtures: tests/plugins/robust.c.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/loader.h"
#include "run/runner.h"
#include "workload/body_scan.h"
#include "workload/tickets.h"
#include "suites.h"
#include "util.h"

static struct brc_workload workload(int64_t days)
{
	return (struct brc_workload){
		.seed = 42, .days = days, .start_date = (char *)"2026-01-01",
		.route = (char *)"MOW-LED", .trips_min = 20, .trips_max = 20,
		.max_body = 4 << 20, .validate = true,
	};
}

static char *fixture(const char *name)
{
	/* The constructor fixtures have a directory of their own. */
	char *rel = brc_xasprintf("tests/plugins/%s.libs/%s.so",
	                         strstr(name, "_ctor_") ? "ctor/" : "", name);
	char *path = brc_test_builddir(rel);

	free(rel);
	return path;
}

/* One measured run of fixture `name` over `days` requests. */
static void run_fixture(const char *name, int64_t days,
                        struct brc_run_result *out)
{
	struct brc_workload w = workload(days);
	char *plugin = fixture(name);
	char *exe = brc_test_builddir("benchrun");
	struct brc_runner_job job = {
		.exe = exe, .plugin_path = plugin, .w = &w,
		.url_template = "{base}/tickets/{route}/{date}",
		.base = "http://127.0.0.1:9", .concurrency = 1,
		.timeout = 60, .sample_interval = 0.05,
	};

	brc_runner_run(&job, out);
	free(plugin);
	free(exe);
}

/* ---- bodies nested too deep ---------------------------------------- */

struct deep_job {
	const char *body;
	size_t len;
	int rc;
	char why[256];
};

static void *process_deep(void *arg)
{
	struct deep_job *j = arg;
	struct brc_workload w = workload(1);
	struct brc_summary s;

	j->rc = brc_ticket_process(&w, j->body, j->len, &s, j->why,
	                          sizeof(j->why));
	return NULL;
}

/* On a 16 KiB thread stack (`stack_size: 16KiB`), a body of 1000 nested
 * arrays is refused before a parser recurses into it.  Open runs of '['
 * are not JSON whatever the depth; closed ones ([[...]]) are, and only
 * the parser's depth limit refuses them as nested too deep. */
START_TEST(test_deep_body_small_stack)
{
	static const size_t depths[] = { 200, 350, 1000, 100000 };
	pthread_attr_t a;
	pthread_t t;

	for (size_t k = 0; k < 2 * BR_ARRAY_SIZE(depths); k++) {
		size_t d = depths[k / 2], len = k % 2 ? 2 * d : d;
		char *body = brc_xmalloc(len);
		struct deep_job j = { .body = body, .len = len };

		memset(body, '[', d);
		if (k % 2)
			memset(body + d, ']', d);
		pthread_attr_init(&a);
		ck_assert_int_eq(pthread_attr_setstacksize(&a, 16384), 0);
		ck_assert_int_eq(pthread_create(&t, &a, process_deep, &j), 0);
		pthread_join(t, NULL);
		pthread_attr_destroy(&a);
		ck_assert_int_eq(j.rc, -1);
		ck_assert_msg(strstr(j.why, "nested deeper"), "depth %zu%s: %s",
		              d, k % 2 ? " closed" : "", j.why);
		free(body);
	}
}
END_TEST

/* Day 0's ticket with "x": <value> added first in its top object, where
 * the value's outermost bracket is level 2; processed as received
 * (exact length) and padded.  Returns the unpadded call's value; the
 * padded one must agree. */
static int process_with_x(const char *value, struct brc_summary *got,
                          char *why, size_t why_len)
{
	struct brc_workload w = workload(1);
	struct brc_buf ticket = { 0 }, b = { 0 };
	struct brc_summary got2;
	char why2[256];
	size_t len;
	int rc, rc2;

	brc_ticket_render(&w, 0, &ticket);
	ck_assert(ticket.len > 2 && ticket.data[0] == '{');
	brc_buf_printf(&b, "{\"x\":%s,", value);
	brc_buf_append(&b, ticket.data + 1, ticket.len - 1);
	len = b.len;
	rc = brc_ticket_process(&w, b.data, len, got, why, why_len);
	for (int k = 0; k < BRC_TICKET_PADDING; k++)
		brc_buf_append(&b, " ", 1);
	rc2 = brc_ticket_process_padded(&w, b.data, len, &got2, why2,
	                                sizeof(why2));
	ck_assert_int_eq(rc, rc2);
	if (rc)
		ck_assert_str_eq(why, why2);
	free(b.data);
	free(ticket.data);
	return rc;
}

/* `levels` nested arrays (or objects, {"a": ...}) around 1, or around
 * nothing when empty. */
static char *nest(int levels, bool objects, bool empty)
{
	struct brc_buf b = { 0 };

	brc_buf_append(&b, "", 0);
	for (int k = 0; k < levels - 1; k++)
		brc_buf_append(&b, objects ? "{\"a\":" : "[", objects ? 5 : 1);
	if (empty)
		brc_buf_append(&b, objects ? "{}" : "[]", 2);
	else
		brc_buf_append(&b, objects ? "{\"a\":1}" : "[1]",
		               objects ? 7 : 3);
	for (int k = 0; k < levels - 1; k++)
		brc_buf_append(&b, objects ? "}" : "]", 1);
	return b.data;
}

/* The limit as ticket_json.h documents it: containers holding a value
 * nest 8 levels deep at most (the ticket's top object is level 1), an
 * empty one may sit at level 9; deeper is refused with where. */
START_TEST(test_nesting_boundary)
{
	struct brc_workload w = workload(1);
	struct brc_summary got, want;
	char why[256], expect[128];

	brc_ticket_expect(&w, 0, &want);
	for (int objects = 0; objects < 2; objects++) {
		/* Level 2 to 8 holding a value, then level 2 to 9 with the
		 * ninth empty: a ticket, summarised as usual. */
		char *ok = nest(7, objects, false);
		char *ok_empty = nest(8, objects, true);
		char *deep = nest(8, objects, false);
		char *deep_empty = nest(9, objects, true);
		/* The ninth level's bracket: after '{"x":' (5 bytes) and seven
		 * openers of 1 or 5 bytes. */
		size_t at = 5 + 7 * (objects ? 5 : 1);

		ck_assert_msg(process_with_x(ok, &got, why, sizeof(why)) == 0,
		              "%s", why);
		ck_assert_int_eq(brc_summary_check(&got, &want, why,
		                                   sizeof(why)), 0);
		ck_assert_msg(process_with_x(ok_empty, &got, why,
		                             sizeof(why)) == 0, "%s", why);
		ck_assert_int_eq(brc_summary_check(&got, &want, why,
		                                   sizeof(why)), 0);

		snprintf(expect, sizeof(expect), "not a ticket (nested deeper "
		         "than 8 levels at byte %zu)", at);
		ck_assert_int_eq(process_with_x(deep, &got, why, sizeof(why)),
		                 -1);
		ck_assert_str_eq(why, expect);
		ck_assert_int_eq(process_with_x(deep_empty, &got, why,
		                                sizeof(why)), -1);
		ck_assert_str_eq(why, expect);
		free(ok);
		free(ok_empty);
		free(deep);
		free(deep_empty);
	}
}
END_TEST

/* The pre-scan counts brackets outside strings only. */
START_TEST(test_nesting_scan)
{
	const char *ok = "{\"a\":[{\"b\":{\"c\":\"[[[[[[[[[[\\\"{{{{{{{{\"}}]}";
	const char *deep = "[[[[[[[[[1]]]]]]]]]";
	size_t at = 0;

	ck_assert(brc_body_nesting_within(ok, strlen(ok), 4, NULL));
	ck_assert(!brc_body_nesting_within(ok, strlen(ok), 3, &at));
	ck_assert_uint_eq(at, 11);
	ck_assert(brc_body_nesting_within(deep, strlen(deep), 9, NULL));
	ck_assert(!brc_body_nesting_within(deep, strlen(deep), 8, &at));
	ck_assert_uint_eq(at, 8);
	/* Closing brackets never take the depth below zero. */
	ck_assert(!brc_body_nesting_within("]]]]][[", 7, 1, NULL));
}
END_TEST

/* ---- the loader ------------------------------------------------------ */

START_TEST(test_overlapping_params)
{
	char *path = fixture("robust_overlap");
	struct brc_loaded pl;
	char *err = NULL;

	ck_assert_int_eq(brc_plugin_open(path, NULL, NULL, &pl, &err), -1);
	ck_assert_msg(strstr(err, "'a' (offset 0, 8 bytes) and 's' (offset 0, "
	                          "8 bytes) overlap"), "%s", err);
	free(err);
	free(path);
}
END_TEST

static void assert_describe_fails(const char *name, const char *words)
{
	char *path = fixture(name);
	struct brc_loaded pl;
	char *err = NULL;
	uint64_t t0 = brc_now_ns();

	ck_assert_int_eq(brc_plugin_describe(path, NULL, NULL, 2.0, &pl, &err),
	                 -1);
	ck_assert_msg(err && strstr(err, words), "%s", err ? err : "(null)");
	/* The hang is cut at the timeout, not at the test's. */
	ck_assert_double_lt((double)(brc_now_ns() - t0) / 1e9,
	                    brc_test_scale(30.0));
	free(err);
	free(path);
}

START_TEST(test_constructor_crash)
{
	assert_describe_fails("robust_ctor_crash", "crashed while loading (SIGSEGV");
}
END_TEST

/* Described in a child of the test first: a constructor's _exit(0) in
 * the test's own process would end the test as a pass (Check counts a
 * test process that exits 0 as passed). */
START_TEST(test_constructor_exit)
{
	pid_t pid = fork();
	int st = 0;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *path = fixture("robust_ctor_exit");
		struct brc_loaded pl;
		char *err = NULL;
		int rc = brc_plugin_describe(path, NULL, NULL, 2.0, &pl, &err);

		_exit(rc == -1 && err && strstr(err, "exit status 0, no "
		                                "description") ? 42 : 43);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 42,
	              "describing ended the describing process (status %#x)",
	              st);
	assert_describe_fails("robust_ctor_exit", "exit status 0, no description");
}
END_TEST

START_TEST(test_constructor_hang)
{
	assert_describe_fails("robust_ctor_hang", "did not finish loading within 2 s");
}
END_TEST

/* A described plugin has the table of the real one, and no hooks. */
START_TEST(test_describe_matches_open)
{
	struct brc_loaded a, b;
	char *err = NULL;

	ck_assert_int_eq(brc_plugin_open("threads", NULL, NULL, &a, &err), 0);
	ck_assert_int_eq(brc_plugin_describe("threads", NULL, NULL, 30, &b,
	                                    &err), 0);
	ck_assert_str_eq(a.path, b.path);
	ck_assert_str_eq(a.desc->name, b.desc->name);
	ck_assert_uint_eq(a.desc->opts_size, b.desc->opts_size);
	for (size_t i = 0; a.desc->params[i].name; i++) {
		const struct br_param *p = &a.desc->params[i];
		const struct br_param *q = &b.desc->params[i];

		ck_assert_str_eq(p->name, q->name);
		ck_assert_int_eq(p->type, q->type);
		ck_assert_uint_eq(p->offset, q->offset);
		ck_assert_str_eq(p->def ? p->def : "", q->def ? q->def : "");
		ck_assert_double_eq(p->min, q->min);
		ck_assert_double_eq(p->max, q->max);
		ck_assert_uint_eq(p->flags, q->flags);
	}
	ck_assert_ptr_null(b.desc->create);
	brc_plugin_close(&a);
	brc_plugin_close(&b);
}
END_TEST

/* `benchrun plugins` lists a plugin whose constructor crashes as broken
 * and lives on. */
START_TEST(test_plugins_survives_constructors)
{
	char *dir = brc_test_tmpdir();
	const char *names[] = { "robust_ctor_crash", "robust_ctor_exit" };
	const char *argv[] = { "--plugin-path", dir, "plugins", NULL };
	struct brc_buf err = { 0 };
	int code;

	for (size_t i = 0; i < BR_ARRAY_SIZE(names); i++) {
		char *from = fixture(names[i]);
		char *to = brc_xasprintf("%s/%s.so", dir, names[i]);

		ck_assert_int_eq(symlink(from, to), 0);
		free(from);
		free(to);
	}
	code = brc_test_benchrun(argv, 60, &err);
	ck_assert_msg(code == 0 || code == 1, "exit %d: %s", code,
	              err.data ? err.data : "");
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

/* ---- the host's services --------------------------------------------- */

START_TEST(test_done_out_of_range)
{
	struct brc_run_result r;

	run_fixture("robust_bad_index", 0, &r);
	ck_assert_int_eq(r.status, BR_RUN_FAILED);
	ck_assert_msg(strstr(r.reason, "index 5, out of range (count is 0"),
	              "%s", r.reason);
	brc_run_result_clear(&r);
}
END_TEST

/* One day, never finished inside run: destroy's done(0) names a real
 * request, so only the closed run (not the index check) refuses it. */
START_TEST(test_done_after_run)
{
	struct brc_run_result r;

	run_fixture("robust_late", 1, &r);
	ck_assert_int_eq(r.status, BR_RUN_FAILED);
	ck_assert_msg(strstr(r.reason, "after its run hook returned"), "%s",
	              r.reason);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_body_size_max)
{
	struct brc_run_result r;

	run_fixture("robust_huge_body", 2, &r);
	ck_assert_msg(r.status == BR_RUN_ERRORS, "status %d: %s", r.status,
	              r.reason ? r.reason : "");
	ck_assert_uint_eq(r.fail.too_large, 2);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_stack_overflow_named)
{
	struct brc_run_result r;

	run_fixture("robust_recurse", 1, &r);
	ck_assert_msg(r.status == BR_RUN_CRASHED || r.status == BR_RUN_EXITED,
	              "status %d", r.status);
	ck_assert_msg(strstr(r.reason, "overflowed a stack") &&
	              strstr(r.reason, "stack_size"), "%s", r.reason);
	brc_run_result_clear(&r);
}
END_TEST

/*
 * A thread the plugin created overflows its 64 KiB stack in its own code:
 * the worker gives every thread an alternate signal stack (worker_guard.c),
 * so the run's reason names that thread's stack, its size and stack_size,
 * not only a guess from SIGSEGV.
 */
START_TEST(test_thread_stack_overflow_named)
{
	struct brc_run_result r;

	run_fixture("robust_thread_recurse", 1, &r);
	ck_assert_msg(r.status == BR_RUN_CRASHED || r.status == BR_RUN_EXITED,
	              "status %d", r.status);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* The sanitizer's own report says stack-overflow. */
	ck_assert_msg(strstr(r.reason, "overflowed a stack") &&
	              strstr(r.reason, "stack_size"), "%s", r.reason);
#else
	ck_assert_msg(strstr(r.reason, "overflowed the 64 KiB stack of one "
	                     "of its threads") &&
	              strstr(r.reason, "stack_size"), "%s", r.reason);
#endif
	brc_run_result_clear(&r);
}
END_TEST

/* ... and the scenario goes on: the next strategy runs and is ok. */
START_TEST(test_thread_stack_overflow_others_run)
{
	char *plugin = fixture("robust_thread_recurse");
	char *yaml = brc_xasprintf(
		"workload: {days: 4}\n"
		"server: {latency: {model: none}}\n"
		"runs: {repetitions: 1, warmup: 0}\n"
		"strategies:\n  - {plugin: '%s', label: broken}\n"
		"  - {plugin: sync, label: fine}\n", plugin);
	cJSON *doc, *g;
	int code, seen = 0;

	doc = brc_test_run_yaml(yaml, 120, &code, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_ne(code, 0);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(doc, "groups")) {
		const char *label = cJSON_GetStringValue(
			cJSON_GetObjectItem(g, "label"));
		cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(g, "runs"),
		                                0);
		const char *status = cJSON_GetStringValue(
			cJSON_GetObjectItem(run, "status"));
		const char *reason = cJSON_GetStringValue(
			cJSON_GetObjectItem(run, "reason"));

		ck_assert_ptr_nonnull(label);
		ck_assert_ptr_nonnull(status);
		if (!strcmp(label, "fine")) {
			ck_assert_str_eq(status, "ok");
			seen |= 1;
		} else {
			/* The overflow named ("overflowed ... stack_size"),
			 * not only the SIGSEGV hint that mentions stack_size
			 * when nothing caught the fault. */
			ck_assert_str_ne(status, "ok");
			ck_assert_msg(reason && strstr(reason, "overflowed") &&
			              strstr(reason, "stack_size"),
			              "%s", reason ? reason : "(no reason)");
			seen |= 2;
		}
	}
	ck_assert_int_eq(seen, 3);
	cJSON_Delete(doc);
	free(yaml);
	free(plugin);
}
END_TEST

START_TEST(test_out_of_memory_named)
{
	struct brc_run_result r;

	run_fixture("robust_oom", 1, &r);
	ck_assert_int_ne(r.status, BR_RUN_OK);
	ck_assert_msg(strstr(r.reason, "out of memory") &&
	              !strstr(r.reason, "corrupt"), "%s", r.reason);
	brc_run_result_clear(&r);
}
END_TEST

START_TEST(test_children_left_warned)
{
	struct brc_run_result r;

	run_fixture("calib_orphan", 0, &r);
	ck_assert_int_eq(r.status, BR_RUN_OK);
	ck_assert_msg(r.log && strstr(r.log, "left 1 child process running"),
	              "%s", r.log ? r.log : "(no log)");
	brc_run_result_clear(&r);
}
END_TEST

/* ---- plugins ------------------------------------------------------------ */

/*
 * libuv: the one slot's retry cannot start (curl_multi_add_handle fails in
 * the worker, tests/preload/fail_add.c).  The request is reported and the
 * loop ends, although the idle keep-alive connection of the first attempt
 * would keep libuv's loop waiting until the run's timeout.
 */
START_TEST(test_libuv_last_slot_fails_to_start)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* A sanitizer runtime must come first: no LD_PRELOAD there. */
	return;
#else
	char *shim = brc_test_builddir("tests/preload/.libs/fail_add.so");
	cJSON *doc, *run;
	int code;

	setenv("LD_PRELOAD", shim, 1);
	setenv("BR_FAIL_ADD_AFTER", "1", 1);
	doc = brc_test_run_yaml(
		"workload: {days: 1}\n"
		"server: {latency: {model: none}, faults: {error_rate: 1.0}}\n"
		"strategies:\n  - plugin: libuv\n"
		"    params: {concurrency: 1, retries: 1, retry_backoff: 1ms}\n"
		"runs: {repetitions: 1, warmup: 0, timeout: 20s}\n", 60, &code,
		NULL);
	unsetenv("LD_PRELOAD");
	unsetenv("BR_FAIL_ADD_AFTER");
	ck_assert_ptr_nonnull(doc);
	run = brc_test_first_run(doc);
	ck_assert_msg(!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(run,
	              "status")), "errors"), "%s: %s",
	              cJSON_GetStringValue(cJSON_GetObjectItem(run, "status")),
	              cJSON_GetStringValue(cJSON_GetObjectItem(run, "reason")));
	ck_assert_double_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(run, "failures"), "transport")), 1);
	cJSON_Delete(doc);
	free(shim);
#endif
}
END_TEST

/* ---- the command line -------------------------------------------------- */

/* Whether pid is benchrun's embedded server (its comm). */
static bool is_server(pid_t pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return !strcmp(comm, "benchrun-server\n");
}

/* The embedded server of benchrun `parent`: its forked child by name. */
static pid_t server_of(pid_t parent)
{
	char path[64];
	pid_t found = 0;

	/* By its name (server_spawn.c sets it): a worker just forked is in
	 * benchrun's process group too until its setpgid, so the group does
	 * not tell them apart on a loaded machine. */
	for (int tries = 0; tries < 200 && !found; tries++) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		         (int)parent, (int)parent);
		f = fopen(path, "r");
		if (f) {
			for (int pid; !found && fscanf(f, "%d", &pid) == 1;)
				if (is_server(pid))
					found = pid;
			fclose(f);
		}
		if (!found)
			usleep(50000);
	}
	return found;
}

/* Whether pid's pending SIGINT was delivered (up to 10 s, scaled): the
 * pending sets in /proc/PID/status no longer hold it. */
static bool sigint_taken(pid_t pid)
{
	uint64_t deadline = brc_now_ns() +
	                    (uint64_t)(brc_test_scale(10) * 1e9);
	unsigned long long bit = 1ull << (SIGINT - 1);
	char path[64], line[256];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	while (brc_now_ns() < deadline) {
		FILE *f = fopen(path, "r");
		bool pending = false;

		if (!f)
			return true; /* gone: whatever it did, it took it */
		while (fgets(line, sizeof(line), f)) {
			unsigned long long set;

			if ((sscanf(line, "SigPnd: %llx", &set) == 1 ||
			     sscanf(line, "ShdPnd: %llx", &set) == 1) &&
			    (set & bit))
				pending = true;
		}
		fclose(f);
		if (!pending)
			return true;
		usleep(5000);
	}
	return false;
}

/*
 * A second Ctrl-C ends benchrun at once, even when the first one's orderly
 * stop cannot finish: the embedded server is frozen (SIGSTOP) first, so
 * the orderly path waits on it for seconds (the server query, then its
 * stop).  Only the second signal's branch (cmd_run.c on_signal) gets out
 * before the warning "the results are incomplete" of the orderly path.
 */
START_TEST(test_second_interrupt_exits_at_once)
{
	char *dir = brc_test_tmpdir();
	char *yaml = brc_test_write(dir, "s.yaml",
		"workload: {days: 400}\n"
		"server: {latency: {model: fixed, value: 50ms}}\n"
		"strategies: [sync]\n");
	char *out = brc_xasprintf("%s/out.json", dir);
	char *exe = brc_test_builddir("benchrun");
	char *mark = brc_xasprintf("BR_TEST_MARK=%s", dir);
	struct brc_buf err = { 0 };
	char buf[4096];
	int p[2], st;
	ssize_t n;
	pid_t pid, srv;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		alarm((unsigned)brc_test_scale(60));
		setpgid(0, 0);
		putenv(mark);
		dup2(p[1], 2);
		freopen("/dev/null", "w", stdout);
		close(p[0]);
		execl(exe, "benchrun", "-o", out, yaml, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	srv = server_of(pid);
	ck_assert_int_gt(srv, 0);
	usleep(1000000); /* into the run */
	kill(srv, SIGSTOP);
	kill(pid, SIGINT);
	/* Two SIGINTs pending at once are one: the second is sent only once
	 * the first reached its handler, which a loaded machine can delay
	 * past the 100 ms. */
	ck_assert_msg(sigint_taken(pid), "SIGINT still pending");
	usleep(100000);
	kill(pid, SIGINT);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		brc_buf_append(&err, buf, (size_t)n);
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	/* The frozen server got its parent-death SIGTERM: let it act. */
	kill(srv, SIGCONT);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 130, "status 0x%x", st);
	ck_assert_msg(!err.data || !strstr(err.data, "results are incomplete"),
	              "the orderly stop ran to its end:\n%s", err.data);
	ck_assert_int_eq(brc_test_count_marked(dir), 0);
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(dir);
	free(yaml);
	free(out);
	free(exe);
	free(mark);
}
END_TEST

/* `benchrun c.yaml <&-` (and >&- 2>&-) runs as with them open. */
/*
 * Started with fds 0-2 closed, benchrun puts /dev/null on them before it
 * opens anything: else the first files it opens take their numbers, and
 * the table printed to "stdout" went into the run's journal (fd 1).  Seen
 * from outside while the run is on: its journal exists by then.
 */
START_TEST(test_std_fds_are_dev_null)
{
	char *dir = brc_test_tmpdir();
	char *yaml = brc_test_write(dir, "c.yaml",
		"name: c\nworkload: {days: 3}\n"
		"server: {latency: {model: fixed, value: 1s}}\n"
		"strategies:\n  - {plugin: sync}\n"
		"runs: {repetitions: 1, warmup: 0}\n");
	char *out = brc_xasprintf("%s/out.json", dir);
	char *journal = brc_xasprintf("%s.partial", out);
	char *exe = brc_test_builddir("benchrun");
	double waited = 0;
	int st;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		alarm((unsigned)brc_test_scale(120));
		close(0);
		close(1);
		close(2);
		execl(exe, "benchrun", "-o", out, yaml, (char *)NULL);
		_exit(127);
	}
	while (access(journal, F_OK) && waited < brc_test_scale(60)) {
		usleep(10000);
		waited += 0.01;
	}
	ck_assert_msg(access(journal, F_OK) == 0, "no journal %s", journal);
	for (int fd = 0; fd <= 2; fd++) {
		char link[64], target[4096] = "";
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n > 0)
			target[n] = '\0';
		ck_assert_msg(!strcmp(target, "/dev/null"), "fd %d is '%s'", fd,
		              target);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status 0x%x", st);
	brc_test_rmtree(dir);
	free(dir);
	free(yaml);
	free(out);
	free(journal);
	free(exe);
}
END_TEST

START_TEST(test_std_fds_closed)
{
	char *dir = brc_test_tmpdir();
	char *yaml = brc_test_write(dir, "c.yaml",
		"name: c\nworkload: {days: 3}\n"
		"server: {latency: {model: none}}\n"
		"strategies:\n  - {plugin: sync}\n"
		"runs: {repetitions: 1, warmup: 0}\n");
	char *out = brc_xasprintf("%s/out.json", dir);
	char *exe = brc_test_builddir("benchrun");
	cJSON *doc;
	int st;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		alarm((unsigned)brc_test_scale(120));
		close(0);
		close(1);
		close(2);
		execl(exe, "benchrun", "-q", "-o", out, yaml, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status 0x%x", st);
	doc = brc_test_load_json(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(
		                 brc_test_first_run(doc), "status")), "ok");
	cJSON_Delete(doc);
	brc_test_rmtree(dir);
	free(dir);
	free(yaml);
	free(out);
	free(exe);
}
END_TEST

Suite *brc_suite_robust(void)
{
	Suite *s = suite_create("robust");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_deep_body_small_stack);
	tcase_add_test(tc, test_nesting_scan);
	tcase_add_test(tc, test_nesting_boundary);
	tcase_add_test(tc, test_overlapping_params);
	tcase_add_test(tc, test_constructor_crash);
	tcase_add_test(tc, test_constructor_exit);
	tcase_add_test(tc, test_constructor_hang);
	tcase_add_test(tc, test_describe_matches_open);
	tcase_add_test(tc, test_plugins_survives_constructors);
	tcase_add_test(tc, test_done_out_of_range);
	tcase_add_test(tc, test_done_after_run);
	tcase_add_test(tc, test_body_size_max);
	tcase_add_test(tc, test_stack_overflow_named);
	tcase_add_test(tc, test_thread_stack_overflow_named);
	tcase_add_test(tc, test_thread_stack_overflow_others_run);
	tcase_add_test(tc, test_out_of_memory_named);
	tcase_add_test(tc, test_children_left_warned);
	tcase_add_test(tc, test_std_fds_closed);
	tcase_add_test(tc, test_std_fds_are_dev_null);
	tcase_add_test(tc, test_libuv_last_slot_fails_to_start);
	tcase_add_test(tc, test_second_interrupt_exits_at_once);
	suite_add_tcase(s, tc);
	return s;
}
