/*
 * results_fixture.c - a hand-built benchmark for the report and
 * results-file suites: every field non-zero, sweeps, a failed and a timed
 * out run; plus their temporary directory.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results_fixture.h"
#include "suites.h"
#include "util.h"

static char tmpdir[64];

void brc_test_results_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/br-report.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

void brc_test_results_teardown(void)
{
	char *cmd = brc_xasprintf("rm -rf '%s'", tmpdir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

char *brc_test_results_tmp(const char *name)
{
	return brc_xasprintf("%s/%s", tmpdir, name);
}

static struct brc_group *add_group(struct brc_results *r, const char *label,
                                  const char *point, int64_t conc)
{
	struct brc_group *g;

	r->groups = brc_xrealloc(r->groups, (r->n_groups + 1) * sizeof(*g));
	g = &r->groups[r->n_groups++];
	memset(g, 0, sizeof(*g));
	g->label = brc_xstrdup(label);
	g->plugin = brc_xstrdup(label);
	g->point = brc_xstrdup(point);
	g->concurrency = conc;
	if (conc) {
		g->n_params = 2;
		g->param_names = brc_xcalloc(2, sizeof(char *));
		g->param_values = brc_xcalloc(2, sizeof(char *));
		g->param_names[0] = brc_xstrdup("concurrency");
		g->param_values[0] = brc_xasprintf("%lld", (long long)conc);
		g->param_names[1] = brc_xstrdup("timeout");
		g->param_values[1] = brc_xstrdup("10s");
	}
	return g;
}

/* A run of `wall` seconds, `mib` MiB of tree PSS; everything else
 * derived so the numbers are plausible and every field is non-zero. */
static struct brc_run_result *add_run(struct brc_group *g, double wall,
                                     double mib)
{
	struct brc_run_result *x;

	g->runs = brc_xrealloc(g->runs, (g->n_runs + 1) * sizeof(*x));
	x = &g->runs[g->n_runs];
	memset(x, 0, sizeof(*x));
	x->repetition = (int)g->n_runs++;
	x->wall = wall;
	x->cpu_user = wall / 10 + 0.01;
	x->cpu_sys = wall / 30;
	x->cpu_processing = 0.005;
	x->ctx_voluntary = 1000;
	x->ctx_involuntary = 12;
	x->minor_faults = 4000;
	x->requests = x->ok = 100;
	x->bytes = 100 * 4500;
	x->req_per_s = wall > 0 ? 100 / wall : 0;
	x->mb_per_s = wall > 0 ? 0.45 / wall : 0;
	x->latency = (struct brc_latency_summary){ 0.1005, 0.101, 0.1023 + wall / 1000,
	                                          0.104, 0.105, 0.1007, 0.1001, 100 };
	x->peak_rss = (int64_t)(mib * 1048576) + 4096;
	x->tree_peak_pss = (int64_t)(mib * 1048576);
	x->tree_mean_pss = (int64_t)(mib * 0.9 * 1048576);
	x->tree_peak_rss = x->peak_rss + 8192;
	x->peak_vsize = 200 << 20;
	x->baseline_pss = 3 << 20;
	x->peak_threads = 3;
	x->peak_procs = 1;
	x->n_timeline = 4;
	x->timeline = brc_xcalloc(4, sizeof(*x->timeline));
	for (size_t i = 0; i < 4; i++) {
		x->timeline[i].t = -0.01 + wall * (double)i / 3.0;
		x->timeline[i].tree_pss = (int64_t)(mib * 1048576 * (double)(i + 1) / 4);
		x->timeline[i].tree_rss = x->timeline[i].tree_pss + 4096;
		x->timeline[i].procs = 1;
		x->timeline[i].threads = (int32_t)(1 + i);
	}
	x->ideal = 0.1;
	x->lower_bound = 0.09;
	x->efficiency = wall > 0 ? x->ideal / wall : 0;
	x->server_cpu = wall * 0.05;
	x->server_rss = 9 << 20;
	x->server_requests = 100;
	x->log = brc_xstrdup("line one\nline \"two\", with a comma");
	return x;
}

void brc_test_results_build(struct brc_results *r, double threads_factor)
{
	struct brc_group *g;
	struct brc_run_result *x;

	memset(r, 0, sizeof(*r));
	r->schema = BR_RESULTS_SCHEMA;
	r->scenario_name = brc_xstrdup("demo");
	r->scenario_path = brc_xstrdup("scenarios/demo.yaml");
	r->scenario_hash = brc_xstrdup("0123456789abcdef");
	r->started_at = brc_xstrdup("2026-01-01T00:00:00Z");
	r->baseline = brc_xstrdup("sync");
	r->host_kernel = brc_xstrdup("Linux 6.1.0 x86_64");
	r->host_cpu = brc_xstrdup("Test CPU @ 2.00GHz");
	r->host_cores = 2;
	r->benchrun_version = brc_xstrdup("0.1.0");
	r->libcurl_version = brc_xstrdup("7.88.1");
	r->compiler = brc_xstrdup("gcc 12.2.0");
	r->requests = 100;
	r->seed = 0xfedcba9876543210ULL; /* beyond 2^53: a string in JSON */
	r->server_desc = brc_xstrdup("embedded, fixed 100 ms");

	/* sync is not reached by the sweep: the baseline of every point. */
	g = add_group(r, "sync", "", 0);
	add_run(g, 15.0, 5.1); /* slow first run, and an outlier */
	add_run(g, 10.0, 5.0);
	add_run(g, 10.1, 5.0);
	add_run(g, 9.9, 5.0);
	add_run(g, 10.0, 5.0);

	g = add_group(r, "threads", "concurrency=10", 10);
	add_run(g, 1.05 * threads_factor, 6.0);
	x = add_run(g, 1.00 * threads_factor, 6.1);
	x->server_bound = true;
	x->server_cpu = 0.93 * x->wall;
	add_run(g, 1.02 * threads_factor, 6.0);
	g = add_group(r, "eventloop", "concurrency=10", 10);
	add_run(g, 0.42, 4.0);
	add_run(g, 0.41, 4.1);
	add_run(g, 0.43, 4.0);

	g = add_group(r, "threads", "concurrency=100", 100);
	add_run(g, 0.30, 9.5);
	g = add_group(r, "eventloop", "concurrency=100", 100);
	add_run(g, 0.12, 4.5);
	x = add_run(g, 0.0, 0.0);
	x->status = BR_RUN_CRASHED;
	x->reason = brc_xstrdup("SIGSEGV");
	x = add_run(g, 0.13, 4.6);
	x->status = BR_RUN_ERRORS;
	x->ok = 96;
	x->fail.http_status = 3;
	x->fail.transport = 1;
	g = add_group(r, "forkpool", "concurrency=100", 100);
	x = add_run(g, 60, 40);
	x->status = BR_RUN_TIMEOUT;
	x->reason = brc_xstrdup("after 60 s");
	x = add_run(g, 60, 40);
	x->status = BR_RUN_TIMEOUT;
}

char *brc_test_slurp(const char *path, size_t *len)
{
	char *s = brc_read_file(path, 1 << 26, len);

	ck_assert_msg(s != NULL, "%s: %s", path, strerror(errno));
	return s;
}

