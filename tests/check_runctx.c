/*
 * check_runctx.c - the measuring side of a worker in-process: the run
 * context's accounting of every outcome (valid, corrupt, too large, HTTP
 * status, transport, duplicate, missing, retries) and its thread safety
 * under four threads at once (runctx.c), and the sampler's view of a
 * process tree (sampler.c).
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/runctx.h"
#include "run/sampler.h"
#include "scenario/scenario.h"
#include "workload/tickets.h"
#include "suites.h"
#include "util.h"

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

START_TEST(test_runctx_accounting)
{
	struct brc_workload w = brc_test_workload(8);
	const struct br_host *h = brc_host_table();
	struct br_run *run;
	struct brc_run_tally t;
	struct brc_buf body = { 0 };
	struct brc_summary want;
	char text[160];

	w.max_body = 64 * 1024;
	run = brc_test_run_ctx(&w, 8);
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

/* bench/processing-bias.sh's switch: with it, a body that is not the
 * ticket counts as ok (nothing parsed it); without it, the same body is
 * corrupt.  Fork mode: the variable stays in this test's process. */
START_TEST(test_runctx_skip_processing)
{
	struct brc_workload w = brc_test_workload(2);
	const struct br_host *h = brc_host_table();
	struct brc_run_tally t;
	struct br_run *run;

	for (int skip = 0; skip < 2; skip++) {
		if (skip)
			setenv("BENCHRUN_BENCH_SKIP_PROCESSING", "1", 1);
		run = brc_test_run_ctx(&w, 2);
		h->start(run, 0);
		h->body(run, 0, "not a ticket", 12);
		ck_assert_int_eq(h->done(run, 0, 200, NULL), skip ? 0 : -1);
		brc_run_finish(run, &t);
		ck_assert_uint_eq(t.ok, skip ? 1 : 0);
		ck_assert_uint_eq(t.fail.corrupt, skip ? 0 : 1);
		brc_run_tally_free(&t);
		brc_run_free(run);
	}
	unsetenv("BENCHRUN_BENCH_SKIP_PROCESSING");
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
	struct brc_workload w = brc_test_workload(10000);
	struct br_run *run = brc_test_run_ctx(&w, 10000);
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

Suite *brc_suite_runctx(void)
{
	Suite *s = suite_create("runctx");
	TCase *tc = tcase_create("runctx");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_runctx_accounting);
	tcase_add_test(tc, test_runctx_threads);
	tcase_add_test(tc, test_runctx_skip_processing);
	tcase_add_test(tc, test_sampler_tree);
	suite_add_tcase(s, tc);
	return s;
}
