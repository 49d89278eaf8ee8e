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
#include "run/sampler.h"
#include "run/worker_guard.h"
#include "workload/arrival.h"
#include "workload/tickets.h"
#include "util.h"

#define REPORT_FD 3

/* The two pipes to the parent, moved off fds 0 and 3 (see hide_pipes). */
static int ctl_in = -1, ctl_out = -1;

struct spec {
	cJSON *root;
	struct brc_workload w;
	const char *plugin, *tmpl, *base, *dir;
	struct brc_param_value *params;
	size_t n_params;
};

/* Bytes read from ctl_in after the spec line (the parent sends nothing
 * before the first handshake, but a read never assumes so): handshake()
 * takes them first. */
static char ctl_pending[64];
static size_t ctl_pending_len;

/* The spec line, read in chunks rather than a byte per read(): a spec
 * carries the scenario's values and may be large. */
static char *read_line(int fd)
{
	struct brc_buf b = { 0 };
	char chunk[16384];
	ssize_t n;

	for (;;) {
		char *nl;

		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		nl = memchr(chunk, '\n', (size_t)n);
		if (!nl) {
			brc_buf_append(&b, chunk, (size_t)n);
			continue;
		}
		brc_buf_append(&b, chunk, (size_t)(nl - chunk));
		ctl_pending_len = (size_t)(chunk + n - (nl + 1));
		if (ctl_pending_len > sizeof(ctl_pending))
			ctl_pending_len = sizeof(ctl_pending); /* not our protocol */
		memcpy(ctl_pending, nl + 1, ctl_pending_len);
		break;
	}
	return b.data;
}

