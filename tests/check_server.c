/*
 * check_server.c - the embedded ticket server as a client sees it: bodies
 * equal to the generator's, 404s, counters and reset, and the process's
 * life (ready, stop with waiters, death with its parent, port in use).
 * Its latency model, faults and limits are in check_server_model.c.
 * Everything on 127.0.0.1, ephemeral ports, bounded in time.
 */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server/model.h"
#include "scenario/scenario.h"
#include "server/server.h"
#include "srvclient.h"
#include "suites.h"
#include "workload/tickets.h"
#include "util.h"

START_TEST(test_fetch_body)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct xfer *x = brc_xcalloc(10, sizeof(*x));

	srv_spawn("workload: {days: 10}", &sc, &srv);
	ck_assert_int_eq(strncmp(srv.base_url, "http://127.0.0.1:", 17), 0);
	srv_fetch_days(&sc, &srv, 0, 10, 2, x);
	for (int k = 0; k < 10; k++) {
		ck_assert_int_eq(x[k].rc, CURLE_OK);
		ck_assert_int_eq(x[k].status, 200);
		ck_assert_msg(srv_body_is(&sc, &x[k]), "day %d differs", k);
	}
	srv_free_xfers(x, 10);
	srv_finish(&sc, &srv);
}
END_TEST

START_TEST(test_not_found)
{
	static const char *const bad[] = {
		"/tickets/MOW-LED/2026-01-11",  /* day 10: out of range  */
		"/tickets/MOW-LED/2025-12-31",  /* before the start       */
		"/tickets/MOW-LEX/2026-01-02",  /* another route          */
		"/tickets/MOW-LED/2026-02-30",  /* not a date             */
		"/tickets/MOW-LED/2026-01-02/x",
		"/tickets/MOW-LED/",
		"/",
	};
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct brc_server_stats st;
	char *url;

	srv_spawn("workload: {days: 10}", &sc, &srv);
	for (size_t k = 0; k < BR_ARRAY_SIZE(bad); k++) {
		url = brc_xasprintf("%s%s", srv.base_url, bad[k]);
		ck_assert_msg(srv_get_status(url, NULL) == 404, "%s", bad[k]);
		free(url);
	}
	url = brc_xasprintf("%s/tickets/MOW-LED/2026-01-10", srv.base_url);
	ck_assert_int_eq(srv_get_status(url, NULL), 200);
	ck_assert_int_eq(srv_get_status(url, "DELETE"), 405);
	free(url);
	ck_assert_int_eq(brc_server_query(&srv, &st), 0);
	ck_assert_int_eq(st.requests, 1);
	srv_finish(&sc, &srv);
}
END_TEST

START_TEST(test_stats_reset)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct brc_server_stats st;
	struct xfer *x = brc_xcalloc(20, sizeof(*x));

	srv_spawn("workload: {days: 20}", &sc, &srv);
	srv_fetch_days(&sc, &srv, 0, 20, 4, x);
	ck_assert_int_eq(brc_server_query(&srv, &st), 0);
	ck_assert_int_eq(st.requests, 20);
	ck_assert_int_eq(st.errors + st.resets + st.truncated + st.refused, 0);
	ck_assert(st.rss > 1 << 20);
	ck_assert(st.cpu >= 0);
	ck_assert_int_eq(brc_server_reset(&srv), 0);
	ck_assert_int_eq(brc_server_query(&srv, &st), 0);
	ck_assert_int_eq(st.requests, 0);
	srv_free_xfers(x, 20);
	srv_finish(&sc, &srv);
}
END_TEST

