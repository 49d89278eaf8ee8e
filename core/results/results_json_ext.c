/*
 * results_json_ext.c - the parts of the results file that say what was
 * measured, typed: a group's parameters as numbers (seconds, bytes) beside
 * their text, the `server` as an object (model, its parameters, the faults
 * injected, the other settings) rather than one sentence, and the
 * `workload` with everything that defines it.  Faults and retries must be
 * visible in the file: a reader that sees 1.5% injected errors knows why a
 * run retried.
 *
 * The server and workload come from the scenario's settings as recorded
 * (every value the scenario or --set gave, results.h); values left at
 * their defaults are not repeated.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "results/results.h"
#include "results/results_json_ext.h"
#include "util.h"

cJSON *brc_json_typed(const char *text)
{
	int64_t i;
	double d;
	const char *why;

	if (!text)
		return cJSON_CreateNull();
	if (!strcmp(text, "true") || !strcmp(text, "false"))
		return cJSON_CreateBool(!strcmp(text, "true"));
	if (!brc_parse_int(text, &i, &why) && (i < 0 ? -i : i) < (1LL << 53))
		return cJSON_CreateNumber((double)i);
	if (!brc_parse_double(text, &d, &why) || !brc_parse_duration(text, &d, &why))
		return cJSON_CreateNumber(d);
	if (!brc_parse_size(text, &i, &why))
		return cJSON_CreateNumber((double)i);
	return cJSON_CreateString(text);
}

void brc_json_params(cJSON *group, const struct brc_group *g)
{
	cJSON *typed = cJSON_AddObjectToObject(group, "params");
	cJSON *text = cJSON_AddObjectToObject(group, "params_text");

	for (size_t i = 0; i < g->n_params; i++) {
		cJSON_AddItemToObject(typed, g->param_names[i],
		                      brc_json_typed(g->param_values[i]));
		cJSON_AddStringToObject(text, g->param_names[i],
		                        g->param_values[i] ? g->param_values[i]
		                                           : "");
	}
}

/* Every setting under prefix ("server.faults."), typed, keyed by the rest
 * of its path, into o; returns how many. */
static size_t settings_under(cJSON *o, const struct brc_results *r,
                             const char *prefix, const char *const *skip)
{
	size_t n = 0, len = strlen(prefix);

	for (size_t i = 0; i < r->n_settings; i++) {
		const char *k = r->setting_keys[i];
		bool skipped = false;

		if (strncmp(k, prefix, len))
			continue;
		for (const char *const *s = skip; s && *s; s++)
			skipped = skipped || !strncmp(k + len, *s, strlen(*s));
		if (skipped)
			continue;
		cJSON_AddItemToObject(o, k + len,
		                      brc_json_typed(r->setting_values[i]));
		n++;
	}
	return n;
}

static const char *setting(const struct brc_results *r, const char *key)
{
	for (size_t i = 0; i < r->n_settings; i++)
		if (!strcmp(r->setting_keys[i], key))
			return r->setting_values[i];
	return NULL;
}

cJSON *brc_json_server(const struct brc_results *r)
{
	static const char *const not_other[] = { "latency.", "faults.", NULL };
	cJSON *o = cJSON_CreateObject(), *params, *faults, *other;
	const char *model = setting(r, "server.latency.model");
	const char *url = setting(r, "server.url");

	cJSON_AddStringToObject(o, "description",
	                        r->server_desc ? r->server_desc : "");
	cJSON_AddStringToObject(o, "kind", url ? "external" : "embedded");
	if (!url)
		cJSON_AddStringToObject(o, "model", model ? model : "none");
	params = cJSON_AddObjectToObject(o, "parameters");
	settings_under(params, r, "server.latency.",
	               (const char *const[]){ "model", NULL });
	faults = cJSON_AddObjectToObject(o, "faults");
	settings_under(faults, r, "server.faults.", NULL);
	other = cJSON_AddObjectToObject(o, "settings");
	settings_under(other, r, "server.", not_other);
	return o;
}

void brc_json_workload(cJSON *workload, const struct brc_results *r)
{
	settings_under(workload, r, "workload.",
	               (const char *const[]){ "seed", NULL });
}

char *brc_json_server_desc(const cJSON *server)
{
	const cJSON *d = cJSON_IsObject(server)
	                 ? cJSON_GetObjectItemCaseSensitive(server, "description")
	                 : server;

	return cJSON_IsString(d) ? brc_xsanitized(d->valuestring, 0) : NULL;
}

char *brc_json_param_text(const cJSON *group, const cJSON *value)
{
	const cJSON *texts = cJSON_GetObjectItemCaseSensitive(group,
	                                                      "params_text");
	const cJSON *t = value && value->string
	                 ? cJSON_GetObjectItemCaseSensitive(texts, value->string)
	                 : NULL;
	char num[40];

	if (cJSON_IsString(t))
		return brc_xsanitized(t->valuestring, 0);
	if (cJSON_IsString(value))
		return brc_xsanitized(value->valuestring, 0);
	if (cJSON_IsNumber(value))
		return brc_xstrdup(brc_fmt_exact(num, sizeof(num),
		                                 value->valuedouble));
	if (cJSON_IsBool(value))
		return brc_xstrdup(cJSON_IsTrue(value) ? "true" : "false");
	return NULL;
}
