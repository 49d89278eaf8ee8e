/*
 * testutil.c - what the integration suites share: temporary directories,
 * running the benchrun binary with a deadline (and interrupting it),
 * loading its results file, a scenario text run end to end, finding
 * processes it left behind, and scenario texts loaded in-process.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/runctx.h"
#include "scenario/scenario.h"
#include "workload/tickets.h"
#include "suites.h"
#include "util.h"

char *brc_test_tmpdir(void)
{
	char *dir = brc_xstrdup("/tmp/br-test-XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

char *brc_test_dir;

void brc_test_dir_setup(void)
{
	brc_test_dir = brc_test_tmpdir();
}

void brc_test_dir_teardown(void)
{
	brc_test_rmtree(brc_test_dir);
	free(brc_test_dir);
	brc_test_dir = NULL;
}

char *brc_test_write(const char *dir, const char *name, const char *text)
{
	char *path = brc_xasprintf("%s/%s", dir, name);

	ck_assert_int_eq(brc_write_file_atomic(path, text, strlen(text)), 0);
	return path;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void brc_test_rmtree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* CK_TIMEOUT_MULTIPLIER (Check's own knob, which CI sets on a loaded
 * machine: tests/run-all.sh) scales the deadlines that only catch a hang,
 * as Check scales its case timeouts: a deadline that waits longer never
 * passes a test that should fail, it only stops a slow machine failing
 * one that should pass. */
double brc_test_scale(double seconds)
{
	const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
	double f = m && *m ? strtod(m, NULL) : 1.0;

	return f > 1.0 ? seconds * f : seconds;
}

/* fork/exec benchrun with argv (NULL-terminated, without argv[0]) and an
 * optional extra environment entry; stderr into *err when given. */
static pid_t spawn(const char *const *argv, const char *env, int *err_fd)
{
	char *exe = brc_test_builddir("benchrun");
	size_t n = 0;
	int p[2] = { -1, -1 };
	pid_t pid;

	while (argv[n])
		n++;
	const char **full = brc_xcalloc(n + 2, sizeof(*full));
	full[0] = exe;
	memcpy(full + 1, argv, n * sizeof(*full));
	if (err_fd)
		ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setpgid(0, 0);
		if (env)
			putenv((char *)env);
		if (err_fd)
			dup2(p[1], 2);
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 1);
		execv(exe, (char *const *)full);
		_exit(127);
	}
	if (err_fd) {
		close(p[1]);
		*err_fd = p[0];
	}
	free(full);
	free(exe);
	return pid;
}

/* Wait for pid up to `timeout` seconds, draining fd into err; kill the
 * group on timeout (the test fails). Returns the exit code, or 128+signal. */
static int wait_for(pid_t pid, int fd, struct brc_buf *err, double timeout)
{
	uint64_t deadline;
	int status;

	timeout = brc_test_scale(timeout);
	deadline = brc_now_ns() + (uint64_t)(timeout * 1e9);

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (brc_now_ns() > deadline) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			ck_abort_msg("benchrun did not finish within %.0f s", timeout);
		}
		if (fd >= 0) {
			struct pollfd p = { fd, POLLIN, 0 };
			char buf[4096];

			if (poll(&p, 1, 50) > 0) {
				ssize_t got = read(fd, buf, sizeof(buf));

				if (got > 0 && err)
					brc_buf_append(err, buf, (size_t)got);
				else if (got <= 0) {
					close(fd);
					fd = -1;
				}
			}
		} else {
			poll(NULL, 0, 20);
		}
	}
	if (fd >= 0)
		close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int brc_test_benchrun(const char *const *argv, double timeout,
                     struct brc_buf *err)
{
	int fd = -1;
	pid_t pid = spawn(argv, NULL, &fd);

	return wait_for(pid, fd, err, timeout);
}

int brc_test_benchrun_interrupt(const char *const *argv, const char *env,
                               int sig, double after, int times,
                               double timeout)
{
	pid_t pid = spawn(argv, env, NULL);

	poll(NULL, 0, (int)(after * 1000));
	for (int k = 0; k < times; k++) {
		if (k)
			poll(NULL, 0, 100);
		kill(pid, sig);
	}
	return wait_for(pid, -1, NULL, timeout);
}

