/*
 * run_loop.c - every measured run of a scenario, in the order the scenario
 * asks for (runs.order): the warm-ups of every plan item first, then
 * rounds of one run per item (interleaved or random), or all repetitions
 * of an item in a row (blocked).  With `repetitions: auto`, rounds go on
 * from min_repetitions until every group's 95% CI of the wall time is
 * within target_ci of its mean, or max_repetitions.
 *
 * After every run the embedded server is checked: if it died, the
 * scenario stops with a clear error instead of measuring runs against
 * nothing (whose "efficiency" used to read 110620%).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "results/journal.h"
#include "results/metrics.h"
#include "scenario/paths.h"
#include "util.h"

/* Where the scenario is (cli_progress.c: a live line on a terminal, a
 * periodic status line elsewhere, per --progress). */
static void progress(size_t done, size_t total, const struct brc_plan_item *it,
                     const char *what, double elapsed)
{
	(void)elapsed;
	brc_progress_step(done, total, it->label, it->point, what);
}

static void progress_clear(void)
{
	brc_progress_clear();
}

static void note_run(const struct brc_plan_item *it, const char *what,
                     const struct brc_run_result *rr)
{
	char w[32];

	if (rr->status != BR_RUN_OK) {
		progress_clear();
		brc_warn("%s%s%s %s: %s", it->label, *it->point ? " " : "",
		        it->point, what, rr->reason ? rr->reason : "failed");
		brc_show_reasons(rr->log);
		return;
	}
	brc_info("%s%s%s %s: %s, %llu/%llu tickets", it->label,
	        *it->point ? " " : "", it->point, what,
	        brc_fmt_duration(w, sizeof(w), rr->wall),
	        (unsigned long long)rr->ok, (unsigned long long)rr->requests);
}

/*
 * After every measured run, append it to the journal (results/journal.h):
 * if benchrun itself is killed -9 or the machine dies in the middle of a
 * long scenario, the runs already measured are not lost, and each run
 * costs its own bytes only (rewriting the whole results file after every
 * run made a sweep quadratic in bytes written).
 */
static void checkpoint(struct brc_run_loop *l, size_t i)
{
	const struct brc_group *g = &l->res->groups[i];

	if (!l->journal)
		return;
	/* Tried again after each run (a full disk may get space back);
	 * said once. */
	if (brc_journal_add(l->journal, i, g, &g->runs[g->n_runs - 1]) &&
	    !l->journal_warned) {
		brc_warn("cannot append to the journal %s: %s (the results are "
		        "still written at the end; a kill before then would lose "
		        "this run)", l->journal_path, strerror(errno));
		l->journal_warned = true;
	}
}

/* The embedded server exited (crashed, killed): reap it and say so. */
static bool server_died(struct brc_run_loop *l, const struct brc_plan_item *it,
                        const char *what)
{
	int st = 0;

	if (!l->srv || l->srv->pid <= 0 ||
	    waitpid(l->srv->pid, &st, WNOHANG) != l->srv->pid)
		return false;
	progress_clear();
	if (WIFSIGNALED(st))
		brc_error("the embedded server (pid %d) was killed by SIG%s "
		         "during %s%s%s %s: stopping the scenario (the runs "
		         "measured before are kept)", (int)l->srv->pid,
		         sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st))
		                                    : "?",
		         it->label, *it->point ? " " : "", it->point, what);
	else
		brc_error("the embedded server (pid %d) exited with status %d "
		         "during %s%s%s %s: stopping the scenario (the runs "
		         "measured before are kept)", (int)l->srv->pid,
		         WEXITSTATUS(st), it->label, *it->point ? " " : "",
		         it->point, what);
	l->srv->pid = 0; /* reaped: brc_server_stop must not signal it */
	l->server_dead = true;
	return true;
}

struct brc_runner_job brc_run_loop_job(const struct brc_run_loop *l,
                                       const struct brc_plan_item *it,
                                       const struct brc_workload *w)
{
	const struct brc_scenario *sc = l->sc;

	return (struct brc_runner_job){
		.plugin_path = it->plugin_path,
		.params = it->params,
		.n_params = it->n_params,
		.w = w,
		.url_template = sc->server.url_template,
		.base = l->srv ? l->srv->base_url : sc->server.url,
		.model = l->srv ? &sc->server : NULL,
		.srv = l->srv,
		.concurrency = it->concurrency,
		.timeout = sc->runs.timeout,
		.sample_interval = sc->runs.sample_interval,
		.tolerate_errors = sc->runs.tolerate_errors,
		.stop = l->stop,
	};
}