/* Block until the parent says go; false when it has gone away. */
static bool handshake(const char *msg)
{
	char c;
	ssize_t n;

	if (write(ctl_out, msg, strlen(msg)) < 0)
		return false;
	if (ctl_pending_len) {
		memmove(ctl_pending, ctl_pending + 1, --ctl_pending_len);
		return true;
	}
	do
		n = read(ctl_in, &c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1;
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

static int parse_spec(const char *text, struct spec *s, char **err)
{
	const cJSON *w, *params, *p, *items, *it;
	const char *seed;
	size_t k = 0;

	s->root = cJSON_Parse(text ? text : "");
	w = cJSON_GetObjectItemCaseSensitive(s->root, "workload");
	s->plugin = jstr(s->root, "plugin");
	s->tmpl = jstr(s->root, "url_template");
	s->base = jstr(s->root, "base");
	s->dir = jstr(s->root, "dir");
	seed = jstr(w, "seed");
	if (!s->root || !w || !s->plugin || !s->tmpl || !s->base || !seed) {
		*err = brc_xstrdup("invalid run spec on stdin (this command is "
		                  "internal to benchrun)");
		return -1;
	}
	brc_verbosity = (int)jnum(s->root, "verbosity", 0);
	s->w.seed = strtoull(seed, NULL, 10);
	s->w.days = (int64_t)jnum(w, "days", 0);
	s->w.start_date = (char *)jstr(w, "start_date");
	s->w.route = (char *)jstr(w, "route");
	s->w.trips_min = (int64_t)jnum(w, "trips_min", 20);
	s->w.trips_max = (int64_t)jnum(w, "trips_max", 20);
	s->w.cpu_us_per_trip = jnum(w, "cpu_us_per_trip", 0);
	s->w.max_body = (int64_t)jnum(w, "max_body", 4 << 20);
	s->w.validate = cJSON_IsTrue(cJSON_GetObjectItem(w, "validate"));
	s->w.arrival.rate = jnum(w, "rate", 0);
	s->w.arrival.model = s->w.arrival.rate > 0 ? BR_ARRIVAL_OPEN
	                                           : BR_ARRIVAL_CLOSED;
	s->w.arrival.process = cJSON_IsTrue(cJSON_GetObjectItem(w, "poisson"))
	                       ? BR_PROCESS_POISSON : BR_PROCESS_CONSTANT;
	if (!s->w.start_date || !s->w.route) {
		*err = brc_xstrdup("run spec: workload lacks start_date/route");
		return -1;
	}
	params = cJSON_GetObjectItemCaseSensitive(s->root, "params");
	s->n_params = (size_t)cJSON_GetArraySize(params);
	s->params = brc_xcalloc(s->n_params + 1, sizeof(*s->params));
	cJSON_ArrayForEach(p, params) {
		struct brc_param_value *v = &s->params[k++];
		size_t j = 0;

		v->name = (char *)jstr(p, "name");
		v->is_list = cJSON_IsTrue(cJSON_GetObjectItem(p, "list"));
		v->mark.file = jstr(p, "file");
		v->mark.line = (int)jnum(p, "line", 0);
		v->mark.col = (int)jnum(p, "col", 0);
		items = cJSON_GetObjectItemCaseSensitive(p, "items");
		v->n_items = (size_t)cJSON_GetArraySize(items);
		v->items = brc_xcalloc(v->n_items + 1, sizeof(char *));
		cJSON_ArrayForEach(it, items)
			v->items[j++] = cJSON_IsString(it) ? it->valuestring
			                                   : (char *)"";
		if (!v->name) {
			*err = brc_xstrdup("run spec: parameter without a name");
			return -1;
		}
	}
	return 0;
}

static void free_spec(struct spec *s)
{
	for (size_t i = 0; i < s->n_params; i++)
		free(s->params[i].items);
	free(s->params);
	cJSON_Delete(s->root);
}

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

static void send_report(cJSON *r)
{
	char *text = cJSON_PrintUnformatted(r);
	size_t len = strlen(text), off = 0;
	ssize_t n;

	while (off < len) {
		n = write(ctl_out, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(ctl_out);
	cJSON_free(text);
}

/* Everything between loading the plugin and the report; returns the
 * report to send. */

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

static cJSON *measure(const struct br_plugin *p, const void *opts,
                      struct spec *s)
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
	if (!handshake("ready\n"))
		_exit(1); /* the parent is gone: nobody to report to */

	usage_now(&u0);
	brc_run_begin(run);
	t0 = brc_now_ns();
	rc = p->run(state, run);
	t1 = brc_now_ns();
	usage_now(&u1);
	brc_run_close(run);

	if (!handshake("end\n"))
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

/*
 * Move the control pipes to close-on-exec descriptors and put /dev/null on
 * stdin: programs a strategy starts (the exec plugin) must neither read
 * the parent's "go" bytes nor keep the report pipe open.
 */
static int hide_pipes(void)
{
	int null;

	ctl_in = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 10);
	ctl_out = fcntl(REPORT_FD, F_DUPFD_CLOEXEC, 10);
	if (ctl_in < 0 || ctl_out < 0)
		return -1;
	close(REPORT_FD);
	null = open("/dev/null", O_RDONLY);
	if (null >= 0 && null != STDIN_FILENO) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	return 0;
}

int brc_worker_main(void)
{
	struct spec s = { 0 };
	struct brc_loaded lp = { 0 };
	char *line, *err = NULL;
	void *opts = NULL;
	cJSON *r = NULL;

	if (fcntl(REPORT_FD, F_GETFD) < 0 || hide_pipes()) {
		brc_error("'__worker' is internal to benchrun (it expects a run "
		         "spec on stdin and a report pipe on fd 3)");
		return BR_EXIT_USAGE;
	}
	brc_worker_guard_install();
	line = read_line(ctl_in);
	if (parse_spec(line, &s, &err))
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
	send_report(r);
	cJSON_Delete(r);
	brc_params_free(lp.desc, opts);
	brc_plugin_close(&lp);
	free_spec(&s);
	free(line);
	return 0;

fail:
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "status", "failed");
	cJSON_AddStringToObject(r, "reason", err ? err : "unknown error");
	send_report(r);
	cJSON_Delete(r);
	if (opts)
		brc_params_free(lp.desc, opts);
	if (lp.dl)
		brc_plugin_close(&lp);
	free_spec(&s);
	free(line);
	free(err);
	return BR_EXIT_FAIL;
}
