/*
 * results_json.c - the full results as JSON (schema BR_RESULTS_SCHEMA):
 * metadata, and per group a summary of every metric plus every run's raw
 * values (the fields of run_fields.c), timelines included, so that
 * `benchrun compare` and `plot` can work from the file alone.
 *
 * Timelines are parallel arrays ({"t": [...], "pss": [...]}) rather than
 * an array of objects: a 30 s run sampled every 10 ms is 3000 samples, and
 * repeating five key names 3000 times would triple the file.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/histogram.h"
#include "results/metrics.h"
#include "results/results_json_ext.h"
#include "results/timeline.h"
#include "util.h"

/* Largest integer a double (and so a JSON number read by most parsers)
 * holds exactly. */
#define EXACT_INT_MAX 9007199254740992.0

/*
 * A JSON number that reads back as exactly the same double.  cJSON's own
 * printer settles for 15 digits when they come within an epsilon, which
 * moves values by an ulp on a round trip; we want results files to be
 * lossless, so take the shortest of %.15g..%.17g that strtod maps back
 * to the very same bits.  NaN and infinities have no JSON form: null
 * (read back as NaN).
 */
static cJSON *num(double v)
{
	char buf[40];

	if (!isfinite(v))
		return cJSON_CreateNull();
	return cJSON_CreateRaw(brc_fmt_exact(buf, sizeof(buf), v));
}

static void add_str(cJSON *obj, const char *key, const char *s)
{
	if (s)
		cJSON_AddItemToObject(obj, key, cJSON_CreateString(s));
	else
		cJSON_AddItemToObject(obj, key, cJSON_CreateNull());
}

static void add_num(cJSON *obj, const char *key, double v)
{
	cJSON_AddItemToObject(obj, key, num(v));
}

static cJSON *stats_json(const struct brc_stats *s)
{
	cJSON *o = cJSON_CreateObject(), *ci = cJSON_CreateArray();

	add_num(o, "mean", s->mean);
	add_num(o, "sd", s->sd);
	add_num(o, "median", s->median);
	add_num(o, "min", s->min);
	add_num(o, "max", s->max);
	cJSON_AddItemToArray(ci, num(s->ci_lo));
	cJSON_AddItemToArray(ci, num(s->ci_hi));
	cJSON_AddItemToObject(o, "ci95", ci);
	return o;
}

/* The summary is derived from the runs (the reader ignores it and
 * recomputes): it is there for people and other tools reading the file. */
static cJSON *summary_json(const struct brc_group *g)
{
	cJSON *o = cJSON_CreateObject();
	struct brc_stats s;

	brc_group_stats(g, BR_M_WALL, &s, NULL);
	add_num(o, "n", (double)s.n);
	for (int m = 0; m < BR_M_COUNT; m++) {
		brc_group_stats(g, m, &s, NULL);
		cJSON_AddItemToObject(o, brc_metrics[m].key, stats_json(&s));
	}
	/* Percentiles of every request of every measured run together. */
	struct brc_latency_summary l;

	if (brc_group_latency(g, &l)) {
		cJSON *lat = cJSON_AddObjectToObject(o, "latency_all_runs");

		add_num(lat, "count", (double)l.count);
		add_num(lat, "p50", l.p50);
		add_num(lat, "p90", l.p90);
		add_num(lat, "p99", l.p99);
		add_num(lat, "p999", l.p999);
		add_num(lat, "max", l.max);
		add_num(lat, "mean", l.mean);
	}
	return o;
}

/* At most BRC_TIMELINE_KEEP samples (timeline.h), and from how many when
 * thinned, now or by the file the run was read from. */
static cJSON *timeline_json(const struct brc_run_result *run)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *t = cJSON_AddArrayToObject(o, "t");
	cJSON *pss = cJSON_AddArrayToObject(o, "pss");
	cJSON *rss = cJSON_AddArrayToObject(o, "rss");
	cJSON *threads = cJSON_AddArrayToObject(o, "threads");
	cJSON *procs = cJSON_AddArrayToObject(o, "procs");
	size_t *keep = brc_xcalloc(BRC_TIMELINE_KEEP, sizeof(*keep));
	size_t n = brc_timeline_thin(run->timeline, run->n_timeline,
	                             BRC_TIMELINE_KEEP, keep);
	size_t from = run->timeline_from > run->n_timeline ? run->timeline_from
	                                                   : run->n_timeline;

	for (size_t i = 0; i < n; i++) {
		const struct brc_mem_sample *m = &run->timeline[keep[i]];

		cJSON_AddItemToArray(t, num(m->t));
		cJSON_AddItemToArray(pss, num((double)m->tree_pss));
		cJSON_AddItemToArray(rss, num((double)m->tree_rss));
		cJSON_AddItemToArray(threads, num(m->threads));
		cJSON_AddItemToArray(procs, num(m->procs));
	}
	if (from > n)
		add_num(o, "thinned_from", (double)from);
	free(keep);
	return o;
}

void brc_run_fields_to_json(cJSON *o, const struct brc_run_result *run)
{
	for (size_t i = 0; i < brc_n_run_fields; i++) {
		const struct brc_run_field *f = &brc_run_fields[i];
		cJSON *dst = o;

		/* A closed-model run has no open-model values: leave them out
		 * rather than write a page of zeros (they read back as 0). */
		if (!run->open.offered_rate && brc_run_field_is_open(f))
			continue;
		if (f->group) {
			dst = cJSON_GetObjectItemCaseSensitive(o, f->group);
			if (!dst)
				dst = cJSON_AddObjectToObject(o, f->group);
		}
		if (f->type == BR_F_BOOL)
			cJSON_AddBoolToObject(dst, f->key,
			                      brc_run_field_get(run, f) != 0);
		else
			add_num(dst, f->key, brc_run_field_get(run, f));
	}
}

