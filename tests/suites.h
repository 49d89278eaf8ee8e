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
Suite *br_suite_hostile(void);
Suite *br_suite_exec(void);
Suite *br_suite_loader(void);
Suite *br_suite_params(void);
Suite *br_suite_plan(void);
Suite *br_suite_stats(void);
Suite *br_suite_report(void);
Suite *br_suite_histogram(void);
Suite *br_suite_runner(void);
Suite *br_suite_conformance(void);
Suite *br_suite_forkpool(void);

/* $BR_TEST_BUILDDIR / $BR_TEST_SRCDIR joined with rel (malloc'd); they
 * default to "." when the runner is started by hand. */
char *br_test_builddir(const char *rel);
char *br_test_srcdir(const char *rel);

/* Integration helpers (testutil.c). */
#include <cjson/cJSON.h>
#include "util.h"
char *br_test_tmpdir(void);                 /* mkdtemp under /tmp   */
char *br_test_write(const char *dir, const char *name, const char *text);
void br_test_rmtree(const char *dir);
/* Run the built benchrun with argv (no argv[0], NULL-terminated) in its own
 * process group; fail the test after `timeout` s.  stderr into err if
 * non-NULL.  Returns the exit code (128+signal when killed). */
int br_test_benchrun(const char *const *argv, double timeout,
                     struct br_buf *err);
/* Same with one extra environment entry; signal `sig` after `after`
 * seconds, `times` times 100 ms apart. */
int br_test_benchrun_interrupt(const char *const *argv, const char *env,
                               int sig, double after, int times,
                               double timeout);
/* Processes whose environment has BR_TEST_MARK=<mark>. */
int br_test_count_marked(const char *mark);
cJSON *br_test_load_json(const char *path);
cJSON *br_test_first_run(cJSON *doc);       /* groups[0].runs[0]    */

#endif
