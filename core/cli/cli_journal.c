/*
 * cli_journal.c - the journal of a run (results/journal.h) as `benchrun
 * SCENARIO` uses it: checked before anything runs (nothing of anybody
 * else's is ever replaced, and the runs of an interrupted benchrun are
 * never overwritten), created with the results' header before the first
 * run, and removed once the results file holds every run.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "results/journal.h"
#include "util.h"

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
		brc_error("%s holds the runs of an interrupted benchrun: keep "
		         "them with `benchrun merge %s -o %s`, or delete it to "
		         "start over", path, path, json);
		rc = BR_EXIT_USAGE;
		break;
	}
	(void)o;
	free(path);
	return rc;
}

void brc_cli_journal_begin(const struct brc_scenario *sc, const char *json,
                           struct brc_run_loop *l)
{
	l->journal = NULL;
	l->journal_path = NULL;
	if (!journaled(sc, json))
		return;
	l->journal_path = brc_journal_path(json);
	if (brc_mkdir_parents(json) ||
	    !(l->journal = brc_journal_create(l->journal_path, l->res))) {
		brc_warn("cannot create the journal %s: %s (the results are "
		        "written at the end only: a kill before then loses "
		        "them)", l->journal_path, brc_file_strerror(errno));
		return;
	}
	brc_debug("journal: %s", l->journal_path);
}

void brc_cli_journal_end(struct brc_run_loop *l, bool written)
{
	size_t runs = 0;

	if (!l->journal) {
		free(l->journal_path);
		l->journal_path = NULL;
		return;
	}
	/* The results file holds every run: the journal has done its job.
	 * Otherwise it is all there is, and stays. */
	brc_journal_close(l->journal, written);
	if (!written) {
		for (size_t i = 0; i < l->res->n_groups; i++)
			runs += l->res->groups[i].n_runs;
		brc_warn("the %zu runs measured are kept in %s: `benchrun "
		        "merge %s -o FILE.json` writes them as a results file",
		        runs, l->journal_path, l->journal_path);
	}
	l->journal = NULL;
	free(l->journal_path);
	l->journal_path = NULL;
}
