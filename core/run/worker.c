/*
 * worker.c - `benchrun __worker`: one measured run in a fresh process.
 *
 * The parent (run_spawn.c) writes a run spec as one line of JSON on stdin
 * and reads this process's messages on fd 3:
 *
 *   worker                                  parent
 *   load plugin, opts, URLs, expectations,
 *   create()             -> "ready\n"       samples the baseline
 *                        <- "g"
 *   run() (measured)     -> "end\n"         takes a last sample while the
 *                        <- "g"             strategy still holds its memory
 *   report JSON, EOF     ->                 parses it
 *   destroy(), exit 0
 *
 * A failure before "ready" sends the report (status "failed") right away.
 * The pipes are worker_pipe.c's, the spec's fields run_spec.c's.
 * Only the run hook is inside the measured window; the two handshakes sit
 * outside it and cost a pipe round trip each.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/loader.h"
#include "results/metrics.h"
#include "run/runctx.h"
#include "run/worker.h"
#include "run/run_spec.h"
#include "run/sampler.h"
#include "run/worker_guard.h"
#include "run/worker_pipe.h"
#include "workload/arrival.h"
#include "workload/tickets.h"
#include "util.h"

static double tv(const struct timeval *t)
{
	return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

/* self + waited-for children, so forking strategies are charged too. */
static void usage_now(struct rusage *u)
{
	struct rusage c;

	getrusage(RUSAGE_SELF, u);
	getrusage(RUSAGE_CHILDREN, &c);
	timeradd(&u->ru_utime, &c.ru_utime, &u->ru_utime);
	timeradd(&u->ru_stime, &c.ru_stime, &u->ru_stime);
	u->ru_nvcsw += c.ru_nvcsw;
	u->ru_nivcsw += c.ru_nivcsw;
	u->ru_minflt += c.ru_minflt;
	u->ru_majflt += c.ru_majflt;
}

/* The run hook's measurements, in the results' own field table (the
 * runner adds memory, server and ideal-time fields it measured itself). */
static void add_measures(cJSON *r, const struct brc_run_tally *t,
                         double wall, const struct rusage *u0,
                         const struct rusage *u1, const double startup[2])
{
	struct brc_run_result rr = {
		.wall = wall,
		.startup_wall = startup[0],
		.startup_cpu = startup[1],
		.cpu_user = tv(&u1->ru_utime) - tv(&u0->ru_utime),
		.cpu_sys = tv(&u1->ru_stime) - tv(&u0->ru_stime),
		.cpu_processing = t->cpu_processing,
		.ctx_voluntary = (uint64_t)(u1->ru_nvcsw - u0->ru_nvcsw),
		.ctx_involuntary = (uint64_t)(u1->ru_nivcsw - u0->ru_nivcsw),
		.minor_faults = (uint64_t)(u1->ru_minflt - u0->ru_minflt),
		.major_faults = (uint64_t)(u1->ru_majflt - u0->ru_majflt),
		.requests = t->requests,
		.ok = t->ok,
		.retries = t->retries,
		.bytes = t->bytes,
		.fail = t->fail,
		.open = t->open,
	};
	struct brc_sample self;
	struct rusage kids;

	brc_hist_summary(&t->latency, &rr.latency);
	if (!brc_sample_proc(getpid(), &self)) {
		rr.peak_rss = self.root_hwm;
		rr.peak_vsize = self.root_vsize;
	}
	/* The largest of the children the plugin has waited for (exec: the
	 * program); the runner adds those still alive at "end". */
	if (!getrusage(RUSAGE_CHILDREN, &kids))
		rr.largest_rss = (int64_t)kids.ru_maxrss * 1024;
	brc_run_fields_to_json(r, &rr);
	brc_hist_to_json(r, "histogram", &t->latency);
	if (t->failures)
		cJSON_AddStringToObject(r, "failure_log", t->failures);
}

/* "what failed: the plugin's last error", so the table says why. */
static void add_reason(cJSON *r, const char *what)
{
	const char *why = brc_plugin_last_error();
	char *text = why ? brc_xasprintf("%s: %s", what, why)
	                 : brc_xasprintf("%s (see its log)", what);

	cJSON_AddStringToObject(r, "reason", text);
	free(text);
}

