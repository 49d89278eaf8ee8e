/*
 * cmd_plot.c - `benchrun plot RESULTS.json -o FILE.svg|FILE.png`: draw a
 * results file (report_plot.c does the drawing).
 */
#include "config.h"

#include <stdlib.h>

#include "cli/cli.h"
#include "report/report.h"
#include "util.h"

int br_cmd_plot(const struct br_options *o)
{
	struct br_results r;
	char *err;
	int rc;

	if (!o->output) {
		br_error("plot: where to? give -o FILE.svg or -o FILE.png");
		return BR_EXIT_USAGE;
	}
	if (br_results_json_read(o->args[0], &r, &err)) {
		br_error("cannot plot: %s", err);
		free(err);
		return BR_EXIT_USAGE;
	}
	rc = br_report_plot(o->output, &r) ? BR_EXIT_FAIL : BR_EXIT_OK;
	if (!rc)
		br_info("wrote %s", o->output);
	br_results_free(&r);
	return rc;
}
