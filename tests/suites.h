/*
 * suites.h - every Check suite of the runner, and helpers the suites share.
 */
#ifndef BR_TEST_SUITES_H
#define BR_TEST_SUITES_H

#include <check.h>

Suite *brc_suite_util(void);
Suite *brc_suite_server(void);
Suite *brc_suite_scenario(void);
Suite *brc_suite_tickets(void);
Suite *brc_suite_model(void);
Suite *brc_suite_export(void);
Suite *brc_suite_hostile(void);
Suite *brc_suite_exec(void);
Suite *brc_suite_loader(void);
Suite *brc_suite_params(void);
Suite *brc_suite_plan(void);
Suite *brc_suite_stats(void);
Suite *brc_suite_report(void);
Suite *brc_suite_histogram(void);
Suite *brc_suite_runner(void);
Suite *brc_suite_conformance(void);
Suite *brc_suite_forkpool(void);

/* $BR_TEST_BUILDDIR / $BR_TEST_SRCDIR joined with rel (malloc'd); they
 * default to "." when the runner is started by hand. */
char *brc_test_builddir(const char *rel);
char *brc_test_srcdir(const char *rel);

/* Integration helpers (testutil.c). */
#include <cjson/cJSON.h>
#include "util.h"
char *brc_test_tmpdir(void);                 /* mkdtemp under /tmp   */
char *brc_test_write(const char *dir, const char *name, const char *text);
void brc_test_rmtree(const char *dir);
/* Run the built benchrun with argv (no argv[0], NULL-terminated) in its own
 * process group; fail the test after `timeout` s.  stderr into err if
 * non-NULL.  Returns the exit code (128+signal when killed). */
int brc_test_benchrun(const char *const *argv, double timeout,
                     struct brc_buf *err);
/* Same with one extra environment entry; signal `sig` after `after`
 * seconds, `times` times 100 ms apart. */
int brc_test_benchrun_interrupt(const char *const *argv, const char *env,
                               int sig, double after, int times,
                               double timeout);
/* Processes whose environment has BR_TEST_MARK=<mark>. */
int brc_test_count_marked(const char *mark);
cJSON *brc_test_load_json(const char *path);
cJSON *brc_test_first_run(cJSON *doc);       /* groups[0].runs[0]    */

#endif
