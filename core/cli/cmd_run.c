/*
 * cmd_run.c - `benchrun SCENARIO.yaml`: load and plan the scenario, start
 * the embedded server, measure every plan item (warm-ups, then
 * repetitions) in its own worker process, print the table and write the
 * result files.
 *
 * Ctrl-C: the first SIGINT/SIGTERM kills the current run, marks the
 * results incomplete and still prints and writes what was measured (the
 * journal stays for --resume, cli_journal.c); a second one exits at once
 * (the server and the worker die with benchrun through PR_SET_PDEATHSIG).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli/cli.h"
#include "run/plan.h"
#include "report/report.h"
#include "run/runner.h"
#include "scenario/paths.h"
#include "server/server.h"
#include "util.h"

/* File descriptors a transfer may need (socket + a spare, e.g. an
 * eventfd or a pipe end), and what the process needs besides. */
/* The least any strategy needs: one socket per transfer in flight.  A
 * plugin that needs more (curl's per-handle wakeup socketpair in threaded
 * plugins) checks in its create hook, with its own message. */
#define FDS_PER_TRANSFER 1
#define FDS_SLACK 64

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	pid_t pgid = (pid_t)brc_spawn_pgid;

	(void)sig;
	if (stop_requested) {
		/* The worker dies with us (PR_SET_PDEATHSIG), its children
		 * would not. */
		if (pgid > 0)
			kill(-pgid, SIGKILL);
		_exit(BR_EXIT_INTERRUPTED);
	}
	stop_requested = 1;
}

