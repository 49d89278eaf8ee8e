/*
 * check_server_model.c - what the embedded server serves, measured from
 * the client side (server_delay.c, server_route.c): delay accuracy under
 * 1,000 concurrent requests, the latency model tracked, faults seen by
 * libcurl and repeatable after a reset, max_in_flight queueing,
 * max_connections refusals and server.rate pacing.  Everything on
 * 127.0.0.1, ephemeral ports, bounded in time.
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

/*
 * Timing bounds on a shared machine: a stall of the server or of the
 * client (another process holding the CPU for 100 ms) lands on every
 * request in flight, so one measurement can exceed any fixed bound
 * without any fault of the server.  The invariants of the model (never
 * early, each request's own delay) hold on every attempt; the bounds on
 * how late and how well ordered are met by the best of ATTEMPTS fresh
 * servers, as benchmarks take the least-disturbed repetition.  A server
 * that is systematically late or misordered fails all of them.
 */
enum { ATTEMPTS = 3 };

/*
 * 1,000 requests at once, one connection each, 50 ms fixed delay.  The
 * server never answers early (every attempt); its own lateness (p50,
 * measured by the server) stays under 100 ms and the client's p50 under
 * 0.5 s in the best attempt.  BENCHMARKS.md has the measured numbers.
 */
static void delay_attempt(double *late_p50, double *p50)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct brc_server_stats st;
	struct xfer *x = brc_xcalloc(1000, sizeof(*x));
	double min = 1e9;

	srv_spawn("workload: {days: 1000, trips: 5}\n"
	      "server: {latency: {model: fixed, value: 50ms}}", &sc, &srv);
	srv_fetch_days(&sc, &srv, 0, 1000, 1000, x);
	for (int k = 0; k < 1000; k++) {
		ck_assert_msg(x[k].rc == CURLE_OK && x[k].status == 200,
		              "day %d: %s", k, curl_easy_strerror(x[k].rc));
		if (x[k].wait < min)
			min = x[k].wait;
	}
	*p50 = srv_median_wait(x, 1000);
	ck_assert_int_eq(brc_server_query(&srv, &st), 0);
	*late_p50 = st.late_p50;
	fprintf(stderr, "delay 50 ms x 1000: client min %.2f p50 %.2f ms, "
	        "server late p50 %.2f p99 %.2f ms\n", min * 1e3, *p50 * 1e3,
	        st.late_p50 * 1e3, st.late_p99 * 1e3);
	ck_assert_msg(min >= 0.050, "answered after %.2f ms", min * 1e3);
	srv_free_xfers(x, 1000);
	srv_finish(&sc, &srv);
}

START_TEST(test_delay_accuracy)
{
	double late = 1e9, p50 = 1e9;

	brc_raise_nofile();
	for (int a = 0; a < ATTEMPTS && (late >= 0.100 || p50 >= 0.5); a++) {
		double l, p;

		delay_attempt(&l, &p);
		/* One attempt must meet both bounds. */
		if (l < 0.100 && p < 0.5)
			late = l, p50 = p;
		else if (a == 0 || l < late)
			late = l, p50 = p;
	}
	ck_assert_msg(late < 0.100, "server p50 late %.2f ms (best of %d)",
	              late * 1e3, ATTEMPTS);
	ck_assert_msg(p50 < 0.5, "p50 %.2f ms (best of %d)", p50 * 1e3,
	              ATTEMPTS);
}
END_TEST

/*
 * Each request's served delay is the model's delay for it: never less
 * (every attempt), and in the same order (Spearman's rank correlation
 * above 0.5 in the best attempt: the load of the machine adds noise on
 * top of delays of 3 to 150 ms, and with two busy loops and a build
 * beside it the best of 3 was 0.78 once; a quiet machine gives ~0.99.
 * A server that ignored the model's per-request delay would be near 0,
 * and 0.5 over 300 requests is far beyond chance; 20 requests at a time
 * keep the client's share small).
 */
