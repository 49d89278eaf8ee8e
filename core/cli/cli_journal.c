/*
 * cli_journal.c - the journal of a run (results/journal.h) as `benchrun
 * SCENARIO` uses it: checked before anything runs (nothing of anybody
 * else's is ever replaced, and the runs of an interrupted benchrun are
 * never overwritten), created with the results' header before the first
 * run, and removed once the results file holds every run; with --resume,
 * an interrupted run's journal is read back, its runs kept, and only the
 * cells it lacks are run.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "results/journal.h"
#include "util.h"

/* A line of what happens to the runs, like "wrote FILE" (-q: none). */
static void BR_PRINTF(1, 2) say(const char *fmt, ...)
{
	va_list ap;

	if (brc_verbosity < 0)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Scenarios that measure runs keep a journal; the capacity search keeps
 * its probes in memory only. */
static bool journaled(const struct brc_scenario *sc, const char *json)
{
	return json && !sc->search.enabled;
}

int brc_cli_check_journal(const struct brc_options *o,
                          const struct brc_scenario *sc, const char *json)
{
	char *path;
	int rc = 0;

	if (!journaled(sc, json))
		return 0;
	path = brc_journal_path(json);
	switch (brc_journal_probe(path)) {
	case BRC_JOURNAL_NONE:
		break;
	case BRC_JOURNAL_NOT_REGULAR:
		brc_error("the journal %s: %s", path, brc_file_strerror(EEXIST));
		rc = BR_EXIT_USAGE;
		break;
	case BRC_JOURNAL_FOREIGN:
		brc_error("the journal %s: a file that is not a benchrun "
		         "journal is there: refusing to replace it (move it "
		         "away, or write the results elsewhere with -o)", path);
		rc = BR_EXIT_USAGE;
		break;
	case BRC_JOURNAL_OURS:
		if (o->resume)
			break;
		/* Said by validate too: name the run's command, not "this". */
		brc_error("%s holds the runs of an interrupted benchrun: "
		         "continue it with its run command and --resume "
		         "(`benchrun %s --resume`, with the same --set, --runs "
		         "and -o), keep them with `benchrun merge %s -o %s`, or "
		         "delete it to start over", path,
		         sc->path ? sc->path : "SCENARIO.yaml", path, json);
		rc = BR_EXIT_USAGE;
		break;
	}
	free(path);
	return rc;
}

/* Why the journal j cannot be continued by this run (res), or NULL. */
static const char *differs(const struct brc_results *j,
                           const struct brc_results *res)
{
	if (!j->scenario_hash || !res->scenario_hash ||
	    strcmp(j->scenario_hash, res->scenario_hash))
		return "its scenario, or the --set, --runs or --warmup given, "
		       "differ from this run's";
	if (j->n_groups != res->n_groups)
		return "its strategies and sweep points differ from this run's";
	for (size_t i = 0; i < j->n_groups; i++)
		if (strcmp(j->groups[i].label, res->groups[i].label) ||
		    strcmp(j->groups[i].point, res->groups[i].point))
			return "its strategies and sweep points differ from "
			       "this run's";
	return NULL;
}

/*
 * --resume: the runs of the journal become this run's (each its cell:
 * repetition x plan item), the cells they fill are not run again, and
 * the journal is reopened to take the rest.  *cells (NULL: every cell)
 * becomes the cells still to run.
 */
static int resume(const struct brc_scenario *sc, struct brc_run_loop *l,
                  bool **cells)
{
	size_t n = l->plan->n, reps = (size_t)sc->runs.repetitions, valid = 0;
	size_t had = 0, left = 0;
	struct brc_results j;
	const char *why;
	bool *done = NULL;
	char *err = NULL;
	int rc = BR_EXIT_USAGE;

	if (brc_journal_read(l->journal_path, &j, &valid, &err)) {
		brc_error("cannot resume: %s", err);
		free(err);
		return rc;
	}
	why = differs(&j, l->res);
	done = brc_xcalloc(n * reps + 1, sizeof(*done));
	for (size_t i = 0; !why && i < j.n_groups; i++)
		for (size_t r = 0; !why && r < j.groups[i].n_runs; r++) {
			int k = j.groups[i].runs[r].repetition;

			if (k < 0 || (size_t)k >= reps || done[(size_t)k * n + i])
				why = "it holds a run twice, or beyond "
				      "runs.repetitions";
			else
				done[(size_t)k * n + i] = true;
		}
	if (why) {
		brc_error("cannot resume from %s: %s (recover its runs with "
		         "`benchrun merge %s -o FILE.json`)", l->journal_path,
		         why, l->journal_path);
		goto out;
	}
	l->journal = brc_journal_reopen(l->journal_path, valid);
	if (!l->journal) {
		brc_error("cannot resume: %s: %s", l->journal_path,
		         brc_file_strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < j.n_groups; i++) {
		struct brc_group *g = &l->res->groups[i];

		for (size_t r = 0; r < j.groups[i].n_runs; r++) {
			struct brc_run_result *run = &j.groups[i].runs[r];

			if (run->seq >= l->seq)
				l->seq = run->seq + 1;
			g->runs[g->n_runs++] = *run;
			memset(run, 0, sizeof(*run));
			had++;
		}
	}
	if (!*cells) {
		*cells = brc_xcalloc(n * reps + 1, sizeof(**cells));
		memset(*cells, 1, n * reps * sizeof(**cells));
	}
	for (size_t c = 0; c < n * reps; c++) {
		(*cells)[c] = (*cells)[c] && !done[c];
		left += (*cells)[c];
	}
	say("resuming from %s: %zu run%s measured before, %zu to go",
	    l->journal_path, had, had == 1 ? "" : "s", left);
	rc = 0;
out:
	free(done);
	brc_results_free(&j);
	return rc;
}

int brc_cli_journal_begin(const struct brc_options *o,
                          const struct brc_scenario *sc, const char *json,
                          struct brc_run_loop *l, bool **cells)
{
	l->journal = NULL;
	l->journal_path = NULL;
	if (!journaled(sc, json)) {
		if (o->resume)
			brc_warn("--resume: %s", json ? "the capacity search "
			        "keeps no journal: starting from the first probe"
			        : "no results file, so no journal: starting "
			        "from the first run");
		return 0;
	}
	l->journal_path = brc_journal_path(json);
	if (o->resume && brc_journal_probe(l->journal_path) == BRC_JOURNAL_OURS)
		return resume(sc, l, cells);
	if (o->resume)
		say("--resume: no journal %s: starting from the first run",
		    l->journal_path);
	if (brc_mkdir_parents(json) ||
	    !(l->journal = brc_journal_create(l->journal_path, l->res))) {
		brc_warn("cannot create the journal %s: %s (the results are "
		        "written at the end only: a kill before then loses "
		        "them)", l->journal_path, brc_file_strerror(errno));
		return 0;
	}
	brc_debug("journal: %s", l->journal_path);
	return 0;
}

void brc_cli_journal_end(struct brc_run_loop *l, bool written,
                         bool interrupted)
{
	size_t runs = 0;

	if (!l->journal) {
		free(l->journal_path);
		l->journal_path = NULL;
		return;
	}
	/* The results file holds every run: the journal has done its job,
	 * unless the run was interrupted (it is what --resume continues). */
	brc_journal_close(l->journal, written && !interrupted);
	for (size_t i = 0; i < l->res->n_groups; i++)
		runs += l->res->groups[i].n_runs;
	if (!written)
		brc_warn("the %zu runs measured are kept in %s: `benchrun "
		        "merge %s -o FILE.json` writes them as a results file",
		        runs, l->journal_path, l->journal_path);
	else if (interrupted)
		say("the journal %s keeps the %zu runs measured: the same "
		    "command with --resume runs only the rest",
		    l->journal_path, runs);
	l->journal = NULL;
	free(l->journal_path);
	l->journal_path = NULL;
}
