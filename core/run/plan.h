/*
 * plan.h - expand a scenario into the list of things to measure: every
 * strategy at every sweep point, with its plugin resolved and its
 * parameters checked against the plugin's declared table.
 *
 * A sweep applies to the strategies whose plugin declares the swept
 * parameter; several sweeps form a cartesian product.  A sweep over a
 * parameter that no strategy's plugin declares is an error, as is a
 * parameter a plugin does not declare or a value it rejects.
 */
#ifndef BR_PLAN_H
#define BR_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"

struct brc_plan_item {
	size_t strategy;          /* index into sc->strategies               */
	char *label;              /* the strategy's label                    */
	char *plugin_name;        /* descriptor name                         */
	char *plugin_path;        /* resolved file, absolute                 */
	char *point;              /* "concurrency=100,workers=4" or ""        */
	/* What the worker hands to brc_params_build: the strategy's params,
	 * then this point's sweep values (later wins). */
	struct brc_param_value *params;
	size_t n_params;
	/* Every declared parameter's effective value as text (defaults
	 * included), for reports. */
	char **eff_names, **eff_values;
	size_t n_eff;
	/* Value of the parameter named concurrency, else workers, else
	 * max_threads; 1 when the plugin has none (sequential). */
	int64_t concurrency;
	/* Open model: the offered rate at this point (the arrival's, or the
	 * `rate` sweep's value); 0 in the closed model. */
	double rate;
};

struct brc_plan {
	struct brc_plan_item *items;
	size_t n;
};

/*
 * Build the plan.  `plugin_path` is --plugin-path (may be NULL).  Returns 0,
 * or -1 with every problem found in *err (malloc'd, one per line, each
 * "file:line:col: ..." where a mark is known).
 */
int brc_plan_build(const struct brc_scenario *sc, const char *plugin_path,
                  struct brc_plan *out, char **err);
void brc_plan_free(struct brc_plan *p);

/*
 * plan_order.c: the order of the n plan items in measured round `round`
 * (0-based) into out[n]: interleaved rotates the starting item, random
 * shuffles with a generator seeded by seed and round, blocked is the plan
 * order (the caller then runs every repetition of an item in a row).
 */
void brc_plan_order(size_t n, enum brc_run_order order, uint64_t seed,
                   size_t round, size_t *out);
/* plan_program.c: why the program argv (a BR_PARAM_F_PROGRAM value) cannot
 * be started from directory `dir` ("cannot be started: ..."), malloc'd, or
 * NULL when it can. */
char *brc_program_problem(const char *const *argv, const char *dir);

#endif /* BR_PLAN_H */
