/*
 * cmd_export.c - `benchrun export SCENARIO DIR`: write the workload as
 * static files (export.c) and say how to serve them.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"
#include "server/export.h"
#include "util.h"

int brc_cmd_export(const struct brc_options *o)
{
	struct brc_scenario sc;
	uint64_t files, bytes;
	const char *tmpl, *why;
	char size[32];
	int rc;

	rc = brc_cli_load_scenario(o, &sc);
	if (rc)
		return rc;
	if (brc_export(&sc, o->args[1], &files, &bytes)) {
		rc = BR_EXIT_FAIL;
		goto out;
	}
	printf("exported %" PRIu64 " files, %s (%" PRIu64 " bytes) to %s\n",
	       files, brc_fmt_size(size, sizeof(size), (double)bytes), bytes,
	       o->args[1]);
	tmpl = brc_export_path_template(&sc.server, &why);
	if (brc_verbosity >= 0 && tmpl)
		printf("Serve it with e.g. nginx (root %s; default_type "
		       "application/json;) and run with\n"
		       "  --set 'server.url=http://127.0.0.1:8080%s'\n",
		       o->args[1], tmpl);
out:
	brc_scenario_free(&sc);
	return rc;
}
