/*
 * cmd_plan.c - `benchrun plan SCENARIO [--json]`: the scenario's cells
 * (one run of one strategy at one sweep point and repetition, cells.c),
 * with their stable ids and the time each should take by the server's
 * latency model, so a cluster scheduler can be given them (`--cell I`,
 * `--shard K/N`) and their results merged (`benchrun merge`).
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "run/plan.h"
#include "server/model.h"
#include "util.h"

/* Seconds a perfect client needs for one run of item (the ideal model);
 * NaN against an external server, whose latencies benchrun cannot know. */
static double estimate(const struct brc_scenario *sc,
                       const struct brc_plan_item *it)
{
	if (!sc->server.embedded)
		return NAN;
	return brc_model_ideal(&sc->server, sc->workload.seed,
	                       (uint64_t)sc->workload.days, it->concurrency);
}

static void print_json(const struct brc_scenario *sc,
                       const struct brc_plan *plan, size_t total,
                       const double *est)
{
	cJSON *root = cJSON_CreateObject(), *cells;
	char *text;

	cJSON_AddStringToObject(root, "scenario", sc->name);
	cJSON_AddStringToObject(root, "hash", sc->hash);
	cJSON_AddNumberToObject(root, "total", (double)total);
	cJSON_AddNumberToObject(root, "warmup_per_cell",
	                        (double)sc->runs.warmup);
	cells = cJSON_AddArrayToObject(root, "cells");
	for (size_t c = 0; c < total; c++) {
		cJSON *o = cJSON_CreateObject();
		size_t i;
		int64_t rep;

		brc_cell_at(plan, c, &i, &rep);
		cJSON_AddNumberToObject(o, "id", (double)c);
		cJSON_AddStringToObject(o, "strategy", plan->items[i].label);
		cJSON_AddStringToObject(o, "point", plan->items[i].point);
		cJSON_AddNumberToObject(o, "repetition", (double)rep + 1);
		if (isfinite(est[i]))
			cJSON_AddNumberToObject(o, "estimate_s", est[i]);
		else
			cJSON_AddNullToObject(o, "estimate_s");
		cJSON_AddItemToArray(cells, o);
	}
	text = cJSON_Print(root);
	puts(text);
	cJSON_free(text);
	cJSON_Delete(root);
}

static void print_table(const struct brc_scenario *sc,
                        const struct brc_plan *plan, size_t total,
                        const double *est)
{
	double sum = 0;
	char t[32];

	printf("%6s  %-16s %-24s %4s  %s\n", "cell", "strategy", "point", "run",
	       "estimate");
	for (size_t c = 0; c < total; c++) {
		size_t i;
		int64_t rep;

		brc_cell_at(plan, c, &i, &rep);
		printf("%6zu  %-16s %-24s %4lld  %s\n", c, plan->items[i].label,
		       *plan->items[i].point ? plan->items[i].point : "-",
		       (long long)rep + 1,
		       brc_fmt_duration(t, sizeof(t), est[i]));
		sum += est[i] * (double)(1 + sc->runs.warmup);
	}
	printf("%zu cells (%zu strategy and sweep point pair%s x %lld "
	       "repetition%s)", total, plan->n, plan->n == 1 ? "" : "s",
	       (long long)sc->runs.repetitions,
	       sc->runs.repetitions == 1 ? "" : "s");
	if (sc->runs.warmup)
		printf(", each after %lld warm-up run%s of its strategy",
		       (long long)sc->runs.warmup,
		       sc->runs.warmup == 1 ? "" : "s");
	if (isfinite(sum))
		printf("; ideal time of all %s", brc_fmt_duration(t, sizeof(t),
		                                                  sum));
	printf("\nrun one with: benchrun %s --cell ID (with the same --set "
	       "options; --cell env in a job array; --shard K/N), then "
	       "benchrun merge\n", sc->path);
}

int brc_cmd_plan(const struct brc_options *o)
{
	struct brc_scenario sc;
	struct brc_plan plan;
	size_t total;
	double *est;
	char *err = NULL;
	int rc;

	rc = brc_cli_load_scenario(o, &sc);
	if (rc)
		return rc;
	if (brc_plan_build(&sc, o->plugin_path, &plan, &err)) {
		fputs(err ? err : "cannot plan the scenario\n", stderr);
		free(err);
		brc_scenario_free(&sc);
		return BR_EXIT_FAIL;
	}
	if (brc_cells_total(&sc, &plan, &total, &err)) {
		brc_error("%s", err);
		free(err);
		rc = BR_EXIT_USAGE;
		goto out;
	}
	est = brc_xcalloc(plan.n + 1, sizeof(double));
	for (size_t i = 0; i < plan.n; i++)
		est[i] = estimate(&sc, &plan.items[i]);
	if (o->json)
		print_json(&sc, &plan, total, est);
	else
		print_table(&sc, &plan, total, est);
	free(est);
out:
	brc_plan_free(&plan);
	brc_scenario_free(&sc);
	return rc;
}
