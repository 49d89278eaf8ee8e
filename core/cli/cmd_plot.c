/*
 * cmd_plot.c - `benchrun plot RESULTS.json -o FILE.svg|FILE.png`: draw a
 * results file (report_plot.c does the drawing).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "report/report.h"
#include "util.h"

int brc_cmd_plot(const struct brc_options *o)
{
	struct brc_results r;
	char *err;
	int rc;

	if (!o->output) {
		brc_error("plot: where to? give -o FILE.svg or -o FILE.png");
		return BR_EXIT_USAGE;
	}
	{
		const char *dot = strrchr(o->output, '.');

		if (!dot || (strcasecmp(dot, ".svg") && strcasecmp(dot, ".png"))) {
			brc_error("plot: -o %s: the picture must be .svg or .png",
			          o->output);
			return BR_EXIT_USAGE;
		}
	}
	if (brc_output_path_ok(o->output)) {
		brc_error("-o %s: %s", o->output, brc_file_strerror(errno));
		return BR_EXIT_USAGE;
	}
	if (brc_results_json_read(o->args[0], &r, &err)) {
		brc_error("cannot plot: %s", err);
		free(err);
		return BR_EXIT_USAGE;
	}
	rc = brc_report_plot(o->output, &r) ? BR_EXIT_FAIL : BR_EXIT_OK;
	if (!rc)
		brc_info("wrote %s", o->output);
	brc_results_free(&r);
	return rc;
}
