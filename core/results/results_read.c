/*
 * results_read.c - a results file's tree (results_read_file.c parses the
 * text) read back into struct brc_results, for `compare`, `plot`,
 * `report` and `merge`: from simdjson's tree with timelines packed
 * (results_doc.h) or from cJSON's; both give the same results.
 *
 * Lenient about what is missing (a field absent reads as 0, a null number
 * as NaN), strict about what would make the numbers meaningless: not
 * JSON, no schema, a schema newer than ours, groups or runs of the wrong
 * type.  The per-group "summary" is not read: it is recomputed from the
 * runs, so a hand-edited summary cannot disagree with them.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "results/histogram.h"
#include "results/metrics.h"
#include "results/results_doc.h"
#include "results/results_json_ext.h"
#include "results/results_read.h"
#include "util.h"

static const cJSON *item(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static char *get_str(const cJSON *obj, const char *key)
{
	const cJSON *v = item(obj, key);

	/* A results file may come from anywhere: its text reaches terminals,
	 * reports and pictures, so no escape sequences (brc_sanitize).  The
	 * log and the scenario's YAML keep their lines. */
	bool lines = !strcmp(key, "log") || !strcmp(key, "yaml");

	return cJSON_IsString(v) ? brc_sanitize(brc_xstrdup(v->valuestring),
	                                        lines ? BRC_TEXT_KEEP_NL |
	                                                BRC_TEXT_KEEP_TAB : 0)
	                         : NULL;
}

static double get_num(const cJSON *obj, const char *key)
{
	const cJSON *v = item(obj, key);

	if (cJSON_IsNumber(v))
		return v->valuedouble;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	return cJSON_IsNull(v) ? NAN : 0;
}

/* A file may hold any number: clamp rather than convert out of range. */
static int64_t to_i64(double v)
{
	if (!(v > -0x1p63))
		return isnan(v) ? 0 : INT64_MIN;
	return v < 0x1p63 ? (int64_t)v : INT64_MAX;
}

static int32_t to_i32(double v)
{
	if (!(v > INT32_MIN))
		return isnan(v) ? 0 : INT32_MIN;
	return v < INT32_MAX ? (int32_t)v : INT32_MAX;
}

static uint64_t to_u64(double v)
{
	if (!(v > 0))
		return 0;
	return v < 0x1p64 ? (uint64_t)v : UINT64_MAX;
}

/* How a file is read: its packed timelines (NULL: cJSON's tree), and
 * whether the caller wants the timelines at all. */
struct rd {
	const struct brc_jdoc *doc;
	bool timelines;
};

/*
 * The numbers of one timeline array: packed by brc_jdoc_parse (vals set),
 * or cJSON items to walk (vals NULL; the first in *item).  Counting the
 * items walks the list once: cJSON_GetArrayItem(a, i) walks a from its
 * head, which made a long timeline quadratic (40,000 samples took a
 * minute).
 */
struct tl_array {
	const double *vals;
	const cJSON *item;
	size_t n;
};

static int tl_array(const struct brc_jdoc *doc, const cJSON *a,
                    struct tl_array *out)
{
	if (!cJSON_IsArray(a))
		return -1;
	out->vals = NULL;
	out->item = a->child;
	if (!brc_jdoc_packed(doc, a, &out->n, &out->vals))
		out->n = (size_t)cJSON_GetArraySize(a);
	return 0;
}

/* Sample i's value; items advance as they are read, in order. */
static double tl_next(struct tl_array *a, size_t i)
{
	double v;

	if (a->vals)
		return a->vals[i];
	v = a->item->valuedouble;
	a->item = a->item->next;
	return v;
}

static int read_timeline(const struct rd *rd, const cJSON *tl,
                         struct brc_run_result *run)
{
	static const char *const keys[] = { "t", "pss", "rss", "threads",
	                                    "procs" };
	struct tl_array arr[BR_ARRAY_SIZE(keys)];

