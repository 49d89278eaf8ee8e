/*
 * compare_scenario.c - before `benchrun compare` says anything about two
 * results files: are they the same benchmark?  It names exactly which
 * scenario settings differ (from the settings each file records),
 * ignoring what only changes where results are written or how many runs
 * were taken, and refuses outright when the workloads differ (requests,
 * seed, the server's latency or fault model): 1000 requests against 300
 * is not "66.9% better".
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util.h"

/* Settings that change nothing about what is measured. */
static bool ignored(const char *key)
{
	static const char *const prefixes[] = {
		"outputs.", "runs.repetitions", "runs.warmup",
		"runs.min_repetitions", "runs.max_repetitions", "runs.target_ci",
		"description", "name",
	};

	for (size_t i = 0; i < BR_ARRAY_SIZE(prefixes); i++)
		if (!strncmp(key, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* Settings that define the work itself. */
static bool workload_key(const char *key)
{
	static const char *const prefixes[] = {
		"seed", "workload.", "server.latency.", "server.faults.",
		"server.max_in_flight", "server.rate", "server.url",
	};

	for (size_t i = 0; i < BR_ARRAY_SIZE(prefixes); i++)
		if (!strncmp(key, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static const char *lookup(const struct brc_results *r, const char *key)
{
	for (size_t i = 0; i < r->n_settings; i++)
		if (!strcmp(r->setting_keys[i], key))
			return r->setting_values[i];
	return NULL;
}

struct diff {
	struct brc_buf fields, workload;
	size_t n_fields, n_workload;
};

static void note(struct diff *d, const char *key, const char *a,
                 const char *b)
{
	bool w = workload_key(key);
	struct brc_buf *out = w ? &d->workload : &d->fields;
	size_t *n = w ? &d->n_workload : &d->n_fields;

	brc_buf_printf(out, "%s%s (%s -> %s)", *n ? ", " : "", key,
	              a ? a : "unset", b ? b : "unset");
	(*n)++;
}

int brc_compare_scenarios(const struct brc_results *ro,
                         const struct brc_results *rn, bool allow)
{
	struct diff d = { 0 };
	char a[32], b[32];
	int rc = 0;

	/* The recorded settings, when both files have them. */
	if (ro->n_settings && rn->n_settings) {
		for (size_t i = 0; i < ro->n_settings; i++) {
			const char *k = ro->setting_keys[i];
			const char *v = lookup(rn, k);

			if (ignored(k) || (v && !strcmp(v, ro->setting_values[i])))
				continue;
			note(&d, k, ro->setting_values[i], v);
		}
		for (size_t i = 0; i < rn->n_settings; i++) {
			const char *k = rn->setting_keys[i];

			if (!ignored(k) && !lookup(ro, k))
				note(&d, k, NULL, rn->setting_values[i]);
		}
	} else if (ro->scenario_hash && rn->scenario_hash &&
	           strcmp(ro->scenario_hash, rn->scenario_hash)) {
		printf("note: the scenarios differ (a file does not record its "
		       "settings, so which fields is unknown)\n");
	}
	/* What every results file records, old ones included: named when
	 * the settings did not already say it (or were not recorded). */
	if (!d.n_workload) {
		if (ro->requests != rn->requests) {
			snprintf(a, sizeof(a), "%llu",
			         (unsigned long long)ro->requests);
			snprintf(b, sizeof(b), "%llu",
			         (unsigned long long)rn->requests);
			note(&d, "workload.requests", a, b);
		}
		if (ro->seed != rn->seed) {
			snprintf(a, sizeof(a), "%llu", (unsigned long long)ro->seed);
			snprintf(b, sizeof(b), "%llu", (unsigned long long)rn->seed);
			note(&d, "seed", a, b);
		}
		if (ro->server_desc && rn->server_desc &&
		    strcmp(ro->server_desc, rn->server_desc))
			note(&d, "server.model", ro->server_desc,
			     rn->server_desc);
	}
	if (d.n_fields)
		printf("scenario fields that differ: %s\n", d.fields.data);
	if (d.n_workload) {
		if (allow) {
			printf("WARNING: the workloads differ: %s; compared anyway "
			       "(--allow-different-workloads), the numbers measure "
			       "different work\n", d.workload.data);
		} else {
			brc_error("the workloads differ: %s: the results are not "
			         "comparable (--allow-different-workloads to "
			         "compare anyway)", d.workload.data);
			rc = -1;
		}
	}
	brc_buf_free(&d.fields);
	brc_buf_free(&d.workload);
	return rc;
}
