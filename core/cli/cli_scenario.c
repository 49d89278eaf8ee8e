/*
 * cli_scenario.c - the scenario as every subcommand loads it: the first
 * positional argument, with --set overrides, and --runs/--warmup turned
 * into overrides of runs.repetitions/runs.warmup so that they are checked
 * (and hashed) exactly like the file; and the workload one plan item
 * runs (its offered rate and request count).
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "run/plan.h"
#include "util.h"

/* Report the plugin and parameter problems of what was valid in a
 * scenario with errors too: one pass shows everything to fix. */
static void also_plan(const struct brc_options *o, struct brc_scenario *sc)
{
	struct brc_plan plan;
	char *err = NULL;

	if (!sc->n_strategies)
		return;
	if (brc_plan_build(sc, o->plugin_path, &plan, &err)) {
		fprintf(stderr, "%s\n", brc_sanitize(err, BRC_TEXT_KEEP_NL |
		                                     BRC_TEXT_KEEP_TAB));
		free(err);
		return;
	}
	brc_plan_free(&plan);
}

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
	r = brc_scenario_load_partial(o->args[0], ov, n, sc, &err);
	free(ov);
	if (r) {
		/* Diagnostics quote the file: no escape sequences. */
		fputs(err ? brc_sanitize(err, BRC_TEXT_KEEP_NL | BRC_TEXT_KEEP_TAB)
		          : "invalid scenario\n", stderr);
		free(err);
		also_plan(o, sc);
		brc_scenario_free(sc);
		return BR_EXIT_USAGE;
	}
	return 0;
}

/* Whether a and b name one existing file (hard links and ./x included). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return true;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int brc_cli_check_outputs(const struct brc_options *o,
                         const struct brc_scenario *sc)
{
	struct brc_out_paths paths;
	int rc = 0;

	/* The files the run will write, as cli_outputs.c resolves them. */
	brc_cli_outputs(o, sc, &paths);
	const struct {
		const char *what, *path;
	} out[] = {
		{ o->output ? "-o" : "outputs.json", paths.json },
		{ "outputs.csv", paths.csv },
		{ "outputs.markdown", paths.markdown },
		{ "outputs.plot", paths.plot },
		{ "outputs.html", paths.html },
	};

	for (size_t i = 0; i < BR_ARRAY_SIZE(out); i++) {
		if (!out[i].path)
			continue;
		if (same_file(out[i].path, sc->path)) {
			brc_error("%s %s is the scenario file itself: it would be "
			         "overwritten", out[i].what, out[i].path);
			rc = BR_EXIT_USAGE;
		}
		for (size_t k = 0; k < i; k++)
			if (out[k].path && same_file(out[k].path, out[i].path)) {
				brc_error("%s and %s are the same file (%s): each "
				         "output needs its own path", out[k].what,
				         out[i].what, out[i].path);
				rc = BR_EXIT_USAGE;
			}
		if (brc_output_path_ok(out[i].path)) {
			brc_error("%s %s: %s", out[i].what, out[i].path,
			         brc_file_strerror(errno));
			rc = BR_EXIT_USAGE;
		}
	}
	if (!rc)
		rc = brc_cli_check_journal(o, sc, paths.json);
	brc_cli_outputs_free(&paths);
	return rc;
}

/* Whether every address host resolves to is a loopback one. */
static bool loopback_only(const char *host)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	                          .ai_socktype = SOCK_STREAM }, *res, *ai;
	bool all = true;

	if (getaddrinfo(host, "0", &hints, &res))
		return true; /* the bind itself will say what is wrong */
	for (ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			const struct sockaddr_in *a = (void *)ai->ai_addr;

			all &= (ntohl(a->sin_addr.s_addr) >> 24) == 127;
		} else if (ai->ai_family == AF_INET6) {
			const struct sockaddr_in6 *a = (void *)ai->ai_addr;

			all &= IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
		}
	}
	freeaddrinfo(res);
	return all;
}

int brc_cli_check_bind(const struct brc_options *o, const char *host)
{
	if (o->public_bind || !host || !*host || loopback_only(host))
		return 0;
	brc_error("the server would bind %s, beyond loopback: anyone who can "
	         "reach it can fetch the tickets and POST /_benchrun/reset; "
	         "pass --public to mean it", host);
	return BR_EXIT_USAGE;
}

struct brc_workload brc_cli_item_workload(const struct brc_scenario *sc,
                                          const struct brc_plan_item *it)
{
	struct brc_workload w = sc->workload;

	if (w.arrival.model == BR_ARRIVAL_OPEN)
		w.arrival.rate = it->rate;
	w.days = brc_workload_requests(&w);
	return w;
}

void brc_cli_size_workload(struct brc_scenario *sc,
                           const struct brc_plan *plan)
{
	struct brc_workload w = sc->workload;
	int64_t most = 0;

	if (w.arrival.model != BR_ARRIVAL_OPEN ||
	    (w.duration <= 0 && !sc->search.enabled))
		return;
	for (size_t i = 0; i < plan->n && w.duration > 0; i++) {
		int64_t n = brc_cli_item_workload(sc, &plan->items[i]).days;

		most = n > most ? n : most;
	}
	if (sc->search.enabled) {
		w.arrival.rate = sc->search.max;
		w.duration = sc->search.duration;
		if (brc_workload_requests(&w) > most)
			most = brc_workload_requests(&w);
	}
	sc->workload.days = most ? most : sc->workload.days;
}
