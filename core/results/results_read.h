/*
 * results_read.h - private to results_read*.c: results from a parsed
 * results file, for results_read_file.c, which parses it.
 */
#ifndef BR_RESULTS_READ_H
#define BR_RESULTS_READ_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "results/results.h"
#include "results/results_doc.h"

/* Results from root, the tree of the file at path (named in errors):
 * simdjson's with doc its document (timelines packed), or cJSON's with
 * doc NULL; timelines false skips reading them (their shape is checked
 * all the same).  0, or -1 with *err malloc'd (*out then holds nothing
 * to free). */
int brc_results_from_doc(const struct brc_jdoc *doc, bool timelines,
                         const cJSON *root, const char *path,
                         struct brc_results *out, char **err);

#endif /* BR_RESULTS_READ_H */
