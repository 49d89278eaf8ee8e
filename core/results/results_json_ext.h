/*
 * results_json_ext.h - typed parameters, the server object and the
 * workload's settings in the results file (results_json_ext.c), written
 * by results_json.c and read back by results_read.c.
 */
#ifndef BR_RESULTS_JSON_EXT_H
#define BR_RESULTS_JSON_EXT_H

#include <cjson/cJSON.h>

#include "results/results.h"

/* "30 s" -> 30, "64 KiB" -> 65536, "true" -> true, "100" -> 100; other
 * text stays a string. */
cJSON *brc_json_typed(const char *text);

/* A group's "params" (typed) and "params_text" (as shown) into group. */
void brc_json_params(cJSON *group, const struct brc_group *g);

/* The "server" object: description, kind, model, parameters, faults and
 * other settings. */
cJSON *brc_json_server(const struct brc_results *r);

/* The workload's recorded settings (days, route, trips, ...) into o. */
void brc_json_workload(cJSON *o, const struct brc_results *r);

/* Reading back: the server's description from "server" (an object, or
 * the string of older files); a parameter's text (params_text, else the
 * value itself).  Both malloc'd or NULL. */
char *brc_json_server_desc(const cJSON *server);
char *brc_json_param_text(const cJSON *group, const cJSON *value);

/* results_json.c: one run as the results file writes it, and the whole
 * results object; results_read.c: results from such an object (0, or -1
 * with *err malloc'd, naming path).  The journal (journal.h) is made of
 * and read back with these. */
cJSON *brc_run_to_json(const struct brc_run_result *run);
cJSON *brc_results_to_json(const struct brc_results *r);
int brc_results_from_json(const cJSON *root, const char *path,
                          struct brc_results *out, char **err);

#endif /* BR_RESULTS_JSON_EXT_H */
