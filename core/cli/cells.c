/*
 * cells.c - a scenario's cells: one measured run of one plan item (a
 * strategy at a sweep point) at one repetition.  Cell c is repetition
 * c / n of item c % n (n plan items): ids go round by round, the order an
 * interleaved run takes, and stay the same for the same scenario and
 * overrides.  `--cell` and `--shard` choose which of them this process
 * runs, so a cluster scheduler can spread them (docs/distributed.md).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util.h"

int brc_cells_total(const struct brc_scenario *sc, const struct brc_plan *plan,
                    size_t *total, char **err)
{
	if (sc->runs.auto_reps) {
		*err = brc_xstrdup("cells need a fixed number of runs: "
		                   "`repetitions: auto` decides it while running "
		                   "(set runs.repetitions, or --runs N)");
		return -1;
	}
	*total = plan->n * (size_t)sc->runs.repetitions;
	return 0;
}

/* A whole number 0..max from s up to end (NULL: the end of s). */
static int number(const char *s, const char *end, size_t max, size_t *out)
{
	char *stop;
	unsigned long long v;

	if (!end)
		end = s + strlen(s);
	if (s == end || *s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &stop, 10);
	if (stop != end || v > max)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* "env": the array index a scheduler gives each task. */
static const char *from_env(char **err)
{
	static const char *const vars[] = { "SLURM_ARRAY_TASK_ID",
	                                    "JOB_COMPLETION_INDEX" };

	for (size_t i = 0; i < BR_ARRAY_SIZE(vars); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return v;
	}
	*err = brc_xstrdup("--cell env: neither SLURM_ARRAY_TASK_ID (a Slurm "
	                   "job array) nor JOB_COMPLETION_INDEX (a Kubernetes "
	                   "Indexed Job) is set");
	return NULL;
}

static int parse_list(const char *spec, size_t total, bool *sel, char **err)
{
	/* Split by hand: strtok would skip the empty item of "1,,2". */
	for (const char *tok = spec, *end;; tok = end + 1) {
		const char *dash;
		size_t lo, hi;

		end = strchr(tok, ',');
		if (!end)
			end = tok + strlen(tok);
		dash = memchr(tok, '-', (size_t)(end - tok));
		if (dash ? number(tok, dash, SIZE_MAX, &lo) ||
		                   number(dash + 1, end, SIZE_MAX, &hi) || hi < lo
		         : number(tok, end, SIZE_MAX, &lo)) {
			*err = brc_xasprintf("--cell wants ids and ranges like "
			                     "3,5-9 (or env), not '%s'", spec);
			return -1;
		}
		if (!dash)
			hi = lo;
		if (hi >= total) {
			*err = brc_xasprintf("cell %zu does not exist: the scenario "
			                     "has %zu cells, 0 to %zu (benchrun "
			                     "plan lists them)", hi, total,
			                     total ? total - 1 : 0);
			return -1;
		}
		for (size_t c = lo; c <= hi; c++)
			sel[c] = true;
		if (!*end)
			return 0;
	}
}

int brc_cells_select(const char *cells, const char *shard, size_t total,
                     bool **out, char **err)
{
	bool *sel = brc_xcalloc(total + 1, sizeof(bool));
	size_t k, n;

	*out = NULL;
	if (cells && !strcmp(cells, "env") && !(cells = from_env(err)))
		goto fail;
	if (cells && parse_list(cells, total, sel, err))
		goto fail;
	if (shard) {
		const char *slash = strchr(shard, '/');

		if (!slash || number(slash + 1, NULL, SIZE_MAX, &n) || !n ||
		    number(shard, slash, n - 1, &k)) {
			*err = brc_xasprintf("--shard wants K/N with 0 <= K < N "
			                     "(every N-th cell from cell K), not "
			                     "'%s'", shard);
			goto fail;
		}
		/* With --cell too, the shard takes from those cells. */
		for (size_t c = 0; c < total; c++)
			sel[c] = (cells ? sel[c] : true) && c % n == k;
	}
	*out = sel;
	return 0;

fail:
	free(sel);
	return -1;
}

void brc_cell_at(const struct brc_plan *plan, size_t cell, size_t *item,
                 int64_t *rep)
{
	*item = cell % plan->n;
	*rep = (int64_t)(cell / plan->n);
}