static double lognormal_attempt(void)
{
	enum { N = 300 };
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct xfer *x = brc_xcalloc(N, sizeof(*x));
	double want[N], got[N], rw[N], rg[N], d2 = 0, rho;

	srv_spawn("seed: 7\nworkload: {days: 300, trips: 5}\n"
	      "server: {latency: {model: lognormal, median: 20ms, sigma: 0.6}}",
	      &sc, &srv);
	srv_fetch_days(&sc, &srv, 0, N, 20, x);
	for (int k = 0; k < N; k++) {
		want[k] = brc_model_delay(&sc.server.latency, sc.workload.seed,
		                         (uint64_t)k, 0);
		got[k] = x[k].wait;
		ck_assert_int_eq(x[k].status, 200);
		/* The server's clock starts when it has the request, the
		 * client's wait at its own pretransfer mark, each rounded
		 * to microseconds: allow 100 us either way of "never less". */
		ck_assert_msg(got[k] >= want[k] - 100e-6,
		              "day %d: %.2f ms < model %.2f ms", k,
		              got[k] * 1e3, want[k] * 1e3);
	}
	srv_ranks(want, N, rw);
	srv_ranks(got, N, rg);
	for (int k = 0; k < N; k++)
		d2 += (rw[k] - rg[k]) * (rw[k] - rg[k]);
	rho = 1 - 6 * d2 / ((double)N * ((double)N * N - 1));
	fprintf(stderr, "lognormal: rank correlation %.3f\n", rho);
	srv_free_xfers(x, N);
	srv_finish(&sc, &srv);
	return rho;
}

START_TEST(test_lognormal_tracks_model)
{
	double best = -1;

	for (int a = 0; a < ATTEMPTS && best <= 0.5; a++) {
		double rho = lognormal_attempt();

		if (rho > best)
			best = rho;
	}
	ck_assert_msg(best > 0.5, "rank correlation %.3f (best of %d)", best,
	              ATTEMPTS);
}
END_TEST

/* What the client saw: BR_FAULT_* or -1 for anything unexpected. */
static int seen_fault(const struct brc_scenario *sc, const struct xfer *x)
{
	if (x->rc == CURLE_OK && x->status == sc->server.faults.error_status)
		return BR_FAULT_ERROR;
	if (x->rc == CURLE_RECV_ERROR)
		return BR_FAULT_RESET;
	if (x->rc == CURLE_PARTIAL_FILE)
		return BR_FAULT_TRUNCATE;
	if (x->rc == CURLE_OK && x->status == 200 && srv_body_is(sc, x))
		return BR_FAULT_NONE;
	return -1;
}

START_TEST(test_faults_repeatable)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct brc_server_stats st;
	struct xfer *x = brc_xcalloc(1000, sizeof(*x));
	int first[1000], count[4] = { 0 };

	srv_spawn("seed: 3\nworkload: {days: 1000, trips: 4}\n"
	      "server: {faults: {error_rate: 0.1, error_status: 503,"
	      " reset_rate: 0.1, truncate_rate: 0.1}}", &sc, &srv);
	for (int run = 0; run < 2; run++) {
		ck_assert_int_eq(brc_server_reset(&srv), 0);
		srv_fetch_days(&sc, &srv, 0, 1000, 50, x);
		for (int k = 0; k < 1000; k++) {
			int f = seen_fault(&sc, &x[k]);
			int want = (int)brc_model_fault(&sc.server.faults,
			                               sc.workload.seed,
			                               (uint64_t)k, 0);

			ck_assert_msg(f == want, "run %d day %d: saw %d (%s, "
			              "HTTP %ld), model says %d", run, k, f,
			              curl_easy_strerror(x[k].rc), x[k].status,
			              want);
			if (run == 0) {
				first[k] = f;
				count[f]++;
			}
			ck_assert_int_eq(f, first[k]);
			brc_buf_free(&x[k].body);
		}
	}
	for (int f = BR_FAULT_ERROR; f <= BR_FAULT_TRUNCATE; f++)
		ck_assert_msg(count[f] >= 60 && count[f] <= 140,
		              "fault %d: %d of 1000", f, count[f]);
	ck_assert_int_eq(brc_server_query(&srv, &st), 0);
	ck_assert_int_eq(st.errors, (uint64_t)count[BR_FAULT_ERROR]);
	ck_assert_int_eq(st.resets, (uint64_t)count[BR_FAULT_RESET]);
	ck_assert_int_eq(st.truncated, (uint64_t)count[BR_FAULT_TRUNCATE]);
	ck_assert_int_eq(st.requests, 1000);
	srv_free_xfers(x, 1000);
	srv_finish(&sc, &srv);
}
END_TEST

