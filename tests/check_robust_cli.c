/*
 * check_robust_cli.c - benchrun as a program in awkward circumstances:
 * started with fds 0-2 closed, libuv's last slot failing to start under
 * an LD_PRELOAD shim (tests/preload/fail_add.c), and a second Ctrl-C
 * while the first one's orderly stop waits on a frozen server.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suites.h"
#include "util.h"

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

/* benchrun with fds 0-2 closed, on the scenario yaml, writing out (-q:
 * quiet): the child's pid. */
static pid_t spawn_std_closed(const char *exe, bool quiet, const char *out,
                              const char *yaml)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		alarm((unsigned)brc_test_scale(120));
		close(0);
		close(1);
		close(2);
		if (quiet)
			execl(exe, "benchrun", "-q", "-o", out, yaml, (char *)NULL);
		else
			execl(exe, "benchrun", "-o", out, yaml, (char *)NULL);
		_exit(127);
	}
	return pid;
}

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
	pid_t pid = spawn_std_closed(exe, false, out, yaml);
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

/* `benchrun c.yaml <&-` (and >&- 2>&-) runs as with them open. */
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
	pid_t pid = spawn_std_closed(exe, true, out, yaml);
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

Suite *brc_suite_robust_cli(void)
{
	Suite *s = suite_create("robust_cli");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_std_fds_closed);
	tcase_add_test(tc, test_std_fds_are_dev_null);
	tcase_add_test(tc, test_libuv_last_slot_fails_to_start);
	tcase_add_test(tc, test_second_interrupt_exits_at_once);
	suite_add_tcase(s, tc);
	return s;
}
