/*
 * robust_util.h - the fixtures of the robust suites (tests/check_robust*.c):
 * the plugins of tests/plugins/robust.c that break the contract in one way
 * each, found in the build tree and run once by the runner.
 */
#ifndef BR_TEST_ROBUST_UTIL_H
#define BR_TEST_ROBUST_UTIL_H

#include <stdint.h>

#include "run/runner.h"

/* The built fixture `name` (tests/plugins/[ctor/].libs/NAME.so; the
 * constructor fixtures, "*_ctor_*", have a directory of their own).
 * Free it. */
char *brc_test_robust_fixture(const char *name);

/* One measured run of fixture `name` over `days` requests of
 * brc_test_workload (base URL http://127.0.0.1:9, concurrency 1); clear
 * *out with brc_run_result_clear. */
void brc_test_robust_run(const char *name, int64_t days,
                         struct brc_run_result *out);

#endif
