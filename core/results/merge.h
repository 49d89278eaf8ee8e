/*
 * merge.h - join results files of one scenario's cells (results_merge.c),
 * for `benchrun merge`: the cells of a scenario run on many machines
 * (benchrun --cell, a Slurm array, a Kubernetes Indexed Job) become one
 * results file, as if one machine had run them all.
 */
#ifndef BR_MERGE_H
#define BR_MERGE_H

#include <stddef.h>

#include "results/results.h"
#include "util.h"

/*
 * Merge the n files in[] (named names[], for messages) into *out.  The
 * runs move out of in[] (free in[] as usual afterwards).  Returns 0, or -1
 * with the reason in msg: files of different scenarios (hash), schemas or
 * workloads, or a cell (strategy, sweep point, repetition) present twice.
 * Lines in warn (each ending in a newline) say what is merged but worth
 * knowing: incomplete inputs, missing cells (out->incomplete is then set),
 * one comparison measured on different machine types, different benchrun
 * versions.
 */
int brc_results_merge(struct brc_results *in, const char *const *names,
                      size_t n, struct brc_results *out, struct brc_buf *msg,
                      struct brc_buf *warn);

#endif /* BR_MERGE_H */