	if (!cJSON_IsObject(tl))
		return 0; /* no timeline recorded */
	for (size_t k = 0; k < BR_ARRAY_SIZE(keys); k++)
		if (tl_array(rd->doc, item(tl, keys[k]), &arr[k]) ||
		    arr[k].n != arr[0].n)
			return -1;
	if (!rd->timelines)
		return 0; /* its shape checked, as for every reader */
	run->n_timeline = arr[0].n;
	/* Thinned when written (timeline.h): from how many samples. */
	run->timeline_from = to_u64(get_num(tl, "thinned_from"));
	if (run->timeline_from <= run->n_timeline)
		run->timeline_from = 0;
	run->timeline = brc_xcalloc(run->n_timeline + 1, sizeof(*run->timeline));
	/* The five lists side by side. */
	for (size_t i = 0; i < run->n_timeline; i++) {
		struct brc_mem_sample *m = &run->timeline[i];

		m->t = tl_next(&arr[0], i);
		m->tree_pss = to_i64(tl_next(&arr[1], i));
		m->tree_rss = to_i64(tl_next(&arr[2], i));
		m->threads = to_i32(tl_next(&arr[3], i));
		m->procs = to_i32(tl_next(&arr[4], i));
	}
	return 0;
}

void brc_run_fields_from_json(const cJSON *o, struct brc_run_result *run)
{
	for (size_t i = 0; i < brc_n_run_fields; i++) {
		const struct brc_run_field *f = &brc_run_fields[i];
		const cJSON *src = f->group ? item(o, f->group) : o;

		brc_run_field_set(run, f, src ? get_num(src, f->key) : 0);
	}
}

static int read_run(const struct rd *rd, const cJSON *o,
                    struct brc_run_result *run)
{
	char *status;
	int st;

	if (!cJSON_IsObject(o))
		return -1;
	status = get_str(o, "status");
	st = status ? brc_run_status_parse(status) : -1;
	free(status);
	if (st < 0)
		return -1;
	run->status = (enum brc_run_status)st;
	run->reason = get_str(o, "reason");
	run->log = get_str(o, "log");
	run->host = get_str(o, "host");
	brc_run_fields_from_json(o, run);
	if (item(o, "histogram")) {
		const char *why;

		run->hist = brc_xmalloc(sizeof(*run->hist));
		if (brc_hist_from_json(item(o, "histogram"), run->hist, &why))
			return -1;
	}
	return read_timeline(rd, item(o, "timeline"), run);
}

static int read_group(const struct rd *rd, const cJSON *o,
                      struct brc_group *g, const char **what)
{
	const cJSON *params = item(o, "params"), *runs = item(o, "runs"), *p;
	size_t i = 0;

	*what = "a group is not an object with a \"label\"";
	if (!cJSON_IsObject(o) || !cJSON_IsString(item(o, "label")))
		return -1;
	g->label = get_str(o, "label");
	g->plugin = get_str(o, "plugin");
	g->point = get_str(o, "point");
	if (!g->point)
		g->point = brc_xstrdup("");
	g->concurrency = to_i64(get_num(o, "concurrency"));
	g->item = item(o, "item") ? to_i64(get_num(o, "item")) : -1;
	if (cJSON_IsObject(params)) {
		size_t n = (size_t)cJSON_GetArraySize(params);

		g->param_names = brc_xcalloc(n + 1, sizeof(char *));
		g->param_values = brc_xcalloc(n + 1, sizeof(char *));
		cJSON_ArrayForEach(p, params) {
			g->param_names[i] = brc_xsanitized(p->string, 0);
			g->param_values[i] = brc_json_param_text(o, p);
			i++;
		}
		g->n_params = i;
	}
	*what = "a group's \"runs\" is not an array of runs";
	if (!cJSON_IsArray(runs))
		return -1;
	*what = "a run has no known \"status\", or a malformed \"timeline\" or \"histogram\"";
	g->runs = brc_xcalloc((size_t)cJSON_GetArraySize(runs) + 1,
	                     sizeof(*g->runs));
	cJSON_ArrayForEach(p, runs) {
		/* Count the run first so brc_results_free frees what a failed
		 * read_run allocated. */
		g->n_runs++;
		if (read_run(rd, p, &g->runs[g->n_runs - 1]))
			return -1;
	}
	return 0;
}

static void read_state(const cJSON *o, struct brc_machine_state *st)
{
	const cJSON *b = item(o, "boost"), *n = item(o, "runnable");

	st->load1 = get_num(o, "load1");
	st->busy_cpus = get_num(o, "busy_cpus");
	st->runnable = cJSON_IsNumber(n) ? to_i32(n->valuedouble) : -1;
	st->governor = get_str(o, "governor");
	st->boost = cJSON_IsBool(b) ? cJSON_IsTrue(b) : -1;
}

