/*
 * cmd_serve.c - `benchrun serve [SCENARIO] [--host H] [--port P]`: the
 * embedded ticket server in the foreground, e.g. to point another client
 * or a browser at it, until Ctrl-C.
 */
#include "config.h"

#include <string.h>

#include "cli/cli.h"
#include "server/server.h"
#include "util.h"

#define SERVE_DEFAULT_PORT 8080

/* Without a scenario: the loader's own defaults (100 days of MOW-LED, no
 * delay); the strategy is only there because a scenario needs one. */
static const char defaults_yaml[] =
	"name: serve\n"
	"workload: {days: 100}\n"
	"server: {latency: {model: none}}\n"
	"strategies: [{plugin: sync}]\n";

int brc_cmd_serve(const struct brc_options *o)
{
	struct brc_scenario sc;
	const char *host;
	int port, rc;

	if (o->n_args >= 1) {
		rc = brc_cli_load_scenario(o, &sc);
		if (rc)
			return rc;
	} else if (brc_scenario_load_string("(defaults)", defaults_yaml,
	                                   strlen(defaults_yaml), o->overrides,
	                                   o->n_overrides, &sc, NULL)) {
		return BR_EXIT_USAGE;
	}
	if (!sc.server.embedded) {
		brc_error("%s: the server is external (server.url %s), not "
		         "embedded: nothing to serve", sc.path ? sc.path :
		         "scenario", sc.server.url);
		brc_scenario_free(&sc);
		return BR_EXIT_USAGE;
	}
	host = o->host ? o->host : sc.server.host;
	port = o->port >= 0 ? o->port :
	       sc.server.port > 0 ? sc.server.port : SERVE_DEFAULT_PORT;
	rc = brc_cli_check_bind(o, host);
	if (!rc)
		rc = brc_server_run(&sc, host, port, -1);
	brc_scenario_free(&sc);
	return rc;
}
