/*
 * cmd_merge.c - `benchrun merge A.json B.json ... -o ALL.json`: the results
 * files of one scenario's cells (run on several machines) as one file
 * (results_merge.c does the joining).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "results/merge.h"
#include "results/results.h"
#include "util.h"

int brc_cmd_merge(const struct brc_options *o)
{
	size_t n = (size_t)o->n_args, loaded = 0, runs = 0;
	struct brc_results *in = brc_xcalloc(n, sizeof(*in)), out;
	struct brc_buf msg = { 0 }, warn = { 0 };
	int rc = BR_EXIT_USAGE;
	char *err;

	if (!o->output) {
		brc_error("merge: where to? give -o ALL.json");
		goto done;
	}
	for (; loaded < n; loaded++)
		if (brc_results_json_read(o->args[loaded], &in[loaded], &err)) {
			brc_error("cannot merge: %s", err);
			free(err);
			goto done;
		}
	if (brc_results_merge(in, (const char *const *)o->args, n, &out, &msg,
	                      &warn)) {
		brc_error("cannot merge: %s", msg.data);
		goto done;
	}
	for (char *p = warn.data, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		brc_warn("%s", p);
	}
	for (size_t i = 0; i < out.n_groups; i++)
		runs += out.groups[i].n_runs;
	rc = BR_EXIT_OK;
	if (brc_mkdir_parents(o->output) ||
	    brc_results_json_write(o->output, &out)) {
		brc_error("cannot write %s: %s", o->output, strerror(errno));
		rc = BR_EXIT_FAIL;
	} else {
		brc_info("wrote %s: %zu runs in %zu groups from %zu files%s",
		        o->output, runs, out.n_groups, n,
		        out.incomplete ? " (incomplete)" : "");
	}
	brc_results_free(&out);
done:
	for (size_t i = 0; i < loaded; i++)
		brc_results_free(&in[i]);
	free(in);
	brc_buf_free(&msg);
	brc_buf_free(&warn);
	return rc;
}