static void read_settings(const cJSON *set, struct brc_results *r)
{
	const cJSON *p;
	size_t n;

	if (!cJSON_IsObject(set))
		return;
	n = (size_t)cJSON_GetArraySize(set);
	r->setting_keys = brc_xcalloc(n + 1, sizeof(char *));
	r->setting_values = brc_xcalloc(n + 1, sizeof(char *));
	cJSON_ArrayForEach(p, set) {
		if (!cJSON_IsString(p) || !p->string)
			continue;
		r->setting_keys[r->n_settings] = brc_xsanitized(p->string, 0);
		r->setting_values[r->n_settings++] =
			brc_xsanitized(p->valuestring, 0);
	}
}

static int read_results(const struct rd *rd, const cJSON *root,
                        struct brc_results *r, const char **what)
{
	const cJSON *o, *groups, *seed, *g;

	o = item(root, "benchrun");
	r->benchrun_version = get_str(o, "version");
	r->libcurl_version = get_str(o, "libcurl");
	r->compiler = get_str(o, "compiler");
	o = item(root, "machine");
	r->host_kernel = get_str(o, "kernel");
	r->host_cpu = get_str(o, "cpu");
	r->host_cores = to_i32(get_num(o, "cores"));
	read_state(o, &r->state);
	o = item(root, "scenario");
	r->scenario_name = get_str(o, "name");
	r->scenario_path = get_str(o, "path");
	r->scenario_hash = get_str(o, "hash");
	r->scenario_yaml = get_str(o, "yaml");
	read_settings(item(o, "settings"), r);
	o = item(root, "runs");
	r->order = get_str(o, "order");
	r->auto_reps = cJSON_IsTrue(item(o, "auto_repetitions"));
	r->started_at = get_str(root, "started_at");
	r->incomplete = cJSON_IsTrue(item(root, "incomplete"));
	r->baseline = get_str(root, "baseline");
	r->mem_instrument = get_str(root, "instrument");
	o = item(root, "workload");
	r->requests = to_u64(get_num(o, "requests"));
	seed = item(o, "seed");
	if (cJSON_IsString(seed))
		r->seed = strtoull(seed->valuestring, NULL, 10);
	else
		r->seed = to_u64(get_num(o, "seed"));
	r->server_desc = brc_json_server_desc(item(root, "server"));
	r->cells_total = item(root, "cells") ? to_i64(get_num(root, "cells")) : 0;

	groups = item(root, "groups");
	*what = "\"groups\" is not an array";
	if (!cJSON_IsArray(groups))
		return -1;
	r->groups = brc_xcalloc((size_t)cJSON_GetArraySize(groups) + 1,
	                       sizeof(*r->groups));
	cJSON_ArrayForEach(g, groups) {
		r->n_groups++;
		if (read_group(rd, g, &r->groups[r->n_groups - 1], what))
			return -1;
	}
	return 0;
}

/* Results from a parsed tree. */
static int from_tree(const struct rd *rd, const cJSON *root,
                     const char *path, struct brc_results *out, char **err)
{
	const char *what = NULL;
	const cJSON *schema = item(root, "schema");

	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (!cJSON_IsObject(root) || !cJSON_IsNumber(schema)) {
		*err = brc_xasprintf("%s: not a benchrun results file (no \"schema\")",
		                    path);
		return -1;
	}
	if (schema->valuedouble != BR_RESULTS_SCHEMA) {
		*err = brc_xasprintf("%s: results schema %g, but this benchrun "
		                    "reads schema %d", path, schema->valuedouble,
		                    BR_RESULTS_SCHEMA);
		return -1;
	}
	out->schema = BR_RESULTS_SCHEMA;
	if (read_results(rd, root, out, &what)) {
		*err = brc_xasprintf("%s: %s", path,
		                    what ? what : "a run is malformed");
		brc_results_free(out);
		return -1;
	}
	return 0;
}

int brc_results_from_json(const cJSON *root, const char *path,
                          struct brc_results *out, char **err)
{
	const struct rd rd = { .doc = NULL, .timelines = true };

	return from_tree(&rd, root, path, out, err);
}

int brc_results_from_doc(const struct brc_jdoc *doc, bool timelines,
                         const cJSON *root, const char *path,
                         struct brc_results *out, char **err)
{
	const struct rd rd = { .doc = doc, .timelines = timelines };

	return from_tree(&rd, root, path, out, err);
}
