/*
 * cmd_report.c - `benchrun report RESULTS.json -o FILE.html`: the HTML
 * report of a saved results file (report_html.c writes the page).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "util.h"

int brc_cmd_report(const struct brc_options *o)
{
	struct brc_results r;
	char *err;
	int rc = BR_EXIT_OK;

	if (!o->output) {
		brc_error("report: where to? give -o FILE.html");
		return BR_EXIT_USAGE;
	}
	if (brc_results_json_read(o->args[0], &r, &err)) {
		brc_error("cannot report: %s", err);
		free(err);
		return BR_EXIT_USAGE;
	}
	if (brc_mkdir_parents(o->output) ||
	    brc_report_html_write(o->output, &r)) {
		brc_error("cannot write %s: %s", o->output, strerror(errno));
		rc = BR_EXIT_FAIL;
	} else {
		brc_info("wrote %s", o->output);
	}
	brc_results_free(&r);
	return rc;
}