START_TEST(test_stop)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	pid_t pid;

	srv_spawn("workload: {days: 5}", &sc, &srv);
	pid = srv.pid;
	ck_assert_int_eq(kill(pid, 0), 0);
	brc_server_stop(&srv);
	ck_assert_int_eq(kill(pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_ptr_null(srv.base_url);
	brc_scenario_free(&sc);
}
END_TEST

static size_t discard(char *data, size_t size, size_t n, void *cls)
{
	return size * n;
}

/*
 * SIGTERM while requests wait (2 delayed 60 s, 3 queued behind
 * max_in_flight): every suspended connection is resumed, the daemon stops
 * and the process exits 0 at once (within 3 s, scaled on a loaded
 * machine: still far short of the delay a server that waited would take).
 */
START_TEST(test_stop_with_waiters)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct brc_server_stats st = { 0 };
	CURLM *m = curl_multi_init();
	CURL *h[5];
	uint64_t deadline = brc_now_ns() + (uint64_t)(brc_test_scale(5) * 1e9);
	int running, status = -1;
	pid_t r = 0;

	srv_spawn("workload: {days: 5}\nserver: {max_in_flight: 2, "
	          "latency: 60s}", &sc, &srv);
	for (int k = 0; k < 5; k++) {
		char *url = brc_xasprintf("%s/tickets/MOW-LED/2026-01-0%d",
		                         srv.base_url, k + 1);

		h[k] = curl_easy_init();
		curl_easy_setopt(h[k], CURLOPT_URL, url);
		curl_easy_setopt(h[k], CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h[k], CURLOPT_TIMEOUT, 90L);
		curl_easy_setopt(h[k], CURLOPT_WRITEFUNCTION, discard);
		curl_multi_add_handle(m, h[k]);
		free(url);
	}
	while (st.queued_max < 3 && brc_now_ns() < deadline) {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 10, NULL);
		if (brc_server_query(&srv, &st))
			st.queued_max = 0;
	}
	ck_assert_int_eq(st.queued_max, 3);
	kill(srv.pid, SIGTERM);
	deadline = brc_now_ns() + (uint64_t)(brc_test_scale(3) * 1e9);
	while ((r = waitpid(srv.pid, &status, WNOHANG)) == 0 &&
	       brc_now_ns() < deadline)
		usleep(5000);
	if (r == 0)
		kill(srv.pid, SIGKILL);
	ck_assert_msg(r == srv.pid, "server still running %.0f s after SIGTERM",
	              brc_test_scale(3));
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	srv.pid = 0;
	for (int k = 0; k < 5; k++) {
		curl_multi_remove_handle(m, h[k]);
		curl_easy_cleanup(h[k]);
	}
	curl_multi_cleanup(m);
	srv_finish(&sc, &srv);
}
END_TEST

/* An intermediate process spawns the server and is SIGKILLed: the server
 * must follow (PR_SET_PDEATHSIG).  We are its subreaper, so we can reap
 * it and know it is gone. */
START_TEST(test_dies_with_parent)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	int fds[2], status;
	pid_t mid, server = 0, r = 0;
	uint64_t deadline;

	srv_load("workload: {days: 5}", &sc);
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(pipe(fds), 0);
	mid = fork();
	ck_assert_int_ge(mid, 0);
	if (mid == 0) {
		close(fds[0]);
		if (brc_server_spawn(&sc, &srv))
			_exit(1);
		if (write(fds[1], &srv.pid, sizeof(srv.pid)) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &server, sizeof(server)),
	                 sizeof(server));
	ck_assert_int_eq(kill(server, 0), 0);
	kill(mid, SIGKILL);
	waitpid(mid, NULL, 0);
	deadline = brc_now_ns() + (uint64_t)(brc_test_scale(5) * 1e9);
	while ((r = waitpid(server, &status, WNOHANG)) == 0 &&
	       brc_now_ns() < deadline)
		usleep(10000);
	ck_assert_msg(r == server, "server %d still alive", (int)server);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	brc_scenario_free(&sc);
}
END_TEST

START_TEST(test_port_in_use)
{
	struct brc_scenario sc, sc2;
	struct brc_server_proc srv, srv2;
	char *yaml, *msg, *path = brc_xstrdup("/tmp/br-check-server-XXXXXX");
	int fd = mkstemp(path), saved = dup(2);

	srv_spawn("workload: {days: 5}", &sc, &srv);
	yaml = brc_xasprintf("workload: {days: 5}\nserver: {port: %d}",
	                    srv.port);
	srv_load(yaml, &sc2);
	/* Catch the message printed on stderr. */
	dup2(fd, 2);
	ck_assert_int_eq(brc_server_spawn(&sc2, &srv2), -1);
	dup2(saved, 2);
	msg = brc_read_file(path, 1 << 16, NULL);
	ck_assert_ptr_nonnull(msg);
	free(yaml);
	yaml = brc_xasprintf("cannot listen on 127.0.0.1:%d: Address already "
	                    "in use", srv.port);
	ck_assert_msg(strstr(msg, yaml), "got: %s", msg);
	/* The first server is unharmed. */
	ck_assert_int_eq(brc_server_reset(&srv), 0);
	unlink(path);
	close(fd);
	free(msg);
	free(yaml);
	free(path);
	brc_scenario_free(&sc2);
	srv_finish(&sc, &srv);
}
END_TEST

Suite *brc_suite_server(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("server");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fetch_body);
	tcase_add_test(tc, test_not_found);
	tcase_add_test(tc, test_stats_reset);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_stop_with_waiters);
	tcase_add_test(tc, test_dies_with_parent);
	tcase_add_test(tc, test_port_in_use);
	suite_add_tcase(s, tc);
	return s;
}
