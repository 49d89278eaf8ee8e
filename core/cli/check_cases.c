/*
 * check_cases.c - the conformance cases of `benchrun check-plugin`: every
 * strategy plugin, bundled or out of tree, held to the same contract, the
 * way a user runs it.  Each case writes a small scenario that uses the
 * plugin file, runs this very benchrun on it (a child process, so a crash
 * of the plugin fails the case, not the checker) with the embedded
 * server, and reads the results JSON back.
 *
 * What every case asserts: no run crashed, timed out or failed in the
 * plugin itself; every ticket was accounted for exactly once (no ticket
 * missing or reported twice; ok + failed = requests).  Then each case its
 * own point (cli/check.h lists them).  A case that needs a parameter the
 * plugin does not declare (retries, timeout) is skipped, and says why.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/check.h"
#include "server/model.h"
#include "util.h"

/* What all the runs of a results file added up to. */
struct tally {
	int groups, runs, runs_ok;
	double requests, ok, http_status, transport, missing, duplicate, other;
	char *bad;          /* why a run was not ok/errors, or NULL */
};

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void tally_run(struct tally *t, const cJSON *run)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(run, "status");
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(run, "failures");
	const cJSON *why = cJSON_GetObjectItemCaseSensitive(run, "reason");
	const char *s = cJSON_IsString(st) ? st->valuestring : "?";

	if (strcmp(s, "ok") && strcmp(s, "errors") && !t->bad)
		t->bad = brc_xasprintf("a run %s: %s", s, cJSON_IsString(why)
		                       ? why->valuestring : "no reason given");
	t->runs++;
	t->runs_ok += !strcmp(s, "ok");
	t->requests += num(run, "requests");
	t->ok += num(run, "ok");
	t->http_status += num(f, "http_status");
	t->transport += num(f, "transport");
	t->missing += num(f, "missing");
	t->duplicate += num(f, "duplicate");
	t->other += num(f, "corrupt") + num(f, "too_large");
}

/* Run benchrun on `yaml`; fill *t from its results.  Returns the exit
 * code, or -1 when there were no results (*why says what happened). */
static int run_scenario(const struct brc_check *c, const char *yaml,
                        struct tally *t, char **why)
{
	char *scen = brc_xasprintf("%s/s.yaml", c->tmpdir);
	char *out = brc_xasprintf("%s/r.json", c->tmpdir);
	char *log = brc_xasprintf("%s/stderr.txt", c->tmpdir);
	char *text = NULL;
	cJSON *json = NULL, *g, *run;
	int status = -1, code = -1;
	pid_t pid;

