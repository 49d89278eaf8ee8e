/*
 * results_merge.c - many results files of one scenario into one, exactly
 * as if one machine had run every cell: groups joined by (strategy, sweep
 * point) in the scenario's order, runs by repetition, every run keeping
 * its host, timeline and latency histogram; statistics are recomputed by
 * whoever reads the merged file (they always are: see results_json.c).
 * Files of different scenarios, different result schemas or holding the
 * same cell twice are refused: a merged file must mean what it says.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/merge.h"
#include "results/metrics.h"
#include "util.h"

static bool same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/*
 * Merged groups by (label, point): an open-addressing table of group
 * indices + 1, twice as many slots as groups can be, so that merging
 * many cells stays linear (a sweep of thousands of points over many
 * shards compared every group with every other).
 */
struct group_index {
	size_t *slot, mask;
};

static size_t hash_cell(const char *label, const char *point)
{
	size_t h = 14695981039346656037ULL; /* FNV-1a */

	for (const char *s = label ? label : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ 0x1f) * 1099511628211ULL; /* between the two strings */
	for (const char *s = point ? point : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void index_init(struct group_index *ix, size_t cap)
{
	size_t n = 16;

	while (n < 2 * cap)
		n *= 2;
	ix->slot = brc_xcalloc(n, sizeof(*ix->slot));
	ix->mask = n - 1;
}

/* The group of out for g's (label, point), created when new. */
static struct brc_group *group_for(struct brc_results *out,
                                   struct group_index *ix,
                                   const struct brc_group *g, size_t cap)
{
	struct brc_group *m;
	size_t h = hash_cell(g->label, g->point) & ix->mask;

	for (; ix->slot[h]; h = (h + 1) & ix->mask) {
		m = &out->groups[ix->slot[h] - 1];
		if (same(m->label, g->label) && same(m->point, g->point))
			return m;
	}
	if (out->n_groups == cap)
		return NULL;
	ix->slot[h] = out->n_groups + 1;
	m = &out->groups[out->n_groups++];
	memset(m, 0, sizeof(*m));
	m->label = brc_xstrdup(g->label);
	m->plugin = brc_xstrdup(g->plugin);
	m->point = brc_xstrdup(g->point ? g->point : "");
	m->item = g->item;
	m->concurrency = g->concurrency;
	m->n_params = g->n_params;
	m->param_names = brc_xcalloc(g->n_params + 1, sizeof(char *));
	m->param_values = brc_xcalloc(g->n_params + 1, sizeof(char *));
	for (size_t k = 0; k < g->n_params; k++) {
		m->param_names[k] = brc_xstrdup(g->param_names[k]);
		m->param_values[k] = brc_xstrdup(g->param_values[k]);
	}
	return m;
}

/* Move run into m (the source keeps an empty husk).  m->runs holds the
 * next power of two of n_runs: it doubles when n_runs reaches one. */
static void take_run(struct brc_group *m, struct brc_run_result *run)
{
	if (!(m->n_runs & (m->n_runs - 1)))
		m->runs = brc_xrealloc(m->runs, (m->n_runs ? 2 * m->n_runs : 1) *
		                                sizeof(*m->runs));
	m->runs[m->n_runs++] = *run;
	memset(run, 0, sizeof(*run));
}

static int by_repetition(const void *a, const void *b)
{
	const struct brc_run_result *x = a, *y = b;

	return (x->repetition > y->repetition) - (x->repetition < y->repetition);
}

static int by_item(const void *a, const void *b)
{
	const struct brc_group *x = a, *y = b;

	return (x->item > y->item) - (x->item < y->item);
}

/* The metadata of the merged file: the first file's, the earliest start. */
static void copy_meta(struct brc_results *out, const struct brc_results *in)
{
	out->schema = in->schema;
	out->scenario_name = brc_xstrdup(in->scenario_name);
	out->scenario_path = in->scenario_path ? brc_xstrdup(in->scenario_path)
	                                       : NULL;
	out->scenario_hash = brc_xstrdup(in->scenario_hash);
	out->scenario_yaml = in->scenario_yaml ? brc_xstrdup(in->scenario_yaml)
	                                       : NULL;
	out->started_at = in->started_at ? brc_xstrdup(in->started_at) : NULL;
	out->baseline = in->baseline ? brc_xstrdup(in->baseline) : NULL;
	out->host_kernel = in->host_kernel ? brc_xstrdup(in->host_kernel) : NULL;
	out->host_cpu = in->host_cpu ? brc_xstrdup(in->host_cpu) : NULL;
	out->benchrun_version = in->benchrun_version
	                                ? brc_xstrdup(in->benchrun_version)
	                                : NULL;
	out->libcurl_version = in->libcurl_version
	                               ? brc_xstrdup(in->libcurl_version)
	                               : NULL;
	out->compiler = in->compiler ? brc_xstrdup(in->compiler) : NULL;
	out->host_cores = in->host_cores;
	out->requests = in->requests;
	out->seed = in->seed;
	out->server_desc = in->server_desc ? brc_xstrdup(in->server_desc) : NULL;
	out->cells_total = in->cells_total;
	/* Run order and settings (compare names differing fields by them);
	 * the machine state is each cell's own, so none is claimed. */
	out->order = in->order ? brc_xstrdup(in->order) : NULL;
	out->auto_reps = in->auto_reps;
	out->n_settings = in->n_settings;
	out->setting_keys = brc_xcalloc(in->n_settings + 1, sizeof(char *));
	out->setting_values = brc_xcalloc(in->n_settings + 1, sizeof(char *));
	for (size_t i = 0; i < in->n_settings; i++) {
		out->setting_keys[i] = brc_xstrdup(in->setting_keys[i]);
		out->setting_values[i] = brc_xstrdup(in->setting_values[i]);
	}
	out->state = (struct brc_machine_state){ NAN, NAN, -1, NULL, -1 };
}

/* Refusals that need only the files' headers. */
static int check_headers(struct brc_results *in, const char *const *names,
                         size_t n, struct brc_buf *msg)
{
	for (size_t f = 1; f < n; f++) {
		if (!same(in[f].scenario_hash, in[0].scenario_hash)) {
			brc_buf_printf(msg, "%s and %s are results of different "
			              "scenarios (hash %s vs %s): merge only the "
			              "cells of one scenario, run with the same "
			              "--set overrides", names[0], names[f],
			              in[0].scenario_hash ? in[0].scenario_hash : "-",
			              in[f].scenario_hash ? in[f].scenario_hash : "-");
			return -1;
		}
		if (in[f].schema != in[0].schema) {
			brc_buf_printf(msg, "%s has results schema %d, %s has %d: "
			              "rerun the older cells with this benchrun",
			              names[0], in[0].schema, names[f], in[f].schema);
			return -1;
		}
		if (in[f].requests != in[0].requests || in[f].seed != in[0].seed) {
			brc_buf_printf(msg, "%s and %s measured different "
			              "workloads (%llu vs %llu requests, seed %llu "
			              "vs %llu)", names[0], names[f],
			              (unsigned long long)in[0].requests,
			              (unsigned long long)in[f].requests,
			              (unsigned long long)in[0].seed,
			              (unsigned long long)in[f].seed);
			return -1;
		}
	}
	return 0;
}

/* A merged cell: (merged group, repetition) and its file. */
struct seen {
	size_t group;
	int rep;
	size_t file;
};

static int by_cell(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->rep != y->rep)
		return x->rep < y->rep ? -1 : 1;
	return (x->file > y->file) - (x->file < y->file);
}

/* Every cell merged once; else a message naming both files. */
static int check_cells(struct seen *seen, size_t n, const struct brc_results *out,
                       const char *const *names, struct brc_buf *msg)
{
	if (n > 1)
		qsort(seen, n, sizeof(*seen), by_cell);
	for (size_t j = 1; j < n; j++) {
		const struct brc_group *m = &out->groups[seen[j].group];

		if (seen[j].group != seen[j - 1].group ||
		    seen[j].rep != seen[j - 1].rep)
			continue;
		brc_buf_printf(msg, "%s and %s both hold run %d of %s%s%s: each "
		              "cell must be merged once", names[seen[j - 1].file],
		              names[seen[j].file], seen[j].rep + 1, m->label,
		              *m->point ? " at " : "", m->point);
		return -1;
	}
	return 0;
}

int brc_results_merge(struct brc_results *in, const char *const *names,
                      size_t n, struct brc_results *out, struct brc_buf *msg,
                      struct brc_buf *warn)
{
	size_t cap = 0, *from, n_seen = 0, cap_seen = 0;
	struct seen *seen = NULL;
	struct group_index ix;
	bool known_items = true;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!n || check_headers(in, names, n, msg))
		return -1;
	copy_meta(out, &in[0]);
	for (size_t f = 0; f < n; f++) {
		cap += in[f].n_groups;
		if (in[f].incomplete) {
			brc_buf_printf(warn, "%s is incomplete (interrupted before "
			              "its cells finished): the merged file is too\n",
			              names[f]);
			out->incomplete = true;
		}
		if (in[f].started_at && out->started_at &&
		    strcmp(in[f].started_at, out->started_at) < 0) {
			free(out->started_at);
			out->started_at = brc_xstrdup(in[f].started_at);
		}
		if (!same(in[f].benchrun_version, in[0].benchrun_version))
			brc_buf_printf(warn, "%s was written by benchrun %s, %s by "
			              "%s\n", names[0], in[0].benchrun_version,
			              names[f], in[f].benchrun_version);
	}
	out->groups = brc_xcalloc(cap + 1, sizeof(*out->groups));
	index_init(&ix, cap);
	/* For each merged group, the file its first run came from: cells of
	 * one comparison measured on different machines are worth a word. */
	from = brc_xcalloc(cap + 1, sizeof(*from));
	for (size_t f = 0; f < n; f++)
		for (size_t i = 0; i < in[f].n_groups; i++) {
			struct brc_group *g = &in[f].groups[i];
			struct brc_group *m = group_for(out, &ix, g, cap);
			bool fresh = m->n_runs == 0 && m->runs == NULL;

			if (fresh)
				from[m - out->groups] = f;
			known_items &= g->item >= 0;
			for (size_t k = 0; k < g->n_runs; k++) {
				if (n_seen == cap_seen) {
					cap_seen = cap_seen ? 2 * cap_seen : 64;
					seen = brc_xrealloc(seen,
					                    cap_seen * sizeof(*seen));
				}
				seen[n_seen++] = (struct seen){
					(size_t)(m - out->groups),
					g->runs[k].repetition, f };
				take_run(m, &g->runs[k]);
			}
			if (!same(in[f].host_cpu, in[from[m - out->groups]].host_cpu))
				brc_buf_printf(warn, "%s%s%s ran on different machines "
				              "(%s in %s, %s in %s): its figures mix "
				              "machine types\n", g->label,
				              *g->point ? " at " : "", g->point,
				              in[from[m - out->groups]].host_cpu,
				              names[from[m - out->groups]], in[f].host_cpu,
				              names[f]);
		}
	free(from);
	free(ix.slot);
	rc = check_cells(seen, n_seen, out, names, msg);
	free(seen);
	if (rc) {
		brc_results_free(out);
		return -1;
	}
	/* A group may have no run (a journal cut before its first): qsort's
	 * array must not be NULL even for 0 items (UBSan stops there). */
	for (size_t i = 0; i < out->n_groups; i++)
		if (out->groups[i].n_runs > 1)
			qsort(out->groups[i].runs, out->groups[i].n_runs,
			      sizeof(*out->groups[i].runs), by_repetition);
	/* Groups in the scenario's order when every file knows it (a stable
	 * sort: qsort is not, but items are distinct per group). */
	if (known_items && out->n_groups > 1)
		qsort(out->groups, out->n_groups, sizeof(*out->groups), by_item);
	if (out->cells_total) {
		size_t have = 0;

		for (size_t i = 0; i < out->n_groups; i++)
			have += out->groups[i].n_runs;
		if (have < (size_t)out->cells_total) {
			brc_buf_printf(warn, "%zu of the scenario's %lld cells are "
			              "in these files (benchrun plan lists them); "
			              "the merged file is marked incomplete\n", have,
			              (long long)out->cells_total);
			out->incomplete = true;
		}
	}
	return 0;
}
