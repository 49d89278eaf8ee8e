/*
 * run_spec.h - the run spec: what the runner (runner.c) tells a worker
 * process (worker.c) about its one run, as one line of JSON on the
 * worker's stdin: the plugin, its parameters, the workload, the URL
 * template and base, the directory to work in, the verbosity.  Internal
 * to benchrun: both sides are always the same binary.
 */
#ifndef BR_RUN_SPEC_H
#define BR_RUN_SPEC_H

#include "run/runner.h"

struct cJSON;

/* The spec of job as text (malloc'd). */
char *brc_run_spec_make(const struct brc_runner_job *job);

/* A spec read back; its strings point into root. */
struct brc_run_spec {
	struct cJSON *root;
	struct brc_workload w;
	const char *plugin, *tmpl, *base, *dir;
	struct brc_param_value *params;
	size_t n_params;
};

/* Parse text (NULL: no spec) into *s and set brc_verbosity from it; -1
 * with *err (malloc'd) when it is not a spec.  Free *s with
 * brc_run_spec_free either way (a zeroed *s is fine too). */
int brc_run_spec_parse(const char *text, struct brc_run_spec *s, char **err);
void brc_run_spec_free(struct brc_run_spec *s);

#endif /* BR_RUN_SPEC_H */
