/*
 * search.c - the capacity search (`search: {rate: {p99: 150ms, min, max}}`,
 * docs/open-model.md): per strategy, the highest offered rate at which a
 * short open-model run keeps up and its response time at the quantile
 * stays within the target.
 *
 * Bisection on a log scale (the range is often 100 to 50,000 req/s): probe
 * min (if it fails, nothing passes), then the geometric middle of the
 * bracket until its ends are within `precision` of each other or
 * max_probes ran; max itself is probed last, and only when every probe
 * passed (a probe far above a strategy's capacity takes rate x duration /
 * capacity seconds: a sequential strategy at 50,000 req/s would take
 * hours).  The answer is a passing probe with a failing one above it, or
 * max itself, and every probe is kept in the results.  A strategy's latency is assumed to
 * grow with the rate; a noisy probe can break that, which the probes
 * listed in the results show.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "results/metrics.h"
#include "scenario/paths.h"
#include "util.h"

/* The response time at quantile q of a run (its latency is from due). */
static double quantile_of(const struct brc_run_result *r, double q)
{
	if (q <= 0.5)
		return r->latency.p50;
	if (q <= 0.9)
		return r->latency.p90;
	if (q <= 0.99)
		return r->latency.p99;
	return r->latency.p999;
}

/* One probe of plan item it at `rate`; false when interrupted. */
static bool probe(struct brc_run_loop *l, const struct brc_plan_item *it,
                  double rate, struct brc_capacity *c)
{
	const struct brc_scenario *sc = l->sc;
	const struct brc_search *se = &sc->search;
	struct brc_workload w = brc_cli_item_workload(sc, it);
	struct brc_runner_job job = brc_run_loop_job(l, it, &w);
	struct brc_run_result rr;
	struct brc_probe *p;
	char v[32];
	/* In the scenario's directory, as the measured runs (run_loop.c). */
	char *dir = brc_scenario_dir_abs(sc->path);

	job.dir = dir;
	w.arrival.rate = rate;
	w.duration = se->duration;
	w.days = brc_workload_requests(&w);
	brc_runner_run(&job, &rr);
	free(dir);
	if (rr.status == BR_RUN_INTERRUPTED) {
		brc_run_result_clear(&rr);
		return false;
	}
	c->probes = brc_xrealloc(c->probes, (c->n_probes + 1) * sizeof(*p));
	p = &c->probes[c->n_probes++];
	p->rate = rate;
	p->status = rr.status;
	p->value = quantile_of(&rr, se->quantile);
	p->achieved = rr.open.achieved_rate;
	p->kept_up = rr.open.kept_up;
	p->pass = rr.status == BR_RUN_OK && p->kept_up && p->value <= se->target;
	brc_info("%s: probe %zu at %.0f req/s: p%g %s, %s%s", it->label,
	        c->n_probes, rate, se->quantile * 100,
	        brc_fmt_duration(v, sizeof(v), p->value),
	        p->pass ? "pass" : "fail",
	        rr.status != BR_RUN_OK ? " (run not ok)"
	        : !p->kept_up          ? " (did not keep up)" : "");
	if (rr.status != BR_RUN_OK)
		l->all_ok = false;
	brc_run_result_clear(&rr);
	return !*l->stop;
}

/* Bisect one strategy; false when interrupted. */
static bool search_item(struct brc_run_loop *l, const struct brc_plan_item *it,
                        struct brc_capacity *c)
{
	const struct brc_search *se = &l->sc->search;
	double lo = se->min, hi = se->max;
	bool failed = false; /* a probe above lo failed */

	c->label = brc_xstrdup(it->label);
	c->point = brc_xstrdup(it->point);
	c->quantile = se->quantile;
	c->target = se->target;
	c->min = se->min;
	c->max = se->max;
	if (!probe(l, it, lo, c))
		return false;
	if (!c->probes[c->n_probes - 1].pass)
		return true; /* below min: capacity 0 */
	c->capacity = lo;
	while ((int64_t)c->n_probes < se->max_probes &&
	       hi / lo > 1 + se->precision) {
		double mid = sqrt(lo * hi);

		if (!probe(l, it, mid, c))
			return false;
		if (c->probes[c->n_probes - 1].pass) {
			lo = c->capacity = mid;
		} else {
			hi = mid;
			failed = true;
		}
	}
	/* Everything passed so far: is max itself within reach? */
	if (!failed && (int64_t)c->n_probes < se->max_probes) {
		if (!probe(l, it, hi, c))
			return false;
		if (c->probes[c->n_probes - 1].pass)
			c->capacity = hi;
	}
	return true;
}

bool brc_search_run(struct brc_run_loop *l)
{
	struct brc_results *res = l->res;

	l->all_ok = true;
	res->capacity = brc_xcalloc(l->plan->n ? l->plan->n : 1,
	                            sizeof(*res->capacity));
	for (size_t i = 0; i < l->plan->n && !*l->stop; i++) {
		struct brc_capacity *c = &res->capacity[res->n_capacity++];

		if (!search_item(l, &l->plan->items[i], c))
			break;
	}
	return l->all_ok;
}