static cJSON *run_json(const struct brc_run_result *run)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "status", brc_run_status_name(run->status));
	add_str(o, "reason", run->reason);
	brc_run_fields_to_json(o, run);
	cJSON_AddItemToObject(o, "timeline", timeline_json(run));
	add_str(o, "log", run->log);
	add_str(o, "host", run->host);
	if (run->hist)
		brc_hist_to_json(o, "histogram", run->hist);
	return o;
}

static cJSON *group_json(const struct brc_group *g)
{
	cJSON *o = cJSON_CreateObject(), *runs;

	add_str(o, "label", g->label);
	add_str(o, "plugin", g->plugin);
	add_str(o, "point", g->point ? g->point : "");
	brc_json_params(o, g); /* typed, and as text */
	add_num(o, "concurrency", (double)g->concurrency);
	add_num(o, "item", (double)g->item);
	cJSON_AddItemToObject(o, "summary", summary_json(g));
	runs = cJSON_AddArrayToObject(o, "runs");
	for (size_t i = 0; i < g->n_runs; i++)
		cJSON_AddItemToArray(runs, run_json(&g->runs[i]));
	return o;
}

/* The machine's state at start; unknown values are left out. */
static void machine_state_json(cJSON *o, const struct brc_machine_state *st)
{
	add_num(o, "load1", st->load1);
	add_num(o, "busy_cpus", st->busy_cpus);
	if (st->runnable >= 0)
		add_num(o, "runnable", st->runnable);
	if (st->governor)
		add_str(o, "governor", st->governor);
	if (st->boost >= 0)
		cJSON_AddBoolToObject(o, "boost", st->boost);
}

static cJSON *results_json(const struct brc_results *r)
{
	cJSON *root = cJSON_CreateObject(), *o, *groups;

	add_num(root, "schema", BR_RESULTS_SCHEMA);
	o = cJSON_AddObjectToObject(root, "benchrun");
	add_str(o, "version", r->benchrun_version);
	add_str(o, "libcurl", r->libcurl_version);
	add_str(o, "compiler", r->compiler);
	o = cJSON_AddObjectToObject(root, "machine");
	add_str(o, "kernel", r->host_kernel);
	add_str(o, "cpu", r->host_cpu);
	add_num(o, "cores", r->host_cores);
	machine_state_json(o, &r->state);
	o = cJSON_AddObjectToObject(root, "scenario");
	add_str(o, "name", r->scenario_name);
	add_str(o, "path", r->scenario_path);
	add_str(o, "hash", r->scenario_hash);
	add_str(o, "yaml", r->scenario_yaml);
	if (r->n_settings) {
		cJSON *set = cJSON_AddObjectToObject(o, "settings");

		for (size_t i = 0; i < r->n_settings; i++)
			add_str(set, r->setting_keys[i], r->setting_values[i]);
	}
	o = cJSON_AddObjectToObject(root, "runs");
	add_str(o, "order", r->order);
	cJSON_AddBoolToObject(o, "auto_repetitions", r->auto_reps);
	add_str(root, "started_at", r->started_at);
	cJSON_AddBoolToObject(root, "incomplete", r->incomplete);
	add_str(root, "baseline", r->baseline);
	add_str(root, "instrument", r->mem_instrument);
	o = cJSON_AddObjectToObject(root, "workload");
	add_num(o, "requests", (double)r->requests);
	/* Seeds are 64-bit; beyond 2^53 a JSON number would round them, so
	 * those are written as decimal strings (the reader takes both). */
	if ((double)r->seed < EXACT_INT_MAX) {
		add_num(o, "seed", (double)r->seed);
	} else {
		char seed[24];

		snprintf(seed, sizeof(seed), "%llu", (unsigned long long)r->seed);
		cJSON_AddStringToObject(o, "seed", seed);
	}
	brc_json_workload(o, r);
	cJSON_AddItemToObject(root, "server", brc_json_server(r));
	if (r->cells_total)
		add_num(root, "cells", (double)r->cells_total);
	groups = cJSON_AddArrayToObject(root, "groups");
	for (size_t i = 0; i < r->n_groups; i++)
		cJSON_AddItemToArray(groups, group_json(&r->groups[i]));
	brc_capacity_to_json(root, r);
	return root;
}

cJSON *brc_run_to_json(const struct brc_run_result *run)
{
	return run_json(run);
}

cJSON *brc_results_to_json(const struct brc_results *r)
{
	return results_json(r);
}

int brc_results_json_write(const char *path, const struct brc_results *r)
{
	cJSON *root = results_json(r);
	char *text = cJSON_Print(root);
	int rc, saved;

	cJSON_Delete(root);
	if (!text) {
		errno = ENOMEM;
		return -1;
	}
	/* cJSON_Print has no final newline; files for people should. */
	size_t len = strlen(text);
	char *full = brc_xmalloc(len + 2);

	memcpy(full, text, len);
	full[len] = '\n';
	full[len + 1] = '\0';
	cJSON_free(text);
	rc = brc_write_file_atomic(path, full, len + 1);
	saved = errno;
	free(full);
	errno = saved;
	return rc;
}
