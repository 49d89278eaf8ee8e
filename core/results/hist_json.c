/*
 * hist_json.c - a latency histogram in a results file and in the worker's
 * report, so that runs measured on different machines merge exactly
 * (`benchrun merge`): percentiles of merged runs come from merged counts,
 * never from averaged percentiles.
 *
 * Form: {"count": N, "min": ns, "max": ns, "sum": ns, "buckets": [i, c,
 * i, c, ...]} with only the non-empty counters, as flat (index, count)
 * pairs in increasing index: a run of 10,000 requests fills a few dozen
 * of the 2,432 counters.  Every number stays below 2^53 (ns sums of 104
 * days), so JSON's doubles carry them exactly.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>

#include "results/histogram.h"

/* Largest integer a double holds exactly. */
#define EXACT (9007199254740992.0)

void brc_hist_to_json(cJSON *parent, const char *key, const struct brc_hist *h)
{
	cJSON *o = cJSON_AddObjectToObject(parent, key), *b;

	cJSON_AddNumberToObject(o, "count", (double)h->count);
	cJSON_AddNumberToObject(o, "min", h->count ? (double)h->min : 0);
	cJSON_AddNumberToObject(o, "max", (double)h->max);
	cJSON_AddNumberToObject(o, "sum", (double)h->sum);
	b = cJSON_AddArrayToObject(o, "buckets");
	for (size_t i = 0; i < BR_HIST_BUCKETS; i++)
		if (h->counts[i]) {
			cJSON_AddItemToArray(b, cJSON_CreateNumber((double)i));
			cJSON_AddItemToArray(b,
			                     cJSON_CreateNumber((double)h->counts[i]));
		}
}

/* A non-negative integer below 2^53, or -1. */
static int u64_of(const cJSON *n, uint64_t *out)
{
	if (!cJSON_IsNumber(n) || !(n->valuedouble >= 0) ||
	    n->valuedouble >= EXACT || n->valuedouble != floor(n->valuedouble))
		return -1;
	*out = (uint64_t)n->valuedouble;
	return 0;
}

int brc_hist_from_json(const cJSON *o, struct brc_hist *h, const char **why)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "buckets"), *it;
	uint64_t total = 0, prev = 0, idx, c;
	bool first = true;

	brc_hist_init(h);
	*why = "not an object with count, min, max, sum and buckets";
	if (!cJSON_IsObject(o) || !cJSON_IsArray(b) ||
	    u64_of(cJSON_GetObjectItemCaseSensitive(o, "count"), &h->count) ||
	    u64_of(cJSON_GetObjectItemCaseSensitive(o, "min"), &h->min) ||
	    u64_of(cJSON_GetObjectItemCaseSensitive(o, "max"), &h->max) ||
	    u64_of(cJSON_GetObjectItemCaseSensitive(o, "sum"), &h->sum))
		return -1;
	/* Walk the list once (cJSON's GetArrayItem is linear per call). */
	for (it = b->child; it; it = it->next->next) {
		if (!it->next || u64_of(it, &idx) || u64_of(it->next, &c)) {
			*why = "buckets is not a list of (index, count) pairs";
			return -1;
		}
		if (idx >= BR_HIST_BUCKETS || (!first && idx <= prev) || !c) {
			*why = "a bucket index out of range, out of order or empty";
			return -1;
		}
		h->counts[idx] = c;
		total += c;
		prev = idx;
		first = false;
	}
	if (total != h->count || (h->count && h->min > h->max)) {
		*why = "the buckets do not add up to count, or min > max";
		return -1;
	}
	if (!h->count)
		h->min = UINT64_MAX;
	return 0;
}