static void catch_signals(void)
{
	/* No SA_RESTART: the runner's poll must wake up with EINTR. */
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int check_fds(const struct brc_plan *plan, uint64_t requests)
{
	uint64_t limit = brc_raise_nofile();

	for (size_t i = 0; i < plan->n; i++) {
		const struct brc_plan_item *it = &plan->items[i];
		uint64_t in_flight = (uint64_t)it->concurrency < requests ?
		                     (uint64_t)it->concurrency : requests;
		uint64_t need = in_flight * FDS_PER_TRANSFER + FDS_SLACK;

		if (limit && need > limit) {
			brc_error("strategy '%s'%s%s needs about %llu open files "
			         "but the limit is %llu: raise it (ulimit -n, "
			         "or LimitNOFILE=) or lower the concurrency",
			         it->label, *it->point ? " at " : "", it->point,
			         (unsigned long long)need,
			         (unsigned long long)limit);
			return -1;
		}
	}
	return 0;
}

static char *describe_server(const struct brc_server *s)
{
	const struct brc_latency *l = &s->latency;
	char a[32], b[32];
	struct brc_buf d = { 0 };

	if (!s->embedded)
		return brc_xstrdup(s->url);
	brc_buf_printf(&d, "embedded, ");
	switch (l->model) {
	case BR_LAT_NONE:
		brc_buf_printf(&d, "no delay");
		break;
	case BR_LAT_FIXED:
		brc_buf_printf(&d, "fixed %s", brc_fmt_duration(a, sizeof(a), l->value));
		break;
	case BR_LAT_UNIFORM:
		brc_buf_printf(&d, "uniform %s..%s",
		              brc_fmt_duration(a, sizeof(a), l->min),
		              brc_fmt_duration(b, sizeof(b), l->max));
		break;
	case BR_LAT_NORMAL:
		brc_buf_printf(&d, "normal %s sd %s",
		              brc_fmt_duration(a, sizeof(a), l->mean),
		              brc_fmt_duration(b, sizeof(b), l->stddev));
		break;
	case BR_LAT_LOGNORMAL:
		brc_buf_printf(&d, "lognormal median %s",
		              brc_fmt_duration(a, sizeof(a), l->median));
		break;
	case BR_LAT_EXPONENTIAL:
		brc_buf_printf(&d, "exponential mean %s",
		              brc_fmt_duration(a, sizeof(a), l->mean));
		break;
	}
	if (l->tail_fraction > 0)
		brc_buf_printf(&d, ", tail %g%% x%g", 100 * l->tail_fraction,
		              l->tail_factor);
	if (s->max_in_flight)
		brc_buf_printf(&d, ", max_in_flight %lld",
		              (long long)s->max_in_flight);
	return d.data;
}

static void init_results(const struct brc_scenario *sc,
                         const struct brc_plan *plan, struct brc_results *r)
{
	memset(r, 0, sizeof(*r));
	r->schema = BR_RESULTS_SCHEMA;
	r->scenario_name = brc_xstrdup(sc->name);
	r->scenario_path = brc_xstrdup(sc->path);
	r->scenario_hash = brc_xstrdup(sc->hash ? sc->hash : "");
	r->scenario_yaml = sc->text ? brc_xstrdup(sc->text) : NULL;
	r->baseline = brc_xstrdup(sc->runs.baseline ? sc->runs.baseline
	                                           : sc->strategies[0].label);
	brc_results_fill_host(r);
	r->requests = (uint64_t)sc->workload.days;
	r->seed = sc->workload.seed;
	r->server_desc = describe_server(&sc->server);
	r->order = brc_xstrdup(brc_run_order_name(sc->runs.order));
	r->auto_reps = sc->runs.auto_reps;
	r->n_settings = sc->n_settings;
	r->setting_keys = brc_xcalloc(sc->n_settings + 1, sizeof(char *));
	r->setting_values = brc_xcalloc(sc->n_settings + 1, sizeof(char *));
	for (size_t i = 0; i < sc->n_settings; i++) {
		r->setting_keys[i] = brc_xstrdup(sc->setting_keys[i]);
		r->setting_values[i] = brc_xstrdup(sc->setting_values[i]);
	}
	r->mem_instrument = brc_cgroup_describe(sc->runs.sample_interval);
	r->groups = brc_xcalloc(plan->n ? plan->n : 1, sizeof(*r->groups));
	r->n_groups = plan->n;
	for (size_t i = 0; i < plan->n; i++) {
		const struct brc_plan_item *it = &plan->items[i];
		struct brc_group *g = &r->groups[i];

		g->label = brc_xstrdup(it->label);
		g->plugin = brc_xstrdup(it->plugin_name);
		g->point = brc_xstrdup(it->point);
		g->n_params = it->n_eff;
		g->param_names = brc_xcalloc(it->n_eff + 1, sizeof(char *));
		g->param_values = brc_xcalloc(it->n_eff + 1, sizeof(char *));
		for (size_t k = 0; k < it->n_eff; k++) {
			g->param_names[k] = brc_xstrdup(it->eff_names[k]);
			g->param_values[k] = brc_xstrdup(it->eff_values[k]);
		}
		g->concurrency = it->concurrency;
		g->item = (int64_t)i;
		g->runs = brc_xcalloc((size_t)sc->runs.repetitions,
		                     sizeof(*g->runs));
	}
}

/* The machine's state before the first run, in the results and as
 * warnings; with --strict a noisy machine is an error (exit 1). */
static int machine_check(const struct brc_options *o, struct brc_results *res)
{
	char *text = NULL;
	size_t n;

	brc_machine_probe(&res->state);
	n = brc_machine_warnings(&res->state, res->host_cores, &text);
	for (char *p = text, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		if (o->strict)
			brc_error("noisy machine: %s", p);
		else
			brc_warn("noisy machine: %s", p);
	}
	free(text);
	if (n && o->strict) {
		brc_error("--strict: not measuring on a noisy machine (%zu "
		         "problem%s above)", n, n == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

static int write_outputs(const struct brc_out_paths *paths,
                         const struct brc_results *res, bool *json_written)
{
	const struct {
		const char *path;
		int (*write)(const char *path, const struct brc_results *r);
	} out[] = {
		{ paths->json, brc_results_json_write },
		{ paths->csv, brc_report_csv_write },
		{ paths->markdown, brc_report_md_write },
		{ paths->plot, brc_report_plot },
		{ paths->html, brc_report_html_write },
	};
	int rc = 0;

	for (size_t k = 0; k < BR_ARRAY_SIZE(out); k++) {
		if (!out[k].path)
			continue;
		/* `outputs: {json: results/x.json}` should just work. */
		if (brc_mkdir_parents(out[k].path) || out[k].write(out[k].path, res)) {
			/* The plot explains its own failures (gnuplot missing...). */
			if (out[k].write != brc_report_plot)
				brc_error("cannot write %s: %s", out[k].path,
				         brc_file_strerror(errno));
			rc = -1;
			continue;
		}
		if (out[k].path == paths->json)
			*json_written = true;
		/* Which files this run wrote, so none is mistaken for
		 * another run's (-q keeps quiet). */
		if (brc_verbosity >= 0)
			fprintf(stderr, "wrote %s\n", out[k].path);
	}
	return rc;
}

/* A file of some cells holds only the groups it measured. */
static void drop_empty_groups(struct brc_results *res)
{
	size_t n = 0;

	for (size_t i = 0; i < res->n_groups; i++) {
		if (res->groups[i].n_runs) {
			res->groups[n++] = res->groups[i];
			continue;
		}
		brc_group_free(&res->groups[i]);
	}
	res->n_groups = n;
}

/* --cell / --shard: which cells to run (NULL: all), and how many the
 * scenario has; -1 after saying what is wrong. */
static int choose_cells(const struct brc_options *o,
                        const struct brc_scenario *sc,
                        const struct brc_plan *plan, bool **sel,
                        int64_t *total)
{
	size_t n = 0;
	char *err = NULL;

	*sel = NULL;
	*total = 0;
	if (brc_cells_total(sc, plan, &n, &err)) {
		if (!o->cells && !o->shard) {
			free(err);
			return 0; /* no cells to speak of; runs as asked */
		}
		brc_error("%s", err);
		free(err);
		return -1;
	}
	*total = (int64_t)n;
	if ((o->cells || o->shard) &&
	    brc_cells_select(o->cells, o->shard, n, sel, &err)) {
		brc_error("%s", err);
		free(err);
		return -1;
	}
	return 0;
}

int brc_cmd_run(const struct brc_options *o)
{
	struct brc_scenario sc;
	struct brc_plan plan = { 0 };
	struct brc_server_proc srv = { 0 };
	struct brc_results res;
	struct brc_out_paths outs = { 0 };
	bool all_ok, have_srv = false, *cells = NULL;
	int64_t n_cells = 0;
	char *err = NULL;
	int rc;

	rc = brc_cli_load_scenario(o, &sc);
	if (rc)
		return rc;
	rc = brc_cli_check_outputs(o, &sc);
	if (!rc && sc.server.embedded)
		rc = brc_cli_check_bind(o, sc.server.host);
	if (rc)
		goto out_scenario;
	if (brc_plan_build(&sc, o->plugin_path, &plan, &err)) {
		fputs(err ? brc_sanitize(err, BRC_TEXT_KEEP_NL | BRC_TEXT_KEEP_TAB)
		          : "cannot plan the scenario", stderr);
		fputc('\n', stderr);
		free(err);
		/* Like validate: a plugin or parameter problem is 1. */
		rc = BR_EXIT_FAIL;
		goto out_scenario;
	}
	brc_cli_size_workload(&sc, &plan);
	if (choose_cells(o, &sc, &plan, &cells, &n_cells)) {
		rc = BR_EXIT_USAGE;
		goto out_plan;
	}
	if (check_fds(&plan, (uint64_t)sc.workload.days)) {
		rc = BR_EXIT_USAGE;
		goto out_plan;
	}
	if (sc.server.embedded) {
		if (brc_server_spawn(&sc, &srv)) {
			rc = BR_EXIT_FAIL;
			goto out_plan;
		}
		have_srv = true;
	}
	catch_signals();
	init_results(&sc, &plan, &res);
	res.cells_total = n_cells;
	if (machine_check(o, &res)) {
		rc = BR_EXIT_FAIL;
		if (have_srv)
			brc_server_stop(&srv);
		brc_results_free(&res);
		goto out_plan;
	}
	brc_cli_outputs(o, &sc, &outs);
	struct brc_run_loop loop = {
		.sc = &sc, .plan = &plan, .srv = have_srv ? &srv : NULL,
		.res = &res,
		.stop = &stop_requested, .cells = cells,
	};
	bool json_written = false, some_cells = cells != NULL;

	/* --resume: the journal's runs are in res, its cells not run again. */
	rc = brc_cli_journal_begin(o, &sc, outs.json, &loop, &cells);
	if (rc) {
		brc_cli_journal_end(&loop, false, false);
		brc_cli_outputs_free(&outs);
		if (have_srv)
			brc_server_stop(&srv);
		brc_results_free(&res);
		goto out_plan;
	}
	loop.cells = cells;
	brc_progress_begin(o->progress);
	if (sc.search.enabled)
		all_ok = brc_search_run(&loop);
	else
		all_ok = brc_run_loop(&loop) && !loop.server_dead;
	if (some_cells || sc.search.enabled)
		drop_empty_groups(&res);
	brc_progress_end();
	if (have_srv)
		brc_server_stop(&srv);
	res.incomplete = stop_requested != 0;
	if (res.incomplete)
		brc_warn("interrupted: the results are incomplete");

	brc_report_table(stdout, &res, !o->no_color && isatty(STDOUT_FILENO));
	fflush(stdout);
	if (write_outputs(&outs, &res, &json_written))
		all_ok = false;
	brc_cli_journal_end(&loop, json_written, res.incomplete);
	brc_cli_outputs_free(&outs);
	rc = res.incomplete ? BR_EXIT_INTERRUPTED
	     : all_ok       ? BR_EXIT_OK
	                    : BR_EXIT_FAIL;
	brc_results_free(&res);
out_plan:
	free(cells);
	brc_plan_free(&plan);
out_scenario:
	brc_scenario_free(&sc);
	return rc;
}
