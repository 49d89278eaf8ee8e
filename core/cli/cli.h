/*
 * cli.h - the command line: global options shared by every subcommand, and
 * the subcommand entry points (one file each).
 *
 * Exit codes (documented in benchrun(1)): 0 all good; 1 a run, a
 * validation or a comparison failed; 2 usage error (bad options, unreadable
 * or invalid scenario); 130 interrupted.
 */
#ifndef BR_CLI_H
#define BR_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <signal.h>

#include "results/results.h"
#include "run/plan.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "server/server.h"
#include "util.h"

enum { BRC_PROGRESS_AUTO = 0, BRC_PROGRESS_ALWAYS, BRC_PROGRESS_NEVER };

struct brc_options {
	const char *output;      /* -o/--output: results JSON (or plot file) */
	const char *plugin_path; /* --plugin-path, colon-separated          */
	struct brc_override *overrides; /* --set PATH=VALUE, in order        */
	size_t n_overrides;
	int runs;                /* --runs N, -1: from the scenario         */
	int warmup;              /* --warmup N, -1: from the scenario       */
	const char *host;        /* serve --host                            */
	int port;                /* serve --port, -1: from the scenario     */
	bool public_bind;        /* --public: the server may leave loopback */
	double threshold;        /* compare --threshold (fraction), 0: none  */
	bool allow_few_runs;     /* compare --allow-few-runs                */
	bool allow_different;    /* compare --allow-different-workloads     */
	bool strict;             /* run --strict: a noisy machine is an error */
	bool no_color;           /* --no-color or NO_COLOR                  */
	const char *cells;       /* run --cell IDS|env: only these cells    */
	const char *shard;       /* run --shard K/N: every N-th cell from K */
	bool json;               /* plan --json                             */
	bool resume;             /* run --resume: continue from the journal */
	int progress;            /* --progress: BRC_PROGRESS_*              */
	const char *html;        /* compare --html FILE                     */
	char **args;             /* positional arguments after the command  */
	int n_args;
};

/* Each returns an exit code. */
int brc_cmd_run(const struct brc_options *o);       /* benchrun SCENARIO   */
int brc_cmd_validate(const struct brc_options *o);  /* validate SCENARIO   */
int brc_cmd_plugins(const struct brc_options *o);   /* plugins             */
int brc_cmd_serve(const struct brc_options *o);     /* serve [SCENARIO]    */
int brc_cmd_export(const struct brc_options *o);    /* export SCENARIO DIR */
int brc_cmd_compare(const struct brc_options *o);   /* compare OLD NEW     */
int brc_cmd_plot(const struct brc_options *o);      /* plot RESULTS        */
int brc_cmd_report(const struct brc_options *o);    /* report RESULTS      */
int brc_cmd_merge(const struct brc_options *o);     /* merge A B ...       */
int brc_cmd_plan(const struct brc_options *o);      /* plan SCENARIO       */
int brc_cmd_check_plugin(const struct brc_options *o); /* check-plugin FILE */

/* Load the scenario named by o->args[0] with o's overrides; prints errors
 * and returns BR_EXIT_USAGE on failure, 0 on success. */
int brc_cli_load_scenario(const struct brc_options *o, struct brc_scenario *sc);
/* Where `run` would write (-o or outputs.json, csv, markdown, plot):
 * never the scenario itself, never two outputs on one file, never over
 * something that is not a regular file.  0, or BR_EXIT_USAGE after saying
 * what is wrong. */
int brc_cli_check_outputs(const struct brc_options *o,
                         const struct brc_scenario *sc);
/* The embedded server binds loopback addresses only, unless --public:
 * anyone who can reach it can POST /_benchrun/reset.  0, or BR_EXIT_USAGE
 * after saying so. */
int brc_cli_check_bind(const struct brc_options *o, const char *host);

/* compare_scenario.c: print which scenario settings of two results files
 * differ; -1 (after an error message) when their workloads differ and
 * !allow, else 0. */
int brc_compare_scenarios(const struct brc_results *ro,
                         const struct brc_results *rn, bool allow);

/* run_loop.c: every measured run of a scenario in runs.order (warm-ups
 * first), appending each to the journal; stops on *stop or
 * when the embedded server dies (server_dead).  Returns all_ok. */