/*
 * Children of the worker still there after the run hook returned: the
 * plugin broke its contract (plugin.h: wait for them in run).  Kill and
 * reap them, and say so in the report; zombies (exited, not waited for)
 * are only reaped.
 */
static void reap_leftovers(cJSON *r)
{
	pid_t *kids;
	size_t n = brc_proc_children(getpid(), &kids), running = 0;
	char *text;

	for (size_t i = 0; i < n; i++) {
		if (waitpid(kids[i], NULL, WNOHANG) == kids[i])
			continue;
		running++;
		kill(kids[i], SIGKILL);
		while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
			;
	}
	free(kids);
	if (!running)
		return;
	text = brc_xasprintf("the plugin left %zu child process%s running "
	                    "after its run hook returned (killed; a strategy "
	                    "must wait for its children before run returns)",
	                    running, running == 1 ? "" : "es");
	cJSON_AddStringToObject(r, "warning", text);
	free(text);
}

/* The plugin misused the host (brc_run_fault): the run fails, whatever
 * the run hook returned. */
static void check_misuse(cJSON *r, const struct br_run *run)
{
	char *why = brc_run_fault(run);

	if (!why)
		return;
	cJSON_ReplaceItemInObject(r, "status", cJSON_CreateString("failed"));
	cJSON_DeleteItemFromObject(r, "reason");
	cJSON_AddStringToObject(r, "reason", why);
	free(why);
}

static void set_tv(struct timeval *t, double s)
{
	t->tv_sec = (time_t)s;
	t->tv_usec = (suseconds_t)((s - (double)t->tv_sec) * 1e6);
}

/*
 * The plugin said "ready" (host->ready) during the run: the measured part
 * starts there, like a C plugin's run hook after its create.  Wall time
 * and CPU move their start to it (and the timeline's zero, through
 * run_start_ns); what came before is the start-up, reported apart:
 * startup[0] wall, startup[1] CPU, including the CPU children spent before
 * "ready" (the plugin read it from /proc: the core only sees a child's CPU
 * once it is reaped, at the end).
 */
static void from_ready(const struct br_run *run, uint64_t *t0, uint64_t t1,
                       struct rusage *u0, double startup[2])
{
	struct brc_run_ready rd;
	double user, sys;

	if (!brc_run_ready_get(run, &rd) || rd.ns < *t0 || rd.ns > t1)
		return;
	user = rd.cpu_user + rd.child_user;
	sys = rd.cpu_sys + rd.child_sys;
	startup[0] = (double)(rd.ns - *t0) / 1e9;
	startup[1] = user + sys - tv(&u0->ru_utime) - tv(&u0->ru_stime);
	if (startup[1] < 0)
		startup[1] = 0;
	set_tv(&u0->ru_utime, user);
	set_tv(&u0->ru_stime, sys);
	*t0 = rd.ns;
}

/* A closed run stays allocated for the life of the process: a thread the
 * plugin did not join may still call the host (brc_run_close).  volatile:
 * a pointer only ever stored is otherwise dropped by the compiler, and
 * LeakSanitizer, scanning globals, would call the run leaked. */
static struct br_run *volatile closed_run;

/* Everything between loading the plugin and the report; returns the
 * report to send. */
static cJSON *measure(const struct br_plugin *p, const void *opts,
                      struct brc_run_spec *s)
{
	cJSON *r = cJSON_CreateObject();
	size_t n = (size_t)(s->w.days > 0 ? s->w.days : 0);
	char **urls = brc_xcalloc(n ? n : 1, sizeof(char *));
	struct br_run *run;
	struct brc_run_tally t;
	struct rusage u0, u1;
	uint64_t t0, t1, *due = NULL;
	double startup[2] = { 0, 0 };
	void *state = NULL;
	int rc;
	char num[32];

