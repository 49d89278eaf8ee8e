/*
 * runner.h - the parent side of a measured run: start a worker process
 * (`benchrun __worker`) for one plan item, watch it, sample its process
 * tree, and turn what it reports into a `struct brc_run_result`.
 *
 * The worker runs in its own process group so that a timeout, a Ctrl-C or
 * the end of the run can kill everything the strategy started, including
 * children that outlive it; benchrun makes itself a child subreaper so
 * those orphans come back to it to be reaped, and so that descendants
 * which left the group (setsid) come back too and are killed as well.
 */
#ifndef BR_RUNNER_H
#define BR_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "results/results.h"
#include "run/cgroup.h"
#include "run/sampler.h"
#include "scenario/scenario.h"
#include "server/server.h"

/* One measured run of one plan item. */
struct brc_runner_job {
	const char *exe;           /* benchrun binary; NULL: /proc/self/exe */
	const char *plugin_path;   /* resolved plugin file                 */
	const char *dir;           /* the worker's working directory (the
	                              scenario's, absolute), NULL: ours     */
	const struct brc_param_value *params; /* given to brc_params_build    */
	size_t n_params;
	const struct brc_workload *w;
	const char *url_template;  /* with {base} {route} {date} {i}       */
	const char *base;          /* what {base} becomes                   */
	/* The server model, for the ideal time; NULL (external server): no
	 * ideal.  `srv`: the embedded server to reset and query, or NULL. */
	const struct brc_server *model;
	const struct brc_server_proc *srv;
	int64_t concurrency;
	double timeout;            /* seconds, whole worker lifetime        */
	double sample_interval;    /* seconds                               */
	bool tolerate_errors;      /* failed tickets still make an OK run   */
	/* Set (e.g. by a signal handler) to abort the run at once: the
	 * worker group is killed and the run marked BR_RUN_INTERRUPTED. */
	volatile sig_atomic_t *stop;
};

/* Run the job and fill *out completely (strings and timeline malloc'd;
 * repetition left 0).  Returns 0 when the run is OK, -1 otherwise (the
 * reason is in out->status / out->reason). */
int brc_runner_run(const struct brc_runner_job *job, struct brc_run_result *out);

/* brc_run_result_clear (results.h) frees what brc_runner_run allocated. */

/* ---- run_spawn.c: the worker process and its watch loop ------------- */

struct brc_spawn_out {
	int wait_status;           /* from waitpid; valid when reaped       */
	bool reaped, timed_out, interrupted;
	bool ready, ended;         /* handshakes seen                       */
	char *report;              /* report JSON text, or NULL             */
	char *output;              /* last ~4 KiB of stdout + stderr        */
	struct brc_sample baseline; /* taken at "ready"                      */
	struct brc_sample final;    /* taken at "end"                        */
	struct brc_sample *samples; /* every periodic sample                 */
	size_t n_samples;
	uint64_t ready_ns;         /* when "ready" was seen                 */
	uint64_t sampler_cpu_ns;   /* CPU the sampling took in total         */
	uint64_t elapsed_ns;       /* from fork to the last reap             */
	size_t sampler_count;
	double interval;           /* requested between samples, seconds    */
	/* The exact instrument (cgroup.h), when cg_version is not 0: the
	 * group's usage at "ready", its peak from "ready" to "end", usage
	 * at "end", and the breakdown at the highest usage sampled. */
	int cg_version;
	int64_t cg_baseline, cg_peak, cg_end;
	struct brc_cgroup_stat cg_stat;
};

/* Fork/exec `exe __worker`, feed it `spec` (one JSON line), watch it until
 * it exits (or the timeout / *stop), then kill and reap its whole process
 * group.  Returns 0, or -1 when it could not even be started (message
 * printed). */
int brc_spawn_worker(const char *exe, const char *spec, double timeout,
                    double interval, volatile sig_atomic_t *stop,
                    struct brc_spawn_out *out);
void brc_spawn_out_free(struct brc_spawn_out *o);

/* The process group of the worker running now, 0 between runs: a signal
 * handler that must exit at once kills it first (kill(-pgid, SIGKILL)),
 * since the worker's own children do not die with benchrun. */
extern volatile sig_atomic_t brc_spawn_pgid;

#endif /* BR_RUNNER_H */
