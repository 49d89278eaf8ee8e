/*
 * scenario_arrival.c - the open-model parts of a scenario:
 * `workload.arrival` (closed, or open at a rate with a constant or Poisson
 * process), `workload.duration` (requests = rate x duration instead of
 * days), the `rate` sweep's values, and the capacity `search:` section.
 *
 * An open model needs a rate from somewhere: the arrival itself, a `rate`
 * sweep or the search; these checks run after the whole tree is read so
 * that each can see the others (docs/open-model.md).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_priv.h"

#define MAX_RATE 1e7    /* requests/s: 100 ns apart */

int64_t brc_workload_requests(const struct brc_workload *w)
{
	double n;

	if (w->arrival.model != BR_ARRIVAL_OPEN || w->duration <= 0 ||
	    w->arrival.rate <= 0)
		return w->days;
	n = llround(w->arrival.rate * w->duration);
	return n < 1 ? 1 : (int64_t)n;
}

/* A string key that must be one of names[] (two of them); its index, or
 * -1 (reported) when it is something else, or `def` when absent. */
static int choice(struct brc_diag *d, const struct brc_ynode *map,
                  const char *base, const char *key,
                  const char *const names[2], int def)
{
	char *v = NULL, path[BR_SC_PATH];
	int r = -1;

	if (brc_sc_str(d, map, base, key, &v) <= 0)
		return def;
	for (int i = 0; i < 2; i++)
		if (!strcmp(v, names[i]))
			r = i;
	if (r < 0) {
		brc_sc_join(path, base, key);
		brc_diag_add(d, &brc_sc_child(map, key)->mark, path,
		            "'%s' is neither '%s' nor '%s'", v, names[0],
		            names[1]);
	}
	free(v);
	return r;
}

void brc_sc_arrival(struct brc_diag *d, const struct brc_ynode *wl,
                   struct brc_workload *w, bool days_given)
{
	static const char *const keys[] = { "model", "rate", "process" };
	static const char *const models[] = { "closed", "open" };
	static const char *const procs[] = { "constant", "poisson" };
	const char *base = "workload.arrival";
	const struct brc_ynode *a = wl ? brc_sc_map(d, wl, "workload",
	                                            "arrival") : NULL;
	int m, p;

	if (wl)
		brc_sc_duration(d, wl, "workload", "duration", &w->duration,
		                1e-3, 7 * 86400);
	if (!a)
		return;
	brc_sc_keys(d, a, base, keys, BR_ARRAY_SIZE(keys));
	m = choice(d, a, base, "model", models,
	           brc_sc_child(a, "rate") ? 1 : 0);
	p = choice(d, a, base, "process", procs, 0);
	if (m >= 0)
		w->arrival.model = (enum brc_arrival_model)m;
	if (p >= 0)
		w->arrival.process = (enum brc_arrival_process)p;
	if (brc_sc_double(d, a, base, "rate", &w->arrival.rate, 1e-3,
	                 MAX_RATE) > 0 && m == BR_ARRIVAL_CLOSED)
		brc_diag_add(d, &brc_sc_child(a, "rate")->mark,
		            "workload.arrival.rate", "a rate needs 'model: "
		            "open' (the closed model starts a request whenever "
		            "a slot is free)");
	/* Both given: days wins, so `--set workload.days=20` shortens any
	 * open scenario (tests/configs.sh does); -1: given, not counted. */
	if (days_given && w->duration > 0 && w->arrival.model == BR_ARRIVAL_OPEN)
		w->duration = -1;
}