/* Whether path exists with at least `lines` lines. */
static bool has_lines(const char *path, int lines)
{
	char *text;
	int n = 0;

	if (access(path, F_OK))
		return false;
	if (lines <= 0)
		return true;
	text = brc_read_file(path, 1u << 26, NULL);
	for (const char *p = text; p && *p && n < lines; p++)
		n += *p == '\n';
	free(text);
	return n >= lines;
}

int brc_test_benchrun_signal_when(const char *const *argv, const char *env,
                                 int sig, const char *ready, int lines,
                                 double timeout)
{
	pid_t pid = spawn(argv, env, NULL);
	uint64_t deadline = brc_now_ns() +
	                    (uint64_t)(brc_test_scale(timeout) * 1e9);

	/* Poll for the file (or benchrun's end, or the deadline: then the
	 * signal comes late and the test's own checks say what happened). */
	for (;;) {
		siginfo_t si = { 0 };

		if (has_lines(ready, lines) || brc_now_ns() >= deadline ||
		    waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) ||
		    si.si_pid == pid)
			break;
		poll(NULL, 0, 10);
	}
	kill(pid, sig);
	return wait_for(pid, -1, NULL, timeout);
}

static int count_marked_once(const char *mark)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int count = 0;

	while (d && (e = readdir(d))) {
		char path[300], buf[65536];
		ssize_t n;
		int fd;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/environ", e->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1) {
			buf[n] = '\0';
			if (!strncmp(buf + i, "BR_TEST_MARK=", 13) &&
			    !strcmp(buf + i + 13, mark))
				count++;
		}
	}
	if (d)
		closedir(d);
	return count;
}

/* Killed processes take a moment to go (a parent-death signal is acted on
 * when the process next runs, which a loaded machine delays): wait up to
 * 5 s (scaled) for none to be left.  What a test must catch, a process
 * that outlives benchrun, stays for longer than that. */
int brc_test_count_marked(const char *mark)
{
	uint64_t deadline = brc_now_ns() +
	                    (uint64_t)(brc_test_scale(5.0) * 1e9);
	int count;

	while ((count = count_marked_once(mark)) > 0 &&
	       brc_now_ns() < deadline)
		poll(NULL, 0, 50);
	return count;
}

cJSON *brc_test_load_json(const char *path)
{
	size_t len;
	char *text = brc_read_file(path, 256u << 20, &len);
	cJSON *doc;

	if (!text)
		return NULL;
	doc = cJSON_ParseWithLength(text, len);
	free(text);
	return doc;
}

cJSON *brc_test_run_yaml(const char *yaml, double timeout, int *code,
                         struct brc_buf *err)
{
	char *dir = brc_test_tmpdir();
	char *path = brc_test_write(dir, "s.yaml", yaml);
	char *out = brc_xasprintf("%s/out.json", dir);
	const char *argv[] = { "-q", "-o", out, path, NULL };
	cJSON *doc;

	*code = brc_test_benchrun(argv, timeout, err);
	doc = brc_test_load_json(out);
	brc_test_rmtree(dir);
	free(out);
	free(path);
	free(dir);
	return doc;
}

cJSON *brc_test_first_run(cJSON *doc)
{
	cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups");
	cJSON *runs = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(groups, 0), "runs");
	cJSON *run = cJSON_GetArrayItem(runs, 0);

	ck_assert_msg(run != NULL, "results have no run");
	return run;
}

int brc_test_scenario_text(const char *text, const struct brc_override *ov,
                           size_t n, struct brc_scenario *sc, char **err)
{
	*err = NULL;
	return brc_scenario_load_string("t.yaml", text, strlen(text), ov, n, sc,
	                                err);
}

char *brc_test_scenario_fail(const char *text, const struct brc_override *ov,
                             size_t n)
{
	struct brc_scenario sc;
	char *err = NULL;

	ck_assert_int_eq(brc_test_scenario_text(text, ov, n, &sc, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_null(sc.name);
	ck_assert_ptr_null(sc.strategies);
	return err;
}

char *brc_test_good(const char *name)
{
	char *rel = brc_xasprintf("tests/data/good/%s", name);
	char *p = brc_test_srcdir(rel);

	free(rel);
	return p;
}

struct brc_workload brc_test_workload(int64_t days)
{
	return (struct brc_workload){
		.seed = 42, .days = days, .start_date = (char *)"2026-01-01",
		.route = (char *)"MOW-LED", .trips_min = 20, .trips_max = 20,
		.max_body = 4 << 20, .validate = true,
	};
}

struct br_run *brc_test_run_ctx(const struct brc_workload *w, size_t n)
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
