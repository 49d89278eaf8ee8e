/*
 * runctx_life.c - the run context's life (see runctx.h): made for a run's
 * requests, given its schedule, prepared (the parser sized, the expected
 * summaries computed) and begun before the plugin's run hook, freed after
 * it; and the run's failure log, which every service may add to.  The
 * services themselves are in runctx.c, the tally in runctx_finish.c.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/runctx_priv.h"
#include "workload/tickets.h"
#include "util.h"

/* The bench-only switch of bench/processing-bias.sh (runctx_priv.h); not
 * a scenario setting, and said loudly on stderr (the run's log). */
static bool skip_processing(void)
{
	const char *v = getenv("BENCHRUN_BENCH_SKIP_PROCESSING");

	if (!v || strcmp(v, "1"))
		return false;
	fprintf(stderr, "benchrun: BENCHRUN_BENCH_SKIP_PROCESSING=1: bodies "
	        "are not parsed or checked (a bench/ measurement only)\n");
	return true;
}

struct br_run *brc_run_new(const struct brc_workload *w, char **urls, size_t n)
{
	struct br_run *run = brc_xcalloc(1, sizeof(*run));

	run->w = w;
	run->urls = urls;
	run->n = n;
	run->reqs = calloc(n ? n : 1, sizeof(*run->reqs));
	if (!run->reqs) {
		free(run);
		return NULL;
	}
	pthread_mutex_init(&run->lock, NULL);
	run->t0 = brc_now_ns();
	atomic_init(&run->first_bad_index, SIZE_MAX);
	run->skip_processing = skip_processing();
	return run;
}

void brc_run_set_due(struct br_run *run, const uint64_t *due, double rate)
{
	run->due = due;
	run->rate = due ? rate : 0;
}

void brc_run_begin(struct br_run *run)
{
	run->t0 = brc_now_ns();
}

void brc_run_prepare(struct br_run *run)
{
	struct brc_buf day0 = { 0 };

	/* Size one parser for this workload's bodies (twice day 0's, as days
	 * differ in trips) before the run, not on the first ticket. */
	if (run->n) {
		brc_ticket_render(run->w, 0, &day0);
		brc_ticket_warm(2 * day0.len);
		brc_buf_free(&day0);
	}
	if (!run->w->validate || run->expect)
		return;
	run->expect = brc_xcalloc(run->n ? run->n : 1, sizeof(*run->expect));
	for (size_t i = 0; i < run->n; i++)
		brc_ticket_expect(run->w, (int64_t)i, &run->expect[i]);
}

void brc_run_free(struct br_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->n; i++) {
		free(run->urls[i]);
		if (run->reqs[i].state != REQ_DONE)
			brc_buf_free(&run->reqs[i].body);
	}
	free(run->urls);
	free(run->reqs);
	free(run->expect);
	brc_buf_free(&run->failures);
	pthread_mutex_destroy(&run->lock);
	free(run);
}

void brc_run_note_failure(struct br_run *run, size_t i, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&run->lock);
	if (run->n_failures < MAX_FAILURE_LINES) {
		brc_buf_printf(&run->failures, "request %zu (%s): ", i,
		              run->urls[i]);
		va_start(ap, fmt);
		brc_buf_vprintf(&run->failures, fmt, ap);
		va_end(ap);
		brc_buf_append(&run->failures, "\n", 1);
	} else if (run->n_failures == MAX_FAILURE_LINES) {
		brc_buf_printf(&run->failures, "(more failures not shown)\n");
	}
	run->n_failures++;
	pthread_mutex_unlock(&run->lock);
}