/* `search: {rate: {p99: 150ms, min: 100, max: 50000, ...}}`. */
void brc_sc_search(struct brc_diag *d, const struct brc_ynode *root,
                  struct brc_search *s)
{
	static const char *const keys[] = { "rate" };
	static const char *const rkeys[] = { "p50", "p90", "p99", "p999",
		"min", "max", "duration", "precision", "max_probes" };
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999 };
	const struct brc_ynode *sm = brc_sc_map(d, root, "", "search");
	const struct brc_ynode *r;
	const char *base = "search.rate";
	int targets = 0;

	s->duration = 2;
	s->precision = 0.1;
	s->max_probes = 12;
	if (!sm)
		return;
	brc_sc_keys(d, sm, "search", keys, BR_ARRAY_SIZE(keys));
	r = brc_sc_map(d, sm, "search", "rate");
	if (!r)
		return;
	s->mark = r->mark;
	brc_sc_keys(d, r, base, rkeys, BR_ARRAY_SIZE(rkeys));
	for (size_t k = 0; k < BR_ARRAY_SIZE(qs); k++) {
		if (brc_sc_duration(d, r, base, rkeys[k], &s->target, 1e-6,
		                   3600) > 0) {
			s->quantile = qs[k];
			targets++;
		}
	}
	if (targets != 1)
		brc_diag_add(d, &r->mark, base, "give one response-time "
		            "target: p50, p90, p99 or p999 (e.g. p99: 150ms)");
	if (!brc_sc_child(r, "min") || !brc_sc_child(r, "max"))
		brc_diag_add(d, &r->mark, base, "give the range to search: "
		            "min and max (requests/s)");
	if (brc_sc_double(d, r, base, "min", &s->min, 1e-3, MAX_RATE) > 0 &&
	    brc_sc_double(d, r, base, "max", &s->max, 1e-3, MAX_RATE) > 0 &&
	    s->min >= s->max)
		brc_diag_add(d, &brc_sc_child(r, "min")->mark, "search.rate.min",
		            "min must be below max");
	brc_sc_duration(d, r, base, "duration", &s->duration, 0.01, 3600);
	brc_sc_double(d, r, base, "precision", &s->precision, 0.001, 10);
	brc_sc_int(d, r, base, "max_probes", &s->max_probes, 2, 100);
	s->enabled = targets == 1 && !d->count;
}

/* After everything is read: an open model has a rate, a rate sweep has
 * rates and an open model, a duration has an open model. */
void brc_sc_arrival_check(struct brc_diag *d, const struct brc_ynode *root,
                         struct brc_scenario *sc)
{
	const struct brc_ynode *wl = brc_sc_child(root, "workload");
	const struct brc_ynode *a = wl ? brc_sc_child(wl, "arrival") : NULL;
	const struct brc_sweep *rate = NULL;
	struct brc_workload *w = &sc->workload;
	struct brc_mark none = { sc->path, 0, 0 };
	const struct brc_mark *at = a ? &a->mark : &none;
	char path[BR_SC_PATH];

	for (size_t k = 0; k < sc->n_sweeps; k++)
		if (!strcmp(sc->sweeps[k].param, "rate"))
			rate = &sc->sweeps[k];
	for (size_t v = 0; rate && v < rate->n_values; v++) {
		double r;
		const char *why;

		if (!brc_parse_double(rate->values[v], &r, &why) && r > 0 &&
		    r <= MAX_RATE)
			continue;
		brc_sc_index(path, "sweep.rate", v);
		brc_diag_add(d, &rate->mark, path, "'%s' is not a rate "
		            "(requests/s, above 0, at most %g)",
		            rate->values[v], MAX_RATE);
	}
	if ((rate || sc->search.enabled) &&
	    w->arrival.model != BR_ARRIVAL_OPEN)
		brc_diag_add(d, rate ? &rate->mark : &sc->search.mark,
		            rate ? "sweep.rate" : "search.rate",
		            "offering rates needs an open model: "
		            "workload.arrival: {model: open}");
	if (w->arrival.model == BR_ARRIVAL_OPEN && w->arrival.rate <= 0 &&
	    !rate && !sc->search.enabled)
		brc_diag_add(d, at, "workload.arrival", "an open model needs a "
		            "rate (workload.arrival.rate, a 'rate' sweep or a "
		            "capacity search)");
	if (w->duration > 0 && w->arrival.model != BR_ARRIVAL_OPEN)
		brc_diag_add(d, &brc_sc_child(wl, "duration")->mark,
		            "workload.duration", "a duration needs an open "
		            "model (requests = rate x duration); give 'days' "
		            "in the closed model");
}