struct brc_journal;
struct brc_run_loop {
	const struct brc_scenario *sc;
	const struct brc_plan *plan;
	struct brc_server_proc *srv;  /* NULL: external server          */
	struct brc_results *res;      /* groups sized for repetitions   */
	struct brc_journal *journal;  /* each run appended (journal.h); NULL: none */
	char *journal_path;
	bool journal_warned;          /* an append failed, said once    */
	volatile sig_atomic_t *stop;
	const bool *cells;            /* cells to run (cells.c); NULL: all */
	bool all_ok, server_dead;     /* out                            */
	int seq;                      /* measured runs so far           */
};
bool brc_run_loop(struct brc_run_loop *l);
/* The runner job for one run of plan item it with workload w (borrowed),
 * as both the measured runs and the search probes start it; job.dir is
 * left NULL for the caller. */
struct brc_runner_job brc_run_loop_job(const struct brc_run_loop *l,
                                       const struct brc_plan_item *it,
                                       const struct brc_workload *w);
/* search.c: the capacity search instead of the measured runs: per plan
 * item, probes by bisection over sc->search's range, each answer and its
 * probes in l->res->capacity.  Returns whether every probe ran OK. */
bool brc_search_run(struct brc_run_loop *l);
/* cli_journal.c: the journal beside results file json (NULL: none), per
 * results/journal.h.  check: nothing that is not ours is there, nor the
 * runs of an interrupted benchrun unless --resume (0, or BR_EXIT_USAGE
 * after saying so).  begin: create it with l->res's header into
 * l->journal (a failure is a warning: the results are then written at
 * the end only); with --resume and a journal there, its runs go into
 * l->res, *cells (NULL: all) becomes the cells still to run, and it is
 * reopened (0, or BR_EXIT_USAGE after saying why it cannot be
 * continued).  end: close it, removing it when `written` (the results
 * file holds every run) and not `interrupted` (--resume continues it). */
int brc_cli_check_journal(const struct brc_options *o,
                          const struct brc_scenario *sc, const char *json);
int brc_cli_journal_begin(const struct brc_options *o,
                          const struct brc_scenario *sc, const char *json,
                          struct brc_run_loop *l, bool **cells);
void brc_cli_journal_end(struct brc_run_loop *l, bool written,
                         bool interrupted);
/* cli_outputs.c: the files a run writes (NULL: not written), resolved
 * from -o and the scenario's outputs; see there for the rule. */
struct brc_out_paths {
	char *json, *csv, *markdown, *plot, *html;
};
void brc_cli_outputs(const struct brc_options *o, const struct brc_scenario *sc,
                     struct brc_out_paths *out);
void brc_cli_outputs_free(struct brc_out_paths *out);

/* cli_progress.c: progress of a run (--progress).  begin before the first
 * run, step before each (runs done, runs planned so far), clear before
 * printing a line of one's own, end after the last. */
void brc_progress_begin(int mode);
void brc_progress_step(size_t done, size_t total, const char *label,
                       const char *point, const char *what);
void brc_progress_clear(void);
void brc_progress_end(void);
/* The first few reasons of a failed run from its log (failed tickets'
 * lines, the last lines a program wrote to stderr), indented on stderr;
 * nothing with -q, or with -v (which shows the whole log already). */
void brc_show_reasons(const char *log);

/* cells.c: a cell is one run of one plan item at one repetition; cell c
 * is repetition c / plan->n of item c % plan->n.  brc_cells_total: how
 * many (refused, -1 with *err, under `repetitions: auto`).
 * brc_cells_select: which to run for --cell "3,5-9"|"env" (the scheduler's
 * array index: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX) and --shard
 * "K/N" (every N-th cell from K; both given: the shard of those cells);
 * *sel gets total flags (free it), or -1 with *err (malloc'd). */
int brc_cells_total(const struct brc_scenario *sc, const struct brc_plan *plan,
                    size_t *total, char **err);
int brc_cells_select(const char *cells, const char *shard, size_t total,
                     bool **sel, char **err);
void brc_cell_at(const struct brc_plan *plan, size_t cell, size_t *item,
                 int64_t *rep);

/* The workload of one plan item: the scenario's, at the item's offered
 * rate (a `rate` sweep point or a search probe), with requests = rate x
 * duration when the scenario gives a duration.  Its strings are
 * borrowed from sc. */
struct brc_plan_item;
struct brc_workload brc_cli_item_workload(const struct brc_scenario *sc,
                                          const struct brc_plan_item *it);

/* With a duration, the requests depend on the rate: make
 * sc->workload.days (what the embedded server serves, and the results'
 * request count) the most any plan item or search probe asks for. */
struct brc_plan;
void brc_cli_size_workload(struct brc_scenario *sc,
                           const struct brc_plan *plan);

#endif /* BR_CLI_H */
