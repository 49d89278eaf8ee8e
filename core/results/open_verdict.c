/*
 * open_verdict.c - did an open-model run keep up with its schedule?
 *
 * A strategy keeps up when it starts requests about as fast as they are
 * offered and never far behind their due times.  Either test alone misses
 * a case: a short run at 95 % of capacity starts almost at the offered
 * rate but ends with a backlog (the lag test sees it), and a strategy
 * that starts every request 100 ms late at exactly the right rate has a
 * constant backlog (so does the lag test).  The rate test speaks for the
 * long runs, where a few percent short means an unbounded queue.
 * Also: which run fields belong to the open model, and whether a set of
 * results has any open-model run (files of closed runs leave them out).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "results/metrics.h"
#include "util.h"

bool brc_open_kept_up(const struct brc_open_result *o, double schedule_rate,
                      char *why, size_t len)
{
	char a[32];

	if (why && len)
		why[0] = '\0';
	if (!(o->offered_rate > 0))
		return true;
	if (schedule_rate <= 0)
		schedule_rate = o->offered_rate;
	if (o->achieved_rate < BR_KEPT_UP_RATE * schedule_rate) {
		if (why)
			snprintf(why, len, "started %.*f of %.*f req/s offered",
			         o->achieved_rate < 100 ? 1 : 0, o->achieved_rate,
			         o->offered_rate < 100 ? 1 : 0, o->offered_rate);
		return false;
	}
	if (o->lag_p99 > BR_KEPT_UP_LAG) {
		if (why)
			snprintf(why, len, "start lag p99 %s",
			         brc_fmt_duration(a, sizeof(a), o->lag_p99));
		return false;
	}
	return true;
}

bool brc_run_field_is_open(const struct brc_run_field *f)
{
	return f->group && (!strcmp(f->group, "open") ||
	                    !strcmp(f->group, "service"));
}

bool brc_results_open(const struct brc_results *r)
{
	for (size_t i = 0; i < r->n_groups; i++)
		for (size_t j = 0; j < r->groups[i].n_runs; j++)
			if (r->groups[i].runs[j].open.offered_rate > 0)
				return true;
	return false;
}
