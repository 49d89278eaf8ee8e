/*
 * cmd_validate.c - `benchrun validate SCENARIO`: load the scenario, then
 * build the whole plan (every plugin loaded and checked, every sweep point's
 * parameters typed) without running anything.  Exit 2 when the scenario
 * itself is invalid, 1 for a plugin or parameter problem, 0 when a run
 * would start.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "run/plan.h"
#include "server/model.h"
#include "util.h"

static void print_item(const struct brc_plan_item *it)
{
	printf("  %s%s%s%s: %s (%s), concurrency %lld\n", it->label,
	       *it->point ? " [" : "", it->point, *it->point ? "]" : "",
	       it->plugin_name, it->plugin_path, (long long)it->concurrency);
	for (size_t i = 0; i < it->n_eff; i++)
		printf("      %s = %s\n", it->eff_names[i], it->eff_values[i]);
}

/* How long the runs take at least: the ideal client (the server's latency
 * model at each item's concurrency) for every warm-up and repetition.
 * Real strategies take longer (start-up, CPU, queueing). */
static void print_estimate(const struct brc_scenario *sc,
                           const struct brc_plan *plan)
{
	double sum = 0;
	char t[32];

	if (!sc->server.embedded) {
		printf("estimated time: unknown (an external server's latency "
		       "is not modelled)\n");
		return;
	}
	for (size_t i = 0; i < plan->n; i++)
		sum += brc_model_ideal(&sc->server, sc->workload.seed,
		                       (uint64_t)sc->workload.days,
		                       plan->items[i].concurrency) *
		       (double)(sc->runs.warmup + sc->runs.repetitions);
	printf("estimated time: at least %s (an ideal client against the "
	       "server's latency model; real strategies take longer)\n",
	       brc_fmt_duration(t, sizeof(t), sum));
}

int brc_cmd_validate(const struct brc_options *o)
{
	const char *file = o->args[0];
	struct brc_scenario sc;
	struct brc_plan plan;
	char *err = NULL;
	size_t problems = 0;
	int rc;

	rc = brc_cli_load_scenario(o, &sc);
	if (rc)
		return rc;
	rc = brc_cli_check_outputs(o, &sc);
	if (rc) {
		brc_scenario_free(&sc);
		return rc;
	}
	if (brc_plan_build(&sc, o->plugin_path, &plan, &err)) {
		fprintf(stderr, "%s\n", brc_sanitize(err, BRC_TEXT_KEEP_NL |
		                                         BRC_TEXT_KEEP_TAB));
		for (const char *c = err; *c; c++)
			problems += *c == '\n';
		brc_error("%s: %zu problem%s found", file, problems + 1,
		         problems ? "s" : "");
		free(err);
		brc_scenario_free(&sc);
		return BR_EXIT_FAIL;
	}
	if (brc_verbosity >= 0) {
		int64_t reps = sc.runs.repetitions;
		char count[32], *shown = brc_xsanitized(file, 0);

		printf("%s: ok: %zu strateg%s, %lld runs (%zu configuration%s x "
		       "%lld repetition%s", shown, sc.n_strategies,
		       sc.n_strategies == 1 ? "y" : "ies",
		       (long long)((int64_t)plan.n * reps), plan.n,
		       plan.n == 1 ? "" : "s", (long long)reps,
		       reps == 1 ? "" : "s");
		if (sc.runs.warmup)
			printf(", + %lld warm-up each", (long long)sc.runs.warmup);
		printf("; %s requests per run)\n",
		       brc_fmt_count(count, sizeof(count),
		                    (double)sc.workload.days));
		print_estimate(&sc, &plan);
		free(shown);
	}
	if (brc_verbosity >= 1)
		for (size_t i = 0; i < plan.n; i++)
			print_item(&plan.items[i]);
	brc_plan_free(&plan);
	brc_scenario_free(&sc);
	return BR_EXIT_OK;
}
