/*
 * check_forkpool.c - forkpool's promise when a worker process dies: every
 * request is still reported exactly once (the one in flight and the ones
 * nobody claimed as "worker process died: SIGKILL"), and run returns
 * instead of waiting forever.  The plugin is driven directly with a fake
 * host; the URL points at a listening socket that never answers, so the
 * workers are certainly mid-request when the test kills them from the
 * host's start() callback.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "run/loader.h"
#include "suites.h"
#include "util.h"

#define N 6

/* The fake core: what the plugin reported, and whom to kill when. */
struct br_run {
	char url[64];
	int starts[N], dones[N];
	char errors[N][128];
	int kill_at_start;  /* the n-th start() kills... */
	bool kill_all;      /* ...every worker, or just one */
	int nstarts;
};

static size_t fake_count(const struct br_run *r) { return N; }

static const char *fake_url(const struct br_run *r, size_t i)
{
	return r->url;
}

/* Kill the calling process's children (the workers).  SIGKILL, not
 * SIGSEGV: a sanitizer build catches SEGV and exits with a status. */
static void kill_workers(bool all)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[300], buf[512], *p;
		FILE *f;
		int ppid = 0;

		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* "pid (comm) state ppid": comm may hold spaces, so skip to
		 * the last ')'. */
		if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
			sscanf(p + 1, " %*c %d", &ppid);
		fclose(f);
		if (ppid == getpid()) {
			kill(atoi(e->d_name), SIGKILL);
			if (!all)
				break;
		}
	}
	if (d)
		closedir(d);
}

static void fake_start(struct br_run *r, size_t i)
{
	r->starts[i]++;
	if (++r->nstarts == r->kill_at_start)
		kill_workers(r->kill_all);
}

static int fake_body(struct br_run *r, size_t i, const void *d, size_t n)
{
	return 0;
}

static int fake_done(struct br_run *r, size_t i, int status, const char *err)
{
	r->dones[i]++;
	snprintf(r->errors[i], sizeof(r->errors[i]), "%s", err ? err : "");
	return -1;
}

static void fake_log(struct br_run *r, enum br_log_level level,
                     const char *fmt, ...)
{
}

static const struct br_host fake_host = {
	.size = sizeof(struct br_host), .abi_minor = BR_ABI_MINOR,
	.count = fake_count, .url = fake_url, .start = fake_start,
	.body = fake_body, .done = fake_done, .log = fake_log,
};

/* A socket that accepts connections (the kernel does, from the backlog)
 * and never answers; returns the fd, its URL in r->url. */
static int black_hole(struct br_run *r)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 64), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	snprintf(r->url, sizeof(r->url), "http://127.0.0.1:%d/t",
	         ntohs(a.sin_port));
	return fd;
}

/* Run forkpool (2 workers, the given request timeout) on N requests;
 * returns seconds. */
static double run_forkpool(struct br_run *r, const char *timeout_s)
{
	char *path = brc_test_builddir("plugins/.libs/forkpool.so"), *err = NULL;
	char n1[] = "concurrency", v1[] = "2", n2[] = "timeout";
	char *conc[] = { v1 }, *timeout[] = { (char *)timeout_s };
	struct brc_param_value v[] = {
		{ .name = n1, .items = conc, .n_items = 1 },
		{ .name = n2, .items = timeout, .n_items = 1 },
	};
	struct brc_loaded l;
	void *opts, *state;
	uint64_t t0;
	int fd = black_hole(r);

	ck_assert_msg(brc_plugin_open(path, NULL, NULL, &l, &err) == 0, "%s", err);
	ck_assert_msg(brc_params_build(l.desc, v, 2, &opts, &err) == 0, "%s", err);
	ck_assert_int_eq(l.desc->create(&fake_host, opts, &state), 0);
	t0 = brc_now_ns();
	ck_assert_int_eq(l.desc->run(state, r), 0);
	t0 = brc_now_ns() - t0;
	l.desc->destroy(state);
	brc_params_free(l.desc, opts);
	brc_plugin_close(&l);
	close(fd);
	free(path);
	return (double)t0 / 1e9;
}

START_TEST(test_all_workers_die)
{
	struct br_run r = { .kill_at_start = 2, .kill_all = true };
	/* A 20 s request timeout, so that waiting for it cannot be mistaken
	 * for a slow machine: a 1 s one with a 0.9 s bound left a loaded
	 * machine 0.9 s to fork, kill and report. */
	double wall = run_forkpool(&r, "20s");

	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(r.starts[i], 1);
		ck_assert_int_eq(r.dones[i], 1);
		ck_assert_str_eq(r.errors[i], "worker process died: SIGKILL");
	}
	/* Nobody waited for the 20 s timeout of the black hole. */
	ck_assert_double_lt(wall, 10);
}
END_TEST

START_TEST(test_one_worker_dies)
{
	struct br_run r = { .kill_at_start = 2, .kill_all = false };
	int died = 0, timed_out = 0;

	run_forkpool(&r, "1s");
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(r.dones[i], 1);
		died += !strcmp(r.errors[i], "worker process died: SIGKILL");
		timed_out += strstr(r.errors[i], "timed out") != NULL;
	}
	/* The killed worker's request failed; the survivor went on with
	 * the rest, each ending in its own timeout. */
	ck_assert_int_eq(died, 1);
	ck_assert_int_eq(timed_out, N - 1);
}
END_TEST

Suite *brc_suite_forkpool(void)
{
	Suite *s = suite_create("forkpool");
	TCase *tc = tcase_create("worker death");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_all_workers_die);
	tcase_add_test(tc, test_one_worker_dies);
	suite_add_tcase(s, tc);
	return s;
}