	memset(t, 0, sizeof(*t));
	unlink(out);
	if (brc_write_file_atomic(scen, yaml, strlen(yaml))) {
		*why = brc_xasprintf("cannot write %s: %s", scen, strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(c->exe, "benchrun", "-q", "--progress=never", "-o", out,
		      scen, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	code = pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	text = brc_read_file(out, 64 << 20, NULL);
	json = text ? cJSON_Parse(text) : NULL;
	if (!json) {
		char *err = brc_read_file(log, 4096, NULL);

		*why = brc_xasprintf("no results (exit %d): %s", code,
		                     err && *err ? err : "no message");
		free(err);
		code = -1;
		goto out;
	}
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(json, "groups")) {
		t->groups++;
		cJSON_ArrayForEach(run, cJSON_GetObjectItemCaseSensitive(g, "runs"))
			tally_run(t, run);
	}
out:
	cJSON_Delete(json);
	free(text);
	free(scen);
	free(out);
	free(log);
	return code;
}

/* The invariants of every case; NULL or why they broke (malloc'd). */
static char *accounted(struct tally *t)
{
	if (t->bad)
		return brc_xstrdup(t->bad);
	if (t->missing || t->duplicate)
		return brc_xasprintf("%.0f tickets never reported, %.0f reported "
		                     "twice", t->missing, t->duplicate);
	if (t->ok + t->http_status + t->transport + t->other != t->requests)
		return brc_xasprintf("%.0f ok + %.0f failed != %.0f requests",
		                     t->ok, t->http_status + t->transport +
		                     t->other, t->requests);
	return NULL;
}

/* The scenario text: `server` and `params` are flow-mapping bodies,
 * `sweep` a flow list or NULL; both_keepalive adds a keepalive: false
 * twin of the strategy. */
static char *yaml_for(const struct brc_check *c, int days, uint64_t seed,
                      const char *server, const char *params,
                      const char *sweep, bool both_keepalive)
{
	struct brc_buf b = { 0 };
	const char *sep = *params && *c->extra ? ", " : "";

	brc_buf_printf(&b, "name: check-%s\nseed: %llu\n"
	              "workload: {days: %d, trips: 3}\n"
	              "server: {%s%s%s}\n"
	              "runs: {repetitions: 1, warmup: 0, timeout: 60s}\n"
	              "strategies:\n"
	              "  - {plugin: '%s', label: ka, params: {%s%s%s}}\n",
	              c->name, (unsigned long long)seed, days, server,
	              *server && *c->server ? ", " : "", c->server, c->path,
	              params, sep, c->extra);
	if (both_keepalive && c->keepalive)
		brc_buf_printf(&b, "  - {plugin: '%s', label: nka, params: "
		              "{keepalive: false%s%s%s%s}}\n", c->path,
		              *params ? ", " : "", params, *c->extra ? ", " : "",
		              c->extra);
	if (sweep && c->concurrency)
		brc_buf_printf(&b, "sweep: {%s: [%s]}\n", c->concurrency, sweep);
	return b.data;
}

/* Run and expect every ticket of every run valid. */
static char *expect_ok(const struct brc_check *c, char *yaml, struct tally *t)
{
	char *why = NULL;
	int code = run_scenario(c, yaml, t, &why);

	free(yaml);
	if (code < 0)
		return why;
	if ((why = accounted(t)))
		return why;
	if (code != 0 || t->runs_ok != t->runs || t->ok != t->requests)
		return brc_xasprintf("exit %d, %d/%d runs ok, %.0f/%.0f tickets "
		                     "ok (HTTP errors %.0f, transport %.0f)", code,
		                     t->runs_ok, t->runs, t->ok, t->requests,
		                     t->http_status, t->transport);
	return NULL;
}

static char *case_sizes(const struct brc_check *c)
{
	struct tally t;
	char *why;

	if ((why = expect_ok(c, yaml_for(c, 0, 1, "latency: {model: none}", "",
	                                 NULL, false), &t)))
		return brc_xasprintf("0 requests: %s", why);
	if (c->no_fetch)
		return NULL;
	if ((why = expect_ok(c, yaml_for(c, 1, 1, "latency: {model: none}", "",
	                                 NULL, false), &t)))
		return brc_xasprintf("1 request: %s", why);
	return NULL;
}

static char *case_concurrency(const struct brc_check *c)
{
	struct tally t;
	int groups = (c->concurrency ? 3 : 1) * (c->keepalive ? 2 : 1);
	char *why = expect_ok(c, yaml_for(c, 500, 1, "latency: {model: none}",
	                                  "", "1, 10, 100", true), &t);

	if (why)
		return why;
	if (t.groups != groups)
		return brc_xasprintf("%d configurations ran, expected %d",
		                     t.groups, groups);
	return NULL;
}

#define FAULTS "latency: {model: none}, faults: {error_rate: 0.05, " \
	"reset_rate: 0.05}"

/* A seed under which every request of n gets a clean answer within
 * `attempts` tries, so that retries: 3 must end with every ticket OK. */
static uint64_t seed_recoverable(int n, uint32_t attempts)
{
	const struct brc_faults f = { 0.05, 503, 0.05, 0 };

	for (uint64_t seed = 1; seed < 100000; seed++) {
		int i = 0;

		for (; i < n; i++) {
			uint32_t k = 0;

			while (k < attempts &&
			       brc_model_fault(&f, seed, (uint64_t)i, k) !=
			       BR_FAULT_NONE)
				k++;
			if (k == attempts)
				break;
		}
		if (i == n)
			return seed;
	}
	return 1;
}

static char *case_retried(const struct brc_check *c)
{
	struct tally t;

	return expect_ok(c, yaml_for(c, 200, seed_recoverable(200, 4), FAULTS,
	                             "retries: 3, retry_backoff: 1ms", "4",
	                             true), &t);
}

static char *case_reported(const struct brc_check *c)
{
	char *yaml = yaml_for(c, 200, 1, FAULTS,
	                      c->retries ? "retries: 0" : "", "4", true);
	struct tally t;
	char *why = NULL;
	int code = run_scenario(c, yaml, &t, &why);

	free(yaml);
	if (code < 0)
		return why;
	if ((why = accounted(&t)))
		return why;
	/* Failed tickets fail the run (exit 1) but crash nothing. */
	if (code != 1 || t.runs_ok || !t.http_status || t.ok >= t.requests)
		return brc_xasprintf("exit %d, %d runs ok, %.0f HTTP errors, "
		                     "%.0f/%.0f tickets ok: injected 503s and "
		                     "resets must be reported, not hidden",
		                     code, t.runs_ok, t.http_status, t.ok,
		                     t.requests);
	return NULL;
}

static char *case_max_in_flight(const struct brc_check *c)
{
	struct tally t;

	return expect_ok(c, yaml_for(c, 100, 1, "latency: {model: fixed, value: "
	                             "2ms}, max_in_flight: 4", "", "1, 10",
	                             false), &t);
}

static char *case_timeout(const struct brc_check *c)
{
	char *yaml = yaml_for(c, 4, 1, "latency: {model: fixed, value: 2s}",
	                      c->retries ? "timeout: 300ms, retries: 0" :
	                      "timeout: 300ms", "4", false);
	struct tally t;
	char *why = NULL;
	int code = run_scenario(c, yaml, &t, &why);

	free(yaml);
	if (code < 0)
		return why;
	if ((why = accounted(&t)))
		return why;
	if (code != 1 || t.transport != t.requests || t.ok)
		return brc_xasprintf("exit %d, %.0f/%.0f requests timed out, %.0f "
		                     "ok: every request should give up before the "
		                     "server answers", code, t.transport,
		                     t.requests, t.ok);
	return NULL;
}

/* Why a case does not apply to this plugin, or NULL. */
static const char *skip_retried(const struct brc_check *c)
{
	return c->no_fetch ? "the plugin fetches nothing" :
	       !c->retries ? "no 'retries' parameter" : NULL;
}

static const char *skip_timeout(const struct brc_check *c)
{
	return c->no_fetch ? "the plugin fetches nothing" :
	       !c->timeout ? "no 'timeout' parameter" : NULL;
}

static const char *skip_fetching(const struct brc_check *c)
{
	return c->no_fetch ? "the plugin fetches nothing" : NULL;
}

const struct brc_check_case brc_check_cases[] = {
	{ "sizes", "0 and 1 requests", NULL, case_sizes },
	{ "concurrency", "500 requests at concurrency 1, 10, 100, keep-alive "
	  "on and off", skip_fetching, case_concurrency },
	{ "faults-retried", "5% 503s and 5% resets, retries 3: every ticket "
	  "ends valid", skip_retried, case_retried },
	{ "faults-reported", "5% 503s and 5% resets, no retries: failures "
	  "reported, nothing lost", skip_fetching, case_reported },
	{ "max-in-flight", "a server admitting 4 requests at a time",
	  skip_fetching, case_max_in_flight },
	{ "timeout", "a 2 s server against a 300 ms timeout", skip_timeout,
	  case_timeout },
	{ NULL, NULL, NULL, NULL },
};