/* 40 requests, 4 slots, 50 ms each: at least 10 rounds of 50 ms. */
START_TEST(test_max_in_flight)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct brc_server_stats st;
	struct xfer *x = brc_xcalloc(40, sizeof(*x));
	double wall;

	srv_spawn("workload: {days: 40, trips: 3}\n"
	      "server: {max_in_flight: 4, latency: 50ms}", &sc, &srv);
	wall = srv_fetch_days(&sc, &srv, 0, 40, 40, x);
	for (int k = 0; k < 40; k++)
		ck_assert_int_eq(x[k].status, 200);
	ck_assert_msg(wall >= 0.49 && wall < 5, "wall %.3f s", wall);
	ck_assert_int_eq(brc_server_query(&srv, &st), 0);
	ck_assert_msg(st.queued_max >= 20 && st.queued_max <= 36,
	              "queued_max %llu", (unsigned long long)st.queued_max);
	srv_free_xfers(x, 40);
	srv_finish(&sc, &srv);
}
END_TEST

/* 10 connections at once against max_connections 5: 5 refused. */
START_TEST(test_max_connections)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct brc_server_stats st;
	struct xfer *x = brc_xcalloc(10, sizeof(*x));
	int ok = 0, tries = 0;

	srv_spawn("workload: {days: 10, trips: 3}\n"
	      "server: {max_connections: 5, latency: 300ms}", &sc, &srv);
	srv_fetch_days(&sc, &srv, 0, 10, 10, x);
	for (int k = 0; k < 10; k++)
		ok += x[k].rc == CURLE_OK && x[k].status == 200;
	ck_assert_int_eq(ok, 5);
	/* Our 5 connections were just closed: the server may not have
	 * seen it yet and refuse the query too (quietly, please). */
	brc_verbosity = -1;
	while (brc_server_query(&srv, &st) && tries < 100) {
		tries++;
		usleep(20000);
	}
	ck_assert_int_lt(tries, 100);
	ck_assert_int_eq(st.refused, 5 + (uint64_t)tries);
	srv_free_xfers(x, 10);
	srv_finish(&sc, &srv);
}
END_TEST

/* server.rate paces the body: 20 KB/s makes a ~5 KiB body take ~0.25 s,
 * and it still arrives whole. */
START_TEST(test_rate)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct xfer *x = brc_xcalloc(2, sizeof(*x));
	double wall;

	srv_spawn("workload: {days: 2, trips: 20}\nserver: {rate: 20000}", &sc,
	      &srv);
	wall = srv_fetch_days(&sc, &srv, 0, 2, 2, x);
	for (int k = 0; k < 2; k++) {
		ck_assert_int_eq(x[k].rc, CURLE_OK);
		ck_assert(srv_body_is(&sc, &x[k]));
	}
	ck_assert_msg(wall >= 0.8 * (double)x[0].body.len / 20000 &&
	              wall < 5, "wall %.3f s for %zu bytes", wall,
	              x[0].body.len);
	srv_free_xfers(x, 2);
	srv_finish(&sc, &srv);
}
END_TEST

Suite *brc_suite_server_model(void)
{
	Suite *s = suite_create("server_model");
	TCase *tc = tcase_create("server_model");

	tcase_set_timeout(tc, 180); /* best of 3 for the timed tests */
	tcase_add_test(tc, test_delay_accuracy);
	tcase_add_test(tc, test_lognormal_tracks_model);
	tcase_add_test(tc, test_faults_repeatable);
	tcase_add_test(tc, test_max_in_flight);
	tcase_add_test(tc, test_max_connections);
	tcase_add_test(tc, test_rate);
	suite_add_tcase(s, tc);
	return s;
}
