/*
 * check_proc.c - what the run context charges to processing (runctx.c):
 * one ticket in 16 is timed with the thread CPU clock and the total is
 * scaled, so cpu_processing must still account for every ticket; body
 * buffers keep the parser's padding and survive bodies of any chunking.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "run/runctx.h"
#include "workload/tickets.h"
#include "suites.h"
#include "util.h"

/* Deliver request i's body in pieces of `chunk` bytes, then done(). */
static int deliver(const struct br_host *h, struct br_run *run,
                   const struct brc_workload *w, size_t i, size_t chunk)
{
	struct brc_buf body = { 0 };
	int rc;

	brc_ticket_render(w, (int64_t)i, &body);
	h->start(run, i);
	for (size_t off = 0; off < body.len; off += chunk)
		h->body(run, i, body.data + off,
		        body.len - off < chunk ? body.len - off : chunk);
	rc = h->done(run, i, 200, NULL);
	brc_buf_free(&body);
	return rc;
}

/*
 * 64 tickets of 20 trips with 500 us of burned CPU per trip: 10 ms of
 * thread CPU each, 640 ms in all, of which only 4 tickets are timed.  The
 * scaled total must be of that order: a bound of 2x either way holds on a
 * busy machine (it is CPU time), and fails if the sampled time were not
 * scaled (16x too little) or every ticket were charged 16 times.
 */
START_TEST(test_sampled_processing_scaled)
{
	struct brc_workload w = brc_test_workload(64);
	const struct br_host *h = brc_host_table();
	struct brc_run_tally t;
	struct br_run *run;

	w.max_body = 1 << 20;
	w.cpu_us_per_trip = 500;
	run = brc_test_run_ctx(&w, 64);
	brc_ticket_calibrate();
	for (size_t i = 0; i < 64; i++)
		ck_assert_int_eq(deliver(h, run, &w, i, 4096), 0);
	brc_run_finish(run, &t);
	ck_assert_uint_eq(t.ok, 64);
	ck_assert_msg(t.cpu_processing > 0.32 && t.cpu_processing < 1.28,
	              "cpu_processing %.3f s for 64 x ~10 ms", t.cpu_processing);
	brc_run_tally_free(&t);
	brc_run_free(run);
}
END_TEST

/* Bodies arriving a byte at a time, in odd pieces, or whole: all parse in
 * place (the padding is kept whatever the growth) and check. */
START_TEST(test_body_chunking)
{
	struct brc_workload w = brc_test_workload(8);
	const struct br_host *h = brc_host_table();
	static const size_t chunks[] = { 1, 7, 63, 64, 65, 1000, 1 << 20 };
	struct brc_run_tally t;
	struct br_run *run;

	w.max_body = 1 << 20;
	run = brc_test_run_ctx(&w, 7);
	for (size_t i = 0; i < 7; i++)
		ck_assert_int_eq(deliver(h, run, &w, i, chunks[i]), 0);
	brc_run_finish(run, &t);
	ck_assert_uint_eq(t.ok, 7);
	brc_run_tally_free(&t);
	brc_run_free(run);
}
END_TEST

Suite *brc_suite_proc(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sampled_processing_scaled);
	tcase_add_test(tc, test_body_chunking);
	suite_add_tcase(s, tc);
	return s;
}
