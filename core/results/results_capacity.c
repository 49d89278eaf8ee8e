/*
 * results_capacity.c - the capacity search's answers in the results: per
 * strategy the target, the range, every probe (rate, response time at the
 * quantile, achieved rate, kept up, pass) and the highest passing rate,
 * written as the results file's "capacity" array.  Reading a results
 * file back does not restore them (compare and plot work on groups).
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "results/metrics.h"
#include "util.h"

void brc_capacity_free(struct brc_results *r)
{
	for (size_t i = 0; i < r->n_capacity; i++) {
		free(r->capacity[i].label);
		free(r->capacity[i].point);
		free(r->capacity[i].probes);
	}
	free(r->capacity);
	r->capacity = NULL;
	r->n_capacity = 0;
}

void brc_capacity_to_json(cJSON *root, const struct brc_results *r)
{
	cJSON *arr;

	if (!r->n_capacity)
		return;
	arr = cJSON_AddArrayToObject(root, "capacity");
	for (size_t i = 0; i < r->n_capacity; i++) {
		const struct brc_capacity *c = &r->capacity[i];
		cJSON *o = cJSON_CreateObject();
		cJSON *probes = cJSON_CreateArray();

		cJSON_AddStringToObject(o, "label", c->label ? c->label : "");
		cJSON_AddStringToObject(o, "point", c->point ? c->point : "");
		cJSON_AddNumberToObject(o, "quantile", c->quantile);
		cJSON_AddNumberToObject(o, "target", c->target);
		cJSON_AddNumberToObject(o, "min", c->min);
		cJSON_AddNumberToObject(o, "max", c->max);
		cJSON_AddNumberToObject(o, "capacity", c->capacity);
		for (size_t k = 0; k < c->n_probes; k++) {
			const struct brc_probe *p = &c->probes[k];
			cJSON *po = cJSON_CreateObject();

			cJSON_AddNumberToObject(po, "rate", p->rate);
			cJSON_AddNumberToObject(po, "value", p->value);
			cJSON_AddNumberToObject(po, "achieved", p->achieved);
			cJSON_AddBoolToObject(po, "kept_up", p->kept_up);
			cJSON_AddBoolToObject(po, "pass", p->pass);
			cJSON_AddStringToObject(po, "status",
			                        brc_run_status_name(p->status));
			cJSON_AddItemToArray(probes, po);
		}
		cJSON_AddItemToObject(o, "probes", probes);
		cJSON_AddItemToArray(arr, o);
	}
}
