/*
 * run_spec.c - the run spec (run_spec.h): the one line of JSON the runner
 * writes to a worker's stdin, made from a job on one side and read back
 * on the other, so that its fields are named in one place.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "run/run_spec.h"
#include "util.h"

char *brc_run_spec_make(const struct brc_runner_job *job)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *w = cJSON_AddObjectToObject(s, "workload");
	cJSON *params = cJSON_AddArrayToObject(s, "params");
	char num[32], *text;

	cJSON_AddStringToObject(s, "plugin", job->plugin_path);
	cJSON_AddStringToObject(s, "url_template", job->url_template);
	cJSON_AddStringToObject(s, "base", job->base ? job->base : "");
	if (job->dir)
		cJSON_AddStringToObject(s, "dir", job->dir);
	cJSON_AddNumberToObject(s, "verbosity", brc_verbosity);
	/* uint64 does not survive a JSON double: the seed travels as text. */
	snprintf(num, sizeof(num), "%llu", (unsigned long long)job->w->seed);
	cJSON_AddStringToObject(w, "seed", num);
	cJSON_AddNumberToObject(w, "days", (double)job->w->days);
	cJSON_AddStringToObject(w, "start_date", job->w->start_date);
	cJSON_AddStringToObject(w, "route", job->w->route);
	cJSON_AddNumberToObject(w, "trips_min", (double)job->w->trips_min);
	cJSON_AddNumberToObject(w, "trips_max", (double)job->w->trips_max);
	cJSON_AddNumberToObject(w, "cpu_us_per_trip", job->w->cpu_us_per_trip);
	cJSON_AddNumberToObject(w, "max_body", (double)job->w->max_body);
	cJSON_AddBoolToObject(w, "validate", job->w->validate);
	if (job->w->arrival.model == BR_ARRIVAL_OPEN) {
		cJSON_AddNumberToObject(w, "rate", job->w->arrival.rate);
		cJSON_AddBoolToObject(w, "poisson", job->w->arrival.process ==
		                      BR_PROCESS_POISSON);
	}
	for (size_t i = 0; i < job->n_params; i++) {
		const struct brc_param_value *v = &job->params[i];
		cJSON *p = cJSON_CreateObject();
		cJSON *items = cJSON_AddArrayToObject(p, "items");

		cJSON_AddStringToObject(p, "name", v->name);
		cJSON_AddBoolToObject(p, "list", v->is_list);
		for (size_t k = 0; k < v->n_items; k++)
			cJSON_AddItemToArray(items, cJSON_CreateString(v->items[k]));
		if (v->mark.file)
			cJSON_AddStringToObject(p, "file", v->mark.file);
		cJSON_AddNumberToObject(p, "line", v->mark.line);
		cJSON_AddNumberToObject(p, "col", v->mark.col);
		cJSON_AddItemToArray(params, p);
	}
	text = cJSON_PrintUnformatted(s);
	cJSON_Delete(s);
	return text;
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

int brc_run_spec_parse(const char *text, struct brc_run_spec *s, char **err)
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

void brc_run_spec_free(struct brc_run_spec *s)
{
	for (size_t i = 0; i < s->n_params; i++)
		free(s->params[i].items);
	free(s->params);
	cJSON_Delete(s->root);
}
