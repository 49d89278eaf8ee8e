/*
 * strategies.h - the strategy plugins of the build tree, for suites that
 * hold every plugin to the same cases (hostile servers, signals): every
 * plugins/.libs/NAME.so except the ones that fetch nothing (null, calib*)
 * or need a program to run (exec, which has its own suite), and multiplex,
 * which speaks only HTTP/2 (the hostile servers speak HTTP/1.1).
 */
#ifndef BR_TEST_STRATEGIES_H
#define BR_TEST_STRATEGIES_H

#include <stdbool.h>
#include <stddef.h>

struct brc_test_strategy {
	char *name, *path;   /* path absolute: scenarios live elsewhere */
	bool stack_size;     /* declares a stack_size parameter          */
};

/* The list, scanned once (kept for the life of the test process). */
size_t brc_test_strategies(const struct brc_test_strategy **out);

#endif
