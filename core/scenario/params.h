/*
 * params.h - a plugin's declared parameter table (benchrun/plugin.h) meets
 * the scenario's values: lookup, checking, building the options struct the
 * plugin's create hook receives, and the words `benchrun plugins` prints.
 * Implemented in params.c.
 */
#ifndef BR_PARAMS_H
#define BR_PARAMS_H

#include <stddef.h>

#include "benchrun/plugin.h"
#include "scenario/scenario.h"

/* Look up a declared parameter by name, NULL when the plugin has none. */
const struct br_param *brc_plugin_param(const struct br_plugin *desc,
                                       const char *name);

/*
 * Build the options struct for `desc`: defaults first, then `vals` in
 * order (later wins).  Unknown names ("plugin 'sync' has no parameter
 * 'concurency' (did you mean 'concurrency'? it has: ...)"), wrong types
 * and out-of-range values fail with -1 and *err (malloc'd, prefixed with
 * the value's mark "file:line:col: "). The result is freed with
 * brc_params_free(desc, opts).
 */
int brc_params_build(const struct br_plugin *desc,
                    const struct brc_param_value *vals, size_t n_vals,
                    void **opts, char **err);
void brc_params_free(const struct br_plugin *desc, void *opts);

/* Text of a parameter's effective value in opts ("100", "64 KiB", "[a, b]");
 * malloc'd. */
char *brc_params_format(const struct br_param *p, const void *opts);

/* "int", "size", ... for messages and `benchrun plugins`. */
const char *brc_param_type_name(enum br_param_type t);
/* A parameter's declared range as text ("1..100", "1 KiB..1 MiB"), "-"
 * when it has none; malloc'd. */
char *brc_param_range_text(const struct br_param *p);
/* Bytes a parameter of type t occupies in the options struct; 0 for an
 * unknown type. */
size_t brc_param_type_size(enum br_param_type t);

#endif /* BR_PARAMS_H */
