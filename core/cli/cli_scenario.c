/*
 * cli_scenario.c - the scenario as every subcommand loads it: the first
 * positional argument, with --set overrides, and --runs/--warmup turned
 * into overrides of runs.repetitions/runs.warmup so that they are checked
 * (and hashed) exactly like the file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "util.h"

int brc_cli_load_scenario(const struct brc_options *o, struct brc_scenario *sc)
{
	struct brc_override *ov;
	char runs[24], warmup[24];
	size_t n = o->n_overrides;
	char *err = NULL;
	int r;

	if (o->n_args < 1 || !o->args[0]) {
		brc_error("missing the SCENARIO file argument");
		return BR_EXIT_USAGE;
	}
	ov = brc_xcalloc(n + 2, sizeof(*ov));
	for (size_t i = 0; i < n; i++)
		ov[i] = o->overrides[i];
	if (o->runs >= 0) {
		snprintf(runs, sizeof(runs), "%d", o->runs);
		ov[n++] = (struct brc_override){ "runs.repetitions", runs };
	}
	if (o->warmup >= 0) {
		snprintf(warmup, sizeof(warmup), "%d", o->warmup);
		ov[n++] = (struct brc_override){ "runs.warmup", warmup };
	}
	r = brc_scenario_load(o->args[0], ov, n, sc, &err);
	free(ov);
	if (r) {
		fputs(err ? err : "invalid scenario\n", stderr);
		free(err);
		return BR_EXIT_USAGE;
	}
	return 0;
}
