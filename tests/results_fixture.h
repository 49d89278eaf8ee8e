/*
 * results_fixture.h - a hand-built set of results for the report and
 * results-file suites (results_fixture.c), and a temporary directory per
 * test for what they write.
 */
#ifndef BR_TEST_RESULTS_FIXTURE_H
#define BR_TEST_RESULTS_FIXTURE_H

#include <stddef.h>

#include "results/results.h"

/* Three strategies (sync, threads at two concurrencies, eventloop) with
 * plausible, non-zero numbers; threads' times are scaled by
 * threads_factor (1.2: 20% slower).  Free with brc_results_free. */
void brc_test_results_build(struct brc_results *r, double threads_factor);

/* Checked fixture: a fresh temporary directory per test, removed after. */
void brc_test_results_setup(void);
void brc_test_results_teardown(void);
char *brc_test_results_tmp(const char *name);   /* its path of name */

/* The whole file (the test fails when it cannot be read). */
char *brc_test_slurp(const char *path, size_t *len);

#endif