	for (size_t i = 0; i < n; i++)
		urls[i] = brc_ticket_url(s->tmpl, s->base, &s->w, (int64_t)i);
	run = brc_run_new(&s->w, urls, n);
	if (!run) {
		cJSON_AddStringToObject(r, "status", "failed");
		cJSON_AddStringToObject(r, "reason", "out of memory for the "
		                        "per-request state");
		return r;
	}
	brc_run_prepare(run);
	if (s->w.arrival.model == BR_ARRIVAL_OPEN) {
		if (!brc_plugin_honours_due(p)) {
			cJSON_AddStringToObject(r, "status", "failed");
			cJSON_AddStringToObject(r, "reason", "the plugin does "
			                        "not honour due times (no "
			                        "BR_PLUGIN_F_DUE): it cannot run "
			                        "an open-model scenario");
			brc_run_free(run);
			return r;
		}
		/* Computed before "ready": the schedule is resident in the
		 * baseline, not charged to the strategy. */
		due = brc_xcalloc(n ? n : 1, sizeof(*due));
		brc_arrival_schedule(&s->w.arrival, s->w.seed, n, due);
		brc_run_set_due(run, due, s->w.arrival.rate);
	}
	if (s->w.cpu_us_per_trip > 0)
		brc_ticket_calibrate(); /* not charged to the first ticket */
	if (p->create(brc_host_table(), opts, &state)) {
		cJSON_AddStringToObject(r, "status", "failed");
		add_reason(r, "the plugin's create hook failed");
		brc_run_free(run);
		free(due);
		return r;
	}
	if (!brc_worker_handshake("ready\n"))
		_exit(1); /* the parent is gone: nobody to report to */

	usage_now(&u0);
	brc_run_begin(run);
	t0 = brc_now_ns();
	rc = p->run(state, run);
	t1 = brc_now_ns();
	usage_now(&u1);
	brc_run_close(run);

	if (!brc_worker_handshake("end\n"))
		_exit(1);
	brc_run_finish(run, &t);
	cJSON_AddStringToObject(r, "status", rc ? "failed" : "ok");
	if (rc)
		add_reason(r, "the plugin's run hook failed");
	from_ready(run, &t0, t1, &u0, startup);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)t0);
	cJSON_AddStringToObject(r, "run_start_ns", num);
	add_measures(r, &t, (double)(t1 - t0) / 1e9, &u0, &u1, startup);
	brc_run_tally_free(&t);
	reap_leftovers(r);
	if (p->destroy)
		p->destroy(state);
	check_misuse(r, run);
	/* Kept, and its schedule (due) with it: a thread the plugin left
	 * behind may still read due(). */
	closed_run = run;
	return r;
}

int brc_worker_main(void)
{
	struct brc_run_spec s = { 0 };
	struct brc_loaded lp = { 0 };
	char *line, *err = NULL;
	void *opts = NULL;
	cJSON *r = NULL;

	if (brc_worker_pipes_open()) {
		brc_error("'__worker' is internal to benchrun (it expects a run "
		         "spec on stdin and a report pipe on fd 3)");
		return BR_EXIT_USAGE;
	}
	brc_worker_guard_install();
	line = brc_worker_read_spec();
	if (brc_run_spec_parse(line, &s, &err))
		goto fail;
	/* Relative paths a strategy is given (an exec program, its script)
	 * are relative to the scenario's directory (scenario/paths.h). */
	if (s.dir && chdir(s.dir)) {
		err = brc_xasprintf("cannot enter the scenario's directory %s: %s",
		                    s.dir, strerror(errno));
		goto fail;
	}
	if (brc_plugin_open(s.plugin, NULL, NULL, &lp, &err))
		goto fail;
	if (brc_params_build(lp.desc, s.params, s.n_params, &opts, &err))
		goto fail;
	r = measure(lp.desc, opts, &s);
	brc_worker_send_report(r);
	cJSON_Delete(r);
	brc_params_free(lp.desc, opts);
	brc_plugin_close(&lp);
	brc_run_spec_free(&s);
	free(line);
	return 0;

fail:
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "status", "failed");
	cJSON_AddStringToObject(r, "reason", err ? err : "unknown error");
	brc_worker_send_report(r);
	cJSON_Delete(r);
	if (opts)
		brc_params_free(lp.desc, opts);
	if (lp.dl)
		brc_plugin_close(&lp);
	brc_run_spec_free(&s);
	free(line);
	free(err);
	return BR_EXIT_FAIL;
}
