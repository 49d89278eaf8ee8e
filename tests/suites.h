/*
 * suites.h - every Check suite of the runner, and helpers the suites share.
 */
#ifndef BR_TEST_SUITES_H
#define BR_TEST_SUITES_H

#include <check.h>

Suite *br_suite_util(void);
Suite *br_suite_server(void);
Suite *br_suite_scenario(void);
Suite *br_suite_tickets(void);
Suite *br_suite_model(void);
Suite *br_suite_export(void);
Suite *br_suite_loader(void);
Suite *br_suite_plan(void);
Suite *br_suite_stats(void);
Suite *br_suite_report(void);
Suite *br_suite_histogram(void);
Suite *br_suite_runner(void);

/* $BR_TEST_BUILDDIR / $BR_TEST_SRCDIR joined with rel (malloc'd); they
 * default to "." when the runner is started by hand. */
char *br_test_builddir(const char *rel);
char *br_test_srcdir(const char *rel);

#endif