/* One run of plan item i; false when the scenario must stop. */
static bool one_run(struct brc_run_loop *l, size_t i, int64_t k, bool warm,
                    size_t *done, size_t total, uint64_t t_start)
{
	const struct brc_scenario *sc = l->sc;
	const struct brc_plan_item *it = &l->plan->items[i];
	struct brc_group *g = &l->res->groups[i];
	struct brc_workload w = brc_cli_item_workload(sc, it);
	struct brc_runner_job job = brc_run_loop_job(l, it, &w);
	struct brc_run_result rr;
	char what[48];
	/* The strategy works in the scenario's directory (scenario/paths.h). */
	char *dir = brc_scenario_dir_abs(sc->path);

	job.dir = dir;
	if (warm)
		snprintf(what, sizeof(what), "warm-up %lld/%lld",
		         (long long)k + 1, (long long)sc->runs.warmup);
	else if (sc->runs.auto_reps)
		snprintf(what, sizeof(what), "run %lld (auto, %lld..%lld)",
		         (long long)k + 1, (long long)sc->runs.min_repetitions,
		         (long long)sc->runs.max_repetitions);
	else
		snprintf(what, sizeof(what), "run %lld/%lld", (long long)k + 1,
		         (long long)sc->runs.repetitions);
	progress(*done, total, it, what,
	         (double)(brc_now_ns() - t_start) / 1e9);
	brc_runner_run(&job, &rr);
	free(dir);
	(*done)++;
	if (rr.status == BR_RUN_INTERRUPTED) {
		brc_run_result_clear(&rr);
		return false;
	}
	note_run(it, what, &rr);
	if (rr.status != BR_RUN_OK)
		l->all_ok = false;
	if (warm) {
		brc_run_result_clear(&rr);
	} else {
		rr.repetition = (int)k;
		rr.seq = l->seq++;
		g->runs[g->n_runs++] = rr;
		checkpoint(l, i);
	}
	return !server_died(l, it, what) && !*l->stop;
}

/* repetitions: auto - every group (with a measured run) precise enough. */
static bool precise_enough(const struct brc_run_loop *l, const size_t *items,
                           size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct brc_group *g = &l->res->groups[items[k]];
		struct brc_stats s;

		brc_group_stats(g, BR_M_WALL, &s, NULL);
		/* A group whose runs all fail will never get there: do not
		 * keep the whole scenario running for it. */
		if (s.n && !brc_stats_precise(&s, l->sc->runs.target_ci))
			return false;
	}
	return true;
}

/* Whether this process runs repetition k of item i (--cell, --shard). */
static bool chosen(const struct brc_run_loop *l, size_t i, int64_t k)
{
	return !l->cells || l->cells[(size_t)k * l->plan->n + i];
}

/* An item with no chosen cell needs no warm-up either. */
static bool item_chosen(const struct brc_run_loop *l, size_t i)
{
	for (int64_t k = 0; k < l->sc->runs.repetitions; k++)
		if (chosen(l, i, k))
			return true;
	return false;
}

bool brc_run_loop(struct brc_run_loop *l)
{
	const struct brc_runs *rn = &l->sc->runs;
	size_t n = l->plan->n, done = 0, total = 0, *order;
	int64_t reps = rn->repetitions;
	uint64_t t_start = brc_now_ns();
	bool go = true;

	l->all_ok = true;
	for (size_t i = 0; i < n; i++)
		if (item_chosen(l, i)) {
			total += (size_t)rn->warmup;
			for (int64_t k = 0; k < reps; k++)
				total += chosen(l, i, k);
		}
	order = brc_xcalloc(n + 1, sizeof(*order));
	for (size_t i = 0; i < n && go; i++)
		for (int64_t k = 0; k < rn->warmup && go && item_chosen(l, i); k++)
			go = one_run(l, i, k, true, &done, total, t_start);
	if (rn->order == BR_ORDER_BLOCKED) {
		for (size_t i = 0; i < n && go; i++)
			for (int64_t k = 0; k < reps && go; k++) {
				if (!chosen(l, i, k))
					continue;
				go = one_run(l, i, k, false, &done, total, t_start);
				if (rn->auto_reps && k + 1 >= rn->min_repetitions &&
				    precise_enough(l, &i, 1))
					break;
			}
	} else {
		for (int64_t k = 0; k < reps && go; k++) {
			brc_plan_order(n, rn->order, l->sc->workload.seed,
			               (size_t)k, order);
			for (size_t j = 0; j < n && go; j++)
				if (chosen(l, order[j], k))
					go = one_run(l, order[j], k, false, &done,
					             total, t_start);
			if (rn->auto_reps && k + 1 >= rn->min_repetitions &&
			    precise_enough(l, order, n))
				break;
		}
	}
	progress_clear();
	free(order);
	return l->all_ok;
}
